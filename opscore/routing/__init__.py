"""Delivery route planning: problems, travel model, two solver engines, plan metrics and re-planning.

Typical use::

    from opscore.routing import read_vrplib, solve
    plan = solve(read_vrplib("C101.txt"), time_limit=5)
    plan.cost, plan.unassigned

A workspace's delivery day, planned the one way every page plans it::

    from opscore.delivery_tables import DeliveryTables
    from opscore.routing import DayPlanSettings, plan_day
    day_plan = plan_day(DeliveryTables.from_store(store), day, DayPlanSettings())
    day_plan.plan.cost, day_plan.sequences()
"""

from opscore.routing.assemble import build_plan
from opscore.routing.day_plan import (
                                      DayPlan,
                                      DayPlanSettings,
                                      NoOrdersError,
                                      day_problem,
                                      day_stops,
                                      plan_day,
                                      plan_stops,
                                      search_budget,
                                      solve_day,
)
from opscore.routing.plan import Route, RoutePlan, Unassigned, Visit, evaluate_route
from opscore.routing.problem import OBJECTIVES, Depot, RoutingProblem, Stop, TimeWindow, Vehicle
from opscore.routing.road_network import RoadNetwork, Snapped
from opscore.routing.road_speeds import RoadSpeeds
from opscore.routing.route_change import VAN_CHANGES, ChangeKind, RouteChange, apply_change, compare_change
from opscore.routing.rush_hour import RushHour, SpeedBand
from opscore.routing.solve import ENGINES, solve
from opscore.routing.travel import Travel, TravelModel, matrices_from_csv
from opscore.routing.violations import Reason, Violation, ViolationKind, time_text
from opscore.routing.vrplib_io import read_vrplib, read_vrplib_solution

__all__ = [
    "ENGINES", "OBJECTIVES", "VAN_CHANGES", "ChangeKind", "DayPlan", "DayPlanSettings", "Depot", "NoOrdersError",
    "Reason", "Route", "RouteChange", "RoutePlan", "RoadNetwork", "RoadSpeeds", "RoutingProblem", "RushHour",
    "Snapped", "SpeedBand", "Stop", "TimeWindow", "Travel", "TravelModel", "Unassigned", "Vehicle", "Violation",
    "ViolationKind", "Visit", "apply_change", "build_plan", "compare_change", "day_problem", "day_stops",
    "evaluate_route", "matrices_from_csv", "plan_day", "plan_stops", "read_vrplib", "read_vrplib_solution",
    "search_budget", "solve", "solve_day", "time_text",
]
