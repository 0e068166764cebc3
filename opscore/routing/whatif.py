"""What-if edits of a problem: add or remove a van, switch a van to electric, widen windows, raise demand."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from opscore.emission_factors import van_kg_co2e_per_km
from opscore.routing.problem import RoutingProblem, TimeWindow, Vehicle


def _vehicle(problem: RoutingProblem, vehicle_id: str) -> Vehicle:
    for v in problem.vehicles:
        if v.vehicle_id == vehicle_id:
            return v
    have = ", ".join(v.vehicle_id for v in problem.vehicles)
    raise ValueError(f"vehicle {vehicle_id!r} is not in the plan (have: {have})")


def remove_vehicle(problem: RoutingProblem, vehicle_id: str) -> RoutingProblem:
    _vehicle(problem, vehicle_id)
    if len(problem.vehicles) == 1:
        raise ValueError("cannot remove the only van")
    return replace(problem, vehicles=tuple(v for v in problem.vehicles if v.vehicle_id != vehicle_id))


def add_vehicle(problem: RoutingProblem, like: str) -> RoutingProblem:
    """One more van identical to ``like`` (id gets a '+' suffix)."""
    base = _vehicle(problem, like)
    ids = {v.vehicle_id for v in problem.vehicles}
    new_id = next(f"{like}+{k}" for k in range(1, len(ids) + 2) if f"{like}+{k}" not in ids)
    return replace(problem, vehicles=(*problem.vehicles, replace(base, vehicle_id=new_id, name=f"extra {base.name}")))


def to_electric(problem: RoutingProblem, vehicle_id: str, factors: pd.DataFrame | None = None,
                cost_per_km: float | None = None, range_km: float | None = None) -> RoutingProblem:
    """Switch a van to battery electric: UK 2025 electric factor; optional new running cost (GBP/km) and range (km)."""
    v = _vehicle(problem, vehicle_id)
    ev = replace(v, fuel="electric", kg_co2e_per_km=van_kg_co2e_per_km("electric", factors),
                 cost_per_km=v.cost_per_km if cost_per_km is None else cost_per_km,
                 range_km=v.range_km if range_km is None else range_km)
    return replace(problem, vehicles=tuple(ev if x.vehicle_id == vehicle_id else x for x in problem.vehicles))


def widen_windows(problem: RoutingProblem, minutes: float) -> RoutingProblem:
    """Every delivery window opens ``minutes`` earlier and closes ``minutes`` later (two windows stay apart)."""
    if minutes < 0:
        raise ValueError(f"widen windows by a positive number of minutes, not {minutes}")
    stops = []
    for s in problem.stops:
        w = [TimeWindow(max(0.0, x.start - minutes), x.end + minutes) for x in s.windows]
        if len(w) == 2 and w[0].end >= w[1].start:
            w = [TimeWindow(w[0].start, w[1].end)]
        stops.append(replace(s, windows=tuple(w)))
    return replace(problem, stops=tuple(stops))


def scale_demand(problem: RoutingProblem, factor: float) -> RoutingProblem:
    """Every order's weight and volume times ``factor`` (e.g. 1.2 = 20 % more)."""
    if not 0 < factor <= 10:
        raise ValueError(f"demand factor {factor} must be between 0 and 10")
    return replace(problem, stops=tuple(replace(s, demand_kg=s.demand_kg * factor, demand_m3=s.demand_m3 * factor)
                                        for s in problem.stops))


def add_breaks(problem: RoutingProblem, minutes: float = 20.0, earliest_after_h: float = 3.0,
               latest_after_h: float = 6.0) -> RoutingProblem:
    """A driver break of ``minutes`` starting between ``earliest_after_h`` and ``latest_after_h`` into each shift.

    Default: 20 minutes before 6 hours of work (Working Time Regulations 1998, reg. 12). Solved by OR-Tools.
    """
    if minutes <= 0 or not 0 <= earliest_after_h <= latest_after_h:
        raise ValueError("break length must be positive and its earliest start before its latest")
    return replace(problem, vehicles=tuple(
        replace(v, break_minutes=minutes, break_window=TimeWindow(v.shift_start + 60 * earliest_after_h,
                                                                  v.shift_start + 60 * latest_after_h))
        for v in problem.vehicles))
