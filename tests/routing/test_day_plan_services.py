"""The Route map, Tracking and Delivery options services plan a day the one same way (issue 18): on default
settings they give the very same routes for the sample's first delivery day."""

from __future__ import annotations

import uuid
from pathlib import Path

from opscore.routing import DayPlanSettings, search_budget
from opscore.store import open_store


def test_the_three_pages_services_plan_the_same_routes(data_dir: Path) -> None:
    """Route map (its default widgets: every van, lowest running cost, 3 s of thinking time, road factor 1.3,
    30 km/h, no speed per type, no breaks, no penalty) after 'Plan routes', Tracking's route-planner plan at its
    default 30 km/h, and Delivery options' planned round: the same vans visit the same orders in the same order."""
    from ui.services import delivery_options, routes, tracking

    key = f"sample.test-{uuid.uuid4().hex}#0@"  # a key of its own: nothing cached by another test is reused
    store = open_store(data_dir / "workbench.duckdb")
    vans = tuple(store.table("vehicles")["vehicle_id"])
    store.close()
    day = routes.delivery_days(key)[0]
    limit, iterations = search_budget(3.0, breaks=False)
    route_map = DayPlanSettings(vans=vans, objective="cost", circuity=1.3, default_speed_kmh=30, type_speeds=(),
                                penalty=None, breaks=False, time_limit_s=limit, max_iterations=iterations)
    assert route_map == DayPlanSettings(vans=vans)
    stops = routes.stops_of_day(key, day)
    problem = routes.problem(key, stops, route_map)
    plan = routes.solved(key, problem, ("test", route_map), route_map)
    on_route_map = {r.vehicle_id: tuple(v.stop_id for v in r.visits) for r in plan.routes}

    planned = tracking.planned(key, day, tracking.PLANNER, tracking.plan_speed(tracking.PLANNER, 30.0))
    on_tracking = {v: tuple(g.sort_values("sequence")["order_id"]) for v, g in planned.stops.groupby("vehicle_id")}
    rnd = delivery_options.planned_stops(key, day)
    assert rnd is not None
    on_options = {v: tuple(g.sort_values("sequence")["order_id"]) for v, g in rnd.groupby("vehicle_id")}

    assert len(on_route_map) >= 2 and sum(map(len, on_route_map.values())) == len(stops)
    assert on_tracking == on_route_map
    assert on_options == on_route_map
