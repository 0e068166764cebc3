"""The Forecast explorer's steps in opscore.forecast: settings, the forecast of one selection, the what-if applied to
it, the downloaded table and saved results, and the stored runs' accuracy and replays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast import forecast_one
from opscore.forecast.demand import demand_series, future_regressors, sales_long
from opscore.forecast.explore import (
    LEADERBOARD_COLUMNS,
    LEADERBOARD_FORMATS,
    ForecastSettings,
    adjust_forecast,
    chart_marks,
    forecast_daily,
    forecast_kpis,
    forecast_table,
    leaderboard,
    period_word,
    short_history_note,
)
from opscore.forecast.runs import (
    REPLAY_WEEKS,
    RunAccuracy,
    accuracy_by_run,
    list_runs,
    overall_by_run,
    replay_cutoffs,
    replay_recent,
    run_plan,
    run_values,
    save_run,
    stored_accuracy,
    worsening,
)
from opscore.forecast.whatif import WhatIf
from opscore.store import Store


def _daily(n: int = 140, promo_every: int = 10) -> pd.DataFrame:
    """Daily sales with a weekly pattern and a promotion every ``promo_every`` days."""
    days = pd.date_range("2026-01-05", periods=n, freq="D")
    quantity = 20 + 5 * np.sin(2 * np.pi * np.arange(n) / 7) + (np.arange(n) % promo_every == 0) * 10
    return pd.DataFrame({"quantity": np.round(quantity), "promotion": (np.arange(n) % promo_every == 0) * 1.0},
                        index=days)


@pytest.mark.parametrize("bad, says", [
    ({"level": "region"}, "level must be one of"), ({"level": "total", "item": "DAI-001"}, "takes no item"),
    ({"freq": "hourly"}, "freq must be one of"), ({"horizon": 0}, "from 1 to 104"), ({"horizon": 105}, "from 1 to 104"),
    ({"horizon": 2.5}, "whole number"), ({"horizon": True}, "whole number"), ({"method": "prophet"}, "method must be"),
])
def test_settings_refuse_what_the_explorer_cannot_forecast(bad: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        ForecastSettings(**bad)  # type: ignore[arg-type]


def test_settings_name_the_selection() -> None:
    assert ForecastSettings().name == "All products"
    assert ForecastSettings("sku", "DAI-001", "daily", 28, "snaive", True).name == "DAI-001"
    assert period_word("weekly") == "week" and period_word("daily") == "day" and period_word("monthly") == "month"


@pytest.mark.parametrize("drivers", [False, True])
def test_forecast_daily_is_the_forecast_of_the_series_it_adds_up(drivers: bool) -> None:
    """The same numbers as forecasting the weekly series (and its regressors) by hand."""
    daily, settings = _daily(), ForecastSettings("sku", "X", "weekly", 6, "snaive", drivers)
    y, x = demand_series(daily, "weekly")
    extra = {"x": x, "x_future": future_regressors(y.index, "weekly", 6)} if drivers else {}
    by_hand = forecast_one(y, 6, method="snaive", freq="weekly", name="X", **extra)
    got = forecast_daily(daily, settings)
    pd.testing.assert_series_equal(got.mean, by_hand.mean)
    assert got.model == by_hand.model and len(got.mean) == 6


def test_too_few_periods_say_so() -> None:
    with pytest.raises(ValueError, match="full week"):
        forecast_daily(_daily(5), ForecastSettings(freq="weekly"))


def test_short_history_note_only_when_seasonality_is_ignored() -> None:
    long = forecast_daily(_daily(), ForecastSettings(freq="daily", horizon=7))
    assert short_history_note(long, "daily", "X") is None
    short = forecast_daily(_daily(6), ForecastSettings(freq="daily", horizon=7))
    note = short_history_note(short, "daily", "X")
    assert note is not None and note.startswith("X has 6 days of sales history") and "at least 8" in note
    assert "Choose *Daily*" not in note


def test_a_what_if_scales_forecast_and_bands_and_is_tabled() -> None:
    """+20 % demand and a promotion in the 2nd period (lift 1.5): the mean and both bands scale by 1.2, and by
    1.8 in that period; the table holds period, forecast and the low/high columns of each band."""
    result = forecast_daily(_daily(), ForecastSettings(horizon=4, method="snaive"))
    plain = adjust_forecast(result, WhatIf())
    assert not plain.changed
    pd.testing.assert_series_equal(plain.mean, result.mean, check_names=False)
    plan = WhatIf(20.0, (result.mean.index[1],), 1.5)
    adj = adjust_forecast(result, plan)
    factor = np.array([1.2, 1.8, 1.2, 1.2])
    assert adj.changed and adj.plan == plan
    np.testing.assert_allclose(adj.mean.to_numpy(), result.mean.to_numpy() * factor)
    for lv in (80, 95):
        np.testing.assert_allclose(adj.lower[lv].to_numpy(), result.lower[lv].to_numpy() * factor)
        np.testing.assert_allclose(adj.upper[lv].to_numpy(), result.upper[lv].to_numpy() * factor)
    table = forecast_table(adj)
    assert list(table.columns) == ["period", "forecast", "low 80%", "high 80%", "low 95%", "high 95%"]
    assert table["forecast"].tolist() == adj.mean.tolist() and list(table["period"]) == list(result.mean.index)


def test_kpis_hold_both_totals_and_the_chosen_models_backtest_error() -> None:
    result = forecast_daily(_daily(), ForecastSettings(horizon=4, method="snaive"))
    adj = adjust_forecast(result, WhatIf(10.0))
    kpis = forecast_kpis(result, adj)
    assert kpis["forecast_units"] == pytest.approx(1.1 * kpis["plain_forecast_units"])
    assert kpis["backtest_mase"] == float(result.backtest.loc[result.backtest["chosen"], "mase"].iloc[0])


def test_chart_marks_promotions_only_for_one_sku() -> None:
    daily = _daily()
    result = forecast_daily(daily, ForecastSettings(horizon=4))
    sku = chart_marks(result, daily, ForecastSettings("sku", "X", horizon=4))
    assert list(sku["promotions"]) == list(daily.index[daily["promotion"] > 0])  # type: ignore[arg-type]
    assert sku["backtest"] is not None and set(sku["backtest"]["model"]) == {result.model}
    assert chart_marks(result, daily, ForecastSettings(horizon=4))["promotions"] is None
    assert pd.Timestamp("2026-04-06") in sku["holidays"]  # Easter Monday 2026


def test_leaderboard_shows_its_columns_under_headings() -> None:
    result = forecast_daily(_daily(), ForecastSettings(horizon=4))
    board = leaderboard(result.backtest)
    assert list(board.columns) == [h for c, h in LEADERBOARD_COLUMNS.items() if c in result.backtest.columns]
    assert set(LEADERBOARD_FORMATS) <= set(LEADERBOARD_COLUMNS.values())


def test_stored_accuracy_is_the_runs_scored_at_their_own_frequency(sample_store: Store) -> None:
    """A weekly and a daily run: each is scored on sales at its own frequency, like accuracy_by_run on each."""
    sales = sample_store.table("sales")
    none = stored_accuracy(sample_store, sales)
    assert isinstance(none, RunAccuracy) and none.runs == 0 and not none.scored
    weekly = sales_long(sales, "weekly", ["DAI-001", "DAI-002"])
    recent = weekly[weekly["ds"] > weekly["ds"].max() - pd.Timedelta(weeks=4)].rename(columns={"y": "mean"})
    recent = recent.assign(lo80=recent["mean"] * 0.8, hi80=recent["mean"] * 1.2, model="snaive")
    first = save_run(sample_store, recent.assign(mean=recent["mean"] + 1), {"freq": "weekly"},
                     created_at=(recent["ds"].min() - pd.Timedelta(weeks=2)).to_pydatetime())
    save_run(sample_store, recent.assign(mean=recent["mean"] + (recent["unique_id"] == "DAI-001") * 50 + 1),
             {"freq": "weekly"}, created_at=(recent["ds"].min() - pd.Timedelta(weeks=1)).to_pydatetime())
    daily = sales_long(sales, "daily", ["DAI-003"]).tail(7).rename(columns={"y": "mean"}).assign(model="naive")
    save_run(sample_store, daily, {"freq": "daily"},
             created_at=(daily["ds"].min() - pd.Timedelta(days=1)).to_pydatetime())
    acc = stored_accuracy(sample_store, sales)
    assert acc.runs == 3 and acc.scored
    runs = list_runs(sample_store)
    expected = pd.concat([accuracy_by_run(run_values(sample_store, runs.loc[runs["params"].map(
        lambda p, f=f: p["freq"] == f), "run_id"].tolist()), sales_long(sales, f)) for f in ("daily", "weekly")],
        ignore_index=True)
    pd.testing.assert_frame_equal(acc.per_series, expected)
    pd.testing.assert_frame_equal(acc.overall, overall_by_run(expected))
    pd.testing.assert_frame_equal(acc.worsening, worsening(expected))
    assert acc.highlighted() == ["DAI-001"] and first in set(acc.per_series["run_id"])
    read_itself = stored_accuracy(sample_store)  # only the recent sales, read from the store: the same scores
    pd.testing.assert_frame_equal(read_itself.per_series, acc.per_series)


def test_runs_without_actuals_yet_are_counted_but_not_scored(sample_store: Store) -> None:
    future = pd.DataFrame({"unique_id": "DAI-001", "ds": pd.date_range("2030-01-06", periods=3, freq="W-SUN"),
                           "mean": 5.0, "model": "naive"})
    save_run(sample_store, future, {"freq": "weekly"})
    acc = stored_accuracy(sample_store, sample_store.table("sales"))
    assert acc.runs == 1 and not acc.scored and acc.highlighted() == []


def test_replay_cutoffs_count_back_from_the_last_period() -> None:
    long = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2026-01-04", periods=20, freq="W-SUN"), "y": 1.0})
    last = long["ds"].max()
    assert replay_cutoffs(long) == [last - pd.Timedelta(weeks=w) for w in REPLAY_WEEKS]
    assert replay_cutoffs(long, (2,)) == [last - pd.Timedelta(weeks=2)]


def test_replay_recent_and_run_all_store_runs_of_every_sku(sample_store: Store) -> None:
    """On three SKUs: a replay stores one run per cut-off (oldest first), a batch one run of every SKU."""
    sales = sample_store.table("sales")
    sales = sales[sales["sku"].isin(["DAI-001", "DAI-002", "BAK-037"])]
    seen: list[tuple[int, int]] = []
    replayed = replay_recent(sample_store, sales, weeks=(8, 4), n_jobs=1,
                             progress=lambda done, total: seen.append((done, total)))
    last = sales_long(sales, "weekly")["ds"].max()
    assert replayed["as_of"].tolist() == [last - pd.Timedelta(weeks=8), last - pd.Timedelta(weeks=4)]
    assert (replayed["series"] == 3).all() and seen[-1] == (3, 3)
    stored = run_plan(sample_store, sales, sample_store.table("products"), "monthly", 2, n_jobs=1)
    runs = list_runs(sample_store)
    assert stored.series == 3 and runs.loc[0, "run_id"] == stored.run_id and runs.loc[0, "notes"] == "Demand plan"
    params = runs.loc[0, "params"]
    assert {k: params[k] for k in ("level", "freq", "horizon", "method", "as_of")} == {
        "level": "sku", "freq": "monthly", "horizon": 2, "method": "auto", "as_of": str(sample_store.as_of())}
    assert params["plan"]["reconciliation"] in ("bottom_up", "mint_shrink") and params["plan"]["stock_history"]
    assert len(runs) == 3 and runs.loc[0, "last_ds"] > last and runs.loc[0, "series"] == 3
