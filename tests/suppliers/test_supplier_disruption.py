"""Disruption what-if on the inventory simulator: hand-checked stock-outs and contingency costs (deterministic
demand and lead time), monotone results in outage length on the sample, recommendation and bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from opscore.inventory import InventoryInputs, Settings, design
from opscore.suppliers import (
    Contingencies,
    Disruption,
    DisruptionResult,
    alternatives,
    disruption_options,
    prepare_disruption,
    simulate_disruption,
)

AS_OF = date(2026, 6, 1)


def _inputs(on_hand: float = 100.0, alt: str = "", alt_lead: float = np.nan, alt_price: float = np.nan,
            open_po: tuple[str, float, float] | None = None) -> InventoryInputs:
    """One SKU from S1 selling exactly 10 units every day, lead time always 2 days, cost £4, price £10."""
    products = pd.DataFrame({"sku": ["X"], "name": ["Thing"], "supplier_id": ["S1"], "unit_cost": [4.0],
                             "unit_price": [10.0], "lead_time_days": [2], "moq": [1.0], "order_multiple": [1.0],
                             "shelf_life_days": [np.nan]})
    suppliers = pd.DataFrame({"sku": ["X"], "supplier_id": ["S1"], "orders": [20], "lead_days": [2.0],
                              "unit_price": [4.0], "on_time": [0.9]})
    if alt:
        suppliers = pd.concat([suppliers, pd.DataFrame({"sku": ["X"], "supplier_id": [alt], "orders": [3],
                                                        "lead_days": [alt_lead], "unit_price": [alt_price],
                                                        "on_time": [0.8]})], ignore_index=True)
    supplier, day, qty = open_po or ("", 0.0, 0.0)
    return InventoryInputs(products=products, as_of=AS_OF, history=np.full((1, 364), 10.0), on_hand=np.array([on_hand]),
                           expired_today=np.zeros(1), lots=np.array([[on_hand]]), lot_expiry_day=np.array([[np.inf]]),
                           open_orders=np.array([[qty]]), open_order_day=np.array([[day]]),
                           lead_time_samples=np.array([[2.0]]), suppliers=suppliers,
                           open_order_supplier=np.array([[supplier]], dtype=object))


def _run(inputs: InventoryInputs, disruption: Disruption, **kw) -> DisruptionResult:
    """Options with reorder point 30 and order-up-to 100, checked daily (so an order goes on days 7, 14, 21, ...)."""
    policy = design(inputs, Settings()).assign(min_level=30.0, max_level=100.0)
    result = simulate_disruption(inputs, disruption, policy=policy, horizon_days=60, replications=4, **kw)
    return result


def test_outage_stockout_by_hand():
    """100 units cover days 0-9; S1 is out for 20 days, so the first order goes on day 20 and lands on day 22:
    lost = 10/day x 12 days = 120 units = £1,200 of revenue, £720 of margin; the baseline loses nothing."""
    r = _run(_inputs(), Disruption("S1", 20))
    o = r.options.set_index("option")
    assert o.loc["baseline", "lost_units"] == pytest.approx(0.0)
    assert o.loc["do_nothing", "lost_units"] == pytest.approx(120.0)
    assert o.loc["do_nothing", "lost_revenue_gbp"] == pytest.approx(1200.0)
    assert o.loc["do_nothing", "lost_margin_gbp"] == pytest.approx(720.0)
    assert o.loc["do_nothing", "fill_rate"] == pytest.approx(1 - 120 / 600)
    assert o.loc["do_nothing", "stockout_sku_days"] == pytest.approx(12)
    assert r.skus.loc[0, "first_stockout_day"] == 10
    assert r.skus.loc[0, "stockout_chance"] == 1.0
    daily = r.daily[r.daily["option"] == "do_nothing"].set_index("day")
    assert daily.loc[59, "lost_revenue_gbp"] == pytest.approx(1200.0)
    assert daily.loc[0, "stock_value_gbp"] == pytest.approx(90 * 4.0)  # 90 units left at the end of day 0


def test_contingencies_by_hand():
    """Same outage. Expedite keeps normal supply: nothing lost; it places the baseline's orders of days 7 and 14
    (70 units each) at +30 % of £4 plus £40 per order = £248. Raising safety stock by 14 days (140 units, levels
    170/240) covers the outage: the first order goes on day 20 with 40 units left and lands on day 22; it costs
    140 x £4 x 25 % = £140 a year. Without a second supplier, switching changes nothing."""
    o = _run(_inputs(), Disruption("S1", 20)).options.set_index("option")
    assert o.loc["expedite", "lost_units"] == pytest.approx(0.0)
    assert o.loc["expedite", "contingency_cost_gbp"] == pytest.approx(140 * 4 * 0.3 + 2 * 40)
    assert o.loc["safety_stock", "lost_units"] == pytest.approx(0.0)
    assert o.loc["safety_stock", "contingency_cost_gbp"] == pytest.approx(140 * 4 * 0.25)
    assert o.loc["switch", "lost_units"] == o.loc["do_nothing", "lost_units"]  # no second supplier
    assert o.loc["switch", "contingency_cost_gbp"] == 0.0


def test_switch_uses_the_second_supplier_at_its_price():
    """With S2 at £5 and a 1-day lead time (never faster than the usual 2 days) switching loses nothing and costs
    (5 - 4) x 140 units + a £150 set-up fee."""
    o = _run(_inputs(alt="S2", alt_lead=1, alt_price=5.0), Disruption("S1", 20)).options.set_index("option")
    assert o.loc["switch", "lost_units"] == pytest.approx(0.0)
    assert o.loc["switch", "contingency_cost_gbp"] == pytest.approx(140 * 1.0 + 150)


def test_slow_second_supplier_loses_sales_while_its_orders_travel():
    """S2 takes 6 days: the day-7 order lands on day 13, so days 10-12 are lost (30 units)."""
    o = _run(_inputs(alt="S2", alt_lead=6, alt_price=4.0), Disruption("S1", 10)).options.set_index("option")
    assert o.loc["switch", "lost_units"] == pytest.approx(30.0)


def test_open_po_of_the_disrupted_supplier_waits_for_recovery():
    """An open PO of 200 units due on day 3 arrives only when S1 recovers on day 15 (stock lasts days 0-9,
    days 10-14 are lost: 50 units); another supplier's PO is not held up."""
    o = _run(_inputs(open_po=("S1", 3.0, 200.0)), Disruption("S1", 15)).options.set_index("option")
    assert o.loc["do_nothing", "lost_units"] == pytest.approx(50.0)
    assert o.loc["baseline", "lost_units"] == pytest.approx(0.0)
    other = _run(_inputs(open_po=("S9", 3.0, 200.0)), Disruption("S1", 15)).options.set_index("option")
    assert other.loc["do_nothing", "lost_units"] == pytest.approx(0.0)


