"""Data hygiene for demand series: explicit gap filling, negative checks, frequency and season length.

A missing period in a sales history means nothing was sold, so gaps are filled with 0
explicitly (and counted, so callers can show it). Negative demand is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FREQ_ALIASES: dict[str, str] = {"D": "D", "day": "D", "daily": "D", "W": "W-SUN", "week": "W-SUN",
                                "weekly": "W-SUN", "W-SUN": "W-SUN", "M": "MS", "MS": "MS", "month": "MS",
                                "monthly": "MS"}
"""Plain names accepted for a frequency, mapped to the pandas offset used (weeks end on Sunday,
months are labelled by their first day)."""

SEASON_LENGTHS: dict[str, int] = {"D": 7, "W-SUN": 52, "MS": 12, "QS-JAN": 4, "YS-JAN": 1}
"""Default season length (periods per cycle) per frequency: a week of days, a year of weeks or months."""

FREQ_LABELS: dict[str, str] = {"D": "day", "W-SUN": "week", "MS": "month"}

MIN_PERIODS = 2
"""Fewest periods any forecast needs (the simplest model, naive, measures one period-to-period change)."""


@dataclass(frozen=True)
class PreparedSeries:
    """A clean, regular, non-negative series ready for the models."""

    values: np.ndarray
    """Observations in time order (units of demand per period)."""
    index: pd.DatetimeIndex | None
    """Period labels, or None when the caller passed a plain array."""
    freq: str | None
    """pandas offset alias of the periods (e.g. 'MS'), None for a plain array."""
    season_length: int
    """Periods per seasonal cycle (1 = no seasonality)."""
    filled_gaps: int
    """Number of missing periods filled with 0."""


def normalise_freq(freq: str) -> str:
    """The pandas offset alias for a plain frequency name ('daily', 'W', 'monthly', ...)."""
    try:
        return FREQ_ALIASES[freq]
    except KeyError:
        raise ValueError(f"unknown frequency {freq!r}; use one of 'daily', 'weekly' or 'monthly' "
                         f"(or 'D', 'W', 'MS')") from None


def infer_freq(index: pd.DatetimeIndex) -> str:
    """Infer the frequency of a date index from the median spacing of its dates."""
    if len(index) < 3:
        raise ValueError(f"cannot infer the frequency from {len(index)} dates; pass freq='daily', 'weekly' or "
                         "'monthly'")
    step = pd.Series(index).diff().dt.days.median()
    if step <= 1.5:
        return "D"
    if 6 <= step <= 8:
        return "W-SUN"
    if 27 <= step <= 32:
        return "MS"
    raise ValueError(f"dates are about {step:.0f} days apart, which is not daily, weekly or monthly; "
                     "aggregate the data first with opscore.forecast.aggregate()")


def aggregate(y: pd.Series, freq: str) -> pd.Series:
    """Sum a demand series (DatetimeIndex) into daily, weekly (weeks ending Sunday) or monthly totals.

    Days missing inside the range count as 0 sold. A first or last week/month only partly covered by
    the data is dropped, so every period is a full total.
    """
    if not isinstance(y.index, pd.DatetimeIndex):
        raise ValueError("aggregate needs a Series with a DatetimeIndex (dates as the index)")
    if y.empty:
        raise ValueError("aggregate got an empty series")
    daily = y.groupby(y.index.normalize()).sum().asfreq("D", fill_value=0)
    out = aggregate_days(daily.to_frame(), freq).iloc[:, 0]
    out.name = y.name
    return out


def aggregate_days(daily: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Sum consecutive days (rows; one column per series) into ``freq`` periods at once, keeping full periods only,
    as :func:`aggregate` does for one series."""
    alias = normalise_freq(freq)
    out = daily.resample(alias).sum()
    if alias != "D":
        covered = daily.iloc[:, :1].resample(alias).size()
        full = covered.index.days_in_month if alias == "MS" else np.full(len(covered), 7)
        out = out[covered.to_numpy() == np.asarray(full)]
    return out


