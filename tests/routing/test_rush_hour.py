"""Rush hour: exact time-dependent arrivals (hand-computed), FIFO, validation, and its effect on plans: an 08:00
route takes longer than the same route at 10:00, traffic minutes, times never going backwards, solver scaling."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_budget import BACKSTOP_S

from opscore.routing import (
    DayPlanSettings,
    Depot,
    RouteChange,
    RoutingProblem,
    RushHour,
    SpeedBand,
    Stop,
    TimeWindow,
    Vehicle,
    apply_change,
    evaluate_route,
    solve,
)
from opscore.routing.export import plan_stops
from opscore.routing.from_tables import build_problem, delivery_dates, stops_for_day
from opscore.routing.integer_model import integer_model
from opscore.routing.pyvrp_engine import solve_pyvrp
from opscore.routing.rush_hour import rush_from_rows, rush_rows
from opscore.routing.solve import reinsert, repair

HALF = RushHour((SpeedBand(7 * 60, 10 * 60, 0.5),))
"""07:00-10:00 at half speed."""


def test_arrival_crossing_a_band_edge_is_exact() -> None:
    """06:40 + 40 free minutes: 20 minutes to 07:00 at full speed, the other 20 at half speed take 40: 07:40.
    Leaving inside the band and running out of it: 09:50 + 30 free: 10 min cover 5, the other 25 at full: 10:25."""
    assert HALF.arrival(400, 40) == pytest.approx(460)
    assert HALF.arrival(590, 30) == pytest.approx(625)
    assert HALF.arrival(480, 30) == pytest.approx(540)
    assert HALF.arrival(660, 30) == 690  # outside every band: as without rush hour
    assert HALF.departure(460, 40) == pytest.approx(400)
    assert HALF.departure(625, 30) == pytest.approx(590)
    assert HALF.factor_at(419.9) == 1.0 and HALF.factor_at(420) == 0.5 and HALF.factor_at(600) == 1.0
    assert HALF.factor_at(24 * 60 + 450) == 0.5  # days repeat


def test_arrival_crosses_several_bands_and_midnight() -> None:
    """Bands 23:00-24:00 and 00:00-01:00 at half speed: 22:50 + 60 free = 10 at full (to 23:00), 60 clock minutes
    cover 30 (to 24:00), the last 20 take 40 (00:40 the next day = 1480)."""
    night = RushHour((SpeedBand(23 * 60, 24 * 60, 0.5), SpeedBand(0, 60, 0.5)))
    assert night.arrival(1370, 60) == pytest.approx(1480)
    assert night.departure(1480, 60) == pytest.approx(1370)
    assert RushHour().arrival(0, 5 * 1440) > 5 * 1440  # several whole days, each with two slow peaks


@st.composite
def _rush(draw: st.DrawFn) -> RushHour:
    cuts = sorted(draw(st.sets(st.integers(0, 1440), min_size=2, max_size=6)))
    bands = [SpeedBand(float(a), float(b), draw(st.floats(0.1, 1.0)))
             for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    return RushHour(tuple(bands))


@settings(max_examples=200, deadline=None)
@given(rush=_rush(), t=st.floats(0, 3000), later=st.floats(0, 600), free=st.floats(0, 900))
def test_a_later_departure_never_arrives_earlier(rush: RushHour, t: float, later: float, free: float) -> None:
    """FIFO; with every factor at most 1 a leg never takes less than its free minutes; departure inverts arrival."""
    a = rush.arrival(t, free)
    assert rush.arrival(t + later, free) >= a - 1e-9
    assert a >= t + free - 1e-9
    assert rush.departure(a, free) == pytest.approx(t, abs=1e-6)


def test_validation_lists_every_problem_and_what_to_change() -> None:
    with pytest.raises(ValueError) as err:
        RushHour((SpeedBand(600, 420, 0.8), SpeedBand(480, 720, 0.05), SpeedBand(700, 800, 0.9)))
    text = str(err.value)
    assert "10:00-07:00 ends before it starts; give the earlier time first" in text
    assert "speed 0.05 x the base speed is outside 0.1-2" in text
    assert "08:00-12:00 and 11:40-13:20 overlap" in text
    with pytest.raises(ValueError, match=r"row 2: from '7h' is not a time like 07:00.*row 3: speed 0 must be"):
        rush_from_rows([("07:00", "10:00", 80), ("7h", "10:00", 80), ("16:00", "19:00", 0)])
    assert rush_from_rows([*rush_rows(RushHour()), (None, None, None)]) == RushHour()
    with pytest.raises(ValueError, match="must be a RushHour"):
        DayPlanSettings(rush="07-10")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="minutes from midnight"):
        replace(_problem(480), time_unit="h")


def _problem(shift_start: float, rush: RushHour | None = RushHour()) -> RoutingProblem:
    """Depot and two stops 30 minutes apart on a triangle; one van leaving at ``shift_start``; windows all day."""
    minutes = np.array([[0.0, 30.0, 30.0], [30.0, 0.0, 30.0], [30.0, 30.0, 0.0]])
    stops = tuple(Stop(f"S{i}", f"stop {i}", 53.0, -1.5, 10.0, service_minutes=10.0,
                       windows=(TimeWindow(0.0, 1440.0),)) for i in (1, 2))
    van = Vehicle("V1", capacity_kg=100.0, shift_start=shift_start, shift_end=1440.0, cost_per_hour=20.0)
    return RoutingProblem("triangle", (Depot("D", "depot", 53.0, -1.5),), stops, (van,), minutes / 3,
                          {"default": minutes}, rush=rush)


def test_an_0800_route_takes_longer_than_the_same_route_at_1000() -> None:
    """At 80 % speed from 07:00 to 10:00, the first two 30-minute legs of an 08:00 departure take 37.5 minutes each
    (arrivals 08:37:30 and 09:25); the last leaves at 09:35: 25 minutes cover 20 to 10:00, the other 10 at full
    speed: back at 10:10, 20 minutes of traffic. At 10:00 the route runs at full speed (back 11:50)."""
    early, late = evaluate_route(_problem(480), 0, [0, 1]), evaluate_route(_problem(600), 0, [0, 1])
    free = evaluate_route(_problem(480, rush=None), 0, [0, 1])
    assert early.duration == pytest.approx(130.0) and early.end_time == pytest.approx(610.0)
    assert early.traffic_minutes == pytest.approx(20.0)
    assert late.duration == free.duration == 110.0 and late.traffic_minutes == free.traffic_minutes == 0.0
    assert early.duration > late.duration and early.objective_value > late.objective_value
    assert [v.arrival for v in early.visits] == pytest.approx([517.5, 565.0])


def test_windows_are_checked_against_the_rush_hour_arrival() -> None:
    """A stop that must be reached by 08:35 is on time at full speed (08:30) but late in rush hour (08:37:30)."""
    p = _problem(480)
    tight = replace(p, stops=(replace(p.stops[0], windows=(TimeWindow(0.0, 515.0),)), p.stops[1]))
    assert not evaluate_route(replace(tight, rush=None), 0, [0, 1]).violations
    assert [x.kind for x in evaluate_route(tight, 0, [0, 1]).violations] == ["time_window"]


def test_solvers_optimise_on_the_band_of_the_shift_start() -> None:
    """A van starting at 08:00 gets travel times x 1/0.8; one starting at 06:00 keeps the base minutes."""
    p = _problem(480)
    p = replace(p, vehicles=(*p.vehicles, replace(p.vehicles[0], vehicle_id="V2", shift_start=360.0)))
    m = integer_model(p, [0, 1])
    slow, base = (m.durations[k] for k in m.duration_key)
    assert m.duration_key[1] == "default" and base[0, 1] == 30 * 60
    assert slow[0, 1] == 37.5 * 60
    assert integer_model(replace(p, rush=None), [0, 1]).duration_key == ["default", "default"]


@pytest.fixture
def sample_day(sample_store):  # type: ignore[no-untyped-def]
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites")}
    d = delivery_dates(t["orders"], sample_store.as_of())[0]
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], d)
    return d, build_problem(stops, t["vehicles"], t["sites"], rush=RushHour())


def test_planned_routes_with_rush_hour_never_go_back_in_time(sample_day) -> None:  # type: ignore[no-untyped-def]
    """On the sample's first day with the default rush hour: times only move forward along every route, traffic adds
    minutes (none without rush hour), and the exported drive minutes are the clock minutes of the schedule."""
    day, problem = sample_day
    plan = solve(problem, time_limit=BACKSTOP_S, max_iterations=100)
    assert plan.routes and plan.traffic_minutes > 0
    for r in plan.routes:
        times = [r.start_time] + [t for v in r.visits for t in (v.arrival, v.service_start, v.departure)] + [r.end_time]
        assert times == sorted(times)
    legs = plan_stops(problem, plan, day)
    for r in plan.routes:
        mine = legs[legs["vehicle_id"] == r.vehicle_id]
        left = [r.start_time] + [v.departure for v in r.visits[:-1]]
        assert np.allclose([v.arrival for v in r.visits] - mine["drive_minutes"].to_numpy(), left)
        assert mine["return_minutes"].iloc[-1] == pytest.approx(r.end_time - r.visits[-1].departure)
    flat = solve(replace(problem, rush=None), time_limit=BACKSTOP_S, max_iterations=100)
    assert flat.traffic_minutes == 0.0


def test_what_ifs_keep_the_rush_hour(sample_day) -> None:  # type: ignore[no-untyped-def]
    _, problem = sample_day
    changed = apply_change(problem, RouteChange("Add a van", problem.vehicles[0].vehicle_id))
    assert changed.rush == problem.rush == RushHour()


def test_orders_late_under_rush_hour_go_to_another_van_or_place(sample_day) -> None:  # type: ignore[no-untyped-def]
    """The engines plan the sample's first day at the 06:00 speed; timed through the 07:00-10:00 band some routes
    break a window. The orders that drops are put back where they fit, so every order is still planned, and every
    route keeps its windows."""
    _, problem = sample_day
    engine_only = solve_pyvrp(problem, list(range(len(problem.stops))), BACKSTOP_S, 0, 600)
    dropped = [i for i in range(len(problem.stops)) if not any(i in kept for kept in repair(problem, engine_only)
                                                               .values())]
    assert dropped  # the case this guards: without re-insertion these were left out
    plan = solve(problem, time_limit=BACKSTOP_S, max_iterations=600)
    assert not plan.unassigned and plan.feasible
    assert reinsert(problem, {}, []) == {}
