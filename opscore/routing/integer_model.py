"""The integer form of a problem that both solver engines take.

Distances are multiplied by ``problem.distance_scale`` and rounded; times by ``problem.time_scale``
and rounded up (travel, service) or inward (windows), so a plan feasible in integers is feasible in the
original units. Objective coefficients per vehicle are scaled by one factor ``F`` so that the integer
objective is ``F`` x the real one; penalties are scaled by the same ``F``.

Rush hour (``problem.rush``): the engines take fixed travel times, so each van's travel minutes are its profile's
base minutes x ``rush.solver_scale(departure)``, the band of its shift start (its earliest departure); the plan
is then evaluated time-dependently (:func:`opscore.routing.plan.evaluate_route`). Vans of one profile starting in
bands of different speeds get matrices of their own (``duration_key``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from opscore.routing.plan import emission_rate
from opscore.routing.problem import RoutingProblem, Vehicle

BIG = 2**40
"""Stand-in for 'unlimited' capacities and times (fits in int64 sums)."""
LOAD_SCALE = (10, 1000)
"""Integers per kg (0.1 kg) and per m3 (litres)."""


def _coefficients(problem: RoutingProblem, v: Vehicle) -> tuple[float, float]:
    """Objective per distance unit and per time unit for one vehicle."""
    if problem.objective == "distance":
        return 1.0, 0.0
    if problem.objective == "time":
        return 0.0, 1.0
    if problem.objective == "cost":
        return v.cost_per_km, v.cost_per_hour / 60.0
    return emission_rate(v), 0.0


def up(x: float, scale: int) -> int:
    """x in integer units, rounded up (infinite -> BIG)."""
    return BIG if math.isinf(x) else math.ceil(x * scale - 1e-9)


def down(x: float, scale: int) -> int:
    """x in integer units, rounded down (infinite -> BIG)."""
    return BIG if math.isinf(x) else math.floor(x * scale + 1e-9)


@dataclass(frozen=True, eq=False)
class IntegerModel:
    """Integer matrices, loads, windows and costs for the stops handed to a solver."""

    stops: tuple[int, ...]
    """Indices (into problem.stops) of the stops given to the solver."""
    distance: np.ndarray
    durations: dict[str, np.ndarray]
    """Integer travel times per key of :attr:`duration_key`."""
    duration_key: list[str]
    """Per vehicle: its key in ``durations`` (its profile; with rush hour, the profile and the band's scale)."""
    service: list[int]
    windows: list[list[tuple[int, int]]]
    demands: list[list[int]]
    """Per solver stop, one entry per load dimension in use."""
    capacities: list[list[int]]
    """Per vehicle, one entry per load dimension in use."""
    shift: list[tuple[int, int, int]]
    """Per vehicle: earliest start, latest return, longest duration."""
    max_distance: list[int]
    """Per vehicle: longest route distance (range)."""
    distance_cost: list[int]
    duration_cost: list[int]
    penalties: list[int | None]
    """Per solver stop: integer penalty if optional, None if required."""
    factor: float
    """F: integer objective = F x real objective."""
    big_penalty: int
    """Ten times the dearest single round trip: the penalty of a required stop treated as optional."""


def integer_model(problem: RoutingProblem, stops: list[int]) -> IntegerModel:
    """The integer data for solving ``stops`` (indices into problem.stops) with every vehicle."""
    ds, ts = problem.distance_scale, problem.time_scale
    dist = np.rint(problem.distance * ds).astype(np.int64)
    durs = {k: np.ceil(m * ts - 1e-9).clip(min=0).astype(np.int64) for k, m in problem.durations.items()}
    keys = [v.profile for v in problem.vehicles]
    if problem.rush is not None:
        keys = []
        for v in problem.vehicles:
            scale = problem.rush.solver_scale(max(v.shift_start, problem.depots[v.start_depot].opening.start))
            key = v.profile if scale == 1.0 else f"{v.profile} x{scale:.6g}"
            if key not in durs:
                durs[key] = np.ceil(problem.durations[v.profile] * scale * ts - 1e-9).clip(min=0).astype(np.int64)
            keys.append(key)
    dims = [d for d, attr in enumerate(("demand_kg", "demand_m3"))
            if any(getattr(problem.stops[i], attr) > 0 for i in stops)] or [0]
    demands = [[up((problem.stops[i].demand_kg, problem.stops[i].demand_m3)[d], LOAD_SCALE[d]) for d in dims]
               for i in stops]
    caps = [[min(down((v.capacity_kg, v.capacity_m3)[d], LOAD_SCALE[d]), BIG) for d in dims]
            for v in problem.vehicles]
    shift = []
    for v in problem.vehicles:
        open_, close = problem.depots[v.start_depot].opening, problem.depots[v.return_depot].opening
        shift.append((up(max(v.shift_start, open_.start), ts), down(min(v.shift_end, close.end), ts),
                      min(down(v.max_shift_minutes, ts), BIG)))
    coefs = [_coefficients(problem, v) for v in problem.vehicles]
    per_unit = [(a / ds, b / ts) for a, b in coefs]
    nonzero = sorted({c for pair in per_unit for c in pair if c > 0})
    if not nonzero:
        raise ValueError(f"objective {problem.objective!r} is zero for every vehicle (e.g. all costs are 0); "
                         "set costs per km/hour or pick another objective")
    factor = 1.0 / nonzero[0] if len(nonzero) == 1 else 1000.0 / nonzero[-1]
    dcost = [max(1, round(a * factor)) if a > 0 else 0 for a, _ in per_unit]
    tcost = [max(1, round(b * factor)) if b > 0 else 0 for _, b in per_unit]
    trips = [(dist[v.start_depot, problem.stop_location(i)] + dist[problem.stop_location(i), v.return_depot]) * dc
             + (durs[k][v.start_depot, problem.stop_location(i)]
                + durs[k][problem.stop_location(i), v.return_depot] + up(problem.stops[i].service_minutes, ts))
             * tc for i in stops for v, k, dc, tc in zip(problem.vehicles, keys, dcost, tcost)]
    big = int(min(max(10 * max(trips, default=0), 1000), BIG))
    penalties = [None if (pen := problem.stops[i].weighted_penalty) is None else min(round(pen * factor), big)
                 for i in stops]
    return IntegerModel(
        stops=tuple(stops), distance=dist, durations=durs, duration_key=keys,
        service=[up(problem.stops[i].service_minutes, ts) for i in stops],
        windows=[[(up(w.start, ts), down(w.end, ts)) for w in problem.stops[i].windows] for i in stops],
        demands=demands, capacities=caps, shift=shift,
        max_distance=[min(down(v.range_km, ds), BIG) for v in problem.vehicles],
        distance_cost=dcost, duration_cost=tcost,
        penalties=penalties, factor=factor, big_penalty=big)
