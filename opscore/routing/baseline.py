"""Naive plan for comparison: nearest neighbour, one vehicle at a time.

Each van in turn leaves the depot and goes to the nearest unserved stop it can still serve without
breaking capacity, a time window, its shift or range, until none fits (nearest-neighbour tour
construction, Rosenkrantz, Stearns and Lewis 1977, SIAM J. Computing 6(3); sequential route
building as in Solomon 1987). Stops no van takes are unassigned; where one would still fit somewhere, the reason says
the quick plan missed it (not the solver's time budget, which it has none of).
"""

from __future__ import annotations

import time

from opscore.routing.assemble import build_plan
from opscore.routing.plan import RoutePlan, evaluate_route
from opscore.routing.problem import RoutingProblem
from opscore.routing.reasons import explain_unassigned
from opscore.routing.violations import Reason

MISSED = Reason("quick_plan", "the quick first plan (nearest stop next) found no place for it; Plan routes does better")


def nearest_neighbour_plan(problem: RoutingProblem) -> RoutePlan:
    start = time.perf_counter()
    unserved = set(range(len(problem.stops)))
    sequences: dict[int, list[int]] = {}
    for vi, v in enumerate(problem.vehicles):
        seq: list[int] = []
        here = v.start_depot
        while unserved:
            order = sorted(unserved, key=lambda i: (problem.distance[here, problem.stop_location(i)], i))
            nxt = next((i for i in order if not evaluate_route(problem, vi, [*seq, i]).violations), None)
            if nxt is None:
                break
            seq.append(nxt)
            unserved.discard(nxt)
            here = problem.stop_location(nxt)
        if seq:
            sequences[vi] = seq
    routes = [evaluate_route(problem, vi, seq) for vi, seq in sequences.items()]
    reasons = {i: MISSED if r.kind == "time_budget" else r
               for i, r in explain_unassigned(problem, routes, sorted(unserved)).items()}
    return build_plan(problem, sequences, engine="nearest neighbour", runtime_s=time.perf_counter() - start,
                      reasons=reasons)
