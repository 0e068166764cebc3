"""Policies, purchase plan and page on the sample workspace (Leeds wholesaler, 120 SKUs)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from page_tabs import open_tab

from opscore.forecast.runs import save_run
from opscore.inventory import ForecastDemand, Settings, design, frontier, load_inputs, purchase_plan, run, runs_for
from opscore.inventory.inputs import build_inputs
from opscore.inventory.planning import demand_model


@pytest.fixture
def inputs(sample_store):
    return load_inputs(sample_store)


def test_inputs_align_with_products(inputs, sample_store):
    """Arrays follow the products order; expired lots are excluded from usable stock; history ends yesterday."""
    products = sample_store.table("products")
    assert len(inputs.products) == len(products) == inputs.history.shape[0]
    inv = sample_store.table("inventory")
    usable = inv[inv["expiry_date"].isna() | (inv["expiry_date"] >= pd.Timestamp(sample_store.as_of()))]
    assert inputs.on_hand.sum() == usable["quantity"].sum()
    assert inputs.forecast_run is None


def test_purchase_plan_respects_supplier_terms(inputs):
    """Every planned line is at least the MOQ, a whole number of packs, dated today or later, with a reason."""
    policy = design(inputs, Settings())
    plan = purchase_plan(inputs, policy)
    assert not plan.empty
    terms = inputs.products.set_index("sku").loc[plan["sku"]]
    assert (plan["quantity"].to_numpy() >= terms["moq"].to_numpy()).all()
    assert np.allclose(plan["quantity"].to_numpy() % terms["order_multiple"].to_numpy(), 0)
    assert (plan["order_by"] >= inputs.as_of).all() and (plan["arrives_by"] >= plan["order_by"]).all()
    assert plan["reason"].str.len().min() > 20


def test_budget_and_volume_caps_hold(inputs):
    """Under a £2,000 budget or a 1 m3 cap the ordered lines fit; the rest is trimmed or deferred with a reason."""
    policy = design(inputs, Settings())
    capped = purchase_plan(inputs, policy, budget=2000)
    assert capped["value"].sum() <= 2000 + 1e-6
    assert (capped["status"] == "deferred").any()
    assert capped.loc[capped["status"] == "deferred", "reason"].str.contains("Deferred").all()
    small = purchase_plan(inputs, policy, volume_cap_m3=1.0)
    assert small["volume_m3"].sum() <= 1.0 + 1e-9


def test_higher_target_gives_higher_simulated_service(inputs):
    """Raising the service target raises safety stock and the simulated fill rate (same random numbers)."""
    low = run(inputs, Settings(target=0.80), days=120, replications=20, seed=4).total.set_index("measure")
    high = run(inputs, Settings(target=0.99), days=120, replications=20, seed=4).total.set_index("measure")
    assert high.at["fill_rate", "mean"] > low.at["fill_rate", "mean"]
    assert high.at["avg_on_hand", "mean"] > low.at["avg_on_hand", "mean"]


def test_frontier_marks_the_current_setting_on_the_curves_basis(inputs):
    """The 'current setting' point is simulated on the curve's days, runs and seed: with a one-for-all target of
    95 % it lands exactly on the curve's 95 % point; with per-class targets it is one more simulated point."""
    rows = np.arange(0, len(inputs.products), 4)
    sub = inputs.select(rows)
    same = frontier(sub, Settings(target=0.95), targets=(0.9, 0.95), days=60, replications=10, include_current=True)
    on_curve, star = same[same["target"] == 0.95], same[same["current"]]
    assert len(star) == 1 and len(on_curve) == 2
    assert star["cost_per_year"].iloc[0] == on_curve["cost_per_year"].iloc[0]
    assert star["fill_rate"].iloc[0] == on_curve["fill_rate"].iloc[0]
    per_class = frontier(sub, Settings(), targets=(0.9,), days=60, replications=10, include_current=True)
    star = per_class[per_class["current"]].iloc[0]
    expected = run(sub, Settings(), days=60, replications=10, seed=11).total.set_index("measure")
    assert np.isnan(star["target"]) and star["fill_rate"] == expected.at["fill_rate", "mean"]


