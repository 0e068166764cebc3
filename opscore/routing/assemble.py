"""A :class:`RoutePlan` assembled from an engine's stop sequences, every left-out stop with its reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from opscore.routing.plan import RoutePlan, Unassigned, evaluate_route
from opscore.routing.problem import RoutingProblem
from opscore.routing.reasons import explain_unassigned
from opscore.routing.violations import Reason


def build_plan(problem: RoutingProblem, sequences: Mapping[int, Sequence[int]], *, engine: str,
               runtime_s: float = 0.0, reasons: Mapping[int, Reason] | None = None) -> RoutePlan:
    """A :class:`RoutePlan` from stop sequences per vehicle index; stops in no sequence are unassigned.

    ``reasons`` explains left-out stops; any stop without one gets a reason from
    :func:`opscore.routing.reasons.explain_unassigned`.
    """
    seen: set[int] = set()
    for vi, seq in sequences.items():
        if not 0 <= vi < len(problem.vehicles):
            raise ValueError(f"vehicle index {vi} is outside 0-{len(problem.vehicles) - 1}")
        for i in seq:
            if not 0 <= i < len(problem.stops) or i in seen:
                raise ValueError(f"stop index {i} is unknown or visited twice")
            seen.add(i)
    routes = tuple(evaluate_route(problem, vi, seq)
                   for vi, seq in sorted(sequences.items()) if seq)
    missing = [i for i in range(len(problem.stops)) if i not in seen]
    given = dict(reasons or {})
    todo = [i for i in missing if i not in given]
    if todo:
        given.update(explain_unassigned(problem, routes, todo))
    unassigned = tuple(Unassigned(i, problem.stops[i].stop_id, problem.stops[i].name, given[i]) for i in missing)
    penalty = sum(problem.stops[i].weighted_penalty or 0.0 for i in missing)
    return RoutePlan(problem.name, problem.objective, engine, routes, unassigned,
                     cost=round(sum(r.objective_value for r in routes), 9),
                     distance=round(sum(r.distance for r in routes), 9),
                     duration=round(sum(r.duration for r in routes), 9), penalty=penalty, runtime_s=runtime_s,
                     distance_unit=problem.distance_unit, time_unit=problem.time_unit)
