"""Every compliance rule with a passing case at its threshold and a failing case just beyond it.

Limits: GB domestic drivers' hours (DVSA, "Drivers' hours: GB domestic rules": 10 h driving, 11 h duty a
day); EU Regulation 561/2006 Art. 6-7 (9 h daily driving; 45 min break after 4.5 h driving); chill holding
at 8 °C (Food Safety and Hygiene (England) Regulations 2013, Sch. 4) and 5 °C best practice (FSA);
-15 °C for quick-frozen food (Quick-frozen Foodstuffs Regulations 2007); use-by dates (Food Safety Act 1990).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from opscore import compliance as co
from opscore.store import get_table

AS_OF = date(2026, 3, 10)
KM_PER_DEG = 6371.0088 * math.pi / 180


def _tables(**frames: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Empty tables with the schema's columns, overridden by ``frames``."""
    out = {name: pd.DataFrame(columns=get_table(name).column_names) for name in co.engine.TABLES}
    out["products"] = pd.DataFrame({"sku": ["MILK", "PEAS"], "temperature_class": ["chilled", "frozen"],
                                    "weight_kg": [10.0, 1.0], "length_cm": [100.0, 10.0], "width_cm": [100.0, 10.0],
                                    "height_cm": [10.0, 10.0]})
    out.update(frames)
    return out


def _only(rule_id: str, threshold: float | None = None) -> pd.DataFrame:
    rules = co.default_rules()
    rules["enabled"] = rules["rule_id"] == rule_id
    if threshold is not None:
        rules.loc[rules["rule_id"] == rule_id, "threshold"] = threshold
    return rules


def _run(rule_id: str, tables: dict[str, pd.DataFrame], stops: pd.DataFrame | None = None,
         settings: co.CheckSettings | None = None) -> pd.DataFrame:
    return co.run_rules(_only(rule_id), tables, AS_OF, settings or co.CheckSettings(), stops=stops)


def _stops(visits: list[tuple[float, str, float]]) -> pd.DataFrame:
    """Van V1's day: (km north of the depot along a meridian, arrival HH:MM, service minutes) per stop."""
    day = pd.Timestamp("2026-03-09")
    return pd.DataFrame({
        "vehicle_id": "V1", "date": day, "arrival": [day + pd.Timedelta(t + ":00") for _, t, _ in visits],
        "delivery_id": [f"D{i}" for i in range(len(visits))], "order_id": "O", "customer_id": "C",
        "lat": [53.0 + km / KM_PER_DEG for km, _, _ in visits], "lon": -1.5,
        "service_minutes": [s for _, _, s in visits], "depot_lat": 53.0, "depot_lon": -1.5})


FAST = co.CheckSettings(speed_kmh=60.0, circuity=1.0, pre_trip_minutes=0.0)
"""60 km/h on straight roads: 1 km of route = 1 minute of driving."""


@pytest.mark.parametrize("rule_id, limit_h", [("GB-HRS-DRIVE", 10.0), ("EU-HRS-DRIVE", 9.0)])
def test_daily_driving_boundary(rule_id, limit_h):
    """A single stop out and back: 2 x d km at 60 km/h. Exactly the limit passes; one more minute fails."""
    at_limit = _stops([(limit_h * 30, "12:00", 10.0)])
    assert _run(rule_id, _tables(), at_limit, FAST).empty
    over = _stops([(limit_h * 30 + 0.5, "12:00", 10.0)])
    found = _run(rule_id, _tables(), over, FAST)
    assert len(found) == 1 and found["value"].iloc[0] == pytest.approx(limit_h + 1 / 60)
    assert found["record"].iloc[0]["vehicle_id"] == "V1" and found["subject"].iloc[0] == "V1"


def test_daily_duty_boundary():
    """Duty = pre-trip + drive out + service + drive back. 60 km each way (2 h) + 540 min service = 11 h passes;
    541 min fails; with a 15-minute pre-trip check the 540-minute day fails too."""
    assert _run("GB-HRS-DUTY", _tables(), _stops([(60.0, "12:00", 540.0)]), FAST).empty
    found = _run("GB-HRS-DUTY", _tables(), _stops([(60.0, "12:00", 541.0)]), FAST)
    assert found["value"].tolist() == pytest.approx([11 + 1 / 60])
    with_check = co.CheckSettings(speed_kmh=60.0, circuity=1.0, pre_trip_minutes=15.0)
    assert len(_run("GB-HRS-DUTY", _tables(), _stops([(60.0, "12:00", 540.0)]), with_check)) == 1


