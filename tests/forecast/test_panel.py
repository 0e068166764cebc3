"""Forecasts made elsewhere joining one series' automatic choice (``forecast(extra=...)``), out-of-stock periods in
fitting and scoring (``forecast(censored=...)``) and the panel forecast with the global model (forecast_panel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from panel_data import START, long_frame, weekly_demand

from opscore.forecast import metrics
from opscore.forecast.api import ForecastResult, Member, forecast
from opscore.forecast.backtest import default_min_train, plan_origins
from opscore.forecast.censor import impute
from opscore.forecast.global_model import GlobalSettings
from opscore.forecast.intervals import Prediction
from opscore.forecast.panel import forecast_panel
from opscore.forecast.registry import GLOBAL

HORIZON = 14
POOL = ("snaive", "ses", "theta")
SMALL = GlobalSettings(rows=4000, trees=25)


def daily(values: np.ndarray) -> pd.Series:
    """Daily sales from :data:`START`."""
    return pd.Series(values, pd.date_range(START, periods=len(values), freq="D"))


def backtest_plan(n: int) -> tuple[tuple[int, ...], int]:
    """The origins and horizon forecast() backtests a daily series of ``n`` days at :data:`HORIZON`."""
    return plan_origins(n, HORIZON, 4, None, default_min_train(n, 7))


def band(mean: np.ndarray) -> Prediction:
    """A forecast with bands around ``mean``."""
    return Prediction(mean, {80: 0.8 * mean, 95: 0.6 * mean}, {80: 1.2 * mean, 95: 1.4 * mean})


def by_origin(result: ForecastResult, model: str) -> dict[int, np.ndarray]:
    """A model's backtest forecasts by origin (periods used), from result.backtest_forecasts."""
    bt = result.backtest_forecasts
    index = result.history.index
    part = bt[bt["model"] == model]
    return {int(index.get_loc(origin)) + 1: rows["mean"].to_numpy() for origin, rows in part.groupby("origin")}


# -- extra members ---------------------------------------------------------------------------------------------------


def test_an_extra_member_covering_the_origins_joins_the_leaderboard_and_the_combination() -> None:
    """A member whose backtest covers every origin is scored like the own models (its MASE is the mean over origins
    of its errors against the actuals), weighted in the combination, and its forecast enters the combined forecast
    with its weight: raising its forecast by 63 raises the result by 63 x its weight."""
    y = weekly_demand(1, 120, seed=3)[0]
    origins, h = backtest_plan(len(y))
    bt = {o: band(1.1 * y[o:o + h] + 0.5) for o in origins}
    result = forecast(daily(y), HORIZON, extra={GLOBAL: Member(bt, band(np.full(HORIZON, 7.0)), "test member")},
                      regular_pool=POOL, margin=1.0)
    board = result.backtest.set_index("model")
    assert GLOBAL in board.index and set(POOL) <= set(board.index)
    expected = np.mean([metrics.mase(y[o:o + h], bt[o].mean, y[:o], 7) for o in origins])
    assert board.loc[GLOBAL, "mase"] == pytest.approx(expected, rel=1e-12)
    assert result.model == "combination" and GLOBAL in result.members
    weight = dict(zip(result.members, result.weights))[GLOBAL]
    assert weight == pytest.approx(board.loc[GLOBAL, "weight"]) and 0 < weight < 1
    assert sum(result.weights) == pytest.approx(1.0)
    higher = forecast(daily(y), HORIZON, extra={GLOBAL: Member(bt, band(np.full(HORIZON, 70.0)), "test member")},
                      regular_pool=POOL, margin=1.0)
    np.testing.assert_allclose(higher.mean.to_numpy() - result.mean.to_numpy(), 63 * weight, rtol=1e-9)
    assert not any("left out" in note for note in result.notes)


@pytest.mark.parametrize("mismatch", ["origins", "short backtest", "horizon"])
def test_an_extra_member_not_covering_the_backtest_is_left_out_with_a_note(mismatch: str) -> None:
    """A member keyed by other origins, with backtest forecasts shorter than the backtest horizon, or a forecast of
    another length than the horizon is left out: not on the leaderboard nor among the members, and a note says so;
    the forecast is then the one made without it."""
    y = weekly_demand(1, 120, seed=3)[0]
    origins, h = backtest_plan(len(y))
    bt = {o + (1 if mismatch == "origins" else 0): band(y[o:o + (h - 1 if mismatch == "short backtest" else h)])
          for o in origins}
    ahead = band(np.full(HORIZON + (1 if mismatch == "horizon" else 0), 7.0))
    result = forecast(daily(y), HORIZON, extra={GLOBAL: Member(bt, ahead, "test member")}, regular_pool=POOL)
    assert GLOBAL not in set(result.backtest["model"]) and GLOBAL not in result.members
    assert any("was left out" in note and "backtest" in note for note in result.notes)
    alone = forecast(daily(y), HORIZON, regular_pool=POOL)
    assert np.array_equal(result.mean.to_numpy(), alone.mean.to_numpy())


