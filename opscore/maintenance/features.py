"""Daily condition features from sensor readings over trailing windows, and failure labels.

Every feature on day ``d`` uses readings up to and including day ``d`` only (trailing windows), so a model
scored on day ``d`` never sees the future. Sensor levels differ by asset (a freezer runs at -20 C, a van
engine at 70 C), so levels are expressed as z-scores against the asset's own baseline: the mean and
standard deviation over the ``baseline_days`` that end where the recent window starts.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pandas.api.indexers import BaseIndexer
from pandas.api.typing import Rolling

SENSORS = ("temperature_c", "vibration_mm_s", "run_hours", "load_pct")
FEATURES = ("temp_z", "vib_z", "load_z", "temp_trend_z", "vib_trend_z", "run_hours_mean", "age_days")
"""Model inputs: recent level vs. baseline (z), trend over the window (z per window), usage, age (days)."""


def daily_readings(readings: pd.DataFrame) -> pd.DataFrame:
    """Readings on a complete daily calendar per asset (``asset_id, date`` + sensors); gap days hold NaN.

    Several readings on one day are averaged. Raises ``ValueError`` for missing columns or impossible values.
    """
    missing = [c for c in ("asset_id", "ts", *SENSORS) if c not in readings.columns]
    if missing:
        raise ValueError(f"sensor_readings is missing column(s) {missing}; it needs asset_id, ts and {list(SENSORS)}.")
    if readings.empty:
        raise ValueError("sensor_readings is empty: condition-based risk needs daily sensor readings.")
    frame = readings.assign(date=pd.to_datetime(readings["ts"]).dt.normalize())
    if (frame["vibration_mm_s"] < 0).any():
        raise ValueError("sensor_readings has negative vibration values; vibration (RMS mm/s) cannot be below 0.")
    daily = frame.groupby(["asset_id", "date"])[list(SENSORS)].mean()
    span = daily.reset_index().groupby("asset_id")["date"].agg(["min", "max"])
    n_days = (span["max"] - span["min"]).dt.days.to_numpy() + 1
    ids = np.repeat(span.index.to_numpy(), n_days)
    offsets = np.arange(n_days.sum()) - np.repeat(np.cumsum(n_days) - n_days, n_days)
    dates = np.repeat(span["min"].to_numpy(), n_days) + offsets.astype("timedelta64[D]")
    full = pd.MultiIndex.from_arrays([ids, dates], names=["asset_id", "date"])
    return daily.reindex(full).reset_index()[["asset_id", "date", *SENSORS]]


def sensor_gaps(readings: pd.DataFrame, min_days: int = 2) -> pd.DataFrame:
    """Stretches of at least ``min_days`` days without any reading: ``asset_id, first_missing, last_missing, days``."""
    daily = daily_readings(readings)
    empty = daily[list(SENSORS)].isna().all(axis=1)
    rows = []
    for asset_id, part in daily[empty].groupby("asset_id"):
        run = (part["date"].diff().dt.days != 1).cumsum()
        for _, stretch in part.groupby(run):
            if len(stretch) >= min_days:
                rows.append((asset_id, stretch["date"].iloc[0], stretch["date"].iloc[-1], len(stretch)))
    return pd.DataFrame(rows, columns=["asset_id", "first_missing", "last_missing", "days"])


class _TrailingInGroup(BaseIndexer):  # type: ignore[misc]  # pandas ships no type information: BaseIndexer is Any
    """Trailing windows of ``window_size`` rows that never reach back past ``first``, the first row of each row's
    group: the bounds a separate ``rolling`` per group would use, so the results are the same, in one pass."""

    def __init__(self, window_size: int, first: np.ndarray) -> None:
        super().__init__(window_size=window_size)
        self.first = first

    def get_window_bounds(self, num_values: int = 0, min_periods: int | None = None, center: bool | None = None,
                          closed: str | None = None, step: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        end = np.arange(1, num_values + 1, dtype=np.int64)
        return np.maximum(end - self.window_size, self.first), end


def first_rows(keys: pd.Series) -> np.ndarray:
    """Position of the first row of each row's group, a group being a run of equal consecutive ``keys``; refuses
    keys whose rows are not together (e.g. sorted by date), on which every window would be wrong."""
    values = keys.to_numpy()
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    if len(set(values[starts].tolist())) < int(starts.sum()):
        raise ValueError("the readings must be grouped by asset, each asset's days together and in date order, "
                         "as daily_readings returns them")
    return np.maximum.accumulate(np.where(starts, np.arange(len(values)), 0))


def trailing(frame: pd.DataFrame | pd.Series, first: np.ndarray, window: int, min_periods: int) -> Rolling:
    """``rolling(window, min_periods)`` within each group of contiguous rows (``first`` from :func:`first_rows`)."""
    return frame.rolling(_TrailingInGroup(window_size=window, first=first), min_periods=min_periods)


def lagged(frame: pd.DataFrame, first: np.ndarray, periods: int) -> pd.DataFrame:
    """``shift(periods)`` within each group of contiguous rows: a group's first ``periods`` rows get NaN."""
    out = frame.shift(periods)
    out[np.arange(len(frame)) - first < periods] = np.nan
    return out


