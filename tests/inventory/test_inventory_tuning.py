"""Reorder levels that meet their own targets (issue 21, item 2): EWA for perishables, tuning by simulation,
waste explained.

The page's 98 % "no run-out" target showed 89.3 % in its own simulation: the normal formula missed on
perishables (stock about to expire counted as cover) and on lumpy demand. These tests hold the tuned levels to
their targets in a fresh simulation, check EWA by hand, and check the waste report's arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.inventory import (
    Items,
    PoissonDemand,
    Policy,
    Settings,
    design,
    explain_waste,
    load_inputs,
    retarget,
    run,
    simulate,
    tune,
)
from opscore.store import Store


class _Steady:
    """Exactly ``rate`` units every day (one SKU)."""

    n_skus = 1

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def sampler(self, rng, replications, order=None):  # type: ignore[no-untyped-def]
        return lambda t: np.full((1, replications), self.rate)


def test_ewa_leaves_stock_about_to_expire_out_of_the_position() -> None:
    """10 units a day, shelf life 2 days, lead time 1 day, min 19, max 40, starting with 40 usable to day 1.

    Counting all stock (no EWA): day 1's position is 30, no order; 20 expire that night, day 2 runs out and the
    order placed then arrives on day 3; the 3-day cycle repeats: days 2, 5 and 8 run out (fill 7/10) and 20 expire
    every cycle (60). With EWA the planner expects 20 of day 1's 30 to expire before an order could arrive, orders
    30 on day 1 and, from then on, 30 every other day: never out, 20 + 4 x 10 = 60 thrown away, 5 orders."""
    items = Items(holding_cost=np.array([1.0]), stockout_cost=np.array([4.0]), ordering_cost=np.array([0.0]),
                  lead_time_samples=np.array([[1.0]]), shelf_life_days=np.array([2.0]),
                  initial_lots=np.array([[40.0]]), initial_expiry_day=np.array([[1.0]]))
    plain = simulate(_Steady(10.0), Policy(np.array([19.0]), np.array([40.0])), items, days=10, replications=2)
    ewa = simulate(_Steady(10.0), Policy(np.array([19.0]), np.array([40.0]), expected_daily_demand=10.0), items,
                   days=10, replications=2)
    p, e = plain.per_sku.iloc[0], ewa.per_sku.iloc[0]
    assert (p.fill_rate, p.waste_units, p.orders) == (pytest.approx(0.7), 60.0, 3.0)
    assert (e.fill_rate, e.waste_units, e.orders, e.units_ordered) == (1.0, 60.0, 5.0, 150.0)


def test_ewa_changes_nothing_for_stock_that_does_not_expire() -> None:
    """Without a shelf life the position is the same with or without an expected demand."""
    items = Items(holding_cost=np.array([1.0]), stockout_cost=np.array([4.0]), ordering_cost=np.array([0.0]),
                  lead_time_samples=np.array([[2.0]]), initial_on_hand=25.0)
    a = simulate(_Steady(7.0), Policy(np.array([20.0]), np.array([50.0])), items, days=30, replications=2)
    b = simulate(_Steady(7.0), Policy(np.array([20.0]), np.array([50.0]), expected_daily_demand=7.0), items,
                 days=30, replications=2)
    pd.testing.assert_frame_equal(a.per_sku, b.per_sku)


def test_ewa_keeps_common_random_numbers_across_lead_time_what_ifs() -> None:
    """Delaying one perishable SKU's deliveries leaves every other SKU's simulated demand as it was (the EWA step
    reorders SKUs internally; the demand stream must not follow that order)."""
    n = 4
    items = Items(holding_cost=np.ones(n), stockout_cost=np.full(n, 4.0), ordering_cost=np.zeros(n),
                  lead_time_samples=np.array([[1.0], [2.0], [1.0], [3.0]]),
                  shelf_life_days=np.array([5.0, 6.0, 4.0, 8.0]), initial_on_hand=20.0)
    policy = Policy(np.full(n, 15.0), np.full(n, 30.0), expected_daily_demand=np.full(n, 5.0))
    demand = PoissonDemand(np.array([5.0, 6.0, 4.0, 7.0]))
    base = simulate(demand, policy, items, days=60, replications=5, seed=3)
    late = simulate(demand, policy, items, days=60, replications=5, seed=3, extra_lead_days=np.array([3.0, 0, 0, 0]))
    assert np.array_equal(base.per_sku["demand"].to_numpy()[1:], late.per_sku["demand"].to_numpy()[1:])
    assert base.per_sku["demand"].iloc[0] == late.per_sku["demand"].iloc[0]  # its own demand is the same too


@pytest.fixture(scope="module")
def inputs(sample_db):  # type: ignore[no-untyped-def]
    store = Store(sample_db, read_only=True)
    try:
        return load_inputs(store)
    finally:
        store.close()


SETTINGS = [Settings(target=0.98), Settings(), Settings(target=0.95, target_kind="fill_rate"),
            Settings(policy="periodic", target=0.98), Settings(policy="base_stock", target=0.90)]


@pytest.mark.parametrize("settings", SETTINGS, ids=["csl 98", "by class", "fill 95", "periodic 98", "base stock 90"])
def test_tuned_levels_meet_their_targets_in_a_fresh_simulation(inputs, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """A policy meets its own target in its own simulation: on another seed, once in place, at least 95 % of the
    sample's items with demand (intermittent ones too) reach their target within the 95 % interval, and the
    average achieved reaches the average target. Items tuning could not lift are named, not hidden."""
    tuned = tune(inputs, settings)
    policy = tuned.policy
    check = run(inputs, settings, policy, days=182, replications=40, seed=101, from_today=False).per_sku
    measure = tuned.measure
    active = policy["daily_demand"].to_numpy() > 0
    met = (check[measure].fillna(1.0) + check[measure + "_ci"].fillna(0.0) >= policy["target"]).to_numpy()
    assert met[active].mean() >= 0.95
    lumpy = active & (policy["daily_demand"].to_numpy() < 1.0)
    assert lumpy.sum() >= 10 and met[lumpy].mean() >= 0.9
    assert check[measure][active].mean() >= policy["target"][active].mean()
    assert len(tuned.short) <= 5 and (~tuned.short["meets_target"]).all()
    assert (policy["min_level"] >= policy["formula_min"]).all()
    assert 0 < tuned.mean_achieved <= 1 and tuned.rounds <= 8


def test_tuning_lifts_items_the_formula_leaves_short(inputs) -> None:  # type: ignore[no-untyped-def]
    """Items below a 98 % target at the formula's levels end higher and closer to it."""
    settings = Settings(target=0.98)
    tuned = tune(inputs, settings).policy
    raised = tuned[tuned["min_level"] > tuned["formula_min"]]
    assert len(raised) >= 5
    formula = design(inputs, settings).iloc[raised.index]
    rows = raised.index.tolist()
    before = run(inputs.select(rows), settings, formula.reset_index(drop=True), days=182, replications=40, seed=5,
                 from_today=False).per_sku["cycle_service_level"].mean()
    after = run(inputs.select(rows), settings, raised.reset_index(drop=True), days=182, replications=40, seed=5,
                from_today=False).per_sku["cycle_service_level"].mean()
    assert after > before


