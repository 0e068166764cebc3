"""One year of daily sales is enough to backtest, whether it is forecast by day or added up into weeks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast import forecast
from opscore.forecast.backtest import MIN_TRAIN, default_min_train, plan_origins
from opscore.forecast.series import aggregate


def _year_of_daily_sales(seed: int = 3) -> pd.Series:
    """365 days of sales with a weekly pattern (busier Fridays and Saturdays) and noise."""
    days = pd.date_range("2025-11-02", periods=365, freq="D")
    rng = np.random.default_rng(seed)
    pattern = np.array([1.0, 0.9, 0.95, 1.0, 1.3, 1.5, 0.6])[days.dayofweek]
    return pd.Series(rng.poisson(20 * pattern).astype(float), days)


@pytest.mark.parametrize(("n", "m", "expected"), [
    (365, 7, 9),        # daily: a week of seasons plus two
    (200, 52, 104),     # two years of weeks and more: two full seasons
    (60, 52, 54),       # a season and a bit: one season plus two
    (52, 52, MIN_TRAIN),  # one year of weeks: no seasonal fit is possible, the non-seasonal minimum
    (12, 12, MIN_TRAIN),  # one year of months, likewise
])
def test_training_window_fits_the_history(n: int, m: int, expected: int) -> None:
    """The backtest keeps the seasonal training window when the history leaves a holdout after it, and
    falls back to the non-seasonal minimum (not to 'no backtest') when it does not."""
    assert default_min_train(n, m) == expected
    origins, h = plan_origins(n, 4, 4, None, expected)
    assert origins and h >= 1


def test_a_year_of_daily_sales_is_backtested_by_day() -> None:
    """365 daily values (52 weekly seasons) get a rolling-origin backtest with a leaderboard, seasonal models."""
    res = forecast(_year_of_daily_sales(), 28, freq="daily")
    assert res.season_length == 7 and res.short_history is None
    assert not res.backtest.empty and "snaive" in set(res.backtest["model"])
    assert "too short" not in res.reason
    assert res.backtest_forecasts["origin"].nunique() == 4


def test_a_year_of_daily_sales_is_backtested_by_week() -> None:
    """The same year added up into 52 weeks is too short for a 52-week season (said so), yet the
    non-seasonal models are still compared on held-out weeks rather than used blind."""
    weekly = aggregate(_year_of_daily_sales(), "weekly")
    assert len(weekly) == 52
    res = forecast(weekly, 12, freq="weekly")
    assert res.short_history is not None and res.short_history.needed == 53
    assert "too short" not in res.reason
    assert not res.backtest.empty and len(res.backtest_forecasts) > 0
    assert np.isfinite(res.backtest["mase"]).all()


def test_four_values_are_still_too_short_to_backtest() -> None:
    """Below the non-seasonal minimum nothing can be held out: the reason says so."""
    assert "too short to backtest" in forecast(np.array([3.0, 5, 4, 6]), 3, season_length=1).reason