def test_latest_forecast_run_drives_demand(sample_store):
    """When forecast_values holds a run, the simulator and the policies use it instead of history."""
    today = pd.Timestamp(sample_store.as_of())
    skus = sample_store.table("products")["sku"]
    days = pd.date_range(today, periods=28, freq="D")
    values = pd.DataFrame([(s, d) for s in skus for d in days], columns=["unique_id", "ds"])
    values = values.assign(run_id="run-test", mean=10.0, lo80=8.0, hi80=12.0, lo95=7.0, hi95=13.0, model="test")
    run_row = pd.DataFrame({"run_id": ["run-test"], "created_at": [pd.Timestamp("2026-11-02 08:00")],
                            "params_json": [json.dumps({"horizon": 28})], "notes": [None]})
    with sample_store.transaction() as w:
        w.append("forecast_runs", run_row)
        w.append("forecast_values", values[["run_id", "unique_id", "ds", "mean", "lo80", "hi80", "lo95", "hi95",
                                            "model"]])
    inputs = load_inputs(sample_store)
    assert inputs.forecast_run == "run-test"
    assert isinstance(demand_model(inputs, Settings()), ForecastDemand)
    assert np.allclose(design(inputs, Settings())["daily_demand"], 10.0)


def test_weekly_forecast_values_cover_the_week_they_end(sample_store):
    """opscore.forecast labels a week by its last day (weeks ending Sunday): 70 units for the week ending in six
    days is 10 a day over days 0-6, 140 for the next week 20 a day over days 7-13, and a week that ended
    yesterday is not used."""
    today = pd.Timestamp(sample_store.as_of())
    skus = sample_store.table("products")["sku"]
    weeks = {today - pd.Timedelta(days=1): 700.0, today + pd.Timedelta(days=6): 70.0,
             today + pd.Timedelta(days=13): 140.0}
    values = pd.DataFrame([(s, d, q) for s in skus for d, q in weeks.items()], columns=["unique_id", "ds", "mean"])
    values = values.assign(run_id="weekly", lo80=values["mean"] * 0.8, hi80=values["mean"] * 1.2, model="test")
    tables = {n: sample_store.table(n) for n in ("products", "sales", "inventory", "purchase_orders")}
    weekly = build_inputs(**tables, as_of=sample_store.as_of(), forecast_values=values)
    assert weekly.forecast_run == "weekly"
    assert weekly.forecast_mean.shape == (len(skus), 14)
    np.testing.assert_allclose(weekly.forecast_mean[:, :7], 10.0)
    np.testing.assert_allclose(weekly.forecast_mean[:, 7:], 20.0)
    np.testing.assert_allclose(weekly.forecast_sd[:, :7], 70 * 0.4 / (2 * 1.2816) / np.sqrt(7))


def test_monthly_and_one_week_runs_spread_over_their_own_days(sample_store):
    """A monthly run spreads each month over its own days (February 28, March 31); a run of one week, whose
    period cannot be read from the spacing of its dates, uses the frequency the run recorded."""
    skus = sample_store.table("products")["sku"]
    tables = {n: sample_store.table(n) for n in ("products", "sales", "inventory", "purchase_orders")}
    feb = pd.Timestamp("2027-02-01")
    months = pd.DataFrame([(s, d, q) for s in skus for d, q in ((feb, 280.0), (pd.Timestamp("2027-03-01"), 310.0))],
                          columns=["unique_id", "ds", "mean"]).assign(run_id="monthly", model="test", freq="monthly")
    monthly = build_inputs(**tables, as_of=feb.date(), forecast_values=months)
    assert monthly.forecast_mean.shape == (len(skus), 28 + 31)
    np.testing.assert_allclose(monthly.forecast_mean[:, :28], 10.0)
    np.testing.assert_allclose(monthly.forecast_mean[:, 28:], 10.0)
    today = pd.Timestamp(sample_store.as_of())
    week = pd.DataFrame({"unique_id": skus, "ds": today + pd.Timedelta(days=6), "mean": 70.0, "run_id": "one week",
                         "model": "test"})
    save_run(sample_store, week.drop(columns="run_id"), {"freq": "weekly", "horizon": 1})
    one = load_inputs(sample_store)
    assert one.forecast_mean.shape == (len(skus), 7)
    np.testing.assert_allclose(one.forecast_mean, 10.0)


def test_design_refuses_impossible_target(inputs):
    """A 100 % target cannot be met with unbounded demand: a clear ValueError, nothing computed."""
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        design(inputs, Settings(target=1.0))


