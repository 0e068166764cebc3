"""Inventory visibility figures on a hand-made two-SKU business, where every answer is worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from opscore import visibility as vis

AS_OF = date(2026, 11, 2)


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    products = pd.DataFrame({
        "sku": ["A", "B"], "name": ["Milk", "Flour"], "category": ["Dairy", "Dry goods"],
        "temperature_class": ["chilled", "ambient"], "unit_cost": [2.0, 10.0], "unit_price": [3.0, 14.0],
        "lead_time_days": [7, 3], "supplier_id": ["S1", "S2"],
    })
    snap = pd.Timestamp(AS_OF)
    inventory = pd.DataFrame({
        "snapshot_date": [snap, snap, snap, snap - pd.Timedelta(days=7)],
        "bin_id": ["C1", "C2", "D1", "D1"], "sku": ["A", "A", "B", "B"], "lot": ["a1", "a2", "b1", "b0"],
        "quantity": [20, 10, 50, 999],
        "received_date": [snap - pd.Timedelta(days=2), snap - pd.Timedelta(days=40), snap - pd.Timedelta(days=100),
                          snap],
        "expiry_date": [snap + pd.Timedelta(days=2), snap - pd.Timedelta(days=1), pd.NaT, pd.NaT],
    })
    # A sells 10 a day over the last 28 days; B last sold 120 days ago
    days = pd.date_range(snap - pd.Timedelta(days=28), snap - pd.Timedelta(days=1))
    sales = pd.concat([
        pd.DataFrame({"date": days, "sku": "A", "quantity": 10}),
        pd.DataFrame({"date": [snap - pd.Timedelta(days=120)], "sku": ["B"], "quantity": [5]}),
    ], ignore_index=True)
    purchase_orders = pd.DataFrame({
        "po_id": ["P1", "P2", "P3"], "supplier_id": ["S1", "S1", "S2"], "sku": ["A", "A", "B"],
        "order_date": [snap - pd.Timedelta(days=3)] * 3,
        "promised_date": [snap + pd.Timedelta(days=4), snap + pd.Timedelta(days=30), snap - pd.Timedelta(days=2)],
        "received_date": [pd.NaT, pd.NaT, pd.NaT], "qty_ordered": [25, 100, 40],
    })
    bins = pd.DataFrame({"bin_id": ["C1", "C2", "D1"], "zone": ["chilled", "chilled", "ambient"]})
    suppliers = pd.DataFrame({"supplier_id": ["S1", "S2"], "name": ["Dales", "Pennine"]})
    return {"products": products, "inventory": inventory, "sales": sales, "purchase_orders": purchase_orders,
            "bins": bins, "suppliers": suppliers}


def _position(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return vis.stock_position(t["products"], t["inventory"], t["sales"], t["purchase_orders"], AS_OF).set_index("sku")


def test_on_hand_value_and_cover_use_the_latest_snapshot(tables: dict[str, pd.DataFrame]) -> None:
    """A: 30 units x £2 = £60, 10/day -> 3 days of cover; the older snapshot of B (999) is ignored."""
    pos = _position(tables)
    assert pos.loc["A", "on_hand"] == 30 and pos.loc["A", "value"] == 60.0
    assert pos.loc["A", "daily_demand"] == pytest.approx(10.0)
    assert pos.loc["A", "days_of_cover"] == pytest.approx(3.0)
    assert pos.loc["B", "on_hand"] == 50


def test_at_risk_counts_only_orders_due_within_the_lead_time(tables: dict[str, pd.DataFrame]) -> None:
    """A needs 70 over its 7-day lead time; it has 30 + 25 due in 4 days = 55 < 70, so it is at risk.
    The 100 due in 30 days do not help. B has no demand and is never at risk."""
    pos = _position(tables)
    assert pos.loc["A", "due_within_lead_time"] == 25 and pos.loc["A", "on_order"] == 125
    assert bool(pos.loc["A", "at_risk"]) and not bool(pos.loc["B", "at_risk"])


def test_dead_stock_is_stock_without_a_sale_for_90_days(tables: dict[str, pd.DataFrame]) -> None:
    """B last sold 120 days ago and holds 50 x £10."""
    dead = vis.dead_stock(_position(tables).reset_index())
    assert dead["sku"].tolist() == ["B"] and dead["value"].iloc[0] == 500.0


def test_expired_and_expiring_lots(tables: dict[str, pd.DataFrame]) -> None:
    """Lot a2 expired yesterday; lot a1 expires in 2 days (inside the 3-day warning)."""
    lots = vis.expiring_lots(tables["products"], tables["inventory"], AS_OF)
    assert lots[["lot", "status", "days_left"]].values.tolist() == [["a2", "expired", -1], ["a1", "expiring", 2]]


def test_stock_by_location_and_ageing(tables: dict[str, pd.DataFrame]) -> None:
    """Value by category and zone; units by age band from the receipt date."""
    by_loc = vis.stock_by_location(tables["products"], tables["inventory"], tables["bins"])
    assert by_loc.set_index(["category", "zone"])["value"].to_dict() == {("Dry goods", "ambient"): 500.0,
                                                                         ("Dairy", "chilled"): 60.0}
    ageing = vis.ageing_stock(tables["inventory"], AS_OF).set_index("age_days")["units"]
    assert ageing.to_dict() == {"0-30": 20, "31-60": 10, "61-90": 0, ">90": 50}


def test_late_purchase_orders(tables: dict[str, pd.DataFrame]) -> None:
    """Only P3 is open past its promised date, by 2 days, from Pennine."""
    late = vis.late_purchase_orders(tables["purchase_orders"], tables["suppliers"], AS_OF)
    assert late[["po_id", "supplier", "days_late"]].values.tolist() == [["P3", "Pennine", 2]]


def test_sample_summary_is_consistent(sample_store) -> None:  # type: ignore[no-untyped-def]
    """On the sample, the headline figures add up from their detail tables."""
    t = {n: sample_store.table(n) for n in ("products", "inventory", "sales", "purchase_orders", "suppliers",
                                             "deliveries", "orders", "customers", "vehicles")}
    as_of = sample_store.as_of()
    pos = vis.stock_position(t["products"], t["inventory"], t["sales"], t["purchase_orders"], as_of)
    today = vis.todays_deliveries(t["deliveries"], t["orders"], t["customers"], t["vehicles"], as_of)
    s = vis.summarise(position=pos, dead=vis.dead_stock(pos),
                      expiring=vis.expiring_lots(t["products"], t["inventory"], as_of),
                      late=vis.late_purchase_orders(t["purchase_orders"], t["suppliers"], as_of), today=today)
    snap = vis.latest_snapshot(t["inventory"])
    assert s.stock_units == int(snap["quantity"].sum())
    assert s.deliveries_today == int((t["deliveries"]["planned_date"] == pd.Timestamp(as_of)).sum()) > 0
    assert 0 < s.skus_at_risk < len(t["products"])


def test_a_stock_count_dated_after_the_as_of_date_is_not_counted(tables: dict[str, pd.DataFrame]) -> None:
    """Looked at as of a day before every snapshot, the stock is unknown (no value, no SKU at risk), not the
    later count's figures."""
    first = tables["inventory"]["snapshot_date"].min().date()
    before = first - pd.Timedelta(days=1)
    position = vis.stock_position(tables["products"], tables["inventory"], tables["sales"], tables["purchase_orders"],
                                  before)
    assert position["on_hand"].isna().all() and not position["at_risk"].any()
    assert vis.stock_by_location(tables["products"], tables["inventory"], tables["bins"], before).empty
    expiring = vis.expiring_lots(tables["products"], tables["inventory"], before)
    summary = vis.summarise(position=position, dead=vis.dead_stock(position), expiring=expiring,
                            late=pd.DataFrame(), today=pd.DataFrame())
    assert summary.stock_value is None and summary.skus_at_risk is None