def prepare(y: pd.Series | np.ndarray | list[float], season_length: int | None = None,
            freq: str | None = None, name: str = "series") -> PreparedSeries:
    """Check and regularise a series: dates sorted, gaps filled with 0, no negatives, no missing values.

    ``y`` is a pandas Series with a DatetimeIndex, or a plain array when ``season_length`` is given.
    ``name`` appears in error messages (e.g. the SKU).
    """
    if isinstance(y, pd.Series) and isinstance(y.index, pd.DatetimeIndex):
        if y.empty:
            raise ValueError(f"{name}: the series is empty; a forecast needs at least {MIN_PERIODS} periods")
        s = y.sort_index()
        if s.index.has_duplicates:
            raise ValueError(f"{name}: the dates repeat (e.g. {s.index[s.index.duplicated()][0]:%Y-%m-%d}); "
                             "sum the values per date first")
        alias = normalise_freq(freq) if freq else infer_freq(s.index)
        if alias == "MS":
            s.index = s.index.to_period("M").to_timestamp()
        else:
            s.index = s.index.normalize()
        if s.index.has_duplicates:
            raise ValueError(f"{name}: several dates fall in the same {FREQ_LABELS.get(alias, alias)}; "
                             "aggregate first with opscore.forecast.aggregate(y, freq)")
        full = pd.date_range(s.index[0], s.index[-1], freq=_step(alias))
        if not s.index.isin(full).all():
            raise ValueError(f"{name}: the dates are not evenly spaced {FREQ_LABELS.get(alias, alias)}s; "
                             "aggregate first with opscore.forecast.aggregate(y, freq)")
        filled = s.reindex(full)
        gaps = int(filled.isna().sum())
        values = filled.fillna(0.0).to_numpy(dtype=float)
        index: pd.DatetimeIndex | None = full
        m = season_length if season_length is not None else SEASON_LENGTHS.get(alias, 1)
    elif isinstance(y, pd.Series | np.ndarray | list | tuple):
        if season_length is None:
            raise ValueError(f"{name}: a plain array has no dates, so pass season_length (e.g. 12 for "
                             "monthly data, 7 for daily, 1 for none) or give a Series with a DatetimeIndex")
        values = np.asarray(y, dtype=float).ravel()
        if np.isnan(values).any():
            raise ValueError(f"{name}: {int(np.isnan(values).sum())} missing value(s) in the array; fill them "
                             "(0 if nothing was sold) or pass a dated Series so gaps are filled for you")
        index, alias, gaps, m = None, None, 0, season_length
    else:
        raise ValueError(f"{name}: expected a pandas Series with dates or an array, got {type(y).__name__}")
    if len(values) < MIN_PERIODS:
        raise ValueError(f"{name}: {len(values)} period(s) of history; a forecast needs at least {MIN_PERIODS}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name}: the series holds infinite values; check the data")
    if (values < 0).any():
        where = int(np.argmax(values < 0))
        when = f"{index[where]:%Y-%m-%d}" if index is not None else f"position {where}"
        raise ValueError(f"{name}: negative demand ({values[where]:g}) at {when}; sales cannot be negative. "
                         "Record returns separately and correct the sales data")
    if m is None or int(m) < 1:
        raise ValueError(f"{name}: season_length must be a whole number >= 1, got {m!r}")
    return PreparedSeries(values, index, alias, int(m), gaps)


def future_index(index: pd.DatetimeIndex | None, freq: str | None, horizon: int, n: int) -> pd.Index:
    """Labels of the next ``horizon`` periods after a dated index, or positions n..n+h-1."""
    if index is None or freq is None:
        return pd.RangeIndex(n, n + horizon)
    return pd.date_range(index[-1], periods=horizon + 1, freq=_step(freq))[1:]


def _step(alias: str) -> str | pd.Timedelta:
    """The spacing of periods: weeks are 7 days from whatever weekday the data uses."""
    return pd.Timedelta(days=7) if alias == "W-SUN" else alias