def test_retarget_keeps_what_tuning_added(inputs) -> None:  # type: ignore[no-untyped-def]
    tuned = tune(inputs, Settings(target=0.95))
    what_if = design(inputs, Settings(target=0.95, demand_growth=0.2))
    moved = retarget(tuned, what_if)
    added = (tuned.policy["min_level"] - tuned.policy["formula_min"]).to_numpy()
    active = what_if["daily_demand"].to_numpy() > 0
    assert np.allclose((moved["min_level"] - what_if["min_level"]).to_numpy()[active], added[active])
    assert np.allclose(moved["max_level"] - moved["min_level"], what_if["max_level"] - what_if["min_level"])
    with pytest.raises(ValueError, match="same items"):
        retarget(tuned, what_if.iloc[:3])


def test_a_warm_start_from_other_costs_still_meets_the_targets(inputs) -> None:  # type: ignore[no-untyped-def]
    """Tuning at a dearer order line, started from the tuning at the default costs, keeps at least the units that
    one added and meets the targets on a fresh seed like a cold tuning."""
    base = tune(inputs, Settings(target=0.98))
    dearer = Settings(target=0.98, ordering_cost=40.0)
    warm = tune(inputs, dearer, start=base)
    assert (warm.added >= np.where(warm.policy["daily_demand"] > 0, base.added, 0.0)).all()
    check = run(inputs, dearer, warm.policy, days=182, replications=40, seed=101, from_today=False).per_sku
    active = warm.policy["daily_demand"].to_numpy() > 0
    met = (check["cycle_service_level"].fillna(1.0) + check["cycle_service_level_ci"].fillna(0.0)
           >= warm.policy["target"]).to_numpy()
    assert met[active].mean() >= 0.95
    with pytest.raises(ValueError, match="same items"):
        tune(inputs.select([0, 1]), dearer, start=base)


def test_tune_refuses_bad_bounds(inputs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="max_rounds >= 1 and days >= 28"):
        tune(inputs, Settings(), max_rounds=0, days=7)


def test_waste_is_explained_against_what_was_bought(inputs) -> None:  # type: ignore[no-untyped-def]
    """Waste never passes what was bought plus the starting stock, only perishables waste, and the report's
    shares add up."""
    settings = Settings(target=0.98)
    policy = tune(inputs, settings).policy
    result = run(inputs, settings, policy, days=182, replications=20, seed=3, from_today=False)
    start = policy["max_level"].clip(lower=0).to_numpy()  # a run from the levels starts every item at its max
    report = explain_waste(policy, inputs.products, result.per_sku, start)
    per = result.per_sku
    assert (per["waste_units"] <= per["units_ordered"] + start + 1e-9).all()
    keeps = inputs.products["shelf_life_days"].isna().to_numpy()
    assert (per["waste_units"].to_numpy()[keeps] == 0).all()
    assert report.thrown_away == pytest.approx(per["waste_units"].sum())
    assert report.supplied == pytest.approx(per["units_ordered"].sum() + start.sum())
    assert 0 < report.share_of_supplied < 0.5
    assert 0 <= report.outlasting_share <= 1 and report.outlasting_items >= 1
    life = inputs.products["shelf_life_days"].to_numpy(dtype=float, na_value=np.nan)
    outlasting = np.isfinite(life) & (policy["max_level"].to_numpy() > policy["daily_demand"].to_numpy() * life)
    waste = np.where(outlasting, per["waste_units"].to_numpy(), -1.0)
    assert report.worst == tuple(inputs.products["name"].iloc[np.argsort(-waste, kind="stable")[:3]])
    with pytest.raises(ValueError, match="same items"):
        explain_waste(policy.iloc[:2], inputs.products, per)
