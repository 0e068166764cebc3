"""Real-world constraints: impossible stops get reasons (not exceptions), windows, shifts, breaks, penalties."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from routing_checks import assert_plan_feasible
from search_budget import budget

from opscore.routing import Depot, RoutingProblem, Stop, TimeWindow, TravelModel, Vehicle, solve
from opscore.routing.problem import OPEN
from opscore.routing.travel import matrices_from_csv
from opscore.routing.violations import ViolationKind
from opscore.routing.whatif import add_breaks


def _line(stops: list[Stop], vans: list[Vehicle], speed: float = 60.0) -> RoutingProblem:
    """Depot at x=0 and stops on a line; distance |xi - xj| km, 1 km per minute at 60 km/h."""
    x = np.array([0.0] + [s.lon for s in stops])
    km = np.abs(x[:, None] - x[None, :])
    return RoutingProblem("line", (Depot("D", "depot", 0.0, 0.0),), tuple(stops), tuple(vans), km,
                          {"default": km / speed * 60.0}, objective="distance", geographic=False)


def _stop(k: int, x: float, kg: float = 10.0, window: tuple[float, float] = (0.0, OPEN), **kw) -> Stop:
    return Stop(f"S{k}", f"customer {k}", 0.0, x, demand_kg=kg, windows=(TimeWindow(*window),), **kw)


VAN = Vehicle("V1", "van", capacity_kg=100.0, shift_start=480.0, shift_end=1020.0, max_shift_minutes=540.0)


@pytest.mark.parametrize("engine", ["pyvrp", "ortools"])
def test_stop_heavier_than_any_van_is_unassigned_with_capacity_reason(engine: str) -> None:
    """A 500 kg order with 100 kg vans comes back unassigned with a capacity reason; the rest are planned."""
    p = _line([_stop(1, 5), _stop(2, 10, kg=500.0), _stop(3, 15)], [VAN])
    plan = solve(p, engine=engine, **budget(engine))
    assert_plan_feasible(p, plan)
    assert [u.stop_id for u in plan.unassigned] == ["S2"]
    reason = plan.unassigned[0].reason
    assert reason.kind == ViolationKind.CAPACITY_WEIGHT and "500 kg" in reason.text


def test_unreachable_window_and_too_long_trip_get_their_reasons() -> None:
    """A window closing before any van can arrive -> 'time window'; a 600-km round trip in a 9 h shift ->
    'shift length'."""
    p = _line([_stop(1, 30, window=(480.0, 490.0)), _stop(2, 300), _stop(3, 5)], [VAN])
    plan = solve(p, **budget())
    reasons = {u.stop_id: u.reason for u in plan.unassigned}
    assert reasons["S1"].kind == ViolationKind.TIME_WINDOW and "08:30" in reasons["S1"].text
    assert reasons["S2"].kind == ViolationKind.SHIFT_LENGTH
    assert [v.stop_id for r in plan.routes for v in r.visits] == ["S3"]


def test_fleet_too_small_leaves_out_an_order_saying_vans_are_full() -> None:
    """Three 60 kg orders, one 100 kg van: one order left out because the van is full, never a crash."""
    p = _line([_stop(k, 5 * k, kg=60.0) for k in (1, 2, 3)], [VAN])
    plan = solve(p, **budget())
    assert_plan_feasible(p, plan)
    assert len(plan.unassigned) == 2
    assert all(u.reason.kind == ViolationKind.CAPACITY_WEIGHT for u in plan.unassigned)


@pytest.mark.parametrize("engine", ["pyvrp", "ortools"])
def test_two_time_windows_are_both_usable(engine: str) -> None:
    """A stop open 08:00-08:10 or 12:00-13:00 that cannot be reached by 08:10 is served in the second window.
    One stop and one van have a single plan, so the first solution is the answer and a short time limit is
    safe (an OR-Tools solution budget would never bind: guided local search finds no second solution)."""
    s = Stop("S1", "two windows", 0.0, 60.0, demand_kg=1.0,
             windows=(TimeWindow(480.0, 490.0), TimeWindow(720.0, 780.0)))
    p = _line([s], [VAN])
    plan = solve(p, time_limit=0.5, engine=engine)
    assert_plan_feasible(p, plan)
    visit = plan.routes[0].visits[0]
    assert 720.0 <= visit.service_start <= 780.0


def test_optional_stop_is_dropped_when_its_penalty_is_below_the_detour() -> None:
    """Stop 100 km away with penalty 50 km is left out (saves 150 km); with penalty 500 it is served."""
    near, far = _stop(1, 5), _stop(2, 100)
    cheap = solve(_line([near, replace(far, penalty=50.0)], [VAN]), **budget())
    dear = solve(_line([near, replace(far, penalty=500.0)], [VAN]), **budget())
    assert [u.stop_id for u in cheap.unassigned] == ["S2"] and cheap.unassigned[0].reason.kind == "cost"
    assert cheap.penalty == 50.0 and cheap.cost == 10.0
    assert not dear.unassigned and dear.cost == 200.0


def test_driver_break_is_planned_by_ortools_and_refused_by_pyvrp() -> None:
    """With a 20-minute break due 3-6 h into the shift, 'auto' picks OR-Tools; the break starts in its window
    and the route still meets every window; PyVRP asked explicitly refuses with a clear message."""
    stops = [_stop(k, 40.0 * k, kg=1.0, window=(480.0 + 60 * k, 1000.0)) for k in range(1, 6)]
    p = add_breaks(_line(stops, [VAN]))
    plan = solve(p, **budget("ortools"))
    assert plan.engine == "ortools"
    assert plan.feasible and not plan.unassigned
    route = plan.routes[0]
    assert route.break_start is not None and 480 + 180 <= route.break_start <= 480 + 360
    with pytest.raises(ValueError, match="OR-Tools"):
        solve(p, engine="pyvrp", **budget())


def test_invalid_input_raises_precise_value_errors() -> None:
    """Bad data fails at construction with messages naming the item and the fix."""
    with pytest.raises(ValueError, match="stop 'S1'.*negative"):
        _stop(1, 5, kg=-1.0)
    with pytest.raises(ValueError, match="ends before it starts"):
        TimeWindow(600.0, 500.0)
    with pytest.raises(ValueError, match="fuel 'hydrogen'"):
        Vehicle("V9", fuel="hydrogen")
    with pytest.raises(ValueError, match="matrix is"):
        RoutingProblem("bad", (Depot("D", "d", 0, 0),), (_stop(1, 1),), (VAN,), np.zeros((3, 3)),
                       {"default": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="engine 'fast'"):
        solve(_line([_stop(1, 5)], [VAN]), engine="fast")
    with pytest.raises(ValueError, match="circuity"):
        TravelModel(circuity=3.0)


def test_travel_model_and_matrix_csv() -> None:
    """1 degree of latitude = 111.2 km great circle (R = 6371.0088 km) x 1.3 = 144.6 km, 289 min at 30 km/h;
    a user CSV matrix is placed by id and a missing pair is named."""
    km, minutes = TravelModel(circuity=1.3, default_speed_kmh=30.0).matrices([53.0, 54.0], [-1.5, -1.5], ["van"])
    assert km[0, 1] == pytest.approx(6371.0088 * np.pi / 180 * 1.3, rel=1e-9)
    assert minutes["van"][0, 1] == pytest.approx(km[0, 1] / 30 * 60)
    table = pd.DataFrame({"from_id": ["A", "B"], "to_id": ["B", "A"], "km": [3.0, 4.0], "minutes": [6.0, 8.0]})
    d, t = matrices_from_csv(table, ["A", "B"])
    assert d.tolist() == [[0.0, 3.0], [4.0, 0.0]] and t[1, 0] == 8.0
    with pytest.raises(ValueError, match="no row for B -> A"):
        matrices_from_csv(table.iloc[:1], ["A", "B"])
