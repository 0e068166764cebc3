"""Risk register: HHI by hand, single sourcing, geographic clusters, time to survive vs time to recover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.suppliers import hhi, hhi_band, largest_cluster_share, risk_register, supplier_kpis


def test_hhi_by_hand():
    """Spend 50, 30, 20 -> shares 50 %, 30 %, 20 % -> HHI = 2500 + 900 + 400 = 3800 points (Rhoades 1993),
    highly concentrated (> 1800); four equal suppliers -> 4 x 25^2 = 2500; one supplier -> 10,000."""
    assert hhi([50, 30, 20]) == pytest.approx(3800.0)
    assert hhi([0.5, 0.3, 0.2]) == pytest.approx(3800.0)
    assert hhi([1, 1, 1, 1]) == pytest.approx(2500.0)
    assert hhi([7]) == pytest.approx(10000.0)
    assert hhi_band(3800) == "highly concentrated"
    assert hhi_band(1500) == "moderately concentrated"
    assert hhi_band(10 * 10 ** 2) == "unconcentrated"  # ten equal suppliers: 10 x 10^2 = 1000


def test_hhi_bad_input():
    """Negative, empty or all-zero spend cannot give an HHI and is refused."""
    for bad in ([10, -1], [], [0, 0]):
        with pytest.raises(ValueError, match="HHI"):
            hhi(bad)


def test_largest_cluster_share():
    """Two suppliers 0.1 degree of latitude apart (11 km) hold 60 + 30 % of spend; a third 2 degrees away does
    not join them within 50 km -> largest cluster 90 %."""
    share, members = largest_cluster_share([53.0, 53.1, 55.0], [-1.5, -1.5, -1.5], [60, 30, 10], radius_km=50)
    assert share == pytest.approx(0.9)
    assert list(members) == [True, True, False]


@pytest.fixture
def small_business():
    """Two SKUs: P single-sourced from S1 (10 on hand, sells 2/day; S1 recovers in 7 days); Q bought from S1
    and S2 (20 sellable on hand, sells 1/day)."""
    as_of = pd.Timestamp("2026-06-01")
    po = pd.DataFrame({
        "po_id": ["a", "b", "c", "d"], "supplier_id": ["S1", "S1", "S1", "S2"], "sku": ["P", "P", "Q", "Q"],
        "order_date": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-03-05", "2026-04-05"]),
        "promised_date": pd.to_datetime(["2026-03-03", "2026-04-03", "2026-03-07", "2026-04-09"]),
        "received_date": pd.to_datetime(["2026-03-03", "2026-04-05", "2026-03-07", "2026-04-09"]),
        "qty_ordered": [10, 10, 10, 10], "qty_received": [10, 10, 10, 10], "qty_defective": [0, 0, 0, 0],
        "unit_price": [3.0, 3.0, 3.0, 3.0]})
    products = pd.DataFrame({"sku": ["P", "Q"], "name": ["Pea", "Quince"], "supplier_id": ["S1", "S1"]})
    suppliers = pd.DataFrame({"supplier_id": ["S1", "S2"], "name": ["One", "Two"], "city": ["Leeds", "York"],
                              "lat": [53.8, 53.96], "lon": [-1.55, -1.08], "recovery_days": [7, 3]})
    days = pd.date_range(as_of - pd.Timedelta(days=56), periods=56)
    sales = pd.concat([pd.DataFrame({"date": days, "sku": "P", "quantity": 2, "price": 1000 / 730}),
                       pd.DataFrame({"date": days, "sku": "Q", "quantity": 1, "price": 1.0})])
    inventory = pd.DataFrame({"snapshot_date": [as_of] * 3, "sku": ["P", "Q", "Q"], "quantity": [10, 20, 50],
                              "expiry_date": [pd.NaT, pd.NaT, as_of - pd.Timedelta(days=1)]})
    return po, products, suppliers, sales, inventory, as_of


def test_register_by_hand(small_business):
    """P is single-sourced: revenue at risk = its year's sales, 112 units (56 days x 2) x £1000/730; P survives
    10 / 2 = 5 days < 7 to recover (flagged); Q survives 20 / 1 = 20 days (the expired lot is excluded)."""
    po, products, suppliers, sales, inventory, as_of = small_business
    reg = risk_register(purchase_orders=po, products=products, suppliers=suppliers, sales=sales, inventory=inventory,
                        as_of=as_of)
    s = reg.skus.set_index("sku")
    assert bool(s.loc["P", "single_sourced"]) and not bool(s.loc["Q", "single_sourced"])
    assert s.loc["Q", "suppliers"] == "S1, S2"
    assert s.loc["P", "revenue_at_risk_gbp"] == pytest.approx(112 * 1000 / 730)
    assert s.loc["Q", "revenue_at_risk_gbp"] == 0.0
    assert s.loc["P", "time_to_survive_days"] == pytest.approx(5.0)
    assert s.loc["Q", "time_to_survive_days"] == pytest.approx(20.0)
    assert bool(s.loc["P", "survive_lt_recover"]) and not bool(s.loc["Q", "survive_lt_recover"])
    assert reg.spend_hhi == pytest.approx(75 ** 2 + 25 ** 2)  # spend 90 vs 30
    sup = reg.suppliers.set_index("supplier_id")
    assert sup.loc["S1", "single_sourced_skus"] == 1
    assert sup.loc["S1", "lead_time_mean_days"] == pytest.approx(8 / 3)  # lead times 2, 4, 2


def test_register_refuses_a_short_lookback(small_business):
    """A lookback under 30 days is refused with the fix in the message."""
    po, products, suppliers, sales, inventory, as_of = small_business
    with pytest.raises(ValueError, match="at least 30 days"):
        risk_register(purchase_orders=po, products=products, suppliers=suppliers, sales=sales, inventory=inventory,
                      as_of=as_of, lookback_days=7)


def test_sample_register_agrees_with_the_scorecard(sample_store):
    """On the sample the register's spend HHI equals sum((100 x spend share)^2) of the KPI table over the
    same year, and every SKU flagged 'survive < recover' really has less cover than recovery time."""
    as_of = pd.Timestamp(sample_store.as_of())
    tables = {n: sample_store.table(n) for n in ("purchase_orders", "products", "suppliers", "sales", "inventory")}
    reg = risk_register(**tables, as_of=as_of)
    k = supplier_kpis(tables["purchase_orders"], as_of - pd.Timedelta(days=365), as_of)
    assert reg.spend_hhi == pytest.approx(float(((100 * k["spend_share"]) ** 2).sum()))
    flagged = reg.skus[reg.skus["survive_lt_recover"]]
    assert (flagged["time_to_survive_days"] < flagged["time_to_recover_days"]).all()
    assert np.isclose(reg.revenue_at_risk_gbp, reg.skus.loc[reg.skus["single_sourced"], "revenue_gbp"].sum())