def test_eu_break_boundary():
    """4.5 h driving with no break (135 km out and back) passes; 4.5 h + 1 min fails. A 6 h day split by a
    45-minute idle gap passes; the same day with a 44-minute gap is one 6 h spell and fails."""
    assert _run("EU-HRS-BREAK", _tables(), _stops([(135.0, "12:00", 5.0)]), FAST).empty
    assert len(_run("EU-HRS-BREAK", _tables(), _stops([(135.5, "12:00", 5.0)]), FAST)) == 1
    # Stop 1 at 180 km north (3 h out), stop 2 at the same place: 0 km leg, then 3 h back.
    # The idle gap between them is arrival2 - (arrival1 + service1).
    with_break = _stops([(180.0, "09:00", 15.0), (180.0, "10:00", 10.0)])  # 09:15 -> 10:00 = 45 min idle
    assert _run("EU-HRS-BREAK", _tables(), with_break, FAST).empty
    short_break = _stops([(180.0, "09:00", 16.0), (180.0, "10:00", 10.0)])  # 44 min idle
    found = _run("EU-HRS-BREAK", _tables(), short_break, FAST)
    assert found["value"].tolist() == pytest.approx([6.0])


def test_drivers_hours_from_delivery_history_use_actual_times():
    """Without a planned route the check rebuilds the day from deliveries; actual arrivals replace planned ones."""
    tables = _tables(
        sites=pd.DataFrame({"site_id": ["D"], "lat": [53.0], "lon": [-1.5]}),
        vehicles=pd.DataFrame({"vehicle_id": ["V1"], "depot_id": ["D"], "capacity_kg": [1000.0],
                               "capacity_m3": [10.0]}),
        customers=pd.DataFrame({"customer_id": ["C"], "lat": [53.0 + 60 / KM_PER_DEG], "lon": [-1.5],
                                "service_minutes": [540.0]}),
        orders=pd.DataFrame({"order_id": ["O"], "customer_id": ["C"]}),
        deliveries=pd.DataFrame({"delivery_id": ["D1"], "order_id": ["O"], "vehicle_id": ["V1"],
                                 "planned_date": pd.to_datetime(["2026-03-09"]),
                                 "planned_arrival": pd.to_datetime(["2026-03-09 09:00"]),
                                 "actual_arrival": pd.to_datetime(["2026-03-09 09:30"]), "outcome": ["delivered"]}))
    days = co.Facts(tables, AS_OF, FAST).driver_days
    assert days["start"].iloc[0] == pd.Timestamp("2026-03-09 08:30")
    assert days["duty_hours"].iloc[0] == pytest.approx(11.0)


def _readings(temps: list[float], asset: str = "A1") -> pd.DataFrame:
    ts = pd.date_range("2026-03-09 00:00", periods=len(temps), freq="h")
    return pd.DataFrame({"asset_id": asset, "ts": ts, "temperature_c": temps})


ASSETS = pd.DataFrame({"asset_id": ["A1", "F1"], "name": ["Chiller 1", "Freezer 1"], "type": ["chiller", "freezer"]})


@pytest.mark.parametrize("rule_id, limit", [("CC-LEGAL", 8.0), ("CC-BEST", 5.0)])
def test_chilled_excursion_boundary_and_duration(rule_id, limit):
    """Hourly chiller readings: a reading at the limit passes; readings above it from 01:00 until the 03:00
    reading back within it form one excursion of 2 h with its warmest reading as the value."""
    assert _run(rule_id, _tables(assets=ASSETS, sensor_readings=_readings([3.0, limit, limit, 3.0]))).empty
    temps = [3.0, limit + 0.1, limit + 1.0, 3.0]
    found = _run(rule_id, _tables(assets=ASSETS, sensor_readings=_readings(temps)))
    assert len(found) == 1
    record = found["record"].iloc[0]
    assert record["hours"] == 2.0 and record["start"] == "2026-03-09T01:00:00"
    assert found["value"].iloc[0] == limit + 1.0


def test_chilled_rule_needs_chilled_stock():
    """With no chilled or fresh products in the range, chiller excursions are not breaches of the chill rule."""
    tables = _tables(assets=ASSETS, sensor_readings=_readings([9.0, 9.0]))
    tables["products"] = tables["products"].assign(temperature_class=["ambient", "frozen"])
    assert _run("CC-LEGAL", tables).empty


