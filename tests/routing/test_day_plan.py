"""One way to plan a delivery day (issue 18): DeliveryTables, DayPlanSettings, plan_day and its lower-level steps."""

from __future__ import annotations

import ast
import dataclasses
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from search_budget import BACKSTOP_S

from opscore.delivery_tables import DeliveryTables
from opscore.emission_factors import factors_from
from opscore.routing import (
    DayPlan,
    DayPlanSettings,
    NoOrdersError,
    day_problem,
    day_stops,
    plan_day,
    plan_stops,
    search_budget,
    solve,
)
from opscore.routing.from_tables import build_problem, delivery_dates

ROOT = Path(__file__).resolve().parents[2]
TOPICS = {"forecast", "inventory", "routing", "tracking", "delivery_options", "maintenance", "suppliers",
          "sustainability", "compliance", "warehouse", "scenarios"}


@pytest.fixture
def tables(sample_store) -> DeliveryTables:  # type: ignore[no-untyped-def]
    return DeliveryTables.from_store(sample_store)


@pytest.fixture
def first_day(tables: DeliveryTables, sample_store):  # type: ignore[no-untyped-def]
    return delivery_dates(tables.orders, sample_store.as_of())[0]


def _sequences(day_plan: DayPlan) -> dict[str, tuple[str, ...]]:
    return day_plan.sequences()


def test_delivery_tables_hold_the_stores_tables_and_cannot_be_repointed(tables: DeliveryTables,
                                                                        sample_store) -> None:  # type: ignore[no-untyped-def]
    """Every field is the store's table of that name (read through Store.table); the bundle is frozen."""
    assert DeliveryTables.names() == ("orders", "order_lines", "products", "customers", "vehicles", "sites",
                                      "deliveries", "delivery_events", "emission_factors")
    for name in DeliveryTables.names():
        pd.testing.assert_frame_equal(getattr(tables, name), sample_store.table(name))
    with pytest.raises(dataclasses.FrozenInstanceError):
        tables.orders = tables.orders.head(1)  # type: ignore[misc]
    read = DeliveryTables.read(lambda name: pd.DataFrame({"table": [name]}))
    assert read.vehicles["table"].iloc[0] == "vehicles"


