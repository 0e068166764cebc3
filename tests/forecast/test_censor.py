"""Censored (out-of-stock) days: the day matrix, demand estimates on them and weeks/months of them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from opscore.forecast.censor import CENSORED_SHARE, aggregate_censored, censored_matrix, impute

SALES = hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 60)),
                   elements=st.floats(0, 500, allow_nan=False, allow_infinity=False))


@st.composite
def censored_series(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    y = draw(SALES)
    flags = draw(hnp.arrays(np.bool_, y.shape))
    return y, flags, draw(st.integers(1, 14))


@settings(deadline=None, max_examples=200)
@given(censored_series())
def test_imputed_demand_is_never_below_the_sales_and_leaves_in_stock_days_alone(
        case: tuple[np.ndarray, np.ndarray, int]) -> None:
    """Sales are a lower bound on demand: every estimate is at least the sales of its day; uncensored values are
    returned exactly; the shape is kept and nothing is NaN."""
    y, flags, season = case
    out = impute(y, flags, season)
    assert out.shape == y.shape and np.isfinite(out).all()
    assert (out >= y).all()
    assert np.array_equal(out[~flags], y[~flags])
    assert np.array_equal(y, np.asarray(y))  # the input is not changed in place


@settings(deadline=None, max_examples=100)
@given(censored_series())
def test_several_series_are_imputed_as_each_one_alone(case: tuple[np.ndarray, np.ndarray, int]) -> None:
    """A 2-D input (series x time) gives row by row what each 1-D series gives."""
    y, flags, season = case
    together = impute(y, flags, season)
    for row in range(y.shape[0]):
        assert np.array_equal(together[row], impute(y[row], flags[row], season))


@settings(deadline=None, max_examples=100)
@given(SALES, st.integers(1, 14))
def test_a_series_censored_throughout_or_nowhere_keeps_its_values(y: np.ndarray, season: int) -> None:
    """Nothing to estimate from (every day censored) or nothing to estimate: the values come back as they were."""
    assert np.array_equal(impute(y, np.ones_like(y, dtype=bool), season), y)
    assert np.array_equal(impute(y, np.zeros_like(y, dtype=bool), season), y)


def test_a_stock_out_day_gets_the_demand_of_the_same_weekday() -> None:
    """Three weeks of a weekly pattern; in the third, Monday sold 0 and Wednesday 2 while out of stock: they get the
    mean of the earlier Mondays (10) and Wednesdays (30); with no season the mean of the last 4 in-stock days."""
    week = np.array([10.0, 20, 30, 40, 50, 5, 1])
    y = np.concatenate([week, week, week])
    y[14], y[16] = 0.0, 2.0
    flags = np.zeros(21, dtype=bool)
    flags[[14, 16]] = True
    out = impute(y, flags, 7)
    assert out[14] == 10.0 and out[16] == 30.0
    assert np.array_equal(np.delete(out, [14, 16]), np.delete(y, [14, 16]))
    flat = impute(y, flags, 1)
    assert flat[14] == np.mean([40, 50, 5, 1]) and flat[16] == np.mean([50, 5, 1, 20])


def test_a_series_that_starts_out_of_stock_looks_forward() -> None:
    """No in-stock Monday before the first one: the next Mondays tell (12 and 14); a sale above the estimate stays."""
    y = np.array([0.0, 3, 3, 3, 3, 3, 3, 12, 3, 3, 3, 3, 3, 3, 14])
    flags = np.zeros(15, dtype=bool)
    flags[0] = True
    assert impute(y, flags, 7)[0] == 13.0
    y[0] = 20.0
    assert impute(y, flags, 7)[0] == 20.0


def test_without_an_uncensored_value_at_the_same_position_the_recent_days_tell() -> None:
    """Every Monday sold out (0): a Monday gets the mean of the nearest max(4, 7) = 7 in-stock days before it (the
    first Monday, with none before, the 7 after it)."""
    y = np.arange(1.0, 22.0)
    flags = np.zeros(21, dtype=bool)
    flags[[0, 7, 14]] = True
    y[flags] = 0.0
    out = impute(y, flags, 7)
    assert out[0] == pytest.approx(np.mean([2, 3, 4, 5, 6, 7, 9]))
    assert out[7] == pytest.approx(np.mean([2, 3, 4, 5, 6, 7]))
    assert out[14] == pytest.approx(np.mean([7, 9, 10, 11, 12, 13, 14]))


@pytest.mark.parametrize(("y", "flags", "message"), [
    (np.zeros(3), np.zeros(4, dtype=bool), "one flag per value"),
    (np.array([1.0, np.nan]), np.zeros(2, dtype=bool), "missing or infinite"),
    (np.zeros((2, 2, 2)), np.zeros((2, 2, 2), dtype=bool), "2-D"),
])
def test_bad_input_is_refused_saying_why(y: np.ndarray, flags: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        impute(y, flags, 7)


def test_the_censored_matrix_marks_each_listed_day_of_each_sku() -> None:
    """Rows follow ``skus``, columns the daily index; other SKUs, days outside the index and times of day are
    handled (ignored, ignored, dropped)."""
    index = pd.date_range("2026-10-01", periods=5, freq="D")
    days = pd.DataFrame({"sku": ["B", "A", "A", "Z", "B"],
                         "date": [pd.Timestamp(d) for d in ("2026-10-02", "2026-10-05 13:00", "2026-09-30",
                                                            "2026-10-01", "2026-10-03")]})
    matrix = censored_matrix(days, ["A", "B", "C"], index)
    assert matrix.dtype == bool and matrix.shape == (3, 5)
    assert matrix.astype(int).tolist() == [[0, 0, 0, 0, 1], [0, 1, 1, 0, 0], [0, 0, 0, 0, 0]]
    assert censored_matrix(days.iloc[:0], ["A"], index).shape == (1, 5)
    with pytest.raises(ValueError, match="sku and date"):
        censored_matrix(days.rename(columns={"date": "day"}), ["A"], index)


def test_weeks_and_months_count_as_censored_when_over_half_their_days_were() -> None:
    """Thu 1 Jan 2026 to Sun 1 Mar: 4 of 7 days censored is a censored week, 3 of 7 is not. Every period the days
    reach into is there: the part-week Thu 1-Sun 4 Jan (4 days held) and 1 Mar (1 day of March)."""
    index = pd.date_range("2026-01-01", "2026-03-01", freq="D")
    flags = np.zeros((2, len(index)), dtype=bool)
    flags[0, index.get_indexer(pd.date_range("2026-01-05", "2026-01-08"))] = True  # Mon-Thu: 4 of 7
    flags[1, index.get_indexer(pd.date_range("2026-01-12", "2026-01-14"))] = True  # Mon-Wed: 3 of 7
    weeks = aggregate_censored(flags, index, "weekly")
    assert weeks.index[0] == pd.Timestamp("2026-01-04") and weeks.index[-1] == pd.Timestamp("2026-03-01")
    assert weeks.covered[0] == 4 and (weeks.covered[1:] == 7).all()
    assert weeks.censored.shape == weeks.share.shape == weeks.days.shape == (2, len(weeks.index))
    assert weeks.days[:, 1:3].tolist() == [[4, 0], [0, 3]]
    assert weeks.censored[:, 1:3].tolist() == [[True, False], [False, False]]
    assert weeks.share[1, 2] == pytest.approx(3 / 7) and CENSORED_SHARE == 0.5
    months = aggregate_censored(flags[0], index, "monthly")
    assert list(months.index) == [pd.Timestamp(f"2026-0{m}-01") for m in (1, 2, 3)]
    assert months.days.tolist() == [4, 0, 0] and months.covered.tolist() == [31, 28, 1]
    assert months.share[0] == pytest.approx(4 / 31) and not months.censored.any()
    daily = aggregate_censored(flags[0], index, "daily")
    assert np.array_equal(daily.censored, flags[0]) and len(daily.index) == len(index)


def test_a_period_the_days_reach_only_into_is_censored_by_its_full_length() -> None:
    """Days from Thu 18 Jan 2024 to Sun 21 Jan, all censored: that week is censored (4 of its 7 days); days from
    Fri 19 Jan, 3 of 7: not censored (days outside the index are not known to be out of stock)."""
    thu = pd.date_range("2024-01-18", "2024-01-21", freq="D")
    week = aggregate_censored(np.ones(4, dtype=bool), thu, "weekly")
    assert list(week.index) == [pd.Timestamp("2024-01-21")] and week.censored.tolist() == [True]
    assert week.covered.tolist() == [4] and week.share[0] == pytest.approx(4 / 7)
    assert not aggregate_censored(np.ones(3, dtype=bool), thu[1:], "weekly").censored.any()


def test_the_period_flags_need_consecutive_days() -> None:
    index = pd.DatetimeIndex(["2026-01-01", "2026-01-03"])
    with pytest.raises(ValueError, match="consecutive days"):
        aggregate_censored(np.zeros(2, dtype=bool), index, "weekly")
    with pytest.raises(ValueError, match="one flag per day"):
        aggregate_censored(np.zeros(3, dtype=bool), index, "weekly")
