"""What-if arithmetic checked by hand: electric switch, fewer delivery days, greener suppliers.

Factors: DESNZ 2025 van diesel 0.25561, battery electric 0.06315 + 0.00662 = 0.06977 kg CO2e/km,
HGV average laden 0.10163 kg CO2e/tonne-km.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    """Switching V1 (500 km over three days) with the fleet's 200 km electric range: the 250 km day is 50 km
    beyond one charge, and those 50 km stay on diesel, so 450 km go electric: 450 x (0.25561 - 0.06977) =
    83.628 kg CO2e and 450 x (0.29 - 0.12) = 76.5 GBP saved, 90 % of its km electric. A 250 km range is exactly
    enough (the boundary passes), and so is the 200 km range with a 50 km top-up charge."""
    days = _van_days()
    result = su.switch_to_electric(days, _fleet(), FACTORS, n_vans=1)
    assert result.switched == ("V1",)
    assert result.what_if.saving_kg_co2e == pytest.approx(450 * (0.25561 - 0.06977), rel=1e-9)
    assert result.what_if.baseline_cost_gbp - result.what_if.scenario_cost_gbp == pytest.approx(76.5)
    check = result.range_check.set_index("vehicle_id").loc["V1"]
    assert check["days_over_range"] == 1 and check["longest_day_km"] == 250.0 and check["km_over_range"] == 50.0
    assert result.electric_share == pytest.approx(0.9)
    assert "50 km beyond it stay on" in result.what_if.note
    exact = su.switch_to_electric(days, _fleet(), FACTORS, vehicle_ids=["V1"], ev_range_km=250.0, ev_cost_per_km=0.1)
    assert exact.range_check["days_over_range"].tolist() == [0]
    assert exact.what_if.scenario_cost_gbp == pytest.approx(500 * 0.1 + 50 * 0.31 + 80 * 0.12)
    topped = su.switch_to_electric(days, _fleet(), FACTORS, vehicle_ids=["V1"], top_up_km=50.0)
    assert topped.electric_share == 1.0
    assert topped.what_if.saving_kg_co2e == pytest.approx(500 * (0.25561 - 0.06977), rel=1e-9)


def test_ev_switch_picks_the_van_whose_days_fit_the_range():
    """A van driving 450 km a day covers less on one 180 km charge (180 a day) than one driving 150 km on four
    days (600): switching one van takes the second, whose every day fits."""
    days = pd.DataFrame({"vehicle_id": ["V1", "V1", "V2", "V2", "V2", "V2"],
                         "date": pd.to_datetime(["2026-01-05", "2026-01-06"] + [f"2026-01-0{d}" for d in range(5, 9)]),
                         "km": [450.0, 450.0, 150.0, 150.0, 150.0, 150.0]})
    days = days.assign(kg_co2e=days["km"] * 0.25561, cost_gbp=days["km"] * 0.29)
    result = su.switch_to_electric(days, _fleet(), FACTORS, n_vans=1, ev_range_km=180.0)
    assert result.switched == ("V2",)
    assert result.range_check["days_over_range"].tolist() == [0] and result.electric_share == 1.0


@settings(max_examples=60, deadline=None)
@given(km=st.lists(st.floats(0.0, 600.0), min_size=1, max_size=8), ev_range=st.floats(20.0, 400.0),
       top_up=st.floats(0.0, 200.0))
def test_ev_switch_never_drives_past_a_charge(km, ev_range, top_up):
    """Whatever the days and range: electric km per day never exceed range + top-up, the km left on fuel are
    exactly the excess, and switching never raises emissions (electric km emit less than diesel ones)."""
    days = pd.DataFrame({"vehicle_id": "V1", "date": pd.date_range("2026-01-05", periods=len(km)), "km": km})
    days = days.assign(kg_co2e=days["km"] * 0.25561, cost_gbp=days["km"] * 0.29)
    result = su.switch_to_electric(days, _fleet(), FACTORS, vehicle_ids=["V1"], ev_range_km=ev_range,
                                   top_up_km=top_up)
    excess = sum(max(k - ev_range - top_up, 0.0) for k in km)
    assert result.range_check.loc[0, "km_over_range"] == pytest.approx(excess, abs=1e-6)
    electric_km = sum(km) - excess
    assert result.what_if.saving_kg_co2e == pytest.approx(electric_km * (0.25561 - 0.06977), abs=1e-6)
    assert result.what_if.scenario_kg_co2e <= result.what_if.baseline_kg_co2e + 1e-9


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


def test_supplier_shift_never_moves_spend_to_a_dirtier_supplier():
    """G scores high (certifications, packaging) but is far away: 0.8 tonne-km per GBP against F's 0.4. With N
    (0.1) there too, only N takes F's moved spend and G is named in the note; with G alone nothing moves and the
    note says moving would have raised inbound CO2e by 500 GBP x (0.8 - 0.4) x 0.10163 = 20.3 kg, 17 % of 121.96."""
    inbound = pd.DataFrame({"supplier_id": ["N", "F", "G"], "spend_gbp": [1000.0, 1000.0, 1000.0],
                            "tonne_km": [100.0, 400.0, 800.0]})
    scores = pd.Series({"N": 90.0, "F": 10.0, "G": 80.0})
    mixed = su.shift_supplier_spend(inbound, scores, FACTORS, share=0.5, min_score=50)
    assert mixed.scenario_kg_co2e == pytest.approx((1500 * 0.1 + 500 * 0.4 + 1000 * 0.8) * 0.10163, rel=1e-9)
    assert "G scores 50 or more but brings goods in with more CO2e per GBP" in mixed.note
    alone = su.shift_supplier_spend(inbound[inbound["supplier_id"] != "N"], scores, FACTORS, share=0.5, min_score=50)
    assert alone.scenario_kg_co2e == alone.baseline_kg_co2e
    assert "raise inbound CO2e by 20 kg (17 %)" in alone.note and "Nothing is moved" in alone.note


def test_supplier_shift_to_suppliers_without_spend_moves_nothing_and_says_why():
    """The only higher-scoring supplier had no spend in the period (free samples): nothing moves, no NaN in the note."""
    inbound = pd.DataFrame({"supplier_id": ["F", "G"], "spend_gbp": [1000.0, 0.0], "tonne_km": [400.0, 50.0]})
    what_if = su.shift_supplier_spend(inbound, pd.Series({"F": 10.0, "G": 90.0}), FACTORS, share=0.5, min_score=50)
    assert what_if.scenario_kg_co2e == what_if.baseline_kg_co2e
    assert "none of them had any spend" in what_if.note and "nan" not in what_if.note


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(1.0, 5000.0), st.floats(0.0, 3000.0), st.floats(0.0, 100.0)),
                     min_size=2, max_size=8), share=st.floats(0.0, 1.0))
def test_a_greener_supplier_shift_never_raises_inbound_co2e(rows, share):
    """Any spend, tonne-km and scores: the shift's inbound CO2e is at most the baseline's."""
    inbound = pd.DataFrame({"supplier_id": [f"S{i}" for i in range(len(rows))], "spend_gbp": [r[0] for r in rows],
                            "tonne_km": [r[1] for r in rows]})
    scores = pd.Series({f"S{i}": r[2] for i, r in enumerate(rows)})
    try:
        what_if = su.shift_supplier_spend(inbound, scores, FACTORS, share=share)
    except ValueError as exc:  # every score on one side of the median
        assert "leaves no supplier on one side" in str(exc)
        return
    assert what_if.scenario_kg_co2e <= what_if.baseline_kg_co2e * (1 + 1e-12) + 1e-9


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
