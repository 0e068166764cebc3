"""Disruption what-if: a hand-checked stock-out, monotone results in outage length, recommendation and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.suppliers import Contingencies, Disruption, SupplyPlan, simulate_disruption, supply_plan

AS_OF = pd.Timestamp("2026-06-01")


def _plan(on_hand=100.0, alt="", alt_lead=np.nan, alt_price=np.nan, shelf=np.nan, open_pos=None) -> SupplyPlan:
    """One SKU from S1: 10 units a day, lead time 2 days, cost £4, price £10."""
    skus = pd.DataFrame({"sku": ["X"], "name": ["Thing"], "supplier_id": ["S1"], "unit_cost": [4.0],
                         "unit_price": [10.0], "lead_time_days": [2], "shelf_life_days": [shelf],
                         "units_per_day": [10.0], "on_hand": [on_hand], "alt_supplier_id": [alt],
                         "alt_lead_time_days": [alt_lead], "alt_unit_price": [alt_price]})
    opens = open_pos if open_pos is not None else pd.DataFrame(columns=["sku", "supplier_id", "due_day", "qty"])
    return SupplyPlan(skus, opens, AS_OF)


def test_outage_stockout_by_hand():
    """100 units cover days 0-9; S1 is out for 20 days, so the first order goes at the end of day 20 and lands on
    day 22: lost = 10/day x (20 + 2 - 10) = 120 units = £1,200 of revenue, £720 of margin; the baseline loses nothing."""
    r = simulate_disruption(_plan(), Disruption("S1", 20), horizon_days=60)
    o = r.options.set_index("option")
    assert o.loc["baseline", "lost_units"] == pytest.approx(0.0)
    assert o.loc["do_nothing", "lost_units"] == pytest.approx(120.0)
    assert o.loc["do_nothing", "lost_revenue_gbp"] == pytest.approx(1200.0)
    assert o.loc["do_nothing", "lost_margin_gbp"] == pytest.approx(720.0)
    assert o.loc["do_nothing", "fill_rate"] == pytest.approx(1 - 120 / 600)
    assert r.skus.loc[0, "first_stockout_day"] == 10


def test_contingencies_by_hand():
    """Same outage. Expedite restores normal supply: nothing lost; it buys what the baseline buys in days 0-19
    (orders on days 5, 12, 19 of 70 units each, 210 units) at +30 % of £4 plus £40 per order = £372.
    Raising safety stock by 14 days (140 units) more than covers the 120 units short, so nothing is lost, for a
    holding cost of 140 x £4 x 25 % = £140 a year. Without a second supplier, switching changes nothing."""
    o = simulate_disruption(_plan(), Disruption("S1", 20), horizon_days=60).options.set_index("option")
    assert o.loc["expedite", "lost_units"] == pytest.approx(0.0)
    assert o.loc["expedite", "contingency_cost_gbp"] == pytest.approx(210 * 4 * 0.3 + 3 * 40)
    assert o.loc["safety_stock", "lost_units"] == pytest.approx(0.0)
    assert o.loc["safety_stock", "contingency_cost_gbp"] == pytest.approx(140 * 4 * 0.25)
    assert o.loc["switch", "lost_units"] == o.loc["do_nothing", "lost_units"]  # no second supplier


def test_switch_uses_the_second_supplier_at_its_price():
    """With S2 at £5 (lead 1 day, planned at the normal 2 days) switching loses nothing and costs
    (5 - 4) x 210 units + a £150 switching fee."""
    o = simulate_disruption(_plan(alt="S2", alt_lead=1, alt_price=5.0), Disruption("S1", 20),
                            horizon_days=60).options.set_index("option")
    assert o.loc["switch", "lost_units"] == pytest.approx(0.0)
    assert o.loc["switch", "contingency_cost_gbp"] == pytest.approx(210 * 1.0 + 150)


def test_open_po_of_the_disrupted_supplier_waits_for_recovery():
    """An open PO of 200 units due on day 3 arrives only when S1 recovers on day 15 (stock lasts days 0-9,
    days 10-14 are lost: 50 units)."""
    opens = pd.DataFrame({"sku": ["X"], "supplier_id": ["S1"], "due_day": [3], "qty": [200.0]})
    o = simulate_disruption(_plan(open_pos=opens), Disruption("S1", 15), horizon_days=60).options.set_index("option")
    assert o.loc["do_nothing", "lost_units"] == pytest.approx(50.0)
    assert o.loc["baseline", "lost_units"] == pytest.approx(0.0)


def test_delay_adds_lead_time():
    """Orders placed in the first 30 days take 0, 3, 5 or 8 days longer: no delay loses nothing, and the loss grows
    with the delay (the day-5 order lands on day 7 + delay while stock runs out on day 10)."""
    lost = [simulate_disruption(_plan(), Disruption("S1", 30, extra), horizon_days=60).options.set_index("option")
            .loc["do_nothing", "lost_units"] for extra in (0, 3, 5, 8)]
    assert lost[0] == pytest.approx(0.0)
    assert lost == sorted(lost) and lost[-1] > 0


@pytest.fixture(scope="module")
def sample_plan(sample_db):
    from opscore.store import open_store

    store = open_store(sample_db, read_only=True)
    try:
        t = {n: store.table(n) for n in ("purchase_orders", "products", "sales", "inventory")}
        return supply_plan(t["purchase_orders"], t["products"], t["sales"], t["inventory"], store.as_of())
    finally:
        store.close()


@pytest.mark.parametrize("supplier, extra", [("S1", None), ("S7", None), ("S3", None), ("S7", 5), ("S8", 10)])
def test_results_are_monotone_in_outage_length(sample_plan, supplier, extra):
    """On the sample, for 0-12 weeks: every option's lost units and lost revenue never fall, fill rates never rise
    and contingency costs never fall as the disruption lasts longer."""
    prev = None
    for weeks in range(13):
        o = simulate_disruption(sample_plan, Disruption(supplier, 7 * weeks, extra)).options.set_index("option")
        if prev is not None:
            assert (o["lost_units"] >= prev["lost_units"] - 1e-6).all(), weeks
            assert (o["lost_revenue_gbp"] >= prev["lost_revenue_gbp"] - 1e-6).all(), weeks
            assert (o["fill_rate"] <= prev["fill_rate"] + 1e-12).all(), weeks
            assert (o["contingency_cost_gbp"] >= prev["contingency_cost_gbp"] - 1e-6).all(), weeks
        prev = o


def test_recommendation_is_the_cheapest_option_meeting_the_target(sample_plan):
    """The recommended option meets the target and no other contingency meeting it has a lower total cost."""
    r = simulate_disruption(sample_plan, Disruption("S1", 28), service_target=0.98)
    o = r.options.set_index("option")
    ok = o[o["meets_target"] & (o.index != "baseline")]
    assert r.recommended in ok.index
    assert o.loc[r.recommended, "total_cost_gbp"] == pytest.approx(ok["total_cost_gbp"].min())
    assert o.loc[r.recommended, "label"] in r.recommendation


def test_bad_input_is_refused(sample_plan):
    """An unknown supplier, an outage longer than the horizon, a service target above 1 and a negative premium are refused."""
    with pytest.raises(ValueError, match="not the main supplier"):
        simulate_disruption(sample_plan, Disruption("S99", 14))
    with pytest.raises(ValueError, match="horizon"):
        simulate_disruption(sample_plan, Disruption("S1", 400), horizon_days=91)
    with pytest.raises(ValueError, match="service target"):
        simulate_disruption(sample_plan, Disruption("S1", 14), service_target=1.5)
    with pytest.raises(ValueError, match="0 or more"):
        simulate_disruption(sample_plan, Disruption("S1", 14), costs=Contingencies(expedite_premium=-0.1))
