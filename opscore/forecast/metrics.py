"""Forecast accuracy metrics. ``actual`` and ``forecast`` are arrays over the test periods;
``insample`` is the training history used to scale errors.

Sources: MASE — Hyndman & Koehler (2006) eq. (9); RMSSE and scaled pinball — M5 Competitors' Guide
(Makridakis et al. 2022); sMAPE — M3/M4 definition (Makridakis & Hibon 2000; Makridakis et al. 2020);
pinball (quantile) loss — Koenker & Bassett (1978), as in FPP3 §5.9.
"""

from __future__ import annotations

import numpy as np


def _scale(insample: np.ndarray, lag: int, power: int) -> float:
    """Mean |y_t - y_{t-lag}|^power over the history (falls back to lag 1 when too short)."""
    y = np.asarray(insample, float)
    if len(y) <= lag:
        lag = 1
    if len(y) < 2:
        return np.nan
    d = np.abs(y[lag:] - y[:-lag]) ** power
    return float(d.mean())


def mase(actual: np.ndarray, forecast: np.ndarray, insample: np.ndarray, season_length: int = 1) -> float:
    """Mean absolute scaled error: MAE / in-sample MAE of the seasonal naive method (lag m).
    Below 1 = better than last season's value, on average. NaN when the history is constant."""
    scale = _scale(insample, season_length, 1)
    mae = float(np.mean(np.abs(np.asarray(actual, float) - forecast)))
    return mae / scale if scale > 0 else (0.0 if mae == 0 else np.nan)


def rmsse(actual: np.ndarray, forecast: np.ndarray, insample: np.ndarray) -> float:
    """Root mean squared scaled error: sqrt(MSE / in-sample mean squared one-step change) (M5)."""
    scale = _scale(insample, 1, 2)
    mse = float(np.mean((np.asarray(actual, float) - forecast) ** 2))
    return float(np.sqrt(mse / scale)) if scale > 0 else (0.0 if mse == 0 else np.nan)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in percent (0-200): mean of 200 |y - f| / (|y| + |f|); a period where both are 0 counts 0."""
    y, f = np.asarray(actual, float), np.asarray(forecast, float)
    den = np.abs(y) + np.abs(f)
    terms = np.divide(200 * np.abs(y - f), den, out=np.zeros_like(den), where=den > 0)
    return float(terms.mean())


def bias(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean forecast minus actual (demand units per period): positive = over-forecasting."""
    return float(np.mean(np.asarray(forecast, float) - actual))


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside [lower, upper] (0-1), to compare with the nominal level."""
    y = np.asarray(actual, float)
    return float(np.mean((y >= lower) & (y <= upper)))


def pinball(actual: np.ndarray, quantile_forecast: np.ndarray, q: float) -> float:
    """Mean pinball loss of a q-quantile forecast: mean max(q (y - f), (q - 1)(y - f)) (demand units)."""
    if not 0 < q < 1:
        raise ValueError(f"quantile q must lie strictly between 0 and 1, got {q}")
    d = np.asarray(actual, float) - quantile_forecast
    return float(np.mean(np.maximum(q * d, (q - 1) * d)))


def scaled_pinball(actual: np.ndarray, lower: dict[int, np.ndarray], upper: dict[int, np.ndarray],
                   insample: np.ndarray) -> float:
    """Average pinball loss over the interval bounds (the (1-L)/2 and (1+L)/2 quantiles of each level),
    scaled by the in-sample mean absolute one-step change (M5 scaled pinball loss)."""
    losses = [pinball(actual, lower[lv], 0.5 - lv / 200) for lv in lower]
    losses += [pinball(actual, upper[lv], 0.5 + lv / 200) for lv in upper]
    scale = _scale(insample, 1, 1)
    value = float(np.mean(losses))
    return value / scale if scale > 0 else (0.0 if value == 0 else np.nan)