def _trend(values: pd.Series, first: np.ndarray, window: int, min_periods: int) -> pd.Series:
    """Least-squares slope per day over the trailing window of each group: cov(day, x) / var(day)."""
    day = pd.Series(np.arange(len(values), dtype=float) - first, index=values.index).where(values.notna())
    return trailing(day, first, window, min_periods).cov(values) / trailing(day, first, window, min_periods).var()


def rolling_features(readings: pd.DataFrame, lifetimes: pd.DataFrame, window_days: int = 14,
                     baseline_days: int = 90, min_coverage: float = 0.6) -> pd.DataFrame:
    """Features per asset and day (``asset_id, date`` + :data:`FEATURES`).

    ``*_z``: window mean minus baseline mean, in baseline standard deviations; ``*_trend_z``: window slope times
    window length in baseline standard deviations; ``run_hours_mean``: hours per day over the window;
    ``age_days``: days since install or the last failure (from ``lifetimes``). Days whose window holds fewer
    than ``min_coverage`` of its readings (a sensor gap) get NaN features and are left out of training/scoring.
    """
    return features_from_daily(daily_readings(readings), lifetimes, window_days, baseline_days, min_coverage)


def features_from_daily(daily: pd.DataFrame, lifetimes: pd.DataFrame, window_days: int = 14,
                        baseline_days: int = 90, min_coverage: float = 0.6) -> pd.DataFrame:
    """:func:`rolling_features` from readings already on their daily calendar (:func:`daily_readings`)."""
    if window_days < 3 or baseline_days < window_days:
        raise ValueError("Use window_days >= 3 and baseline_days >= window_days; "
                         f"got {window_days} and {baseline_days}.")
    need = max(2, int(np.ceil(min_coverage * window_days)))
    need_base = max(3, int(np.ceil(min_coverage * baseline_days)))
    first = first_rows(daily["asset_id"])
    names = {"temperature_c": "temp", "vibration_mm_s": "vib", "load_pct": "load"}
    x = daily[list(names)]
    base = trailing(lagged(x, first, window_days), first, baseline_days, need_base)
    sd = base.std().clip(lower=1e-6)
    z = (trailing(x, first, window_days, need).mean() - base.mean()) / sd
    feats = daily[["asset_id", "date"]].assign(**{f"{name}_z": z[col] for col, name in names.items()})
    for col, name in (("temperature_c", "temp"), ("vibration_mm_s", "vib")):
        feats[f"{name}_trend_z"] = _trend(x[col], first, window_days, need) * window_days / sd[col]
    feats["run_hours_mean"] = trailing(daily["run_hours"], first, window_days, need).mean()
    return _with_age(feats, lifetimes)[["asset_id", "date", *FEATURES]]


def _with_age(frame: pd.DataFrame, lifetimes: pd.DataFrame) -> pd.DataFrame:
    """Attach the age on each day: days since the start of the lifetime that contains the day."""
    starts = lifetimes[["asset_id", "start"]].sort_values("start")
    order = np.argsort(frame["date"].to_numpy(), kind="stable")
    found = pd.merge_asof(frame[["asset_id", "date"]].iloc[order], starts, left_on="date", right_on="start",
                          by="asset_id", direction="backward")
    age = np.empty(len(frame))
    age[order] = (found["date"] - found["start"]).dt.days.to_numpy(float)
    return frame.assign(age_days=age)


def failure_labels(features: pd.DataFrame, events: pd.DataFrame, as_of: date, horizon_days: int = 30) -> pd.Series:
    """1 if the asset fails within ``(d, d + horizon_days]``, 0 if not, NaN if that window passes ``as_of``
    without a failure (the outcome is not known yet, so the row cannot be used for training or evaluation)."""
    if horizon_days < 1:
        raise ValueError(f"horizon_days must be at least 1; got {horizon_days}.")
    fails = events[events["kind"] == "failure"][["asset_id", "date"]].rename(columns={"date": "next_failure"})
    fails = fails.assign(next_failure=pd.to_datetime(fails["next_failure"])).sort_values("next_failure")
    probe = features[["asset_id", "date"]].assign(after=features["date"] + pd.Timedelta(days=1))
    probe = probe.reset_index().sort_values("after")
    nxt = pd.merge_asof(probe, fails, left_on="after", right_on="next_failure", by="asset_id", direction="forward")
    nxt = nxt.set_index("index").sort_index()
    within = (nxt["next_failure"] - nxt["date"]).dt.days <= horizon_days
    known = within | (nxt["date"] + pd.Timedelta(days=horizon_days) <= pd.Timestamp(as_of))
    return within.astype(float).where(known).rename("fails_within")
