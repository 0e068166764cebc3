"""One entry point for both engines: ``solve(problem, time_limit, engine, seed) -> RoutePlan``."""

from __future__ import annotations

import time

from opscore.routing.assemble import build_plan
from opscore.routing.ortools_engine import solve_ortools
from opscore.routing.plan import RoutePlan, evaluate_route
from opscore.routing.problem import RoutingProblem
from opscore.routing.pyvrp_engine import solve_pyvrp
from opscore.routing.reasons import alone_reason, distinct_vehicles

ENGINES = ("auto", "pyvrp", "ortools")
"""'auto' uses PyVRP unless a driver break is asked for, which only OR-Tools models."""


def pick_engine(problem: RoutingProblem, engine: str = "auto") -> str:
    """The engine that will run: checks the name and that it models every constraint asked for."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    breaks = [v.vehicle_id for v in problem.vehicles if v.has_break]
    if engine == "auto":
        return "ortools" if breaks else "pyvrp"
    if engine == "pyvrp" and breaks:
        raise ValueError(f"driver breaks (vehicles {', '.join(breaks[:3])}) are modelled by the OR-Tools engine "
                         "only; use engine='ortools' or 'auto'")
    return engine


def solve(problem: RoutingProblem, time_limit: float = 5.0, engine: str = "auto", seed: int = 0,
          max_iterations: int | None = None) -> RoutePlan:
    """Near-optimal routes within ``time_limit`` seconds of search, or ``max_iterations`` iterations (PyVRP) or
    solutions (OR-Tools) if that comes first: with a generous time limit, an iteration budget gives the same plan
    on a fast or a loaded machine.

    Stops no vehicle could serve even alone are left out first, each with its reason; the rest go to
    the engine. Every stop not routed is listed in ``plan.unassigned`` with a reason.
    """
    if not 0 < time_limit <= 3600:
        raise ValueError(f"time limit {time_limit} s must be between 0 and 3600 seconds")
    if max_iterations is not None and max_iterations < 1:
        raise ValueError(f"an iteration budget must be 1 or more, not {max_iterations}")
    chosen = pick_engine(problem, engine)
    kinds = distinct_vehicles(problem)
    reasons = {i: r for i in range(len(problem.stops)) if (r := alone_reason(problem, i, kinds)) is not None}
    stops = [i for i in range(len(problem.stops)) if i not in reasons]
    start = time.perf_counter()
    sequences: dict[int, list[int]] = {}
    if stops:
        sequences = (solve_pyvrp(problem, stops, time_limit, seed, max_iterations) if chosen == "pyvrp"
                     else solve_ortools(problem, stops, time_limit, max_iterations))
    runtime = time.perf_counter() - start
    fixed = repair(problem, sequences)
    if problem.rush is not None:
        dropped = [i for seq in sequences.values() for i in seq if not any(i in kept for kept in fixed.values())]
        fixed = reinsert(problem, fixed, dropped)
    return build_plan(problem, fixed, engine=chosen, runtime_s=runtime, reasons=reasons)


def repair(problem: RoutingProblem, sequences: dict[int, list[int]]) -> dict[int, list[int]]:
    """Drop stops from any route that breaks a constraint (checked in real units) until it is feasible.

    Guards against an engine returning its best infeasible plan; each step removes the stop whose
    removal leaves the fewest violations, then the lowest route objective.
    """
    out = {}
    for vi, seq in sequences.items():
        seq = list(seq)
        while seq and evaluate_route(problem, vi, seq).violations:
            trials = [seq[:k] + seq[k + 1:] for k in range(len(seq))]
            scored = [(len(r.violations), r.objective_value, k)
                      for k, r in enumerate(evaluate_route(problem, vi, t) for t in trials)]
            seq = trials[min(scored)[2]]
        out[vi] = seq
    return out


def reinsert(problem: RoutingProblem, sequences: dict[int, list[int]], stops: list[int]) -> dict[int, list[int]]:
    """Put ``stops`` back where they fit, cheapest insertion first (any van, any position, checked in real units).

    Under rush hour the engines plan on the speed of each van's shift start, so a route timed hour by hour may
    break a window and :func:`repair` drops a stop that another van or position can still take.
    """
    out = {vi: list(seq) for vi, seq in sequences.items()}
    todo = list(stops)
    while todo:
        best: tuple[float, int, int, int] | None = None
        cost = {vi: evaluate_route(problem, vi, seq).objective_value if (seq := out.get(vi)) else 0.0
                for vi in range(len(problem.vehicles))}
        for i in todo:
            for vi, before in cost.items():
                seq = out.get(vi, [])
                for pos in range(len(seq) + 1):
                    trial = evaluate_route(problem, vi, seq[:pos] + [i] + seq[pos:])
                    if not trial.violations and (best is None or trial.objective_value - before < best[0]):
                        best = (trial.objective_value - before, i, vi, pos)
        if best is None:
            break
        _, i, vi, pos = best
        out.setdefault(vi, []).insert(pos, i)
        todo.remove(i)
    return out
