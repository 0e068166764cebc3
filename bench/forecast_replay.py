"""'Replay the last 12 weeks' (Forecast explorer) on the sample workspace: server time and the accuracy of
the replayed runs against what sold.

Run: ``.venv/bin/python bench/forecast_replay.py [--before] [--jobs 2]`` (prints seconds; not a timed test).

The replay forecasts all 120 SKUs as of 12, 8 and 4 weeks before the end of the sales, 4 weeks ahead, with
:func:`opscore.forecast.batch.replay`. ``--before`` also runs what the page did before: ``forecast_many`` once
per cut-off with the interactive settings (five regular-demand models, four backtest origins), so the accuracy
of both can be compared. Accuracy per run and SKU over the 4 weeks after the cut-off: MASE (MAE over the
in-sample MAE of the 52-week seasonal naive, as the backtest scores), WAPE (% of units sold, as the page's
accuracy chart) and the share of actuals inside the 80 % band.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from opscore.forecast import forecast_many
from opscore.forecast.batch import replay
from opscore.forecast.demand import sales_long
from opscore.forecast.metrics import mase
from opscore.sample import build_sample_workspace
from opscore.store import open_store

WEEKS_BACK = (12, 8, 4)
HORIZON = 4


def _accuracy(long: pd.DataFrame, runs: dict[pd.Timestamp, pd.DataFrame]) -> pd.DataFrame:
    """One row per cut-off and SKU: mase, abs_error and actual (units), inside80 (share)."""
    history = {uid: part.set_index("ds")["y"] for uid, part in long.groupby("unique_id")}
    rows = []
    for cutoff, values in runs.items():
        for uid, fc in values.groupby("unique_id"):
            y = history[uid]
            actual = y.reindex(pd.DatetimeIndex(fc["ds"])).to_numpy()
            mean = fc["mean"].to_numpy()
            inside = (actual >= fc["lo80"].to_numpy()) & (actual <= fc["hi80"].to_numpy())
            past = y[y.index <= cutoff].to_numpy()
            rows.append({"cutoff": cutoff, "unique_id": uid, "mase": mase(actual, mean, past, 52),
                         "abs_error": float(np.abs(actual - mean).sum()), "actual": float(actual.sum()),
                         "inside80": float(inside.mean())})
    return pd.DataFrame(rows)


def _report(label: str, seconds: float, acc: pd.DataFrame) -> None:
    by_cut = acc.groupby("cutoff")["mase"].mean()
    wape = 100 * acc["abs_error"].sum() / acc["actual"].sum()
    print(f"{label:<34}{seconds:>8.1f} s   mean MASE {acc['mase'].mean():.3f} "
          f"({', '.join(f'{v:.3f}' for v in by_cut)} by cut-off)   WAPE {wape:.1f} %   "
          f"inside 80 % band {acc['inside80'].mean():.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", action="store_true", help="also run the interactive settings, as the page did")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (the page uses 2)")
    opts = parser.parse_args()
    store = open_store(build_sample_workspace(Path(tempfile.mkdtemp()) / "sample.duckdb"), read_only=True)
    long = sales_long(store.table("sales"), "weekly")
    store.close()
    cutoffs = [long["ds"].max() - pd.Timedelta(weeks=w) for w in WEEKS_BACK]
    print(f"sample: {long['unique_id'].nunique()} SKUs, {long['ds'].nunique()} weeks; cut-offs "
          f"{', '.join(f'{c:%Y-%m-%d}' for c in cutoffs)}; {HORIZON} weeks ahead; {opts.jobs} worker processes")
    for label in ("replay (first, workers start)", "replay (again, workers warm)"):
        start = time.perf_counter()
        runs = replay(long, cutoffs, HORIZON, freq="weekly", n_jobs=opts.jobs)
        _report(label, time.perf_counter() - start, _accuracy(long, runs))
    if opts.before:
        start = time.perf_counter()
        before = {c: forecast_many(long[long["ds"] <= c], HORIZON, freq="weekly", n_jobs=opts.jobs) for c in cutoffs}
        _report("interactive settings, per cut-off", time.perf_counter() - start, _accuracy(long, before))


if __name__ == "__main__":
    main()
