"""Delivery route planning: problems, travel model, two solver engines, plan metrics and re-planning.

Typical use::

    from opscore.routing import read_vrplib, solve
    plan = solve(read_vrplib("C101.txt"), time_limit=5)
    plan.cost, plan.unassigned
"""

from opscore.routing.assemble import build_plan
from opscore.routing.plan import Route, RoutePlan, Unassigned, Visit, evaluate_route
from opscore.routing.problem import OBJECTIVES, Depot, RoutingProblem, Stop, TimeWindow, Vehicle
from opscore.routing.solve import ENGINES, solve
from opscore.routing.travel import TravelModel, matrices_from_csv
from opscore.routing.violations import Reason, Violation, ViolationKind
from opscore.routing.vrplib_io import read_vrplib, read_vrplib_solution

__all__ = [
    "ENGINES", "OBJECTIVES", "Depot", "Reason", "Route", "RoutePlan", "RoutingProblem", "Stop", "TimeWindow",
    "TravelModel", "Unassigned", "Vehicle", "Violation", "ViolationKind", "Visit", "build_plan", "evaluate_route",
    "matrices_from_csv", "read_vrplib", "read_vrplib_solution", "solve",
]
