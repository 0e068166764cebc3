"""Footprint sources checked against hand calculations with the DESNZ 2025 factors.

Distances are put on one meridian, where the great-circle distance is the arc R x dphi
(R = 6371.0088 km, IUGG mean radius), so every km below can be checked with a calculator.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from opscore import sustainability as su

R = 6371.0088
KM_PER_DEG = R * math.pi / 180  # 111.19508 km of meridian arc per degree


def _route_tables(fuel: str = "diesel") -> dict[str, pd.DataFrame]:
    """One van, one day, depot at 53.0 N and two customers 0.1 and 0.2 degrees north of it."""
    return {
        "sites": pd.DataFrame({"site_id": ["D"], "name": ["Depot"], "kind": ["warehouse"], "lat": [53.0],
                               "lon": [-1.5]}),
        "vehicles": pd.DataFrame({"vehicle_id": ["V1"], "fuel": [fuel], "cost_per_km": [0.30], "depot_id": ["D"]}),
        "customers": pd.DataFrame({"customer_id": ["A", "B"], "lat": [53.1, 53.2], "lon": [-1.5, -1.5],
                                   "service_minutes": [10.0, 10.0]}),
        "orders": pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["A", "B"]}),
        "deliveries": pd.DataFrame({
            "delivery_id": ["D1", "D2"], "order_id": ["O1", "O2"], "vehicle_id": ["V1", "V1"],
            "planned_date": pd.to_datetime(["2026-03-02", "2026-03-02"]),
            "planned_arrival": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 10:00"]),
            "actual_arrival": pd.to_datetime(["2026-03-02 09:05", "2026-03-02 10:02"]),
            "outcome": ["delivered", "failed"]}),
    }


@pytest.mark.parametrize("fuel, per_km", [("diesel", 0.25561), ("petrol", 0.21335), ("electric", 0.06315 + 0.00662)])
def test_small_route_emissions_by_hand(fuel, per_km):
    """Depot -> A (0.1 deg) -> B (0.1 deg) -> depot (0.2 deg) is 0.4 deg = 44.478 km of arc, x 1.3 circuity
    = 57.821 road km; kg CO2e = km x the DESNZ 2025 van factor (diesel 0.25561, petrol 0.21335, battery
    electric 0.06315 + 0.00662 grid losses). A failed attempt still counts: the van drove there."""
    tables = _route_tables(fuel)
    days = su.van_day_emissions(tables, su.default_factors(), circuity=1.3)
    km = 1.3 * 0.4 * KM_PER_DEG
    assert km == pytest.approx(57.8215, abs=1e-4)
    assert days["km"].iloc[0] == pytest.approx(km, rel=1e-9)
    assert days["kg_co2e"].iloc[0] == pytest.approx(km * per_km, rel=1e-9)
    assert days["cost_gbp"].iloc[0] == pytest.approx(km * 0.30, rel=1e-9)


def test_stops_follow_planned_order_not_table_order():
    """Visiting B first (planned earlier) makes the route depot -> B (0.2) -> A (0.1) -> depot (0.1): still 0.4 deg,
    but the first leg is 0.2 deg = 22.239 km of arc; pending deliveries are left out."""
    tables = _route_tables()
    tables["deliveries"]["planned_arrival"] = pd.to_datetime(["2026-03-02 11:00", "2026-03-02 08:00"])
    stops = su.delivery_stops(deliveries=tables["deliveries"], orders=tables["orders"],
                              customers=tables["customers"], vehicles=tables["vehicles"], sites=tables["sites"])
    legs = su.route_legs(stops, circuity=1.0)
    assert list(legs["customer_id"]) == ["B", "A"]
    assert legs["leg_km"].tolist() == pytest.approx([0.2 * KM_PER_DEG, 0.1 * KM_PER_DEG], rel=1e-9)
    assert legs["return_km"].tolist() == pytest.approx([0.0, 0.1 * KM_PER_DEG], rel=1e-9)
    tables["deliveries"]["outcome"] = ["pending", "delivered"]
    only = su.delivery_stops(deliveries=tables["deliveries"], orders=tables["orders"],
                             customers=tables["customers"], vehicles=tables["vehicles"], sites=tables["sites"])
    assert list(only["delivery_id"]) == ["D2"]


def test_packaging_mix_by_hand():
    """Cartons: S 10x10x10 cm (1 L, 0.1 kg board), L 20x20x20 cm (8 L, 0.5 kg average plastics).
    Orders of 0.8 L, 4.8 L and 20 L take S, L and 3 x L (ceil(20/8)). kg CO2e = tare kg x DESNZ 2025 material
    factor / 1000: 0.1 x 1199.7/1000 + 0.5 x 3172.5/1000 + 1.5 x 3172.5/1000 = 0.11997 + 1.58625 + 4.75875."""
    products = pd.DataFrame({"sku": ["P"], "length_cm": [10.0], "width_cm": [10.0], "height_cm": [8.0]})
    lines = pd.DataFrame({"order_id": ["O1", "O2", "O3"], "sku": ["P", "P", "P"], "quantity": [1, 6, 25]})
    cartons = pd.DataFrame({"carton_id": ["S", "L"], "name": ["small", "large"], "length_cm": [10.0, 20.0],
                            "width_cm": [10.0, 20.0], "height_cm": [10.0, 20.0], "tare_weight_kg": [0.1, 0.5],
                            "material": ["board", "plastics"], "cost": [0.2, 1.0]})
    volumes = su.order_volumes(lines, products)
    assert volumes.tolist() == pytest.approx([0.8, 4.8, 20.0])
    packs = su.cartons_for_orders(volumes, cartons, su.default_factors())
    assert packs["carton_id"].tolist() == ["S", "L", "L"]
    assert packs["n_cartons"].tolist() == [1, 1, 3]
    assert packs["kg_co2e"].tolist() == pytest.approx([0.11997, 1.58625, 4.75875], rel=1e-9)
    assert packs["kg_co2e"].sum() == pytest.approx(6.46497, rel=1e-9)
    greener = su.PackagingPolicy(materials={"L": "board"}, reuse_trips={"L": 10})
    what_if = su.change_packaging(volumes, cartons, su.default_factors(), greener)
    assert what_if.scenario_kg_co2e == pytest.approx(0.11997 + 2.0 * 1.1997 / 10, rel=1e-9)
    assert what_if.scenario_cost_gbp == pytest.approx(0.2 + 4 * 1.0 / 10, rel=1e-9)


def test_inbound_tonne_km_by_hand():
    """A supplier 1 deg north of the warehouse: 111.195 km arc x 1.3 = 144.554 road km; 2000 units x 0.5 kg =
    1 t, so 144.554 tonne-km x 0.10163 (DESNZ 2025 HGV average laden) = 14.691 kg CO2e. Open lines are skipped."""
    sites = pd.DataFrame({"site_id": ["W"], "kind": ["warehouse"], "lat": [53.0], "lon": [-1.5]})
    suppliers = pd.DataFrame({"supplier_id": ["S"], "lat": [54.0], "lon": [-1.5]})
    products = pd.DataFrame({"sku": ["P"], "weight_kg": [0.5]})
    pos = pd.DataFrame({"po_id": ["1", "2"], "supplier_id": ["S", "S"], "sku": ["P", "P"],
                        "received_date": pd.to_datetime(["2026-01-05", None]), "qty_ordered": [2000, 10],
                        "qty_received": [2000, None], "unit_price": [1.5, 1.5]})
    rows = su.inbound_tonne_km(pos, products, suppliers, sites, circuity=1.3)
    assert len(rows) == 1
    assert rows["tonne_km"].iloc[0] == pytest.approx(1.3 * KM_PER_DEG, rel=1e-9)
    assert rows["tonne_km"].iloc[0] * su.hgv_kg_co2e_per_tonne_km() == pytest.approx(14.6910, abs=1e-4)
    assert rows["spend_gbp"].iloc[0] == 3000.0


def test_refrigeration_electricity_by_hand():
    """A 2 kW chiller running 18 h uses 36 kWh; x (0.17700 + 0.01853) kg CO2e/kWh (DESNZ 2025 UK electricity
    generated + T&D losses) = 7.03908 kg. A forklift's readings are not refrigeration and are ignored."""
    assets = pd.DataFrame({"asset_id": ["A1", "F1"], "type": ["chiller", "forklift"]})
    readings = pd.DataFrame({"asset_id": ["A1", "F1"], "ts": pd.to_datetime(["2026-01-05 12:00"] * 2),
                             "run_hours": [18.0, 7.0]})
    kwh = su.refrigeration_kwh(readings, assets)
    assert kwh["kwh"].tolist() == [36.0]
    assert kwh["kwh"].iloc[0] * su.electricity_kg_co2e_per_kwh() == pytest.approx(7.03908, rel=1e-9)