def test_inventory_page_renders_and_what_if_responds(open_page):
    """The page opens on the plan with the metrics; the what-if tab shows the comparison and the fan chart, and moving
    the demand slider updates the what-if; each other tab draws its chart or table."""
    at = open_page("views/inventory.py")
    assert at.title[0].value == "Inventory simulator"
    assert at.metric[0].label == "Demand served from stock"
    assert len(at.dataframe) == 1 and not at.get("plotly_chart")  # only the plan runs until another tab is opened
    open_tab(at, "views/inventory.py", "What if...")
    assert len(at.get("plotly_chart")) == 2
    before = [m.value for m in at.metric if m.label == "Cost, six months"]
    assert before[0] == before[1]  # no change yet: what-if equals baseline
    slider = next(s for s in at.slider if s.label == "Demand change (%)")
    slider.set_value(100).run()
    assert not at.exception
    after = [m.value for m in at.metric if m.label == "Cost, six months"]
    assert after[0] == before[0] and after[1] != before[1]  # baseline kept, what-if changed
    open_tab(at, "views/inventory.py", "Cost versus service")
    assert any("your setting" in c.proto.spec for c in at.get("plotly_chart"))
    open_tab(at, "views/inventory.py", "What if...")
    assert next(s for s in at.slider if s.label == "Demand change (%)").value == 100  # kept across the tab switch
    for label in ("ABC-XYZ classes", "Reorder levels"):
        open_tab(at, "views/inventory.py", label)
        assert not at.exception and len(at.dataframe) == 1, label


def test_the_what_ifs_holding_cost_follows_the_baseline_until_moved(open_page) -> None:
    """Changing the baseline's yearly holding cost moves the what-if's to it (the what-if stays the baseline) while
    the what-if tab is open and after it was closed; a what-if value set by hand is kept while the baseline stays."""
    at = open_tab(open_page("views/inventory.py"), "views/inventory.py", "What if...")
    holding = next(n for n in at.number_input if n.label.startswith("Yearly cost of holding stock"))
    holding.set_value(30).run()
    assert at.slider(key="inv_rate").value == 30
    costs = [m.value for m in at.metric if m.label == "Cost, six months"]
    assert costs[0] == costs[1]
    at.slider(key="inv_rate").set_value(40).run()
    open_tab(at, "views/inventory.py", "Reorder levels")
    open_tab(at, "views/inventory.py", "What if...")
    assert at.slider(key="inv_rate").value == 40
    open_tab(at, "views/inventory.py", "Reorder levels")
    next(n for n in at.number_input if n.label.startswith("Yearly cost of holding stock")).set_value(20).run()
    open_tab(at, "views/inventory.py", "What if...")
    assert at.slider(key="inv_rate").value == 20


def test_a_large_selection_gets_fewer_runs_never_below_the_floor() -> None:
    """Items x runs stay within the budget between the floor and the most; bad bounds are refused."""
    assert runs_for(120, 60, 20, 20_000) == 60 and runs_for(650, 60, 20, 20_000) == 30
    assert runs_for(5_000, 60, 20, 20_000) == 20 and runs_for(0, 60, 20, 20_000) == 60
    with pytest.raises(ValueError, match="least <= most"):
        runs_for(10, 10, 20, 100)


def test_a_short_record_is_not_padded_with_days_of_no_sales(sample_store):
    """A client whose sales start 17 weeks and 3 days before the as-of date: the history is those 17 whole weeks, so
    the simulated daily demand is the real rate, not a third of it (the days before the first sale are unknown)."""
    tables = {name: sample_store.table(name) for name in ("products", "sales", "inventory", "purchase_orders")}
    as_of = sample_store.as_of()
    short = tables["sales"][tables["sales"]["date"] >= pd.Timestamp(as_of) - pd.Timedelta(days=122)]
    inputs = build_inputs(products=tables["products"], sales=short, inventory=tables["inventory"],
                          purchase_orders=tables["purchase_orders"], as_of=as_of)
    assert inputs.history.shape[1] == 17 * 7
    real = short[short["date"] >= pd.Timestamp(as_of) - pd.Timedelta(days=119)]["quantity"].sum() / 119
    assert inputs.history.sum(axis=1).sum() / inputs.history.shape[1] == pytest.approx(real)
    full = build_inputs(**tables, as_of=as_of)
    assert full.history.shape[1] == 364
