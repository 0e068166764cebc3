"""Sensor drift flags with an EWMA control chart on each asset's own baseline.

Each reading is standardised against the asset's trailing baseline (mean and standard deviation over
``baseline_days`` ending ``lag_days`` earlier, so a slow drift is not absorbed into its own baseline). The
standardised values are smoothed by an exponentially weighted moving average and flagged when it leaves the
asymptotic control limits ``+-L sqrt(lambda / (2 - lambda))`` (Montgomery, *Introduction to Statistical
Quality Control*, 7th ed. 2013, Sec. 9.2, EWMA control chart with sigma = 1 after standardising).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from opscore.maintenance.features import daily_readings

DRIFT_SENSORS = {"temperature_c": "temperature", "vibration_mm_s": "vibration"}


def drift_flags(readings: pd.DataFrame, smoothing: float = 0.2, limit_sigmas: float = 3.0,
                baseline_days: int = 60, lag_days: int = 21) -> pd.DataFrame:
    """Per asset and day: ``asset_id, date``, per sensor ``<name>_ewma`` and ``<name>_flag``, and ``drift``
    (any sensor flagged). ``smoothing`` is lambda (0-1]; ``limit_sigmas`` is L; gap days carry no flag."""
    if not 0 < smoothing <= 1:
        raise ValueError(f"smoothing (EWMA lambda) must be in (0, 1]; got {smoothing}.")
    if limit_sigmas <= 0:
        raise ValueError(f"limit_sigmas must be positive; got {limit_sigmas}.")
    limit = limit_sigmas * np.sqrt(smoothing / (2 - smoothing))
    daily = daily_readings(readings)
    parts = []
    for asset_id, part in daily.groupby("asset_id", sort=False):
        out = {"asset_id": asset_id, "date": part["date"].to_numpy()}
        any_flag = np.zeros(len(part), dtype=bool)
        for col, name in DRIFT_SENSORS.items():
            x = part[col].reset_index(drop=True)
            base = x.shift(lag_days).rolling(baseline_days, min_periods=baseline_days // 2)
            e = (x - base.mean()) / base.std().clip(lower=1e-6)
            ewma = e.ewm(alpha=smoothing, adjust=False, ignore_na=True).mean().where(x.notna())
            flag = (ewma.abs() > limit).to_numpy()
            out[f"{name}_ewma"] = ewma.to_numpy()
            out[f"{name}_flag"] = flag
            any_flag |= flag
        out["drift"] = any_flag
        parts.append(pd.DataFrame(out))
    frame = pd.concat(parts, ignore_index=True)
    frame.attrs["limit"] = float(limit)
    return frame


def recent_drift(flags: pd.DataFrame, as_of: date, days: int = 7) -> pd.DataFrame:
    """Assets with a drift flag in the last ``days`` before ``as_of``: ``asset_id, drift_days, sensors``."""
    recent = flags[flags["date"] > pd.Timestamp(as_of) - pd.Timedelta(days=days)]
    rows = []
    for asset_id, part in recent.groupby("asset_id"):
        sensors = [name for name in DRIFT_SENSORS.values() if part[f"{name}_flag"].any()]
        rows.append((asset_id, int(part["drift"].sum()), ", ".join(sensors)))
    return pd.DataFrame(rows, columns=["asset_id", "drift_days", "sensors"])
