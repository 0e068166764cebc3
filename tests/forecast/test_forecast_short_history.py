"""Histories shorter than a season: a flagged non-seasonal forecast, or a plain ValueError, never an IndexError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast import ShortHistory, forecast
from opscore.forecast.demand import demand_series
from opscore.forecast.selection import label


def _days(n: int) -> pd.DataFrame:
    """``n`` days of sales in the shape of ``daily_sales``: 10-14 units a day, no promotions, from a Monday."""
    idx = pd.date_range("2026-10-26", periods=n, freq="D")
    return pd.DataFrame({"quantity": 10.0 + np.arange(n) % 5, "promotion": 0.0}, index=idx)


@pytest.mark.parametrize("method", ["auto", "snaive", "ets"])
def test_five_days_get_a_flagged_non_seasonal_forecast(method: str) -> None:
    """Five daily values (weekly season of 7; seasonal models need 8) are forecast by a non-seasonal model,
    with the shortfall as typed fields and a reason naming the model actually used."""
    y, _ = demand_series(_days(5), "daily")
    res = forecast(y, 7, method=method, freq="daily", name="NEW-001")
    assert res.short_history == ShortHistory(periods=5, needed=8)
    assert res.model in {"naive", "ses", "theta", "sba", "croston", "tsb"} and res.season_length == 7
    assert np.isfinite(res.mean).all() and len(res.mean) == 7
    assert label(res.model) in res.reason


def test_a_full_season_plus_one_is_not_flagged() -> None:
    """Eight daily values are enough for seasonal naive: no short-history flag."""
    y, _ = demand_series(_days(8), "daily")
    assert forecast(y, 7, freq="daily").short_history is None


@pytest.mark.parametrize(("days", "freq", "full"), [(5, "weekly", 0), (10, "weekly", 1), (20, "monthly", 0)])
def test_too_few_full_periods_is_a_plain_value_error(days: int, freq: str, full: int) -> None:
    """Fewer than two full weeks or months of sales: a ValueError saying how many days and full periods there
    are (it was an IndexError from an empty series)."""
    word = {"weekly": "week", "monthly": "month"}[freq]
    with pytest.raises(ValueError, match=rf"{days} day\(s\) of sales make {full} full {word}\(s\); a forecast needs "
                                         rf"at least 2 full {word}s"):
        demand_series(_days(days), freq)


def test_an_empty_or_one_period_series_is_a_plain_value_error() -> None:
    """forecast() refuses an empty dated series and a single period with a ValueError (not an IndexError)."""
    with pytest.raises(ValueError, match="NEW-001: the series is empty"):
        forecast(pd.Series([], index=pd.DatetimeIndex([]), dtype=float), 4, freq="weekly", name="NEW-001")
    with pytest.raises(ValueError, match=r"NEW-001: 1 period\(s\) of history; a forecast needs at least 2"):
        forecast(pd.Series([3.0], index=pd.DatetimeIndex(["2026-11-01"])), 4, freq="weekly", name="NEW-001")
