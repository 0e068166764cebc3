"""Open-source peer forecasters for bench/forecast_peers.py. Runs INSIDE bench/.peers-venv (pandas < 3);
imports nothing from opscore.

Reads a Parquet of training data ``unique_id, ds, y`` and writes a Parquet of point forecasts
``unique_id, ds, model, mean`` (``mean`` in the units of ``y``, e.g. units sold per day), plus a JSON of
seconds per model (``cpu_s``: this process and its worker processes, ``wall_s``: elapsed).

Models (statsforecast 2.1.1, mlforecast 1.1.0, lightgbm 4.7.0; versions pinned in requirements.txt):

- ``AutoETS``: ``AutoETS(season_length=m)``, automatic ETS selection by AICc.
- ``DOTheta``: ``DynamicOptimizedTheta(season_length=m)``.
- ``Median(AutoETS,DOTheta)``: the median ensemble of those two; a median of two values is their mean.
- ``TSB``: Teunter-Syntetos-Babai with fixed smoothing ``alpha_d=0.1, alpha_p=0.1`` (statsforecast has no
  automatic TSB; 0.1/0.1 is the usual default, e.g. SAP PAL's and sktime's).
- ``LightGBM``: one global ``LGBMRegressor(verbosity=-1)`` (all other settings default) through mlforecast,
  lags ``--lags`` (1,7,14,28 for daily data), date features ``--date-features`` (dayofweek for daily data),
  recursive multi-step forecasts.

Every forecast is clipped at 0 (demand cannot be negative; this only ever helps a peer's score).

    bench/.peers-venv/bin/python bench/peers/run_peers.py --train train.parquet --out peers.parquet \\
        --horizon 28 --season-length 7 --freq D
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

MODELS = ("AutoETS", "DOTheta", "Median(AutoETS,DOTheta)", "TSB", "LightGBM")


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished child processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Run ``fn`` and return its result with its CPU and wall seconds."""
    cpu, wall = _cpu(), time.perf_counter()
    out = fn()
    return out, {"cpu_s": round(_cpu() - cpu, 2), "wall_s": round(time.perf_counter() - wall, 2)}


def _stats(train: pd.DataFrame, model: object, h: int, freq: str, n_jobs: int) -> pd.DataFrame:
    """Forecast every series with one statsforecast model; long frame unique_id, ds, mean."""
    from statsforecast import StatsForecast

    out = StatsForecast(models=[model], freq=freq, n_jobs=n_jobs).forecast(h=h, df=train)
    return out.rename(columns={out.columns[-1]: "mean"})[["unique_id", "ds", "mean"]]


def _lightgbm(train: pd.DataFrame, h: int, freq: str, lags: list[int], date_features: list[str]) -> pd.DataFrame:
    """Global LightGBM on lags (+ date features), recursive h-step forecast; long frame unique_id, ds, mean."""
    from lightgbm import LGBMRegressor
    from mlforecast import MLForecast

    mlf = MLForecast(models={"LightGBM": LGBMRegressor(verbosity=-1)}, freq=freq, lags=lags,
                     date_features=date_features or None)
    out = mlf.fit(train).predict(h)
    return out.rename(columns={"LightGBM": "mean"})[["unique_id", "ds", "mean"]]


def run(train: pd.DataFrame, h: int, m: int, freq: str, lags: list[int], date_features: list[str],
        n_jobs: int) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """All peer models on ``train``: (long forecasts unique_id, ds, model, mean; seconds per model)."""
    from statsforecast.models import TSB, AutoETS, DynamicOptimizedTheta

    parts, secs = {}, {}
    parts["AutoETS"], secs["AutoETS"] = _timed(lambda: _stats(train, AutoETS(season_length=m), h, freq, n_jobs))
    parts["DOTheta"], secs["DOTheta"] = _timed(
        lambda: _stats(train, DynamicOptimizedTheta(season_length=m), h, freq, n_jobs))
    ens = parts["AutoETS"].merge(parts["DOTheta"], on=["unique_id", "ds"], suffixes=("_a", "_b"))
    ens["mean"] = ens[["mean_a", "mean_b"]].median(axis=1)  # median of two = their mean
    parts["Median(AutoETS,DOTheta)"] = ens[["unique_id", "ds", "mean"]]
    secs["Median(AutoETS,DOTheta)"] = {k: secs["AutoETS"][k] + secs["DOTheta"][k] for k in ("cpu_s", "wall_s")}
    parts["TSB"], secs["TSB"] = _timed(lambda: _stats(train, TSB(alpha_d=0.1, alpha_p=0.1), h, freq, n_jobs))
    parts["LightGBM"], secs["LightGBM"] = _timed(lambda: _lightgbm(train, h, freq, lags, date_features))
    out = pd.concat([p.assign(model=name) for name, p in parts.items()], ignore_index=True)
    out["mean"] = out["mean"].clip(lower=0.0)
    return out[["unique_id", "ds", "model", "mean"]], secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, required=True, help="Parquet: unique_id, ds, y")
    parser.add_argument("--out", type=Path, required=True, help="Parquet written: unique_id, ds, model, mean")
    parser.add_argument("--timings", type=Path, help="JSON written: {model: {cpu_s, wall_s}}")
    parser.add_argument("--horizon", type=int, required=True, help="periods ahead")
    parser.add_argument("--season-length", type=int, required=True, help="periods per season (7 for daily)")
    parser.add_argument("--freq", default="D", help="pandas frequency of ds: D (daily) or MS (monthly)")
    parser.add_argument("--lags", default="1,7,14,28", help="LightGBM lags, comma-separated")
    parser.add_argument("--date-features", default="dayofweek", help="LightGBM date features ('' for none)")
    parser.add_argument("--n-jobs", type=int, default=os.cpu_count() or 1, help="statsforecast processes")
    opts = parser.parse_args()
    train = pd.read_parquet(opts.train)
    train["unique_id"] = train["unique_id"].astype(str)
    train["ds"] = pd.to_datetime(train["ds"])
    lags = [int(x) for x in opts.lags.split(",") if x]
    feats = [x for x in opts.date_features.split(",") if x]
    out, secs = run(train, opts.horizon, opts.season_length, opts.freq, lags, feats, opts.n_jobs)
    out.to_parquet(opts.out, index=False)
    if opts.timings:
        opts.timings.write_text(json.dumps(secs, indent=1))
    for name, s in secs.items():
        print(f"{name:<26}{s['cpu_s']:>10.1f} CPU s{s['wall_s']:>10.1f} wall s")


if __name__ == "__main__":
    main()
