"""Plain-language reasons why a stop is not in the plan, decided from the typed violations of trial routes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from opscore.routing.plan import Route, arrival_at, evaluate_route
from opscore.routing.problem import RoutingProblem
from opscore.routing.violations import Reason, ViolationKind, time_text

K = ViolationKind
INSERTION_TEXT: dict[ViolationKind, str] = {
    K.CAPACITY_WEIGHT: "capacity: every van that could reach it is already full (weight)",
    K.CAPACITY_VOLUME: "capacity: every van that could reach it is already full (space)",
    K.TIME_WINDOW: "time window: no van can fit it in its window between its other stops",
    K.SHIFT_END: "shift end: adding it would bring a van back after its shift ends",
    K.SHIFT_LENGTH: "shift length: adding it would make a van's day longer than its shift limit",
    K.BREAK: "driver break: adding it would push a driver's break too late",
    K.RANGE: "range: adding it would take a van beyond its range",
}
"""Reason text when a stop fits no used route, by the constraint that blocks most insertions."""


def distinct_vehicles(problem: RoutingProblem) -> list[int]:
    """Index of the first vehicle of each group of identical vehicles (same everything but id and name)."""
    seen: dict[object, int] = {}
    for vi, v in enumerate(problem.vehicles):
        seen.setdefault(replace(v, vehicle_id="", name=""), vi)
    return list(seen.values())


def alone_reason(problem: RoutingProblem, i: int, vehicles: Sequence[int] | None = None) -> Reason | None:
    """Why no vehicle (of ``vehicles``, default one of each kind) could serve stop ``i`` on its own, or None.

    Checked in this order: weight and volume against the largest van, then the constraints the trial routes
    break: time window, shift length, shift end, range, capacity (no van has both room enough), driver break.
    """
    s = problem.stops[i]
    solo: list[Route] = []
    for vi in distinct_vehicles(problem) if vehicles is None else vehicles:
        r = evaluate_route(problem, vi, [i])
        if not r.violations:
            return None
        solo.append(r)
    broken = [x for r in solo for x in r.violations]
    kinds = {x.kind for x in broken}
    unit = problem.time_unit
    heaviest = max(v.capacity_kg for v in problem.vehicles)
    biggest = max(v.capacity_m3 for v in problem.vehicles)
    if s.demand_kg > heaviest:
        return Reason(K.CAPACITY_WEIGHT, f"capacity: it weighs {s.demand_kg:g} kg, more than the largest van "
                                         f"carries ({heaviest:g} kg)")
    if s.demand_m3 > biggest:
        return Reason(K.CAPACITY_VOLUME, f"capacity: it needs {s.demand_m3:g} m3, more than the largest van "
                                         f"holds ({biggest:g} m3)")
    if K.TIME_WINDOW in kinds:
        earliest = min(arrival_at(problem.rush, v.shift_start,
                                  problem.durations[v.profile][v.start_depot, problem.stop_location(i)])
                       for v in problem.vehicles)
        return Reason(K.TIME_WINDOW, f"time window: the earliest a van can get there is {time_text(earliest, unit)}, "
                                     f"after the window closes at {time_text(s.windows[-1].end, unit)}")
    if K.SHIFT_LENGTH in kinds:
        longest = max(v.max_shift_minutes for v in problem.vehicles)
        return Reason(K.SHIFT_LENGTH, f"shift length: the round trip does not fit in any van's shift "
                                      f"(longest {longest / 60:.1f} h)" if unit == "min" else
                      "shift length: the round trip does not fit in any vehicle's shift")
    if K.SHIFT_END in kinds:
        late = min((x for x in broken if x.kind == K.SHIFT_END), key=lambda x: x.amount - x.limit)
        return Reason(K.SHIFT_END, f"shift end: the earliest a van can be back is {time_text(late.amount, unit)}, "
                                   f"after its shift ends ({time_text(late.limit, unit)})")
    if K.RANGE in kinds:
        return Reason(K.RANGE, "range: the round trip is longer than any van's range on one tank or charge")
    if K.CAPACITY_WEIGHT in kinds or K.CAPACITY_VOLUME in kinds:
        return Reason(K.CAPACITY_WEIGHT if K.CAPACITY_WEIGHT in kinds else K.CAPACITY_VOLUME,
                      f"capacity: no van has room for both its {s.demand_kg:g} kg and its {s.demand_m3:g} m3")
    return Reason(K.BREAK, "driver break: serving it would push the driver's break past its latest start")


def _insertions(problem: RoutingProblem, routes: Sequence[Route], i: int) -> tuple[int, Counter[ViolationKind]]:
    """Inserting stop ``i`` at every position of the used routes: how many insertions are feasible, and which
    constraint blocks each of the others (the first one broken)."""
    fits, blocked = 0, Counter[ViolationKind]()
    for r in routes:
        seq = [v.stop_index for v in r.visits]
        for pos in range(len(seq) + 1):
            trial = evaluate_route(problem, r.vehicle_index, seq[:pos] + [i] + seq[pos:])
            if trial.violations:
                blocked[trial.violations[0].kind] += 1
            else:
                fits += 1
    return fits, blocked


def explain_unassigned(problem: RoutingProblem, routes: Sequence[Route], stops: Iterable[int]) -> dict[int, Reason]:
    """Reason per left-out stop index, judged against the plan's routes."""
    used = {r.vehicle_index for r in routes}
    kinds_of_vehicle = distinct_vehicles(problem)
    out: dict[int, Reason] = {}
    for i in stops:
        alone = alone_reason(problem, i, kinds_of_vehicle)
        if alone is not None:
            out[i] = alone
            continue
        s = problem.stops[i]
        free_van = any(not evaluate_route(problem, vi, [i]).violations
                       for vi in range(len(problem.vehicles)) if vi not in used)
        fits, blocked = _insertions(problem, routes, i)
        if free_van or fits:
            out[i] = (Reason("cost", f"cost: serving it would cost more than its penalty ({s.weighted_penalty:g})")
                      if s.optional else
                      Reason("time_budget", "not placed within the time budget; try a longer solver time"))
            continue
        kind = blocked.most_common(1)[0][0]
        out[i] = Reason(kind, INSERTION_TEXT[kind])
    return out
