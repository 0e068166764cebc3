"""The demand plan (opscore.forecast.plan.forecast_plan): coherent categories and total under either
reconciliation, ordered bounds, refused SKUs without a category, one series row per node; the stored plan
(opscore.forecast.runs) and the out-of-stock periods it leaves out."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from panel_data import long_frame, weekly_demand

import opscore.forecast.plan as plan_module
from opscore.forecast.global_model import GlobalSettings
from opscore.forecast.plan import DemandPlan, forecast_plan
from opscore.forecast.reconcile import TOTAL
from opscore.forecast.runs import SERIES_COLUMNS, censored_periods, latest_plan, plan_rows, run_plan
from opscore.inventory.inputs import latest_forecast
from opscore.store import Store

HORIZON = 14
SMALL = GlobalSettings(rows=4000, trees=25)
CATEGORIES = pd.Series({"S00": "Bakery", "S01": "Bakery", "S02": "Bakery", "S03": "Dairy", "S04": "Dairy",
                        "S05": "Produce"})
"""Three categories, one of them with a single SKU."""
BOUNDS = ("lo95", "lo80", "mean", "hi80", "hi95")


def synthetic_plan(monkeypatch: pytest.MonkeyPatch, method: str | None = None) -> DemandPlan:
    """The plan of six daily SKUs (150 days); ``method`` forces the reconciliation the backtest picks (the real
    choice still runs, so its scores are kept)."""
    if method is not None:
        real = plan_module.choose_method

        def forced(*args: Any, **kwargs: Any) -> tuple[str, dict[str, float]]:
            return method, real(*args, **kwargs)[1]

        monkeypatch.setattr(plan_module, "choose_method", forced)
    frame = long_frame(weekly_demand(len(CATEGORIES), 150, seed=4))
    return forecast_plan(frame, CATEGORIES, HORIZON, "daily", settings=SMALL, n_jobs=1)


@pytest.mark.parametrize("method", ["bottom_up", "mint_shrink"])
def test_every_category_and_the_total_is_the_sum_of_its_skus(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Under either reconciliation, per period each category's mean equals the sum of its SKUs' means and the total's
    the sum of all SKUs' (to 1e-9 relative); 0 <= lo95 <= lo80 <= mean <= hi80 <= hi95 on every row; bottom-up
    keeps the SKU forecasts of the panel as they were; the categories' and the total's model is the method."""
    plan = synthetic_plan(monkeypatch, method)
    assert plan.reconciliation == method and set(plan.scores) == {"bottom_up", "mint_shrink"}
    values = plan.values
    assert list(values.columns) == ["level", "unique_id", "ds", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
    sku = values[values["level"] == "sku"].set_index(["unique_id", "ds"])["mean"]
    assert len(sku) == len(CATEGORIES) * HORIZON
    by_category = sku.groupby([sku.index.get_level_values(0).map(CATEGORIES), sku.index.get_level_values(1)]).sum()
    categories = values[values["level"] == "category"].set_index(["unique_id", "ds"])["mean"]
    assert sorted(categories.index.get_level_values(0).unique()) == sorted(CATEGORIES.unique())
    np.testing.assert_allclose(categories.to_numpy(), by_category.reindex(categories.index).to_numpy(), rtol=1e-9)
    total = values[values["level"] == "total"].set_index("ds")["mean"]
    assert (values.loc[values["level"] == "total", "unique_id"] == TOTAL).all() and len(total) == HORIZON
    np.testing.assert_allclose(total.to_numpy(), sku.groupby(level=1).sum().reindex(total.index).to_numpy(),
                               rtol=1e-9)
    ordered = values[list(BOUNDS)].to_numpy()
    assert (ordered[:, 0] >= 0).all() and (np.diff(ordered, axis=1) >= -1e-9).all()
    assert (values.loc[values["level"] != "sku", "model"] == method).all()
    if method == "bottom_up":
        panel = plan.panel.values.set_index(["unique_id", "ds"])["mean"]
        assert np.array_equal(sku.to_numpy(), panel.reindex(sku.index).to_numpy())


def test_the_plans_series_rows_cover_every_node_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backtest's own choice is one of the two methods; ``series`` has one row per node (total, each category,
    each SKU) with its level and the forecast_series columns; the SKUs' rows carry their global weight."""
    plan = synthetic_plan(monkeypatch)
    assert plan.reconciliation in ("bottom_up", "mint_shrink")
    series = plan.series
    assert set(SERIES_COLUMNS) <= set(series.columns)
    assert not series["unique_id"].duplicated().any()
    level = series.set_index("unique_id")["level"].to_dict()
    assert level == {TOTAL: "total", **{c: "category" for c in CATEGORIES.unique()},
                     **{s: "sku" for s in CATEGORIES.index}}
    skus = series[series["level"] == "sku"]
    assert skus["global_weight"].between(0, 1).all() and (skus["global_weight"] > 0).any()
    assert (series.loc[series["level"] != "sku", "global_weight"] == 0).all()


def test_a_sku_without_a_category_is_refused_by_name() -> None:
    """A SKU with sales but no category raises a ValueError naming it, before any forecasting."""
    frame = long_frame(weekly_demand(3, 60, seed=1))
    with pytest.raises(ValueError, match=r"1 SKU\(s\) with sales have no category, e\.g\. S02"):
        forecast_plan(frame, pd.Series({"S00": "Bakery", "S01": "Dairy"}), HORIZON, "daily", settings=SMALL, n_jobs=1)


# -- the stored plan -------------------------------------------------------------------------------------------------


