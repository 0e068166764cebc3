"""Drivers' hours checked on a planned route before it is driven (Route map page): routing plan -> stops -> rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from search_budget import budget

from opscore import compliance as co
from opscore.geo import haversine_km
from opscore.routing import Depot, RoutingProblem, Stop, Vehicle, solve
from opscore.routing.export import plan_stops

DAY = date(2026, 3, 9)
STRAIGHT_60 = co.CheckSettings(speed_kmh=60.0, circuity=1.0, pre_trip_minutes=0.0)
"""60 km/h on straight roads: 1 km = 1 minute of driving, as in the plan's own matrix below."""


def _out_and_back(km_north: float, speed_kmh: float = 60.0) -> RoutingProblem:
    """One stop ``km_north`` km due north of a Leeds depot (10 minutes' service); great-circle km at ``speed_kmh``."""
    lat = 53.8 + km_north / 111.195
    km = haversine_km(np.array([53.8]), np.array([-1.55]), np.array([lat]), np.array([-1.55]))[0]
    dist = np.array([[0.0, km], [km, 0.0]])
    return RoutingProblem("north", (Depot("D", "depot", 53.8, -1.55),),
                          (Stop("S1", "far customer", lat, -1.55, demand_kg=10.0, service_minutes=10.0),),
                          (Vehicle("V1", "van", capacity_kg=100.0, shift_start=360.0),), dist,
                          {"default": dist / speed_kmh * 60}, objective="distance")


@pytest.mark.parametrize(("km_north", "broken"), [(30.0, set()), (330.0, {"GB-HRS-DRIVE", "GB-HRS-DUTY"})])
def test_a_planned_day_is_checked_against_the_gb_hours_rules(km_north: float, broken: set[str]) -> None:
    """30 km out and back is an easy day; 330 km each way is 11 h of driving (GB limit 10 h) and 11 h 10 min on
    duty (limit 11 h), so both rules flag van V1 on the planned day (Transport Act 1968, s.96)."""
    problem = _out_and_back(km_north)
    plan = solve(problem, **budget(), seed=0)
    stops = plan_stops(problem, plan, DAY)
    assert list(stops["order_id"]) == ["S1"] and stops["arrival"].iloc[0].date() == DAY
    found = co.check_planned_hours(co.default_rules(), stops, DAY, STRAIGHT_60)
    assert set(found["rule_id"]) == broken
    assert (found["subject"] == "V1").all()
    if broken:
        drive = found.set_index("rule_id").at["GB-HRS-DRIVE", "value"]
        assert drive == pytest.approx(2 * km_north / 60, rel=1e-3)


def test_the_check_drives_at_the_plans_own_speed() -> None:
    """A plan made at 30 km/h (its own minutes matrix) is checked at 30 km/h whatever the settings say: 165 km each
    way is 11 h of driving, over the GB 10 h, though 60 km/h settings alone would make it 5.5 h."""
    problem = _out_and_back(165.0, speed_kmh=30.0)
    stops = plan_stops(problem, solve(problem, **budget(), seed=0), DAY)
    assert stops["drive_minutes"].iloc[0] == pytest.approx(330.0, rel=1e-3)
    found = co.check_planned_hours(co.default_rules(), stops, DAY, STRAIGHT_60).set_index("rule_id")
    assert found.at["GB-HRS-DRIVE", "value"] == pytest.approx(11.0, rel=1e-3)


def test_waiting_for_a_late_window_counts_as_duty() -> None:
    """Customer A (30 km north, window 06:30-07:00) then B (beside A, window 12:00-13:00). The plan leaves at 06:30,
    as late as A's window allows, and waits at B from about 07:10 to 12:00, so the day ends after B's 10-minute
    unload and the 30-minute drive back: about 6 h 10 min on duty, not the 1 h 20 min that counting from the
    arrival at B would give."""
    from opscore.routing import TimeWindow

    north = 53.8 + 30.0 / 111.195
    points = [(53.8, -1.55), (north, -1.55), (north, -1.5499)]
    km = np.array([[haversine_km(np.array([a[0]]), np.array([a[1]]), np.array([b[0]]), np.array([b[1]]))[0]
                    for b in points] for a in points])
    problem = RoutingProblem(
        "wait", (Depot("D", "depot", 53.8, -1.55),),
        (Stop("A", "early customer", north, -1.55, demand_kg=10.0, service_minutes=10.0,
              windows=(TimeWindow(390.0, 420.0),)),
         Stop("B", "late customer", north, -1.5499, demand_kg=10.0, service_minutes=10.0,
              windows=(TimeWindow(720.0, 780.0),))),
        (Vehicle("V1", "van", capacity_kg=100.0, shift_start=360.0),), km, {"default": km}, objective="distance")
    stops = plan_stops(problem, solve(problem, **budget(), seed=0), DAY)
    assert list(stops["order_id"]) == ["A", "B"]
    day = co.driver_days(stops, speed_kmh=60.0, circuity=1.0, pre_trip_minutes=0.0).iloc[0]
    end = 12 * 60 + 10 + km[2, 0]  # unload at B from 12:00, then drive back (1 km = 1 minute)
    assert day["duty_hours"] == pytest.approx((end - 390.0) / 60, abs=0.05)
