"""Mid-day re-optimisation: keep what is done, re-plan the rest with new orders.

At time ``now`` every stop a van has already left for (or served) is fixed. Each van then starts
from its last fixed stop when it is free (or from its depot if it has not left), with the shift
time, range and capacity it has left; the remaining and new stops are solved again. Capacity is
a whole-day limit: a van can take a new order only in the space its delivered and committed orders
leave (goods for new orders ride in the van's spare space, e.g. van stock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from opscore.routing.assemble import build_plan
from opscore.routing.plan import RoutePlan
from opscore.routing.problem import Depot, RoutingProblem, Stop, TimeWindow
from opscore.routing.solve import solve


def with_new_stops(problem: RoutingProblem, new_stops: Sequence[Stop]) -> RoutingProblem:
    """The problem with ``new_stops`` appended; matrices rebuilt by the problem's travel model."""
    if not new_stops:
        return problem
    if problem.travel is None or not problem.geographic:
        raise ValueError("new stops need the travel model the problem was built with; problems from a matrix "
                         "file or a benchmark cannot take new locations")
    stops = (*problem.stops, *new_stops)
    lat = [d.lat for d in problem.depots] + [s.lat for s in stops]
    lon = [d.lon for d in problem.depots] + [s.lon for s in stops]
    km, durations = problem.travel.matrices(lat, lon, list(problem.durations))
    return replace(problem, stops=stops, distance=km, durations=durations)


def fixed_prefixes(plan: RoutePlan, now: float) -> dict[int, tuple[list[int], float]]:
    """Per vehicle index: (stops already left for or served, time the van is free again)."""
    out = {}
    for r in plan.routes:
        leave = [r.start_time] + [v.departure for v in r.visits[:-1]]
        done = [v.stop_index for v, t in zip(r.visits, leave) if t <= now]
        free = max(now, r.visits[len(done) - 1].departure) if done else now
        out[r.vehicle_index] = (done, free)
    return out


def reoptimise(problem: RoutingProblem, plan: RoutePlan, now: float, new_stops: Sequence[Stop] = (),
               time_limit: float = 5.0, engine: str = "auto", seed: int = 0) -> tuple[RoutingProblem, RoutePlan]:
    """(problem with the new stops, merged plan: fixed part + re-planned rest) at ``now`` (minutes from midnight)."""
    full = with_new_stops(problem, new_stops)
    prefixes = fixed_prefixes(plan, now)
    fixed = {i for done, _ in prefixes.values() for i in done}
    rest = [i for i in range(len(full.stops)) if i not in fixed]
    n_dep = full.n_depots
    starts: list[int] = []  # matrix index of each vehicle's starting point
    vehicles = []
    for vi, v in enumerate(full.vehicles):
        done, free = prefixes.get(vi, ([], max(now, v.shift_start)))
        route = next((r for r in plan.routes if r.vehicle_index == vi), None)
        used = free - route.start_time if route is not None and done else 0.0
        start_at = full.stop_location(done[-1]) if done else v.start_depot
        if start_at not in starts:
            starts.append(start_at)
        carried_kg = sum(full.stops[i].demand_kg for i in done)
        carried_m3 = sum(full.stops[i].demand_m3 for i in done)
        vehicles.append(replace(v, capacity_kg=max(1e-6, v.capacity_kg - carried_kg),
                                capacity_m3=max(1e-6, v.capacity_m3 - carried_m3),
                                start_depot=n_dep + starts.index(start_at), end_depot=v.return_depot,
                                shift_start=max(free, v.shift_start),
                                max_shift_minutes=max(1e-3, v.max_shift_minutes - used),
                                range_km=max(1e-3, v.range_km - (route.distance if route is not None and done else 0)),
                                shift_end=max(v.shift_end, max(free, v.shift_start))))
    pseudo = tuple(Depot(f"start{k}", "van position", lat=0.0, lon=0.0, opening=TimeWindow(0.0, float("inf")))
                   for k in range(len(starts)))
    idx = list(range(n_dep)) + starts + [full.stop_location(i) for i in rest]
    sub = RoutingProblem(f"{full.name} (re-plan)", full.depots + pseudo, tuple(full.stops[i] for i in rest),
                         tuple(vehicles), full.distance[np.ix_(idx, idx)],
                         {k: m[np.ix_(idx, idx)] for k, m in full.durations.items()}, objective=full.objective,
                         distance_unit=full.distance_unit, time_unit=full.time_unit,
                         distance_scale=full.distance_scale, time_scale=full.time_scale, geographic=False,
                         rush=full.rush)
    sub_plan = solve(sub, time_limit=time_limit, engine=engine, seed=seed)
    sequences = {vi: list(prefixes.get(vi, ([], 0.0))[0]) for vi in range(len(full.vehicles))}
    for r in sub_plan.routes:
        sequences[r.vehicle_index] += [rest[v.stop_index] for v in r.visits]
    reasons = {rest[u.stop_index]: u.reason for u in sub_plan.unassigned}
    return full, build_plan(full, sequences, engine=f"{sub_plan.engine} (re-plan at {now:g})",
                            runtime_s=sub_plan.runtime_s, reasons=reasons)
