"""One way to plan a delivery day: workspace tables + day + settings -> problem and plan.

The Route map, Tracking's route-planner plan and Delivery options' planned rounds all plan a day through
:func:`plan_day` (or, for uploaded stops or a road-distance file, :func:`plan_stops`), so the same settings give
the same routes everywhere. The search stops on an iteration budget well before a generous time limit, so the
plan does not depend on how fast or busy the machine is (:func:`search_budget`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from opscore.delivery_tables import DeliveryTables
from opscore.emission_factors import factors_from
from opscore.geo import DEFAULT_CIRCUITY
from opscore.routing.from_tables import build_problem, stops_for_day
from opscore.routing.plan import RoutePlan
from opscore.routing.problem import OBJECTIVES, RoutingProblem
from opscore.routing.rush_hour import RushHour
from opscore.routing.solve import ENGINES, solve
from opscore.routing.travel import DEFAULT_SPEED_KMH, Travel, TravelModel
from opscore.routing.whatif import add_breaks

PYVRP_ITERATIONS_PER_S = 200
"""PyVRP iterations per second of thinking time. A 24-32 stop sample day runs 900-1,300 iterations a second on a
busy 2-core VM, so the budget, not the clock, ends the search; 600 (3 s) already finds the plan 3 s of search
found on each of the sample's days."""
ORTOOLS_SOLUTIONS_PER_S = 30
"""OR-Tools solutions per second of thinking time (driver breaks, which only OR-Tools models): 90 (3 s) take
2-3 s on the same VM and find the plan a 3 s time limit found on each of the sample's days."""
TIME_LIMIT_FACTOR = 10.0
"""The time limit is this many times the thinking time: a cap for a very slow machine, not the usual stop."""
THINKING_S = 3.0
"""Default thinking time, seconds (the Route map's default)."""


def search_budget(thinking_s: float, breaks: bool = False) -> tuple[float, int]:
    """(time limit in seconds, iteration budget) for ``thinking_s`` seconds of thinking time.

    The budget is PyVRP iterations, or OR-Tools solutions when ``breaks`` asks for driver breaks (see
    :func:`opscore.routing.solve`); the time limit is :data:`TIME_LIMIT_FACTOR` times the thinking time.
    """
    if not 0 < thinking_s <= 360:
        raise ValueError(f"thinking time {thinking_s} s must be more than 0 and at most 360 seconds")
    rate = ORTOOLS_SOLUTIONS_PER_S if breaks else PYVRP_ITERATIONS_PER_S
    return thinking_s * TIME_LIMIT_FACTOR, max(1, round(rate * thinking_s))


_DEFAULT_LIMIT, _DEFAULT_ITERATIONS = search_budget(THINKING_S)


class NoOrdersError(ValueError):
    """The day has no open or planned orders to plan."""


@dataclass(frozen=True)
class DayPlanSettings:
    """How a day is planned. The defaults are the Route map's default widgets."""

    vans: tuple[str, ...] | None = None
    """Vehicle ids that may be used, or None for every van of the workspace."""
    objective: str = "cost"
    """What the plan minimises: 'cost' (GBP), 'distance' (km), 'time' (minutes) or 'co2e' (kg CO2e)."""
    circuity: float = DEFAULT_CIRCUITY
    """Road km per straight-line km (1.2-1.4 typical)."""
    default_speed_kmh: float = DEFAULT_SPEED_KMH
    """Average door-to-door van speed, km/h, for van types without a speed of their own."""
    type_speeds: tuple[tuple[str, float], ...] = ()
    """(van type, km/h) for types slower or faster than the average."""
    penalty: float | None = None
    """Objective units above which an order is left out; None = deliver every order that fits."""
    breaks: bool = False
    """Plan a 20-minute driver break 3-6 h into each shift (OR-Tools engine)."""
    time_limit_s: float = _DEFAULT_LIMIT
    """Wall-clock cap on the search, seconds."""
    max_iterations: int | None = _DEFAULT_ITERATIONS
    """Search budget: PyVRP iterations (OR-Tools: solutions); None = search until the time limit."""
    seed: int = 0
    """Random seed of the search."""
    engine: str = "auto"
    """'auto' (PyVRP, or OR-Tools for breaks), 'pyvrp' or 'ortools'."""
    rush: RushHour | None = None
    """Speed bands by time of day (e.g. ``RushHour()``: 07:00-10:00 and 16:00-19:00 at 80 %); None = one speed all
    day. The solver optimises on the band of each van's shift start; the schedule is evaluated time-dependently."""

    def __post_init__(self) -> None:
        problems = []
        if self.vans is not None and not self.vans:
            problems.append("no vans selected; pick at least one van (or None for every van)")
        if self.vans is not None and len(set(self.vans)) != len(self.vans):
            problems.append(f"vans {', '.join(self.vans)} list a van more than once")
        if self.objective not in OBJECTIVES:
            problems.append(f"objective {self.objective!r} is not one of {', '.join(OBJECTIVES)}")
        if not 1.0 <= self.circuity <= 2.0:
            problems.append(f"circuity {self.circuity} is outside 1.0-2.0; road networks are about 1.2-1.4")
        for name, kmh in (("the average van", self.default_speed_kmh), *self.type_speeds):
            if not 1.0 <= kmh <= 130.0:
                problems.append(f"speed of {name} is {kmh} km/h; use a value between 1 and 130")
        types = [t for t, _ in self.type_speeds]
        if len(set(types)) != len(types):
            problems.append(f"van types {', '.join(types)} are given more than one speed")
        if self.penalty is not None and not self.penalty > 0:
            problems.append(f"penalty {self.penalty} must be more than 0 (None delivers every order that fits)")
        if not 0 < self.time_limit_s <= 3600:
            problems.append(f"time limit {self.time_limit_s} s must be more than 0 and at most 3600 seconds")
        if self.max_iterations is not None and self.max_iterations < 1:
            problems.append(f"iteration budget {self.max_iterations} must be 1 or more (or None)")
        if self.seed < 0:
            problems.append(f"seed {self.seed} must be 0 or more")
        if self.engine not in ENGINES:
            problems.append(f"engine {self.engine!r} is not one of {', '.join(ENGINES)}")
        elif self.breaks and self.engine == "pyvrp":
            problems.append("driver breaks are planned by the OR-Tools engine only; use engine 'auto' or 'ortools'")
        if self.rush is not None and not isinstance(self.rush, RushHour):
            problems.append(f"rush hour {self.rush!r} must be a RushHour (speed bands) or None")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def travel(self) -> TravelModel:
        """The travel model: road km = straight line x circuity, minutes at each van type's speed."""
        return TravelModel(circuity=self.circuity, speed_kmh=dict(self.type_speeds),
                           default_speed_kmh=self.default_speed_kmh)