def test_an_extra_member_may_have_any_name() -> None:
    """forecast(extra={name: Member}) accepts a member under a name of the caller's choosing."""
    y = weekly_demand(1, 120, seed=3)[0]
    origins, h = backtest_plan(len(y))
    member = Member({o: band(y[o:o + h] + 1.0) for o in origins}, band(np.full(HORIZON, 7.0)), "from the ERP")
    result = forecast(daily(y), HORIZON, extra={"erp": member}, regular_pool=POOL)
    assert "erp" in set(result.backtest["model"])


# -- censored periods ------------------------------------------------------------------------------------------------


def stocked_out() -> tuple[np.ndarray, np.ndarray]:
    """120 days of demand around 10 a day with a weekly pattern and the days out of stock: a run of five in the
    history and single days in every backtest window."""
    y = weekly_demand(1, 120, seed=11)[0] + 10.0
    flags = np.zeros(len(y), bool)
    flags[40:45] = True
    origins, h = backtest_plan(len(y))
    flags[[min(origins) + 1, min(origins) + 5, max(origins) + 3, max(origins) + h - 1]] = True
    return y, flags


def test_censored_periods_are_left_out_of_scoring_and_their_sales_do_not_matter() -> None:
    """The same demand sold as 0 or as 1 on the out-of-stock days (below any estimate) gives the same forecast and
    leaderboard once those days are flagged; each model's MASE is the mean over origins of the MASE on the
    in-stock days only (history: the imputed demand); unflagged, the zeros inflate every model's error; a note
    counts the out-of-stock periods."""
    y, flags = stocked_out()
    zeros, ones = np.where(flags, 0.0, y), np.where(flags, 1.0, y)
    a = forecast(daily(zeros), HORIZON, regular_pool=POOL, censored=flags)
    b = forecast(daily(ones), HORIZON, regular_pool=POOL, censored=daily(flags))
    assert np.array_equal(a.mean.to_numpy(), b.mean.to_numpy())
    pd.testing.assert_frame_equal(a.backtest, b.backtest)
    assert a.censored is not None and int(a.censored.sum()) == int(flags.sum())
    assert any(f"{int(flags.sum())} out-of-stock period(s)" in note for note in a.notes)
    demand = impute(zeros, flags, 7)
    h = len(next(iter(by_origin(a, "snaive").values())))
    for model in POOL:
        preds = by_origin(a, model)
        expected = np.mean([metrics.mase(demand[o:o + h][~flags[o:o + h]], f[~flags[o:o + h]], demand[:o], 7)
                            for o, f in preds.items()])
        assert a.backtest.set_index("model").loc[model, "mase"] == pytest.approx(expected, rel=1e-12)
    blind = forecast(daily(zeros), HORIZON, regular_pool=POOL).backtest.set_index("model")["mase"]
    seen = a.backtest.set_index("model")["mase"]
    assert all(blind[m] > seen[m] for m in POOL)


def test_a_flat_series_with_zeros_on_censored_days_scores_near_perfectly() -> None:
    """Demand of exactly 10 a day (after a few varied weeks, so the MASE scale is not 0) with sales of 0 on the
    out-of-stock days in the backtest: flagged, seasonal naive's backtest MASE is 0; unflagged, it is well above 0."""
    y = np.full(120, 10.0)
    y[:21] = np.tile([6.0, 8, 9, 10, 13, 16, 8], 3)
    origins, h = backtest_plan(len(y))
    flags = np.zeros(len(y), bool)
    flags[[max(origins) + 2, max(origins) + 9, min(origins) + 4]] = True
    sales = np.where(flags, 0.0, y)
    flagged = forecast(daily(sales), HORIZON, method="snaive", censored=flags)
    assert flagged.backtest.set_index("model").loc["snaive", "mase"] == pytest.approx(0.0, abs=1e-9)
    blind = forecast(daily(sales), HORIZON, method="snaive")
    assert blind.backtest.set_index("model").loc["snaive", "mase"] > 0.1


