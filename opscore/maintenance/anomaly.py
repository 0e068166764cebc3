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

from datetime import date

import numpy as np
import pandas as pd

from opscore.maintenance.features import daily_readings

DRIFT_SENSORS = {"temperature_c": "temperature", "vibration_mm_s": "vibration"}


def drift_flags(readings: pd.DataFrame, restarts: pd.DataFrame | None = None, smoothing: float = 0.2,
                limit_sigmas: float = 3.0, baseline_days: int = 60, lag_days: int = 21) -> pd.DataFrame:
    """Per asset and day: ``asset_id, date``, per sensor ``<name>_ewma`` and ``<name>_flag``, and ``drift``
    (any sensor flagged). ``restarts`` (``asset_id, date``, e.g. repairs after failures) restart the chart the
    day after, so a fixed fault stops being flagged. ``smoothing`` is lambda (0-1]; ``limit_sigmas`` is L;
    gap days carry no flag."""
    if not 0 < smoothing <= 1:
        raise ValueError(f"smoothing (EWMA lambda) must be in (0, 1]; got {smoothing}.")
    if limit_sigmas <= 0:
        raise ValueError(f"limit_sigmas must be positive; got {limit_sigmas}.")
    limit = limit_sigmas * np.sqrt(smoothing / (2 - smoothing))
    daily = daily_readings(readings)
    parts = []
    for asset_id, part in daily.groupby("asset_id", sort=False):
        out = {"asset_id": asset_id, "date": part["date"].to_numpy()}
        segment = np.zeros(len(part), dtype=int)
        if restarts is not None:
            mine = np.sort(pd.to_datetime(restarts.loc[restarts["asset_id"] == asset_id, "date"]).to_numpy())
            segment = np.searchsorted(mine, part["date"].to_numpy(), side="left")
        any_flag = np.zeros(len(part), dtype=bool)
        for col, name in DRIFT_SENSORS.items():
            x = part[col].reset_index(drop=True)
            base = x.shift(lag_days).rolling(baseline_days, min_periods=baseline_days // 2)
            spread = ((base.quantile(0.75) - base.quantile(0.25)) / 1.349).clip(lower=1e-6)
            e = (x - base.median()) / spread
            ewma = _ewma(e.to_numpy(), segment, smoothing)
            flag = ewma > limit
            out[f"{name}_ewma"] = ewma
            out[f"{name}_flag"] = flag
            any_flag |= flag
        out["drift"] = any_flag
        parts.append(pd.DataFrame(out))
    frame = pd.concat(parts, ignore_index=True)
    frame.attrs["limit"] = float(limit)
    return frame


def _ewma(values: np.ndarray, segment: np.ndarray, smoothing: float) -> np.ndarray:
    """``z_t = lambda x_t + (1 - lambda) z_(t-1)``, started at 0 (the in-control mean) in each segment;
    a missing value keeps ``z`` unchanged and is reported as NaN."""
    out = np.full(len(values), np.nan)
    z, current = 0.0, None
    for i, (v, seg) in enumerate(zip(values, segment, strict=True)):
        if seg != current:
            z, current = 0.0, seg
        if not np.isnan(v):
            z = smoothing * v + (1 - smoothing) * z
            out[i] = z
    return out


def recent_drift(flags: pd.DataFrame, as_of: date, days: int = 7) -> pd.DataFrame:
    """Assets with a drift flag in the last ``days`` before ``as_of``: ``asset_id, drift_days, sensors``."""
    recent = flags[flags["date"] > pd.Timestamp(as_of) - pd.Timedelta(days=days)]
    rows = []
    for asset_id, part in recent[recent["drift"]].groupby("asset_id"):
        sensors = [name for name in DRIFT_SENSORS.values() if part[f"{name}_flag"].any()]
        rows.append((asset_id, int(part["drift"].sum()), ", ".join(sensors)))
    return pd.DataFrame(rows, columns=["asset_id", "drift_days", "sensors"])
