"""OR-Tools routing engine: cheapest-arc start, then guided local search (Voudouris and Tsang 1999,
European J. Operational Research 113(2)); models driver breaks, which PyVRP does not.

Every stop is a disjunction (optional at its penalty; required stops at a penalty above any plan
cost), so a plan comes back even when not every stop fits. Rush hour: travel times are scaled by the band of
each van's shift start (:mod:`opscore.routing.integer_model`). OR-Tools routing search is
deterministic for a given time limit; it takes no seed.
"""

from __future__ import annotations

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from opscore.routing.integer_model import BIG, down, integer_model, up
from opscore.routing.problem import RoutingProblem


def solve_ortools(problem: RoutingProblem, stops: list[int], time_limit: float,
                  max_iterations: int | None = None) -> dict[int, list[int]]:
    """Stop sequences per vehicle index (vehicles with empty routes omitted)."""
    m = integer_model(problem, stops)
    n_dep, vehicles = problem.n_depots, problem.vehicles
    node_loc = list(range(n_dep)) + [problem.stop_location(i) for i in stops]
    service = [0] * n_dep + m.service
    manager = pywrapcp.RoutingIndexManager(len(node_loc), len(vehicles), [v.start_depot for v in vehicles],
                                           [v.return_depot for v in vehicles])
    routing = pywrapcp.RoutingModel(manager)
    dist = m.distance

    def arc_cost(coef: int) -> int:
        """Index of the registered transit callback: ``coef`` x integer distance."""
        def cb(a: int, b: int) -> int:
            return coef * int(dist[node_loc[manager.IndexToNode(a)], node_loc[manager.IndexToNode(b)]])
        index: int = routing.RegisterTransitCallback(cb)
        return index

    cost_cb = {c: arc_cost(c) for c in set(m.distance_cost)}
    for vi, c in enumerate(m.distance_cost):
        routing.SetArcCostEvaluatorOfVehicle(cost_cb[c], vi)

    def travel(key: str) -> int:
        """Index of the registered transit callback: service at the origin + integer travel time."""
        mat = m.durations[key]

        def cb(a: int, b: int) -> int:
            na: int = manager.IndexToNode(a)
            nb: int = manager.IndexToNode(b)
            return service[na] + int(mat[node_loc[na], node_loc[nb]])
        index: int = routing.RegisterTransitCallback(cb)
        return index

    time_cb = {k: travel(k) for k in set(m.duration_key)}
    horizon = min(BIG, max(max(s[1] for s in m.shift), max(w[-1][1] for w in m.windows) if m.windows else 0))
    routing.AddDimensionWithVehicleTransits([time_cb[k] for k in m.duration_key], horizon, horizon, False, "Time")
    time = routing.GetDimensionOrDie("Time")
    for k, wins in enumerate(m.windows):
        cumul = time.CumulVar(manager.NodeToIndex(n_dep + k))
        cumul.SetRange(wins[0][0], min(wins[-1][1], horizon))
        if len(wins) == 2 and wins[1][0] - wins[0][1] > 1:
            cumul.RemoveInterval(wins[0][1] + 1, wins[1][0] - 1)
    solver = routing.solver()
    visit_transit = [service[manager.IndexToNode(x)] if not routing.IsEnd(x) else 0 for x in range(routing.Size())]
    for vi, v in enumerate(vehicles):
        early, late, longest = m.shift[vi]
        late = min(late, horizon)
        time.CumulVar(routing.Start(vi)).SetRange(early, late)
        time.CumulVar(routing.End(vi)).SetRange(early, late)
        if longest < BIG:
            time.SetSpanUpperBoundForVehicle(longest, vi)
        if m.duration_cost[vi]:
            time.SetSpanCostCoefficientForVehicle(m.duration_cost[vi], vi)
        routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.Start(vi)))
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(vi)))
        if v.has_break and v.break_window is not None:  # Vehicle validation: a break always has a window
            ts, bw = problem.time_scale, v.break_window
            brk = solver.FixedDurationIntervalVar(up(bw.start, ts), down(bw.end, ts),
                                                  up(v.break_minutes, ts), False, f"break {v.vehicle_id}")
            time.SetBreakIntervalsOfVehicle([brk], vi, visit_transit)
    if any(md < BIG for md in m.max_distance):
        routing.AddDimensionWithVehicleCapacity(cost_cb[1] if 1 in cost_cb else arc_cost(1), 0, m.max_distance,
                                                True, "Distance")
    for d, name in enumerate(("kg", "m3")[: len(m.capacities[0])]):
        demand = [0] * n_dep + [row[d] for row in m.demands]
        cb = routing.RegisterUnaryTransitCallback(lambda x, dem=demand: dem[manager.IndexToNode(x)])
        routing.AddDimensionWithVehicleCapacity(cb, 0, [min(c[d], BIG) for c in m.capacities], True, name)
    for k, pen in enumerate(m.penalties):
        routing.AddDisjunction([manager.NodeToIndex(n_dep + k)], m.big_penalty if pen is None else pen)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    if max_iterations is not None:
        params.solution_limit = max_iterations  # solutions found: a budget independent of machine speed
    solution = routing.SolveWithParameters(params)
    out: dict[int, list[int]] = {}
    if solution is None:
        return out
    for vi in range(len(vehicles)):
        x, seq = solution.Value(routing.NextVar(routing.Start(vi))), []
        while not routing.IsEnd(x):
            seq.append(stops[manager.IndexToNode(x) - n_dep])
            x = solution.Value(routing.NextVar(x))
        if seq:
            out[vi] = seq
    return out
