"""A route plan and its schedule, evaluated from stop sequences independently of any solver.

Schedule rule (Solomon 1987, Operations Research 35(2), VRPTW definition): arrival = departure
from the previous location + travel time; service starts at max(arrival, window start) and must
start no later than the window end; departure = service start + service time. The van leaves as
late as possible without delaying any stop (forward time slack, Savelsbergh 1992, ORSA J. Computing
4(2)), so route duration counts only waiting that cannot be avoided.

Rush hour (``problem.rush``): each leg's arrival is time-dependent, ``rush.arrival(departure, base minutes)``
(exact and FIFO, :mod:`opscore.routing.rush_hour`), so times along a route never go backwards and windows are
checked against the rush-hour arrival; ``Route.traffic_minutes`` is the clock time the legs took beyond their base
minutes. The departure delay is then the latest that keeps the return time and every window (found by bisection,
as arrival times are non-decreasing in the departure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from opscore.emission_factors import van_kg_co2e_per_km
from opscore.routing.problem import RoutingProblem, Vehicle
from opscore.routing.rush_hour import RushHour
from opscore.routing.violations import Reason, Violation, ViolationKind

_EPS = 1e-6


@dataclass(frozen=True)
class Visit:
    """One stop on a route."""

    sequence: int
    """Position on the route, 1 = first stop."""
    stop_index: int
    stop_id: str
    name: str
    arrival: float
    """Arrival time, minutes from midnight (instance time units for benchmarks)."""
    service_start: float
    """When unloading starts (after any wait for the window), same unit."""
    departure: float
    leg_distance: float
    """Distance from the previous location, distance unit of the problem (km)."""
    load_kg_on_board: float
    """Load still on the van when it arrives, kg."""


@dataclass(frozen=True)
class Route:
    """One vehicle's trip: depot, visits, depot."""

    vehicle_id: str
    vehicle_index: int
    visits: tuple[Visit, ...]
    start_time: float
    """Departure from the depot, minutes from midnight."""
    end_time: float
    """Return to the depot, minutes from midnight."""
    distance: float
    """Total distance, problem distance unit (km)."""
    duration: float
    """end_time - start_time, minutes (instance time units for benchmarks)."""
    load_kg: float
    """Weight loaded at the depot, kg."""
    load_m3: float
    """Volume loaded at the depot, m3."""
    objective_value: float
    """This route's share of the plan cost, in the objective's unit."""
    break_start: float | None
    """When the driver's break starts, minutes from midnight; None if no break is taken."""
    violations: tuple[Violation, ...]
    """Broken constraints; empty for a feasible route."""
    traffic_minutes: float = 0.0
    """Minutes rush-hour traffic added to the driving against the base (free-flow) minutes; 0 without rush hour."""


@dataclass(frozen=True)
class Unassigned:
    """A stop left out of the plan and why."""

    stop_index: int
    stop_id: str
    name: str
    reason: Reason


