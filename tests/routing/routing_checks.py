"""An independent plan checker for the routing tests: re-derives loads and the schedule from the raw
problem data (not from opscore.routing.plan) and asserts every constraint."""

from __future__ import annotations

from opscore.routing import RoutePlan, RoutingProblem

TOL = 1e-6


def assert_plan_feasible(problem: RoutingProblem, plan: RoutePlan) -> None:
    """Every stop routed once or listed unassigned; capacity, windows, shift end, shift length and range hold."""
    routed = [v.stop_index for r in plan.routes for v in r.visits]
    left = [u.stop_index for u in plan.unassigned]
    assert sorted(routed + left) == list(range(len(problem.stops))), "a stop is missing or appears twice"
    assert all(u.reason.text for u in plan.unassigned)
    for r in plan.routes:
        v = problem.vehicles[r.vehicle_index]
        seq = [x.stop_index for x in r.visits]
        assert sum(problem.stops[i].demand_kg for i in seq) <= v.capacity_kg + TOL, f"{v.vehicle_id} over kg"
        assert sum(problem.stops[i].demand_m3 for i in seq) <= v.capacity_m3 + TOL, f"{v.vehicle_id} over m3"
        dur = problem.durations[v.profile]
        assert r.start_time >= v.shift_start - TOL
        t, here, km = r.start_time, v.start_depot, 0.0
        for i in seq:
            loc = problem.n_depots + i
            arrival = t + dur[here, loc]
            km += problem.distance[here, loc]
            stop = problem.stops[i]
            window = next((w for w in stop.windows if arrival <= w.end + TOL), None)
            assert window is not None, f"{v.vehicle_id} reaches {stop.stop_id} at {arrival} after its window"
            t = max(arrival, window.start) + stop.service_minutes
            here = loc
        back = t + dur[here, v.return_depot]
        km += problem.distance[here, v.return_depot]
        assert back <= v.shift_end + TOL, f"{v.vehicle_id} back at {back} after shift end {v.shift_end}"
        assert back - r.start_time <= v.max_shift_minutes + TOL, f"{v.vehicle_id} shift too long"
        assert km <= v.range_km + TOL, f"{v.vehicle_id} beyond range"
        assert abs(km - r.distance) < 1e-6 * max(1.0, km)