def test_delay_adds_lead_time():
    """Orders placed in the first 30 days take 3 days longer: each of the three orders of days 7, 16 and 25 lands
    2 days after the shelf is empty, so 3 x 20 = 60 units are lost; the loss grows with the delay."""
    lost = [_run(_inputs(), Disruption("S1", 30, extra)).options.set_index("option").loc["do_nothing", "lost_units"]
            for extra in (0, 3, 5, 8)]
    assert lost[0] == pytest.approx(0.0)
    assert lost[1] == pytest.approx(60.0)
    assert lost == sorted(lost)


def test_alternatives_follow_the_ranking():
    """The second-best supplier is the best-ranked other supplier that has delivered the SKU."""
    inputs = _inputs(alt="S2", alt_lead=3.2, alt_price=5.0)
    extra = pd.DataFrame({"sku": ["X"], "supplier_id": ["S3"], "orders": [5], "lead_days": [1.0], "unit_price": [6.0],
                          "on_time": [1.0]})
    inputs = replace(inputs, suppliers=pd.concat([inputs.suppliers, extra], ignore_index=True))
    assert alternatives(inputs, ["S1", "S2", "S3"]).loc[0, "alt_supplier_id"] == "S2"
    assert alternatives(inputs, ["S3", "S1", "S2"]).loc[0, "alt_supplier_id"] == "S3"
    assert alternatives(inputs).loc[0, "alt_supplier_id"] == "S3"  # default: best on-time share
    assert alternatives(inputs, ["S2"]).loc[0, "alt_lead_time_days"] == 4  # whole days, rounded up


@pytest.fixture(scope="module")
def sample_inputs(sample_db):
    from opscore.inventory import load_inputs
    from opscore.store import open_store

    store = open_store(sample_db, read_only=True)
    try:
        return load_inputs(store)
    finally:
        store.close()


@pytest.mark.parametrize("supplier, extra", [("S1", None), ("S7", None), ("S3", None), ("S7", 5), ("S8", 10)])
def test_results_are_monotone_in_outage_length(sample_inputs, supplier, extra):
    """On the sample (stochastic demand and lead times, same seed), for 0-12 weeks: doing nothing loses more and
    fills less the longer the disruption lasts, and no contingency's cost falls."""
    prev = None
    for weeks in range(0, 13, 2):
        o = simulate_disruption(sample_inputs, Disruption(supplier, 7 * weeks, extra),
                                replications=40).options.set_index("option")
        if prev is not None:
            assert o.loc["do_nothing", "lost_units"] >= prev.loc["do_nothing", "lost_units"] - 1e-6, weeks
            assert o.loc["do_nothing", "fill_rate"] <= prev.loc["do_nothing", "fill_rate"] + 1e-12, weeks
            assert (o["contingency_cost_gbp"] >= prev["contingency_cost_gbp"] - 1e-6).all(), weeks
        else:  # no disruption: every option is the baseline
            assert o.loc["do_nothing", "lost_units"] == pytest.approx(o.loc["baseline", "lost_units"])
        prev = o