@dataclass(frozen=True)
class RoutePlan:
    """The result of :func:`opscore.routing.solve` (or a baseline)."""

    problem_name: str
    objective: str
    engine: str
    routes: tuple[Route, ...]
    """Used vehicles only."""
    unassigned: tuple[Unassigned, ...]
    cost: float
    """Sum of route objective values, in the objective's unit (instance units for benchmarks)."""
    distance: float
    """Total distance, problem distance unit."""
    duration: float
    """Total route duration, problem time unit."""
    penalty: float
    """Penalties of the optional stops left out, objective unit."""
    runtime_s: float
    """Solver wall time, seconds."""
    distance_unit: str = "km"
    time_unit: str = "min"

    @property
    def feasible(self) -> bool:
        return all(not r.violations for r in self.routes)

    @property
    def traffic_minutes(self) -> float:
        """Minutes rush-hour traffic added across the routes (0 without rush hour)."""
        return float(sum(r.traffic_minutes for r in self.routes))

    def stops_frame(self) -> pd.DataFrame:
        """One row per visit: vehicle, sequence, stop, arrival, service start, departure, leg km, load."""
        rows = [{"vehicle_id": r.vehicle_id, "sequence": v.sequence, "stop_id": v.stop_id, "name": v.name,
                 "arrival": v.arrival, "service_start": v.service_start, "departure": v.departure,
                 "leg_distance": v.leg_distance, "load_kg_on_board": v.load_kg_on_board}
                for r in self.routes for v in r.visits]
        return pd.DataFrame(rows, columns=["vehicle_id", "sequence", "stop_id", "name", "arrival", "service_start",
                                           "departure", "leg_distance", "load_kg_on_board"])

    def routes_frame(self) -> pd.DataFrame:
        """One row per used vehicle: stops, start, end, distance, duration, load, objective value."""
        rows = [{"vehicle_id": r.vehicle_id, "stops": len(r.visits), "start": r.start_time, "end": r.end_time,
                 "distance": r.distance, "duration": r.duration, "load_kg": r.load_kg, "load_m3": r.load_m3,
                 "objective_value": r.objective_value, "break_start": r.break_start,
                 "problems": "; ".join(x.message for x in r.violations)} for r in self.routes]
        return pd.DataFrame(rows, columns=["vehicle_id", "stops", "start", "end", "distance", "duration", "load_kg",
                                           "load_m3", "objective_value", "break_start", "problems"])

    def unassigned_frame(self) -> pd.DataFrame:
        """One row per left-out stop: stop_id, name, reason (words) and kind (a
        :data:`~opscore.routing.violations.ReasonKind` value)."""
        return pd.DataFrame([{"stop_id": u.stop_id, "name": u.name, "reason": u.reason.text, "kind": str(u.reason.kind)}
                             for u in self.unassigned], columns=["stop_id", "name", "reason", "kind"])


def emission_rate(vehicle: Vehicle, factors: pd.DataFrame | None = None) -> float:
    """kg CO2e per km: the van's own rate, else the UK 2025 factor for its fuel."""
    if vehicle.kg_co2e_per_km is not None:
        return vehicle.kg_co2e_per_km
    return van_kg_co2e_per_km(vehicle.fuel, factors)


def route_objective(problem: RoutingProblem, vehicle: Vehicle, distance: float, duration: float) -> float:
    """Objective value of one route: km, minutes, GBP (km x cost/km + hours x cost/h) or kg CO2e."""
    if problem.objective == "distance":
        return distance
    if problem.objective == "time":
        return duration
    if problem.objective == "cost":
        return distance * vehicle.cost_per_km + duration / 60.0 * vehicle.cost_per_hour
    return distance * emission_rate(vehicle)


_ScheduledVisit = tuple[float, float, float, float, float]
"""arrival, service start, departure, leg distance, end of the window used."""


def _schedule(problem: RoutingProblem, v: Vehicle, seq: Sequence[int], depart: float, allow_break: bool
              ) -> tuple[list[_ScheduledVisit], float, float, list[Violation], float | None, float]:
    """Visits, return time, total distance, late arrivals, break start (None = no break taken) and minutes traffic
    added (rush hour)."""
    dur = problem.durations[v.profile]
    rush = problem.rush
    traffic = 0.0
    dist = problem.distance
    prev = v.start_depot
    t = depart
    total_dist = 0.0
    visits: list[_ScheduledVisit] = []
    late: list[Violation] = []
    break_start: float | None = None
    # Vehicle validation guarantees a break window whenever has_break.
    break_window = v.break_window if allow_break and v.has_break else None
    for i in seq:
        s = problem.stops[i]
        loc = problem.stop_location(i)
        if break_window is not None and break_start is None and (
                t >= break_window.start or arrival_at(rush, t, dur[prev, loc]) > break_window.end):
            break_start = max(t, break_window.start)
            t = break_start + v.break_minutes
        if rush is None:
            arrival = t + dur[prev, loc]
        else:
            arrival = rush.arrival(t, float(dur[prev, loc]))
            traffic += arrival - t - float(dur[prev, loc])
        window = next((w for w in s.windows if w.end + _EPS >= arrival), None)
        if window is None:
            late.append(Violation(ViolationKind.TIME_WINDOW, arrival, s.windows[-1].end, problem.time_unit, s.stop_id))
            window = s.windows[-1]
        start = max(arrival, window.start)
        leg = float(dist[prev, loc])
        total_dist += leg
        t = start + s.service_minutes
        visits.append((arrival, start, t, leg, window.end))
        prev = loc
    end_loc = v.return_depot
    if break_window is not None and break_start is None and arrival_at(rush, t, dur[prev, end_loc]) > break_window.end:
        break_start = max(t, break_window.start)
        t = break_start + v.break_minutes
    total_dist += float(dist[prev, end_loc])
    if rush is None:
        end = t + dur[prev, end_loc]
    else:
        end = rush.arrival(t, float(dur[prev, end_loc]))
        traffic += end - t - float(dur[prev, end_loc])
    return visits, end, total_dist, late, break_start, traffic


