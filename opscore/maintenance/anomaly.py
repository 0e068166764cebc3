"""Sensor drift flags with an EWMA control chart on each asset's own baseline.

Each reading is standardised against the asset's trailing baseline over ``baseline_days`` ending
``lag_days`` earlier (so a slow drift is not absorbed into its own baseline), using the median and the
interquartile range / 1.349 so that an earlier breakdown inside the baseline does not inflate it. The
standardised values are smoothed by an exponentially weighted moving average and flagged when it rises above
the asymptotic upper control limit ``L sqrt(lambda / (2 - lambda))`` (Montgomery, *Introduction to Statistical
Quality Control*, 7th ed. 2013, Sec. 9.2, EWMA control chart with sigma = 1 after standardising). Only upward
drift is flagged: rising temperature and vibration are what precede a breakdown.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from opscore.maintenance.features import daily_readings, first_rows, lagged, trailing

DRIFT_SENSORS = {"temperature_c": "temperature", "vibration_mm_s": "vibration"}


def drift_flags(readings: pd.DataFrame, restarts: pd.DataFrame | None = None, smoothing: float = 0.2,
                limit_sigmas: float = 3.0, baseline_days: int = 60, lag_days: int = 21) -> pd.DataFrame:
    """Per asset and day: ``asset_id, date``, per sensor ``<name>_ewma`` and ``<name>_flag``, and ``drift``
    (any sensor flagged). ``restarts`` (``asset_id, date``, e.g. repairs after failures) restart the chart the
    day after, so a fixed fault stops being flagged. ``smoothing`` is lambda (0-1]; ``limit_sigmas`` is L;
    gap days carry no flag."""
    return drift_from_daily(daily_readings(readings), restarts, smoothing, limit_sigmas, baseline_days, lag_days)


def drift_from_daily(daily: pd.DataFrame, restarts: pd.DataFrame | None = None, smoothing: float = 0.2,
                     limit_sigmas: float = 3.0, baseline_days: int = 60, lag_days: int = 21) -> pd.DataFrame:
    """:func:`drift_flags` from readings already on their daily calendar (:func:`daily_readings`)."""
    if not 0 < smoothing <= 1:
        raise ValueError(f"smoothing (EWMA lambda) must be in (0, 1]; got {smoothing}.")
    if limit_sigmas <= 0:
        raise ValueError(f"limit_sigmas must be positive; got {limit_sigmas}.")
    limit = limit_sigmas * np.sqrt(smoothing / (2 - smoothing))
    first = first_rows(daily["asset_id"])
    restart = first == np.arange(len(daily))  # the chart starts at 0 on each asset's first day...
    if restarts is not None:  # ...and again on the day after each of its restarts
        segment = np.zeros(len(daily), dtype=int)
        ids, dates = daily["asset_id"].to_numpy(), daily["date"].to_numpy()
        for asset_id, mine in restarts.groupby("asset_id"):
            rows = ids == asset_id
            segment[rows] = np.searchsorted(np.sort(pd.to_datetime(mine["date"]).to_numpy()), dates[rows], side="left")
        restart[1:] |= segment[1:] != segment[:-1]
    x = daily[list(DRIFT_SENSORS)]
    base = trailing(lagged(x, first, lag_days), first, baseline_days, baseline_days // 2)
    spread = ((base.quantile(0.75) - base.quantile(0.25)) / 1.349).clip(lower=1e-6)
    e = (x - base.median()) / spread
    frame = daily[["asset_id", "date"]].copy()
    for col, name in DRIFT_SENSORS.items():
        frame[f"{name}_ewma"] = _ewma(e[col].to_numpy(), restart, smoothing)
        frame[f"{name}_flag"] = frame[f"{name}_ewma"].to_numpy() > limit
    frame["drift"] = frame[[f"{name}_flag" for name in DRIFT_SENSORS.values()]].any(axis=1)
    frame.attrs["limit"] = float(limit)
    return frame


def _ewma(values: np.ndarray, restart: np.ndarray, smoothing: float) -> np.ndarray:
    """``z_t = lambda x_t + (1 - lambda) z_(t-1)``, started at 0 (the in-control mean) where ``restart`` is True;
    a missing value keeps ``z`` unchanged and is reported as NaN."""
    out, z, keep = [math.nan] * len(values), 0.0, 1 - smoothing
    for i, (v, fresh) in enumerate(zip(values.tolist(), restart.tolist(), strict=True)):
        if fresh:
            z = 0.0
        if v == v:  # not NaN
            z = smoothing * v + keep * z
            out[i] = z
    return np.array(out)


def recent_drift(flags: pd.DataFrame, as_of: date, days: int = 7) -> pd.DataFrame:
    """Assets with a drift flag in the last ``days`` before ``as_of``: ``asset_id, drift_days, sensors``."""
    recent = flags[flags["date"] > pd.Timestamp(as_of) - pd.Timedelta(days=days)]
    rows = []
    for asset_id, part in recent[recent["drift"]].groupby("asset_id"):
        sensors = [name for name in DRIFT_SENSORS.values() if part[f"{name}_flag"].any()]
        rows.append((asset_id, int(part["drift"].sum()), ", ".join(sensors)))
    return pd.DataFrame(rows, columns=["asset_id", "drift_days", "sensors"])
