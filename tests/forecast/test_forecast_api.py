"""The public forecast() call: automatic choice, intervals' coverage, data hygiene, fallbacks, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast import aggregate, forecast, prepare


def _local_level(rng: np.random.Generator, n: int, alpha: float = 0.3, sigma: float = 1.0) -> np.ndarray:
    """ETS(A,N,N) simulation: y_t = l_{t-1} + e_t, l_t = l_{t-1} + alpha e_t (Hyndman et al. 2008 eq. 2.3)."""
    e = rng.normal(0, sigma, n)
    level = 100.0
    y = np.empty(n)
    for t in range(n):
        y[t] = level + e[t]
        level += alpha * e[t]
    return y


def test_interval_coverage_matches_nominal_on_simulated_series() -> None:
    """On 150 simulated local-level series with known Gaussian noise, the SES 80 % and 95 % intervals
    (Hyndman et al. 2008 Table 6.1) cover the held-out values about 80 % and 95 % of the time."""
    rng = np.random.default_rng(42)
    inside = {80: [], 95: []}
    for _ in range(150):
        y = _local_level(rng, 66)
        res = forecast(y[:60], 6, season_length=1, method="ses", n_origins=1)
        for lv in inside:
            inside[lv].append(np.mean((y[60:] >= res.lower[lv].to_numpy()) & (y[60:] <= res.upper[lv].to_numpy())))
    assert np.mean(inside[80]) == pytest.approx(0.80, abs=0.05)
    assert np.mean(inside[95]) == pytest.approx(0.95, abs=0.03)


def test_auto_explains_its_choice_with_a_backtest_leaderboard() -> None:
    """method='auto' backtests the regular pool, ranks it by MASE, marks exactly one winner, reports the
    backtest coverage next to each model, and the reason names the outcome; weights sum to 1."""
    rng = np.random.default_rng(1)
    t = np.arange(72)
    y = pd.Series(200 + 2 * t + 30 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 5, 72),
                  index=pd.date_range("2020-01-01", periods=72, freq="MS"))
    res = forecast(y, 12)
    board = res.backtest
    assert set(board["model"]) == {"snaive", "ses", "holt", "damped", "theta", "combination"}
    assert board["chosen"].sum() == 1 and board.loc[board["chosen"], "model"].iloc[0] == res.model
    assert board["mase"].is_monotonic_increasing
    assert {"coverage80", "coverage95", "pinball", "rmsse", "smape", "bias"} <= set(board.columns)
    assert (("weighted by their backtest accuracy" in res.reason) if res.model == "combination"
            else ("won" in res.reason))
    assert sum(res.weights) == pytest.approx(1.0) and len(res.weights) == len(res.members)
    assert len(res.mean) == 12 and res.mean.index[0] == pd.Timestamp("2026-01-01")
    assert (res.lower[95] <= res.lower[80]).all() and (res.upper[80] <= res.upper[95]).all()
    assert {"snaive", "ses", "holt", "damped", "theta"} <= set(res.backtest_forecasts["model"])
    assert res.model in set(res.backtest_forecasts["model"])


def test_gaps_are_filled_with_zero_and_reported() -> None:
    """A dated daily series with three missing days gets them as 0 sold, and says so in the notes."""
    idx = pd.date_range("2024-01-01", periods=60, freq="D")
    y = pd.Series(np.arange(60.0) % 7 + 5, idx).drop(idx[[10, 11, 30]])
    res = forecast(y, 7, method="snaive")
    assert res.history.loc[idx[10]] == 0 and res.history.loc[idx[30]] == 0
    assert any("3 missing period(s) filled with 0" in n for n in res.notes)
    assert res.season_length == 7


def test_short_series_fall_back_with_a_visible_reason() -> None:
    """Seasonal naive on 5 monthly values (fewer than a season + 1) falls back to naive and says why;
    'auto' on 4 values has nothing to backtest and says so."""
    y = np.array([3.0, 5, 4, 6, 5])
    res = forecast(y, 3, season_length=12, method="snaive")
    assert res.members == ("naive",) and res.mean.tolist() == [5, 5, 5]
    assert any("Seasonal naive" in n and "Naive" in n for n in res.notes)
    short = forecast(y[:4], 3, season_length=1)
    assert "too short to backtest" in short.reason


def test_intermittent_demand_uses_intermittent_models() -> None:
    """A series with demand in about one period in four (ADI > 1.32, Syntetos-Boylan-Croston 2005)
    is forecast with Croston/SBA/TSB in the pool, and the forecast is a flat non-negative rate."""
    rng = np.random.default_rng(7)
    y = np.where(rng.random(120) < 0.25, rng.integers(1, 6, 120), 0).astype(float)
    res = forecast(y, 8, season_length=1)
    assert {"croston", "sba", "tsb"} <= set(res.backtest["model"])
    assert any("intermittent" in n for n in res.notes)
    assert (res.mean >= 0).all() and (res.lower[95] >= 0).all()


def test_promotion_regressor_lifts_promoted_periods() -> None:
    """With promotions adding 40 units in past weeks, passing the promotion flag as a regressor
    raises the forecast of a promoted future week by about 40 (residual adjustment, FPP3 §7.4)."""
    rng = np.random.default_rng(5)
    n = 104
    promo = (rng.random(n) < 0.15).astype(float)
    y = pd.Series(100 + rng.normal(0, 3, n) + 40 * promo, index=pd.date_range("2022-01-02", periods=n, freq="W-SUN"))
    fut = np.array([[1.0], [0.0], [0.0], [0.0]])
    res = forecast(y, 4, method="ses", x=promo[:, None], x_future=fut)
    assert res.mean.iloc[0] - res.mean.iloc[1] == pytest.approx(40, abs=4)


@pytest.mark.parametrize(("y", "kwargs", "message"), [
    (pd.Series([3.0, -1, 2, 4], index=pd.date_range("2024-01-01", periods=4)), {}, "negative demand"),
    (np.array([1.0, 2, 3]), {}, "pass season_length"),
    (np.array([1.0, np.nan, 3]), {"season_length": 1}, "missing value"),
    (np.array([1.0, 2, 3, 4]), {"season_length": 1, "method": "prophet"}, "unknown method"),
    (pd.Series([1.0, 2], index=pd.to_datetime(["2024-01-01", "2024-01-01"])), {"freq": "D"}, "repeat"),
    (np.ones(10), {"season_length": 1, "x": np.ones(5), "x_future": np.ones(3)}, "x has 5 row"),
    (np.ones(10), {"season_length": 1, "x": np.ones(10)}, "x_future"),
])
def test_bad_input_is_rejected_with_a_clear_message(y, kwargs, message) -> None:
    """Negative sales, undated arrays without a season length, missing values, unknown methods, duplicate
    dates and mismatched regressors raise ValueError saying what is wrong and how to fix it."""
    with pytest.raises(ValueError, match=message):
        forecast(y, 3, **kwargs)
    with pytest.raises(ValueError, match="horizon"):
        forecast(np.ones(10), 0, season_length=1)


def test_aggregation_keeps_totals_and_drops_partial_periods() -> None:
    """Daily sales summed to weeks (ending Sunday) and months keep every unit of the full periods and
    drop partly covered first/last periods; the prepared weekly series has season length 52."""
    idx = pd.date_range("2024-01-01", "2024-03-31", freq="D")  # Monday 1 Jan .. Sunday 31 Mar
    daily = pd.Series(1.0, idx)
    weekly, monthly = aggregate(daily, "weekly"), aggregate(daily, "monthly")
    assert weekly.sum() == 91 and (weekly == 7).all()
    assert monthly.tolist() == [31, 29, 31]
    assert aggregate(daily.iloc[3:], "monthly").index[0] == pd.Timestamp("2024-02-01")
    assert prepare(weekly).season_length == 52
