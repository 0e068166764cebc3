"""Broken constraints are typed values (kind, amount, limit, unit), and left-out stops are explained by kind,
never by searching the words of a message for 'volume' or 'window'."""

from __future__ import annotations

import numpy as np
import pytest
from search_budget import budget

from opscore.routing import Depot, RoutingProblem, Stop, TimeWindow, Vehicle, build_plan, evaluate_route, solve
from opscore.routing.violations import Violation, ViolationKind

K = ViolationKind
VAN = Vehicle("V1", "van", capacity_kg=100.0, capacity_m3=1.0, shift_start=480.0, shift_end=1020.0,
              max_shift_minutes=540.0)


def _line(stops: list[Stop], vans: list[Vehicle]) -> RoutingProblem:
    """Depot at x=0 and stops at x = lon on a line; |xi - xj| km, one minute per km."""
    x = np.array([0.0] + [s.lon for s in stops])
    km = np.abs(x[:, None] - x[None, :])
    return RoutingProblem("line", (Depot("D", "depot", 0.0, 0.0),), tuple(stops), tuple(vans), km,
                          {"default": km}, objective="distance", geographic=False)


@pytest.mark.parametrize("stop_id,name,x,window,kind", [
    ("volume-7", "Volume Foods", 30.0, (480.0, 490.0), K.TIME_WINDOW),
    ("capacity-2", "Capacity Hall", 30.0, (480.0, 490.0), K.TIME_WINDOW),
    ("window-3", "Window Cleaners", 300.0, (0.0, 1440.0), K.SHIFT_LENGTH),
])
def test_a_stops_own_name_does_not_decide_its_reason(stop_id: str, name: str, x: float,
                                                     window: tuple[float, float], kind: ViolationKind) -> None:
    """A stop called 'volume...' (or 'capacity...') that no van reaches before its window closes is left out for
    its time window, not for capacity; one called 'window...' 300 km away is left out for its shift length."""
    stop = Stop(stop_id, name, 0.0, x, demand_kg=1.0, windows=(TimeWindow(*window),))
    plan = solve(_line([stop, Stop("S1", "near", 0.0, 5.0, demand_kg=1.0)], [VAN]), **budget(), seed=0)
    assert [u.stop_id for u in plan.unassigned] == [stop_id]
    assert plan.unassigned[0].reason.kind == kind
    assert plan.unassigned_frame()["kind"].tolist() == [str(kind)]


def test_a_neighbours_name_does_not_decide_the_reason() -> None:
    """The van serves 'volume-1' (window to 08:15) first; 'S2' (window to 08:35, the other way) fits alone but
    makes one of the two late in either order, so it is left out for a time window, not for capacity."""
    first = Stop("volume-1", "Volume Wholesale", 0.0, 10.0, demand_kg=1.0, windows=(TimeWindow(480.0, 495.0),))
    other = Stop("S2", "corner shop", 0.0, -30.0, demand_kg=1.0, windows=(TimeWindow(480.0, 515.0),))
    plan = build_plan(_line([first, other], [VAN]), {0: [0]}, engine="fixed")
    assert [u.stop_id for u in plan.unassigned] == ["S2"]
    assert plan.unassigned[0].reason.kind == K.TIME_WINDOW
    assert plan.unassigned[0].reason.text.startswith("time window")


def test_a_route_records_each_broken_constraint_with_its_numbers() -> None:
    """One stop 60 km out with 150 kg and 2 m3 for a 100 kg / 1 m3 van with a 50 km range, a 10:00 shift end and
    a 100-minute shift limit: arrival 09:00 after the window's 08:20, 120 km, back at 10:10 after 130 minutes."""
    van = Vehicle("V1", "van", capacity_kg=100.0, capacity_m3=1.0, range_km=50.0, shift_start=480.0,
                  shift_end=600.0, max_shift_minutes=100.0)
    stop = Stop("S1", "far", 0.0, 60.0, demand_kg=150.0, demand_m3=2.0, service_minutes=10.0,
                windows=(TimeWindow(0.0, 500.0),))
    route = evaluate_route(_line([stop], [van]), 0, [0])
    assert route.violations == (
        Violation(K.TIME_WINDOW, 540.0, 500.0, "min", "S1"), Violation(K.CAPACITY_WEIGHT, 150.0, 100.0, "kg"),
        Violation(K.CAPACITY_VOLUME, 2.0, 1.0, "m3"), Violation(K.RANGE, 120.0, 50.0, "km"),
        Violation(K.SHIFT_END, 610.0, 600.0, "min"), Violation(K.SHIFT_LENGTH, 130.0, 100.0, "min"))


@pytest.mark.parametrize("violation,words", [
    (Violation(K.CAPACITY_WEIGHT, 150.0, 100.0, "kg"), ["load 150 kg", "capacity 100 kg"]),
    (Violation(K.CAPACITY_VOLUME, 2.5, 1.0, "m3"), ["volume 2.5 m3", "capacity 1 m3"]),
    (Violation(K.TIME_WINDOW, 539.7, 500.0, "min", "volume-1"), ["at volume-1 at 09:00", "ends (08:20)"]),
    (Violation(K.TIME_WINDOW, 95.5, 90.0, "h", "S3"), ["at S3 at 95.5", "ends (90)"]),
    (Violation(K.SHIFT_END, 1450.0, 1020.0, "min"), ["returns at 24:10", "ends (17:00)"]),
    (Violation(K.SHIFT_LENGTH, 612.34, 540.0, "min"), ["takes 612.3 min", "the 540 min shift limit"]),
    (Violation(K.BREAK, 725.0, 720.0, "min"), ["break starts at 12:05", "latest start (12:00)"]),
    (Violation(K.RANGE, 250.04, 200.0, "km"), ["route of 250.0 km", "range (200 km)"]),
])
def test_each_kinds_message_is_made_from_its_fields(violation: Violation, words: list[str]) -> None:
    """Amount and limit appear with their unit; times of day in minutes print as HH:MM (benchmark units as
    numbers), through the package's one clock format."""
    assert all(w in violation.message for w in words), violation.message


def test_every_kind_has_a_message() -> None:
    """No kind falls through to another kind's words."""
    messages = {Violation(k, 2.0, 1.0, "min", "S1").message for k in K}
    assert len(messages) == len(K)
