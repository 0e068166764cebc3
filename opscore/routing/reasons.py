"""Plain-language reasons why a stop is not in the plan: capacity, time window, shift length or cost."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from opscore.routing.plan import Route, evaluate_route
from opscore.routing.problem import RoutingProblem

KINDS = {"capacity": "capacity", "volume": "capacity", "window": "time window", "shift": "shift length",
         "returns": "shift length", "break": "driver break", "range": "range"}


def violation_kind(text: str) -> str:
    """'capacity', 'time window', 'shift length' or 'driver break' for a route violation message."""
    return next((kind for key, kind in KINDS.items() if key in text), "other")


def clock(problem: RoutingProblem, t: float) -> str:
    """A time as HH:MM for real problems, as a number for benchmark time units."""
    if problem.time_unit != "min":
        return f"{t:g}"
    t = max(0.0, t)
    return f"{int(t // 60):02d}:{int(round(t % 60)) % 60:02d}"


def distinct_vehicles(problem: RoutingProblem) -> list[int]:
    """Index of the first vehicle of each group of identical vehicles (same everything but id and name)."""
    seen: dict[object, int] = {}
    for vi, v in enumerate(problem.vehicles):
        seen.setdefault(replace(v, vehicle_id="", name=""), vi)
    return list(seen.values())


def alone_reason(problem: RoutingProblem, i: int, vehicles: Sequence[int] | None = None) -> str | None:
    """Why no vehicle (of ``vehicles``, default one of each kind) could serve stop ``i`` on its own, or None."""
    s = problem.stops[i]
    kinds: list[str] = []
    for vi in distinct_vehicles(problem) if vehicles is None else vehicles:
        r = evaluate_route(problem, vi, [i])
        if not r.violations:
            return None
        kinds.append(violation_kind(r.violations[0]))
    heaviest = max(v.capacity_kg for v in problem.vehicles)
    biggest = max(v.capacity_m3 for v in problem.vehicles)
    if s.demand_kg > heaviest:
        return f"capacity: it weighs {s.demand_kg:g} kg, more than the largest van carries ({heaviest:g} kg)"
    if s.demand_m3 > biggest:
        return f"capacity: it needs {s.demand_m3:g} m3, more than the largest van holds ({biggest:g} m3)"
    if "time window" in kinds:
        earliest = min(v.shift_start + problem.durations[v.profile][v.start_depot, problem.stop_location(i)]
                       for v in problem.vehicles)
        last = s.windows[-1].end
        return (f"time window: the earliest a van can get there is {clock(problem, earliest)}, "
                f"after the window closes at {clock(problem, last)}")
    if "range" in kinds and "shift length" not in kinds:
        return "range: the round trip is longer than any van's range on one tank or charge"
    longest = max(v.max_shift_minutes for v in problem.vehicles)
    return (f"shift length: the round trip does not fit in any van's shift "
            f"(longest {longest / 60:.1f} h)" if problem.time_unit == "min" else
            "shift length: the round trip does not fit in any vehicle's shift")


def _insertion_kinds(problem: RoutingProblem, routes: Sequence[Route], i: int) -> Counter[str]:
    """Which constraint blocks each insertion of stop ``i`` into the used routes (feasible counted as 'fits')."""
    kinds: Counter[str] = Counter()
    for r in routes:
        seq = [v.stop_index for v in r.visits]
        for pos in range(len(seq) + 1):
            trial = evaluate_route(problem, r.vehicle_index, seq[:pos] + [i] + seq[pos:])
            kinds[violation_kind(trial.violations[0]) if trial.violations else "fits"] += 1
    return kinds


def explain_unassigned(problem: RoutingProblem, routes: Sequence[Route], stops: Iterable[int]) -> dict[int, str]:
    """Reason per left-out stop index, judged against the plan's routes."""
    used = {r.vehicle_index for r in routes}
    kinds_of_vehicle = distinct_vehicles(problem)
    out: dict[int, str] = {}
    for i in stops:
        alone = alone_reason(problem, i, kinds_of_vehicle)
        if alone is not None:
            out[i] = alone
            continue
        s = problem.stops[i]
        free_van = any(not evaluate_route(problem, vi, [i]).violations
                       for vi in range(len(problem.vehicles)) if vi not in used)
        kinds = _insertion_kinds(problem, routes, i)
        if free_van or kinds["fits"]:
            out[i] = (f"cost: serving it would cost more than its penalty ({s.weighted_penalty:g})"
                      if s.optional else "not placed within the time budget; try a longer solver time")
            continue
        kind = max((k for k in kinds if k != "fits"), key=lambda k: kinds[k], default="capacity")
        out[i] = {"capacity": "capacity: every van that could reach it is already full",
                  "time window": "time window: no van can fit it in its window between its other stops",
                  "shift length": "shift length: adding it would run a van past the end of its shift",
                  "driver break": "driver break: adding it would push a driver's break too late",
                  "range": "range: adding it would take a van beyond its range"}.get(
            kind, "no van can take it without breaking a constraint")
    return out