def arrival_at(rush: RushHour | None, t: float, free: float) -> float:
    """Arrival of a leg of ``free`` base minutes left at ``t``: ``t + free``, or time-dependent under ``rush``."""
    return t + free if rush is None else rush.arrival(t, float(free))


def _rush_delay(problem: RoutingProblem, v: Vehicle, seq: Sequence[int], depart: float, delay: float, end: float,
                n_late: int) -> float:
    """The latest departure delay up to ``delay`` that keeps the return by ``end`` and adds no late arrival under
    rush hour (a later start can land a leg in a slower band). Arrivals never decrease with the departure, so the
    delays that keep both form an interval from 0: bisection."""
    def keeps(d: float) -> bool:
        _, end_d, _, late_d, _, _ = _schedule(problem, v, seq, depart + d, False)
        return end_d <= end + _EPS and len(late_d) <= n_late

    if keeps(delay):
        return delay
    lo, hi = 0.0, delay
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if keeps(mid) else (lo, mid)
    return lo


def evaluate_route(problem: RoutingProblem, vehicle_index: int, seq: Sequence[int]) -> Route:
    """Schedule, distance, load and constraint violations of a vehicle visiting ``seq`` (stop indices) in order."""
    v = problem.vehicles[vehicle_index]
    depot = problem.depots[v.start_depot]
    depart = max(v.shift_start, depot.opening.start)
    visits, end, distance, late, brk, traffic = _schedule(problem, v, seq, depart, v.has_break)
    if not v.has_break and visits:
        # Forward time slack: delay departure by the waiting that a later start removes.
        slack, waited = float("inf"), 0.0
        for arrival, start, _, _, w_end in visits:
            waited += start - arrival
            slack = min(slack, waited + (w_end - start))
        delay = max(0.0, min(slack, waited))
        if delay > _EPS and problem.rush is not None:
            delay = _rush_delay(problem, v, seq, depart, delay, end, len(late))
        if delay > _EPS:
            depart += delay
            visits, end, distance, late, brk, traffic = _schedule(problem, v, seq, depart, False)
    load_kg = sum(problem.stops[i].demand_kg for i in seq)
    load_m3 = sum(problem.stops[i].demand_m3 for i in seq)
    problems = list(late)
    if load_kg > v.capacity_kg + _EPS:
        problems.append(Violation(ViolationKind.CAPACITY_WEIGHT, load_kg, v.capacity_kg, "kg"))
    if load_m3 > v.capacity_m3 + _EPS:
        problems.append(Violation(ViolationKind.CAPACITY_VOLUME, load_m3, v.capacity_m3, "m3"))
    if distance > v.range_km + _EPS:
        problems.append(Violation(ViolationKind.RANGE, distance, v.range_km, problem.distance_unit))
    shift_end = min(v.shift_end, problem.depots[v.return_depot].opening.end)
    if end > shift_end + _EPS:
        problems.append(Violation(ViolationKind.SHIFT_END, end, shift_end, problem.time_unit))
    if end - depart > v.max_shift_minutes + _EPS:
        problems.append(Violation(ViolationKind.SHIFT_LENGTH, end - depart, v.max_shift_minutes, problem.time_unit))
    if v.has_break and v.break_window is not None and brk is not None and brk > v.break_window.end + _EPS:
        problems.append(Violation(ViolationKind.BREAK, brk, v.break_window.end, problem.time_unit))
    on_board = load_kg
    out = []
    for k, (i, (arrival, start, dep, leg, _)) in enumerate(zip(seq, visits)):
        s = problem.stops[i]
        out.append(Visit(k + 1, i, s.stop_id, s.name, arrival, start, dep, leg, on_board))
        on_board -= s.demand_kg
    duration = end - depart
    return Route(v.vehicle_id, vehicle_index, tuple(out), depart, end, distance, duration, load_kg, load_m3,
                 route_objective(problem, v, distance, duration), brk, tuple(problems), traffic)
