"""PyVRP engine: hybrid genetic search / iterated local search (Wouda, Lan and Kool 2024,
"PyVRP: a high-performance VRP solver package", INFORMS J. Computing 36(4)).

Rush hour: travel times are scaled by the band of each van's shift start (:mod:`opscore.routing.integer_model`).

A stop with two time windows becomes two clients at the same place in a mutually exclusive
group, so exactly one window is used.

Pinned to PyVRP 0.13.4: on X-n200-k36 at a 10 s limit it ends 0.62-0.85 % above the best
known solution (seeds 1-3) where 0.14.1 stalls at 2.0 % (``bench/routing_vrplib.py``).
"""

from __future__ import annotations

import warnings

import numpy as np
from pyvrp import Client, ClientGroup, Depot, PenaltyParams, ProblemData, SolveParams, VehicleType, solve
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

from opscore.routing.integer_model import IntegerModel, down, integer_model, up
from opscore.routing.problem import RoutingProblem


def _data(problem: RoutingProblem, m: IntegerModel,
          all_optional: bool) -> tuple[ProblemData, list[int], list[list[int]]]:
    n_dep = problem.n_depots
    depots = [Depot(x=d.lon, y=d.lat, tw_early=up(d.opening.start, problem.time_scale),
                    tw_late=down(d.opening.end, problem.time_scale)) for d in problem.depots]
    clients: list[Client] = []
    client_stop: list[int] = []
    groups: list[ClientGroup] = []
    for k, i in enumerate(m.stops):
        prize = m.penalties[k]
        required = prize is None and not all_optional
        prize = m.big_penalty if prize is None else prize
        members = []
        for tw_early, tw_late in m.windows[k]:
            members.append(n_dep + len(clients))  # groups name clients by location index
            stop = problem.stops[i]
            clients.append(Client(x=stop.lon, y=stop.lat, delivery=m.demands[k], service_duration=m.service[k],
                                  tw_early=tw_early, tw_late=tw_late, prize=prize,
                                  required=required and len(m.windows[k]) == 1,
                                  group=len(groups) if len(m.windows[k]) > 1 else None))
            client_stop.append(i)
        if len(members) > 1:
            groups.append(ClientGroup(members, required=required))
    profiles = list(m.durations)  # profiles, plus rush-hour scaled copies (IntegerModel.duration_key)
    # start depot, end depot, capacities, shift, distance cost, duration cost, profile, max distance
    types: dict[tuple[int, int, tuple[int, ...], tuple[int, int, int], int, int, int, int], list[int]] = {}
    for vi, v in enumerate(problem.vehicles):
        key = (v.start_depot, v.return_depot, tuple(m.capacities[vi]), m.shift[vi], m.distance_cost[vi],
               m.duration_cost[vi], profiles.index(m.duration_key[vi]), m.max_distance[vi])
        types.setdefault(key, []).append(vi)
    vehicle_types = [VehicleType(num_available=len(vis), capacity=list(cap), start_depot=sd, end_depot=ed,
                                 tw_early=sh[0], tw_late=sh[1], shift_duration=sh[2], unit_distance_cost=dc,
                                 unit_duration_cost=tc, profile=prof, max_distance=md)
                     for (sd, ed, cap, sh, dc, tc, prof, md), vis in types.items()]
    place = np.array(list(range(n_dep)) + [n_dep + i for i in client_stop])  # matrix row per location
    grid = np.ix_(place, place)
    data = ProblemData(clients=clients, depots=depots, vehicle_types=vehicle_types,
                       distance_matrices=[m.distance[grid]] * len(profiles),
                       duration_matrices=[m.durations[p][grid] for p in profiles], groups=groups)
    return data, client_stop, list(types.values())


def _stop(time_limit: float, max_iterations: int | None) -> StoppingCriterion:
    """Stop after ``time_limit`` seconds or, when given, ``max_iterations`` iterations, whichever comes first."""
    runtime = MaxRuntime(time_limit)
    return runtime if max_iterations is None else MultipleCriteria([MaxIterations(max_iterations), runtime])


def solve_pyvrp(problem: RoutingProblem, stops: list[int], time_limit: float, seed: int,
                max_iterations: int | None = None) -> dict[int, list[int]]:
    """Stop sequences per vehicle index. If no plan serves every required stop (or the loads cannot
    fit the fleet at all), required stops become optional at ten times the dearest round trip, so a
    plan always comes back."""
    m = integer_model(problem, stops)
    over = any(sum(d[k] for d in m.demands) > sum(c[k] for c in m.capacities) for k in range(len(m.capacities[0])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyVRP warns when penalties hit their bound on infeasible data
        res = None
        if not over:
            data, client_stop, type_vehicles = _data(problem, m, all_optional=False)
            res = solve(data, stop=_stop(time_limit, max_iterations), seed=seed, collect_stats=False, display=False)
        if res is None or not res.is_feasible():
            data, client_stop, type_vehicles = _data(problem, m, all_optional=True)
            params = SolveParams(penalty=PenaltyParams(max_penalty=float(m.big_penalty)))
            res = solve(data, stop=_stop(time_limit, max_iterations), seed=seed, collect_stats=False, display=False,
                        params=params)
    free = [list(v) for v in type_vehicles]
    out: dict[int, list[int]] = {}
    for route in res.best.routes():
        vi = free[route.vehicle_type()].pop(0)
        out[vi] = [client_stop[loc - problem.n_depots] for loc in route.visits()]
    return out
