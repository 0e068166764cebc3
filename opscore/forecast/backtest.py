"""Rolling-origin backtest (FPP3 §5.10 "time series cross-validation"; Tashman 2000): refit each model
at a few forecast origins near the end of the history and score its forecasts against what happened."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.forecast import metrics
from opscore.forecast.fitting import fit_predict
from opscore.forecast.intervals import LEVELS, Prediction


@dataclass(frozen=True)
class Backtest:
    """Forecasts made at past origins and their errors."""

    origins: tuple[int, ...]
    """Number of observations used at each origin (latest first)."""
    horizon: int
    """Periods forecast at each origin (may be shorter than the requested horizon for short series)."""
    predictions: dict[str, dict[int, Prediction]]
    """Model -> origin -> forecast over the next ``horizon`` periods."""


def plan_origins(n: int, horizon: int, n_origins: int, step: int | None, min_train: int) -> tuple[tuple[int, ...], int]:
    """Origins n-h, n-h-step, ... keeping at least ``min_train`` observations; the backtest horizon
    shrinks (to as little as one period) for short series. Returns (origins, horizon); no origins when
    the series is too short to test at all."""
    step = step or max(1, horizon // 6)
    h = min(horizon, n - min_train)
    if h < 1 or n_origins < 1:
        return (), 0
    origins = tuple(o for o in (n - h - k * step for k in range(n_origins)) if o >= min_train)
    return origins, h


MIN_TRAIN = 8
"""Fewest observations a backtest fits on: enough for the non-seasonal models to estimate level and trend."""


def default_min_train(n: int, season_length: int) -> int:
    """Observations each backtest fit keeps: enough for the seasonal models (a season plus two; two seasons
    for long seasons such as 52 weeks) when the history leaves a holdout after that, else :data:`MIN_TRAIN`.

    A history shorter than that (e.g. one year of weeks, 52 periods against a season of 52) cannot feed the
    seasonal models at all, so the forecast itself falls back to non-seasonal ones; the backtest then
    compares those same non-seasonal fits on the last periods instead of giving up.
    """
    m = season_length
    for need in ((m + 2, MIN_TRAIN) if m <= 24 else (2 * m, m + 2, MIN_TRAIN)):
        need = max(need, MIN_TRAIN)
        if n - need >= 1:
            return need
    return MIN_TRAIN


def rolling_origin(y: np.ndarray, season_length: int, horizon: int, models: tuple[str, ...], n_origins: int = 4,
                   step: int | None = None, levels: tuple[int, ...] = LEVELS, x: np.ndarray | None = None,
                   min_train: int | None = None) -> Backtest:
    """Fit every model at each origin and keep its forecasts (with fallbacks as in ``fit_predict``)."""
    min_train = min_train if min_train is not None else default_min_train(len(y), season_length)
    origins, h = plan_origins(len(y), horizon, n_origins, step, min_train)
    m = season_length
    preds: dict[str, dict[int, Prediction]] = {name: {} for name in models}
    for o in origins:
        xo, xf = (x[:o], x[o:o + h]) if x is not None else (None, None)
        for name in models:
            preds[name][o] = fit_predict(name, y[:o], m, h, levels, xo, xf).prediction
    return Backtest(origins, h, preds)


def score(y: np.ndarray, season_length: int, predictions: dict[int, Prediction], horizon: int,
          censored: np.ndarray | None = None) -> dict[str, float]:
    """Metrics of one model averaged over origins (NaN values skipped), plus interval coverage per level and
    per-origin MASE. ``censored`` (bool per period of ``y``) marks periods whose demand was not seen (out of
    stock): they are left out of the errors; an origin with none left scores NaN."""
    rows = []
    for o, p in predictions.items():
        actual, hist = y[o:o + horizon], y[:o]
        keep = ~censored[o:o + horizon] if censored is not None else np.ones(len(actual), bool)
        if not keep.any():
            rows.append({"mase": np.nan})
            continue
        a, f = actual[keep], p.mean[keep]
        lower, upper = {lv: v[keep] for lv, v in p.lower.items()}, {lv: v[keep] for lv, v in p.upper.items()}
        row = {"mase": metrics.mase(a, f, hist, season_length),
               "rmsse": metrics.rmsse(a, f, hist),
               "smape": metrics.smape(a, f),
               "bias": metrics.bias(a, f),
               "pinball": metrics.scaled_pinball(a, lower, upper, hist)}
        for lv in p.lower:
            row[f"coverage{lv}"] = metrics.coverage(a, lower[lv], upper[lv])
        rows.append(row)
    out: dict[str, float] = {}
    for key in max(rows, key=len):
        values = np.array([r.get(key, np.nan) for r in rows])
        values = values[~np.isnan(values)]
        out[key] = float(values.sum() / len(values)) if len(values) else np.nan
    out["mase_by_origin"] = tuple(r["mase"] for r in rows)  # type: ignore[assignment]
    return out


def forecasts_frame(bt: Backtest, y: np.ndarray, index: pd.Index, models: tuple[str, ...]) -> pd.DataFrame:
    """Long frame of backtest forecasts against actuals: origin (last date used), ds, actual, model, mean, bounds."""
    parts = [(name, o, p) for name in models for o, p in bt.predictions.get(name, {}).items()]
    if not parts:
        return pd.DataFrame(columns=["origin", "ds", "actual", "model", "mean"])
    h = bt.horizon
    starts = np.array([o for _, o, _ in parts])
    rows = (starts[:, None] + np.arange(h)).ravel()
    preds = [p for *_, p in parts]
    out = pd.DataFrame({"origin": index[np.repeat(starts - 1, h)], "ds": index[rows], "actual": y[rows],
                        "model": np.repeat([name for name, _, _ in parts], h),
                        "mean": np.concatenate([p.mean for p in preds])})
    for lv in preds[0].lower:
        out[f"lo{lv}"] = np.concatenate([p.lower[lv] for p in preds])
        out[f"hi{lv}"] = np.concatenate([p.upper[lv] for p in preds])
    return out