@dataclass(frozen=True)
class DayPlan:
    """A planned day: the stops, the routing problem built from them and the plan found."""

    day: date | None
    """The delivery day (None for uploaded stops without one)."""
    stops: pd.DataFrame
    """The stops planned, one row per order (columns of :data:`opscore.routing.from_tables.STOP_COLUMNS`)."""
    problem: RoutingProblem
    plan: RoutePlan

    def sequences(self) -> dict[str, tuple[str, ...]]:
        """Stop ids (order ids) in visiting order per van used."""
        return {r.vehicle_id: tuple(v.stop_id for v in r.visits) for r in self.plan.routes}


def day_stops(tables: DeliveryTables, day: date) -> pd.DataFrame:
    """One stop per open or planned order due on ``day`` (empty if none), with its load from the order lines."""
    return stops_for_day(tables.orders, tables.order_lines, tables.products, tables.customers, day)


def day_problem(tables: DeliveryTables, stops: pd.DataFrame, settings: DayPlanSettings,
                factors: pd.DataFrame | None = None, matrix: pd.DataFrame | None = None, *,
                travel: Travel | None = None) -> RoutingProblem:
    """The routing problem of ``stops`` for the workspace's vans and depots under ``settings``.

    ``factors``: emission factors (default: the workspace's, else the UK 2025 ones). ``matrix``: the user's own
    road km and minutes between every depot and stop (from_id, to_id, km, minutes) instead of the travel model.
    ``travel``: how far and how long on roads (a :class:`opscore.routing.RoadNetwork`) instead of the settings'
    straight-line model. Raises ValueError naming what cannot be planned (no stops, unknown vans, bad rows).
    """
    if stops.empty:
        raise NoOrdersError("there are no stops to plan")
    vehicles = tables.vehicles
    if settings.vans is not None:
        unknown = sorted(set(settings.vans) - set(vehicles["vehicle_id"]))
        if unknown:
            raise ValueError(f"van(s) {', '.join(unknown)} are not in the vehicles table")
        vehicles = vehicles[vehicles["vehicle_id"].isin(settings.vans)]
    factors = factors_from(tables.emission_factors) if factors is None else factors
    problem = build_problem(stops, vehicles, tables.sites, objective=settings.objective,
                            travel=travel or settings.travel,
                            factors=factors, default_penalty=settings.penalty, matrix=matrix, rush=settings.rush)
    return add_breaks(problem) if settings.breaks else problem


def solve_day(problem: RoutingProblem, settings: DayPlanSettings) -> RoutePlan:
    """The plan of ``problem`` under the search settings (time limit, iteration budget, seed, engine)."""
    return solve(problem, time_limit=settings.time_limit_s, engine=settings.engine, seed=settings.seed,
                 max_iterations=settings.max_iterations)


def plan_stops(tables: DeliveryTables, stops: pd.DataFrame, settings: DayPlanSettings,
               factors: pd.DataFrame | None = None, *, matrix: pd.DataFrame | None = None,
               day: date | None = None, travel: Travel | None = None) -> DayPlan:
    """Plan given stops (a day's orders or an uploaded list) with the workspace's vans: :func:`day_problem`, then
    :func:`solve_day`."""
    problem = day_problem(tables, stops, settings, factors, matrix, travel=travel)
    return DayPlan(day, stops, problem, solve_day(problem, settings))


def plan_day(tables: DeliveryTables, day: date, settings: DayPlanSettings | None = None,
             factors: pd.DataFrame | None = None, *, travel: Travel | None = None) -> DayPlan:
    """The plan of ``day``'s open and planned orders under ``settings`` (default: the Route map's defaults).

    ``travel``: roads (a :class:`opscore.routing.RoadNetwork`) instead of the settings' straight-line model.
    Raises :class:`NoOrdersError` (a ValueError) when no open or planned order is due that day.
    """
    stops = day_stops(tables, day)
    if stops.empty:
        raise NoOrdersError(f"there are no open or planned orders on {day:%a %d %b %Y} to plan")
    return plan_stops(tables, stops, settings or DayPlanSettings(), factors, day=day, travel=travel)