def test_sample_outage_uses_the_simulator_spread(sample_inputs):
    """Four weeks without S1 on the sample: doing nothing fills clearly less than the baseline, expediting gets
    back near it, and the fill rates come with a confidence interval from the runs."""
    o = simulate_disruption(sample_inputs, Disruption("S1", 28), replications=60).options.set_index("option")
    assert o.loc["do_nothing", "fill_rate"] < o.loc["baseline", "fill_rate"] - 0.05
    assert o.loc["expedite", "fill_rate"] > o.loc["do_nothing", "fill_rate"] + 0.05
    assert (o["fill_rate_low"] < o["fill_rate_high"]).all()
    assert ((o["fill_rate_low"] <= o["fill_rate"]) & (o["fill_rate"] <= o["fill_rate_high"])).all()


def test_recommendation_is_the_cheapest_option_meeting_the_target(sample_inputs):
    """The recommended option meets the target and no other contingency meeting it has a lower total cost."""
    r = simulate_disruption(sample_inputs, Disruption("S1", 28), replications=60, service_target=0.98)
    o = r.options.set_index("option")
    ok = o[o["meets_target"] & (o.index != "baseline")]
    assert r.recommended in ok.index
    assert o.loc[r.recommended, "total_cost_gbp"] == pytest.approx(ok["total_cost_gbp"].min())
    assert o.loc[r.recommended, "label"] in r.recommendation


def test_bad_input_is_refused(sample_inputs):
    """An unknown supplier, an outage longer than the horizon, a service target above 1 and a negative premium are
    refused."""
    with pytest.raises(ValueError, match="not the main supplier"):
        simulate_disruption(sample_inputs, Disruption("S99", 14))
    with pytest.raises(ValueError, match="horizon"):
        simulate_disruption(sample_inputs, Disruption("S1", 400), horizon_days=91)
    with pytest.raises(ValueError, match="service target"):
        simulate_disruption(sample_inputs, Disruption("S1", 14), service_target=1.5)
    with pytest.raises(ValueError, match="0 or more"):
        simulate_disruption(sample_inputs, Disruption("S1", 14), costs=Contingencies(expedite_premium=-0.1))


def _snapshot(base) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Copies of every field of a prepared base, its inputs' arrays and frames included."""
    inputs = {name: (value.copy() if isinstance(value, (np.ndarray, pd.DataFrame)) else value)
              for name, value in vars(base.inputs).items()}
    return {"inputs": inputs, "policy": base.policy.copy(), "alternatives": base.alternatives.copy(),
            "baseline": dict(base.baseline), "baseline_daily": base.baseline_daily.copy()}


def _same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        return a.equals(b)
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_a_prepared_base_gives_the_same_results_move_after_move(sample_inputs):
    """The page prepares a supplier once and reuses it for every move: each move equals a fresh full run, and every
    field of the shared base is as it was after the moves."""
    base = prepare_disruption(sample_inputs, "S7", replications=20)
    before = _snapshot(base)
    for disruption in (Disruption("S7", 28), Disruption("S7", 42, 5), Disruption("S7", 14)):
        costs = Contingencies(extra_safety_days=7.0)
        moved = disruption_options(base, disruption, costs)
        fresh = simulate_disruption(sample_inputs, disruption, costs=costs, replications=20)
        pd.testing.assert_frame_equal(moved.options, fresh.options)
        pd.testing.assert_frame_equal(moved.daily, fresh.daily)
        pd.testing.assert_frame_equal(moved.skus, fresh.skus)
        assert moved.recommendation == fresh.recommendation
    after = _snapshot(base)
    assert all(_same(before[k], after[k]) for k in before)


def test_a_prepared_base_cannot_be_written_to(sample_inputs):
    """A base is shared by every user of the page: its arrays refuse writes instead of changing another's figures."""
    base = prepare_disruption(sample_inputs, "S1", replications=4)
    with pytest.raises(ValueError, match="read-only"):
        base.inputs.on_hand[0] = 0.0
    assert sample_inputs.on_hand.flags.writeable  # the caller's inputs are not touched


def test_every_problem_is_named_in_one_message(sample_inputs):
    """A disruption of another supplier than the prepared one, too long, with a bad target and a negative fee:
    one refusal naming all four; the one-call form names an unknown supplier and a bad target together."""
    base = prepare_disruption(sample_inputs, "S1", replications=4)
    with pytest.raises(ValueError) as err:
        disruption_options(base, Disruption("S2", 400), Contingencies(switch_fee_gbp=-1), service_target=0)
    message = str(err.value)
    for part in ("prepare one with prepare_disruption for 'S2'", "use 0 to 91 days", "service target 0",
                 "0 or more"):
        assert part in message
    with pytest.raises(ValueError) as err:
        simulate_disruption(sample_inputs, Disruption("S99", 14), service_target=1.5)
    assert "not the main supplier" in str(err.value) and "service target 1.5" in str(err.value)