def test_censored_flags_of_the_wrong_length_are_refused() -> None:
    """An array of out-of-stock flags with one flag too few raises a ValueError saying how many are needed."""
    y, flags = stocked_out()
    with pytest.raises(ValueError, match=rf"censored has {len(y) - 1} flag\(s\) but the series has {len(y)} periods"):
        forecast(daily(y), HORIZON, regular_pool=POOL, censored=flags[:-1])


# -- forecast_panel --------------------------------------------------------------------------------------------------


def synthetic_frame() -> tuple[pd.DataFrame, np.ndarray]:
    """Ten daily series over 150 days; S09 starts on day 60 (no rows before)."""
    y = weekly_demand(10, 150, seed=4)
    frame = long_frame(y)
    late = (frame["unique_id"] == "S09") & (frame["ds"] < START + pd.Timedelta(days=60))
    return frame[~late].reset_index(drop=True), y


def test_forecast_panel_gives_one_row_per_series_and_period_and_weights_the_global_model() -> None:
    """Ten daily series (one starting late): values hold one row per series and forecast day (the 14 days after
    the last date), with the documented columns and lo95 <= lo80 <= hi80 <= hi95; the summary has one row per
    series, global weights within 0-1 with some above 0, no series left without the global member (also the late
    one), and no censored periods; the backtest and importance are filled."""
    frame, _ = synthetic_frame()
    result = forecast_panel(frame, HORIZON, "daily", settings=SMALL, n_jobs=1)
    values = result.values
    assert list(values.columns) == ["unique_id", "ds", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
    ids = sorted(frame["unique_id"].unique())
    ahead = pd.date_range(START + pd.Timedelta(days=150), periods=HORIZON, freq="D")
    assert len(values) == len(ids) * HORIZON and not values.duplicated(["unique_id", "ds"]).any()
    for uid, part in values.groupby("unique_id"):
        assert pd.DatetimeIndex(part["ds"]).equals(ahead), uid
    assert np.isfinite(values[["mean", "lo80", "hi80", "lo95", "hi95"]].to_numpy()).all()
    assert ((values["lo95"] <= values["lo80"]) & (values["lo80"] <= values["hi80"])
            & (values["hi80"] <= values["hi95"])).all()
    summary = result.summary
    assert sorted(summary["unique_id"]) == ids
    assert {"unique_id", "model", "global_weight", "mase", "rmsse", "smape", "coverage80", "coverage95", "censored",
            "reason", "notes"} <= set(summary.columns)
    assert summary["global_weight"].between(0, 1).all() and (summary["global_weight"] > 0).any()
    assert not summary["notes"].str.contains("left out").any()
    assert (summary["censored"] == 0).all()
    assert set(result.backtest["unique_id"]) == set(ids)
    assert result.importance is not None and result.importance.sum() == pytest.approx(1.0)
    assert set(result.seconds) == {"global", "series"}


def test_forecast_panel_counts_censored_periods_per_series() -> None:
    """Out-of-stock days are counted per series in the summary: 5 and 2 on two series; a day before the late series'
    start, a day of an unknown series and a day after the history count nowhere; the others show 0; S01's notes
    mention its out-of-stock periods."""
    frame, _ = synthetic_frame()

    def days(first: str, n: int) -> list[pd.Timestamp]:
        return list(pd.date_range(first, periods=n, freq="D"))

    censored = pd.DataFrame({
        "unique_id": ["S01"] * 5 + ["S02"] * 2 + ["S09", "S99", "S03"],
        "ds": days("2023-03-01", 5) + days("2023-04-01", 2)
        + [START + pd.Timedelta(days=10), START + pd.Timedelta(days=20), START + pd.Timedelta(days=400)]})
    result = forecast_panel(frame, HORIZON, "daily", settings=SMALL, n_jobs=1, censored=censored)
    counts = result.summary.set_index("unique_id")["censored"]
    assert counts["S01"] == 5 and counts["S02"] == 2
    assert (counts.drop(["S01", "S02"]) == 0).all()
    assert result.summary.set_index("unique_id").loc["S01", "notes"].count("out-of-stock") >= 1


def test_forecast_panel_handles_weekly_series() -> None:
    """Four weekly series (weeks ending on Sunday): one value row per series and forecast week."""
    y = 7 * weekly_demand(4, 80, seed=4)
    frame = long_frame(y, freq="W-SUN", first=pd.Timestamp("2023-01-08"))
    result = forecast_panel(frame, 4, "weekly", settings=GlobalSettings(rows=2000, trees=10), n_jobs=1)
    assert len(result.values) == 4 * 4