def test_delivery_tables_is_a_foundation_below_the_topics() -> None:
    """opscore/delivery_tables.py imports no topic (routing, tracking, delivery_options, ...)."""
    tree = ast.parse((ROOT / "opscore" / "delivery_tables.py").read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not [n for n in names if n.startswith("opscore.") and n.split(".")[1] in TOPICS]


def test_default_settings_are_the_route_maps_default_widgets() -> None:
    """Cost objective, every van, road factor 1.3, 30 km/h, no speed per type, no penalty, no breaks, seed 0, and the
    search budget of the default 3 s of thinking time: 600 PyVRP iterations within a 30 s cap."""
    s = DayPlanSettings()
    assert (s.vans, s.objective, s.circuity, s.default_speed_kmh, s.type_speeds, s.penalty, s.breaks, s.seed,
            s.engine) == (None, "cost", 1.3, 30.0, (), None, False, 0, "auto")
    assert (s.time_limit_s, s.max_iterations) == search_budget(3) == (30.0, 600)
    assert search_budget(3, breaks=True) == (30.0, 90) and search_budget(1) == (10.0, 200)
    travel = dataclasses.replace(s, type_speeds=(("large van", 20.0),)).travel
    assert travel.speed("large van") == 20.0 and travel.speed("small van") == 30.0 and travel.circuity == 1.3


@pytest.mark.parametrize(("changes", "message"), [
    ({"vans": ()}, "no vans selected"),
    ({"vans": ("V1", "V1")}, "more than once"),
    ({"objective": "cheapest"}, "objective 'cheapest' is not one of distance, time, cost, co2e"),
    ({"circuity": 0.9}, "circuity 0.9 is outside 1.0-2.0"),
    ({"default_speed_kmh": 0.0}, "speed of the average van is 0.0 km/h"),
    ({"type_speeds": (("large van", 200.0),)}, "speed of large van is 200.0 km/h"),
    ({"type_speeds": (("large van", 20.0), ("large van", 25.0))}, "more than one speed"),
    ({"penalty": 0.0}, "penalty 0.0 must be more than 0"),
    ({"time_limit_s": 0.0}, "time limit 0.0 s must be more than 0"),
    ({"max_iterations": 0}, "iteration budget 0 must be 1 or more"),
    ({"seed": -1}, "seed -1 must be 0 or more"),
    ({"engine": "gurobi"}, "engine 'gurobi' is not one of auto, pyvrp, ortools"),
    ({"breaks": True, "engine": "pyvrp"}, "driver breaks are planned by the OR-Tools engine only"),
])
def test_settings_refuse_bad_values_with_a_clear_message(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DayPlanSettings(**changes)  # type: ignore[arg-type]


def test_settings_name_every_problem_at_once() -> None:
    with pytest.raises(ValueError) as err:
        DayPlanSettings(circuity=3.0, seed=-2)
    assert "circuity 3.0" in str(err.value) and "seed -2" in str(err.value)
    with pytest.raises(ValueError, match="thinking time 0 s"):
        search_budget(0)


def test_plan_day_is_the_plan_of_the_days_orders_on_an_iteration_budget(tables: DeliveryTables, first_day) -> None:  # type: ignore[no-untyped-def]
    """plan_day = the day's stops -> build_problem -> solve on the settings' budget, repeatable run after run; on the
    sample's first day every order is planned and no route breaks a limit."""
    settings = DayPlanSettings(time_limit_s=BACKSTOP_S)  # the default iteration budget ends the search, never the clock
    planned = plan_day(tables, first_day, settings)
    stops = day_stops(tables, first_day)
    problem = build_problem(stops, tables.vehicles, tables.sites, factors=factors_from(tables.emission_factors))
    by_hand = solve(problem, time_limit=BACKSTOP_S, seed=0, max_iterations=settings.max_iterations)
    assert planned.day == first_day and len(planned.stops) == len(stops) == len(planned.problem.stops)
    assert _sequences(planned) == {r.vehicle_id: tuple(v.stop_id for v in r.visits) for r in by_hand.routes}
    assert planned.plan.cost == pytest.approx(by_hand.cost)
    assert _sequences(plan_day(tables, first_day, settings)) == _sequences(planned)
    assert planned.plan.feasible and not planned.plan.unassigned


def test_plan_day_without_orders_says_so(tables: DeliveryTables, first_day) -> None:  # type: ignore[no-untyped-def]
    """A day with no open or planned order raises NoOrdersError, a ValueError naming the day."""
    empty = first_day + timedelta(days=400)
    with pytest.raises(NoOrdersError, match=f"no open or planned orders on {empty:%a %d %b %Y}"):
        plan_day(tables, empty)
    with pytest.raises(ValueError, match="no stops to plan"):
        plan_stops(tables, day_stops(tables, empty), DayPlanSettings())


def test_an_uploaded_distance_file_equal_to_the_estimate_plans_the_same_day(tables: DeliveryTables,
                                                                            first_day) -> None:  # type: ignore[no-untyped-def]
    """plan_stops with the user's own matrix (here the travel model's own km and minutes, one speed for all vans)
    plans the same routes as plan_day."""
    stops = day_stops(tables, first_day)
    problem = day_problem(tables, stops, DayPlanSettings())
    ids = [d.depot_id for d in problem.depots] + [s.stop_id for s in problem.stops]
    minutes = next(iter(problem.durations.values()))
    rows = [(a, b, problem.distance[i, j], minutes[i, j]) for i, a in enumerate(ids) for j, b in enumerate(ids)
            if i != j]
    matrix = pd.DataFrame(rows, columns=["from_id", "to_id", "km", "minutes"])
    uploaded = plan_stops(tables, stops, DayPlanSettings(), matrix=matrix, day=first_day)
    assert np.allclose(uploaded.problem.distance, problem.distance)
    assert _sequences(uploaded) == _sequences(plan_day(tables, first_day))


def test_vans_breaks_and_speeds_reach_the_problem(tables: DeliveryTables, first_day) -> None:  # type: ignore[no-untyped-def]
    """Only the vans chosen are planned (an unknown one is named), breaks go to every van and OR-Tools plans them,
    and a slower van type gets longer legs."""
    stops = day_stops(tables, first_day)
    two = day_problem(tables, stops, DayPlanSettings(vans=("V1", "V2")))
    assert [v.vehicle_id for v in two.vehicles] == ["V1", "V2"]
    with pytest.raises(ValueError, match="van\\(s\\) V99 are not in the vehicles table"):
        day_problem(tables, stops, DayPlanSettings(vans=("V1", "V99")))
    limit, solutions = search_budget(1, breaks=True)
    with_breaks = plan_stops(tables, stops, DayPlanSettings(breaks=True, time_limit_s=limit, max_iterations=solutions))
    assert with_breaks.plan.engine == "ortools" and all(v.has_break for v in with_breaks.problem.vehicles)
    base = day_problem(tables, stops, DayPlanSettings())
    van_type = base.vehicles[0].profile
    slow = day_problem(tables, stops, DayPlanSettings(type_speeds=((van_type, 15.0),)))
    assert np.allclose(slow.durations[van_type], 2 * base.durations[van_type])
