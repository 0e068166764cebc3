"""What-if arithmetic checked by hand: electric switch, fewer delivery days, greener suppliers.

Factors: DESNZ 2025 van diesel 0.25561, battery electric 0.06315 + 0.00662 = 0.06977 kg CO2e/km,
HGV average laden 0.10163 kg CO2e/tonne-km.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from opscore import sustainability as su

FACTORS = su.default_factors()
KM_PER_DEG = 6371.0088 * math.pi / 180


def _fleet() -> pd.DataFrame:
    return pd.DataFrame({"vehicle_id": ["V1", "V2", "E1"], "fuel": ["diesel", "petrol", "electric"],
                         "cost_per_km": [0.29, 0.31, 0.12], "range_km": [700.0, 550.0, 200.0], "depot_id": "D"})


def _van_days() -> pd.DataFrame:
    """V1 (diesel) drives 100, 150 and 250 km; V2 (petrol) 50 km; E1 80 km."""
    days = pd.DataFrame({"vehicle_id": ["V1", "V1", "V1", "V2", "E1"],
                         "date": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-05", "2026-01-05"]),
                         "km": [100.0, 150.0, 250.0, 50.0, 80.0]})
    per_km = {"V1": 0.25561, "V2": 0.21335, "E1": 0.06977}
    cost = {"V1": 0.29, "V2": 0.31, "E1": 0.12}
    return days.assign(kg_co2e=days["km"] * days["vehicle_id"].map(per_km),
                       cost_gbp=days["km"] * days["vehicle_id"].map(cost))


def test_ev_switch_arithmetic():
    """Switching the busiest fuel van (V1, 500 km) saves 500 x (0.25561 - 0.06977) = 92.92 kg CO2e and
    500 x (0.29 - 0.12) = 85 GBP of running cost; with the fleet's 200 km electric range one day (250 km) is
    over range, and a 250 km range is exactly enough (the boundary passes)."""
    days = _van_days()
    result = su.switch_to_electric(days, _fleet(), FACTORS, n_vans=1)
    assert result.switched == ("V1",)
    assert result.what_if.saving_kg_co2e == pytest.approx(500 * (0.25561 - 0.06977), rel=1e-9)
    assert result.what_if.baseline_cost_gbp - result.what_if.scenario_cost_gbp == pytest.approx(85.0)
    assert result.range_check.set_index("vehicle_id").loc["V1", "days_over_range"] == 1
    assert result.range_check.set_index("vehicle_id").loc["V1", "longest_day_km"] == 250.0
    exact = su.switch_to_electric(days, _fleet(), FACTORS, vehicle_ids=["V1"], ev_range_km=250.0, ev_cost_per_km=0.1)
    assert exact.range_check["days_over_range"].tolist() == [0]
    assert exact.what_if.scenario_cost_gbp == pytest.approx(500 * 0.1 + 50 * 0.31 + 80 * 0.12)


def test_ev_switch_rejects_bad_input():
    """Asking for more vans than the fleet has, or for an electric van, gives a clear ValueError."""
    with pytest.raises(ValueError, match="has 2 diesel or petrol vans"):
        su.switch_to_electric(_van_days(), _fleet(), FACTORS, n_vans=3)
    with pytest.raises(ValueError, match="not diesel or petrol"):
        su.switch_to_electric(_van_days(), _fleet(), FACTORS, vehicle_ids=["E1"])


def _stops(dates: list[str]) -> pd.DataFrame:
    """One diesel van visiting customer A (0.1 deg north of the depot) on each of ``dates`` at 09:00."""
    d = pd.to_datetime(dates)
    return pd.DataFrame({"vehicle_id": "V1", "date": d, "arrival": d + pd.Timedelta(hours=9),
                         "delivery_id": [f"D{i}" for i in range(len(d))], "order_id": "O", "customer_id": "A",
                         "lat": 53.1, "lon": -1.5, "service_minutes": 10.0, "depot_lat": 53.0, "depot_lon": -1.5})


def test_consolidating_delivery_days_merges_visits():
    """A customer served Monday and Wednesday (2 round trips of 0.2 deg arc each) served once a week (on
    Wednesday) needs one round trip: km and kg CO2e halve; a Sunday and the next Monday lie in different
    Monday-Sunday weeks and stay apart."""
    stops = _stops(["2026-01-05", "2026-01-07"])
    what_if = su.consolidate_delivery_days(stops, _fleet(), FACTORS, days_per_week=1, circuity=1.0)
    trip_kg = 0.2 * KM_PER_DEG * 0.25561
    assert what_if.baseline_kg_co2e == pytest.approx(2 * trip_kg, rel=1e-9)
    assert what_if.scenario_kg_co2e == pytest.approx(trip_kg, rel=1e-9)
    assert what_if.saving_pct == pytest.approx(50.0)
    split = su.consolidate_delivery_days(_stops(["2026-01-04", "2026-01-05"]), _fleet(), FACTORS, 1, 1.0)
    assert split.saving_kg_co2e == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="1-7"):
        su.consolidate_delivery_days(stops, _fleet(), FACTORS, days_per_week=0)


def test_supplier_shift_arithmetic():
    """Spend: near supplier N (score 90) 1000 GBP with 100 tonne-km, far supplier F (score 10) 1000 GBP with
    400 tonne-km. Moving 50 % of F's spend to N: N 1500 GBP x 0.1 tkm/GBP + F 500 GBP x 0.4 tkm/GBP = 350 tkm,
    so inbound kg CO2e goes from 500 x 0.10163 = 50.815 to 350 x 0.10163 = 35.5705."""
    inbound = pd.DataFrame({"supplier_id": ["N", "F"], "spend_gbp": [1000.0, 1000.0], "tonne_km": [100.0, 400.0]})
    scores = pd.Series({"N": 90.0, "F": 10.0})
    what_if = su.shift_supplier_spend(inbound, scores, FACTORS, share=0.5)
    assert what_if.baseline_kg_co2e == pytest.approx(50.815, rel=1e-9)
    assert what_if.scenario_kg_co2e == pytest.approx(35.5705, rel=1e-9)
    with pytest.raises(ValueError, match="between 0 and 1"):
        su.shift_supplier_spend(inbound, scores, FACTORS, share=1.5)


def test_sample_whatifs_run_against_the_same_baseline(sample_store):
    """On the sample workspace every what-if compares with the footprint's own source totals for the period."""
    tables = su.load_tables(sample_store)
    start, end = su.last_full_months(sample_store.as_of())
    monthly = su.monthly_footprint(su.activities(tables), start, end)
    days = su.van_day_emissions(tables, FACTORS)
    days = days[(days["date"] >= pd.Timestamp(start)) & (days["date"] <= pd.Timestamp(end))]
    switch = su.switch_to_electric(days, tables["vehicles"], FACTORS, n_vans=0)
    deliveries = monthly.loc[monthly["source"] == "deliveries", "kg_co2e"].sum()
    assert switch.what_if.baseline_kg_co2e == pytest.approx(deliveries)
    assert switch.what_if.saving_kg_co2e == 0.0
    two = su.switch_to_electric(days, tables["vehicles"], FACTORS, n_vans=2)
    assert 0 < two.what_if.scenario_kg_co2e < two.what_if.baseline_kg_co2e