def test_frozen_excursion_boundary():
    """A freezer at -15.0 °C passes; at -14.9 °C it fails (a run of one hourly reading lasts 1 h)."""
    assert _run("CC-FROZEN", _tables(assets=ASSETS, sensor_readings=_readings([-18.0, -15.0, -18.0], "F1"))).empty
    found = _run("CC-FROZEN", _tables(assets=ASSETS, sensor_readings=_readings([-18.0, -14.9, -18.0], "F1")))
    assert found["record"].iloc[0]["hours"] == 1.0 and found["subject"].iloc[0] == "F1"


def _inventory(lots: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """(lot, received, use-by, quantity) of SKU MILK in bin B1 at the as-of snapshot."""
    return pd.DataFrame({"snapshot_date": pd.Timestamp(AS_OF), "bin_id": "B1", "sku": "MILK",
                         "lot": [lot for lot, *_ in lots], "quantity": [q for *_, q in lots],
                         "received_date": pd.to_datetime([r for _, r, _, _ in lots]),
                         "expiry_date": pd.to_datetime([e for _, _, e, _ in lots])})


def test_past_use_by_boundary():
    """A lot whose use-by is today may still be sold; one day later it is a breach of 1 day."""
    assert _run("EXP-PAST", _tables(inventory=_inventory([("L1", "2026-03-01", "2026-03-10", 4)]))).empty
    found = _run("EXP-PAST", _tables(inventory=_inventory([("L1", "2026-03-01", "2026-03-09", 4)])))
    assert found["value"].tolist() == [1.0] and found["record"].iloc[0]["lot"] == "L1"


def test_near_use_by_boundary():
    """With a 2-day warning, a lot with 3 days left passes and one with 2 days left is flagged."""
    assert _run("EXP-NEAR", _tables(inventory=_inventory([("L1", "2026-03-01", "2026-03-13", 4)]))).empty
    found = _run("EXP-NEAR", _tables(inventory=_inventory([("L1", "2026-03-01", "2026-03-12", 4)])))
    assert found["value"].tolist() == [2.0]


def test_fefo_boundary():
    """Old lot L1 (use-by 8 Mar, 5 left) and fresher lot L2 received 6 Mar. Sales on 9 Mar (after L1's use-by)
    do not count: no breach. One unit sold on 8 Mar, while both lots were good, is a breach of 1 unit."""
    inventory = _inventory([("L1", "2026-03-01", "2026-03-08", 5), ("L2", "2026-03-06", "2026-03-16", 20)])
    after = pd.DataFrame({"date": pd.to_datetime(["2026-03-09"]), "sku": ["MILK"], "quantity": [7]})
    assert _run("EXP-FEFO", _tables(inventory=inventory, sales=after)).empty
    during = pd.DataFrame({"date": pd.to_datetime(["2026-03-08"]), "sku": ["MILK"], "quantity": [1]})
    found = _run("EXP-FEFO", _tables(inventory=inventory, sales=during))
    assert found["value"].tolist() == [1.0]
    assert found["record"].iloc[0]["fresher_lot"] == "L2"


def _load_tables(units: int) -> dict[str, pd.DataFrame]:
    """Van V1 (payload 1000 kg, 10 m3) carrying one order of ``units`` x MILK (10 kg, 0.1 m3 each)."""
    return _tables(
        vehicles=pd.DataFrame({"vehicle_id": ["V1"], "capacity_kg": [1000.0], "capacity_m3": [10.0]}),
        deliveries=pd.DataFrame({"delivery_id": ["D1"], "order_id": ["O"], "vehicle_id": ["V1"],
                                 "planned_date": pd.to_datetime(["2026-03-09"])}),
        order_lines=pd.DataFrame({"order_id": ["O"], "line_no": [1], "sku": ["MILK"], "quantity": [units]}))


@pytest.mark.parametrize("rule_id", ["LOAD-WEIGHT", "LOAD-VOLUME"])
def test_vehicle_load_boundary(rule_id):
    """100 units = exactly 1000 kg and 10 m3 (100 %) passes; 101 units (101 %) fails with the vehicle-day record."""
    assert _run(rule_id, _load_tables(100)).empty
    found = _run(rule_id, _load_tables(101))
    assert found["value"].tolist() == pytest.approx([101.0])
    assert found["record"].iloc[0]["orders"] == 1