def test_monthly_footprint_and_intensity():
    """Two months of activity: totals per month and source add up, kg per order = kg / delivered orders,
    g per GBP = 1000 x kg / revenue (revenue = sales quantity x price)."""
    acts = pd.DataFrame({"date": pd.to_datetime(["2026-01-10", "2026-01-20", "2026-02-03", "2026-03-01"]),
                         "source": ["deliveries", "packaging", "deliveries", "deliveries"],
                         "activity": [10.0, 1.0, 20.0, 99.0], "unit": ["km", "kg packaging", "km", "km"],
                         "kg_co2e": [2.0, 3.0, 4.0, 50.0]})
    monthly = su.monthly_footprint(acts, pd.Timestamp("2026-01-01").date(), pd.Timestamp("2026-02-28").date())
    assert monthly["kg_co2e"].tolist() == [2.0, 3.0, 4.0]
    orders = pd.DataFrame({"status": ["delivered", "delivered", "failed", "delivered"],
                           "delivery_date": pd.to_datetime(["2026-01-10", "2026-01-11", "2026-01-12", "2026-02-03"])})
    sales = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-02-05"]), "quantity": [10, 4],
                          "price": [50.0, 25.0]})
    out = su.monthly_intensity(monthly, orders, sales)
    assert out["kg_per_order"].tolist() == pytest.approx([2.5, 4.0])
    assert out["g_per_gbp"].tolist() == pytest.approx([10.0, 40.0])
    with pytest.raises(ValueError, match="after it ends"):
        su.monthly_footprint(acts, pd.Timestamp("2026-02-01").date(), pd.Timestamp("2026-01-01").date())