def free_sale(store: Store) -> pd.DataFrame:
    """A sale of a product on a day it sold nothing (up to the workspace's today), as the sales table holds one."""
    sales = store.table("sales")
    sold = set(zip(pd.to_datetime(sales["date"]), sales["sku"]))
    for day in pd.date_range(end=pd.Timestamp(store.as_of()), periods=60, freq="D")[::-1]:
        for sku in store.table("products")["sku"]:
            if (day, sku) not in sold:
                return pd.DataFrame({"date": [day.date()], "sku": [sku], "quantity": [3], "price": [1.5],
                                     "promotion": [False]})
    raise AssertionError("every product sold every day of the last 60")


def test_run_plan_stores_every_node_and_goes_stale_when_sales_change(sample_store: Store) -> None:
    """On three SKUs of the sample, monthly: the plan's forecast_series rows cover the SKUs, their categories and
    the total; latest_plan finds it, current; plan_rows gives a SKU's and a category's values and series row; the
    inventory's latest_forecast reads the SKU rows only; after one more sale is recorded the plan is no longer
    current."""
    skus = ["DAI-001", "DAI-002", "BAK-037"]
    sales = sample_store.table("sales")
    products = sample_store.table("products")
    stored = run_plan(sample_store, sales[sales["sku"].isin(skus)], products, "monthly", 2, n_jobs=1)
    categories = set(products.set_index("sku").loc[skus, "category"])
    series = sample_store.table("forecast_series", where={"run_id": stored.run_id})
    assert sorted(series["unique_id"]) == sorted([*skus, *categories, TOTAL])
    assert series.set_index("unique_id")["level"].to_dict() == {
        TOTAL: "total", **{c: "category" for c in categories}, **{s: "sku" for s in skus}}
    latest = latest_plan(sample_store, "monthly")
    assert latest is not None and latest.run_id == stored.run_id and latest.horizon == 2 and latest.current
    assert latest_plan(sample_store, "daily") is None
    values, row = plan_rows(sample_store, stored.run_id, "DAI-001")
    assert len(values) == 2 and (values["level"] == "sku").all() and values["ds"].is_monotonic_increasing
    assert row is not None and row["level"] == "sku" and row["unique_id"] == "DAI-001"
    category = next(iter(categories))
    values, row = plan_rows(sample_store, stored.run_id, category)
    assert len(values) == 2 and (values["level"] == "category").all() and row is not None
    forecast = latest_forecast(sample_store)
    assert forecast is not None and sorted(forecast["unique_id"].unique()) == sorted(skus)
    assert "level" not in forecast.columns and (forecast["freq"] == "monthly").all() and len(forecast) == 3 * 2
    with sample_store.transaction() as w:
        w.append("sales", free_sale(sample_store))
    stale = latest_plan(sample_store, "monthly")
    assert stale is not None and stale.run_id == stored.run_id and not stale.current


# -- out-of-stock periods --------------------------------------------------------------------------------------------


def out_days(*spans: tuple[str, int], sku: str = "A") -> pd.DataFrame:
    """Out-of-stock days of ``sku``: ``n`` consecutive days from each date."""
    dates = [d for first, n in spans for d in pd.date_range(first, periods=n, freq="D")]
    return pd.DataFrame({"sku": sku, "date": dates})


FRAME = pd.DataFrame({"unique_id": ["A", "B"], "ds": pd.Timestamp("2024-01-07"), "y": 1.0})
"""The SKUs whose periods are asked for (censored_periods reads only their ids)."""


def test_a_week_is_censored_when_more_than_half_its_days_were_out() -> None:
    """Weekly: 4 of the 7 days of the week ending Sun 21 Jan 2024 out (Mon-Thu) make it censored, 3 of the next
    week's (Mon-Wed) do not, one day in the week after does not; daily, every out-of-stock day is a period; none
    known gives None."""
    days = out_days(("2024-01-15", 4), ("2024-01-22", 3), ("2024-02-04", 1))
    weekly = censored_periods(days, FRAME, "weekly")
    assert weekly is not None and list(weekly.columns) == ["unique_id", "ds"]
    assert weekly["unique_id"].tolist() == ["A"] and weekly["ds"].tolist() == [pd.Timestamp("2024-01-21")]
    both = pd.concat([days, out_days(("2024-01-22", 4), sku="B")])
    weekly = censored_periods(both, FRAME, "weekly")
    assert sorted(zip(weekly["unique_id"], weekly["ds"])) == [("A", pd.Timestamp("2024-01-21")),
                                                              ("B", pd.Timestamp("2024-01-28"))]
    daily = censored_periods(days, FRAME, "daily")
    assert len(daily) == 8 and (pd.DatetimeIndex(daily["ds"]) == pd.DatetimeIndex(days["date"])).all()
    assert censored_periods(None, FRAME, "weekly") is None and censored_periods(days.iloc[0:0], FRAME, "weekly") is None


def test_a_month_is_censored_when_more_than_half_its_days_were_out() -> None:
    """Monthly: 16 of January's 31 days out make it censored, 15 of March's 31 do not (February, none out, lies
    between)."""
    days = out_days(("2024-01-01", 16), ("2024-03-01", 14), ("2024-03-31", 1))
    monthly = censored_periods(days, FRAME, "monthly")
    assert monthly is not None and monthly["ds"].tolist() == [pd.Timestamp("2024-01-01")]


def test_a_censored_week_at_the_edge_of_the_stock_outs_is_kept() -> None:
    """The only stock-outs are Thu-Sun of one week (4 of 7 days): that week is censored, though the out-of-stock
    days cover only part of it (the share is of the whole week)."""
    weekly = censored_periods(out_days(("2024-01-18", 4)), FRAME, "weekly")
    assert weekly is not None and weekly["ds"].tolist() == [pd.Timestamp("2024-01-21")]