def test_last_full_months():
    """As of 2 Nov 2026 the last 12 full months run from 1 Nov 2025 to 31 Oct 2026."""
    start, end = su.last_full_months(pd.Timestamp("2026-11-02").date(), 12)
    assert (str(start), str(end)) == ("2025-11-01", "2026-10-31")
    # as of a month's last day, that month is complete; a day earlier it is not
    assert tuple(map(str, su.last_full_months(pd.Timestamp("2026-10-31").date(), 1))) == ("2026-10-01", "2026-10-31")
    assert tuple(map(str, su.last_full_months(pd.Timestamp("2026-10-30").date(), 1))) == ("2026-09-01", "2026-09-30")


def test_edited_factor_flows_into_the_footprint(sample_store):
    """Saving an edited diesel van factor in the workspace doubles the diesel vans' kg CO2e and nothing else."""
    tables = su.load_tables(sample_store)
    before = su.van_day_emissions(tables, su.factors_from(tables["emission_factors"]))
    factors = su.factors_from(tables["emission_factors"])
    factors.loc[factors["factor_id"] == "van_diesel_km", "kg_co2e"] = 2 * 0.25561
    su.save_factors(sample_store, factors)
    after_tables = su.load_tables(sample_store)
    after = su.van_day_emissions(after_tables, su.factors_from(after_tables["emission_factors"]))
    diesel = before["fuel"] == "diesel"
    assert after.loc[diesel, "kg_co2e"].sum() == pytest.approx(2 * before.loc[diesel, "kg_co2e"].sum())
    assert after.loc[~diesel, "kg_co2e"].sum() == pytest.approx(before.loc[~diesel, "kg_co2e"].sum())
    factors.loc[0, "kg_co2e"] = -1
    with pytest.raises(ValueError, match="must be a number of 0 or more"):
        su.save_factors(sample_store, factors)
