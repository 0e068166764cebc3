"""A sample delivery day end to end: metrics with UK 2025 factors, naive baseline, what-ifs, re-planning, exports."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from routing_checks import assert_plan_feasible
from search_budget import BACKSTOP_S

from opscore.emission_factors import factors_from
from opscore.routing import Depot, RoutingProblem, Stop, TimeWindow, TravelModel, Vehicle, build_plan, solve, whatif
from opscore.routing.baseline import MISSED, nearest_neighbour_plan
from opscore.routing.export import driver_sheet_html, plan_csv, plan_table
from opscore.routing.from_tables import build_problem, delivery_dates, stops_for_day
from opscore.routing.metrics import plan_metrics, vehicle_metrics
from opscore.routing.reoptimise import reoptimise
from opscore.timeofday import parse_hhmm


@pytest.fixture
def day(sample_store):  # type: ignore[no-untyped-def]
    """The sample's first open delivery day as a cost-objective problem."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites",
                                            "emission_factors")}
    d = delivery_dates(t["orders"], sample_store.as_of())[0]
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], d)
    return build_problem(stops, t["vehicles"], t["sites"], factors=factors_from(t["emission_factors"]))


def _one_leg(fuel: str) -> tuple[RoutingProblem, object]:
    """Depot and one stop 50 km apart (100 km round trip), 60 km/h, 2 h; costs 0.30/km and 15/h."""
    km = np.array([[0.0, 50.0], [50.0, 0.0]])
    p = RoutingProblem("leg", (Depot("D", "d", 0, 0),), (Stop("S", "s", 0, 1, demand_kg=10.0),),
                       (Vehicle("V", capacity_kg=100.0, cost_per_km=0.30, cost_per_hour=15.0, fuel=fuel),), km,
                       {"default": km}, geographic=False)
    return p, build_plan(p, {0: [0]}, engine="fixed")


@pytest.mark.parametrize("fuel,kg,litres,kwh", [("diesel", 25.561, 25.561 / 2.57082, 0.0),
                                                ("petrol", 21.335, 21.335 / 2.06916, 0.0),
                                                ("electric", 6.977, 0.0, 6.315 / 0.177)])
def test_metrics_use_uk_2025_van_factors(fuel: str, kg: float, litres: float, kwh: float) -> None:
    """100 km: diesel 0.25561, petrol 0.21335, electric 0.06315 + 0.00662 kg CO2e/km (DESNZ 2025);
    litres = km x per-km / per-litre factor, kWh = km x per-km / per-kWh factor; cost = 100 x 0.30 + 100/60 h x 15."""
    p, plan = _one_leg(fuel)
    m = plan_metrics(p, plan)
    assert m.kg_co2e == pytest.approx(kg)
    assert m.fuel_litres == pytest.approx(litres) and m.energy_kwh == pytest.approx(kwh)
    assert m.cost_gbp == pytest.approx(30.0 + 100 / 60 * 15.0)
    assert m.km == 100.0 and m.hours == pytest.approx(100 / 60)


def test_nearest_neighbour_follows_the_nearest_stop_rule() -> None:
    """Stops at x = 1, 4, 9 with the van at 0: NN visits 1, 4, 9 (Rosenkrantz et al. 1977); 18 km round trip."""
    x = np.array([0.0, 9.0, 1.0, 4.0])
    km = np.abs(x[:, None] - x[None, :])
    stops = tuple(Stop(f"S{k}", f"s{k}", 0, x[k]) for k in (1, 2, 3))
    p = RoutingProblem("nn", (Depot("D", "d", 0, 0),), stops, (Vehicle("V"),), km, {"default": km},
                       objective="distance", geographic=False)
    plan = nearest_neighbour_plan(p)
    assert [v.stop_id for v in plan.routes[0].visits] == ["S2", "S3", "S1"] and plan.cost == 18.0


def test_sample_day_plan_is_feasible_and_beats_the_naive_plan(day: RoutingProblem) -> None:
    """The optimised plan passes the independent checker and costs no more than nearest neighbour."""
    plan = solve(day, time_limit=2.0)
    naive = nearest_neighbour_plan(day)
    assert_plan_feasible(day, plan)
    assert_plan_feasible(day, naive)
    assert len(plan.unassigned) <= len(naive.unassigned)
    assert plan.cost <= naive.cost + 1e-9
    per = vehicle_metrics(day, plan)
    assert per["km"].sum() == pytest.approx(plan.distance)


def test_what_ifs_change_the_problem_as_asked(day: RoutingProblem) -> None:
    """Add/remove a van, switch to electric (factor 0.06977), widen windows by 30 min, +20 % demand."""
    first = day.vehicles[0].vehicle_id
    assert len(whatif.add_vehicle(day, first).vehicles) == len(day.vehicles) + 1
    assert len(whatif.remove_vehicle(day, first).vehicles) == len(day.vehicles) - 1
    ev = whatif.to_electric(day, first).vehicles[0]
    assert ev.fuel == "electric" and ev.kg_co2e_per_km == pytest.approx(0.06977)
    wide = whatif.widen_windows(day, 30.0)
    assert wide.stops[0].windows[0].end == day.stops[0].windows[0].end + 30
    assert whatif.scale_demand(day, 1.2).stops[0].demand_kg == pytest.approx(day.stops[0].demand_kg * 1.2)
    with pytest.raises(ValueError, match="not in the plan"):
        whatif.remove_vehicle(day, "NOPE")


def test_reoptimise_keeps_served_stops_and_inserts_a_new_order(day: RoutingProblem) -> None:
    """At 10:00, stops already left for keep their order on the same van; a new order is planned; all feasible."""
    plan = solve(day, time_limit=1.0)
    now = 600.0
    new = Stop("NEW", "New cafe", 53.80, -1.55, demand_kg=5.0, service_minutes=10.0,
               windows=(TimeWindow(660.0, 840.0),))
    full, again = reoptimise(day, plan, now, [new], time_limit=1.0)
    assert_plan_feasible(full, again)
    for r in plan.routes:
        leave = [r.start_time] + [v.departure for v in r.visits[:-1]]
        done = [v.stop_id for v, t in zip(r.visits, leave) if t <= now]
        after = next(x for x in again.routes if x.vehicle_id == r.vehicle_id)
        assert [v.stop_id for v in after.visits][: len(done)] == done
    assert "NEW" in {v.stop_id for r in again.routes for v in r.visits}


def test_exports_escape_names_and_list_every_stop(day: RoutingProblem) -> None:
    """CSV has one row per stop; the driver sheet shows '<script>' as text."""
    from dataclasses import replace

    evil = replace(day, stops=(replace(day.stops[0], name="<script>alert(1)</script>"), *day.stops[1:]))
    plan = solve(evil, time_limit=0.5)
    assert plan_csv(evil, plan).count("\n") == len(evil.stops) + 1
    html = driver_sheet_html(evil, plan)
    assert "<script>" not in html and "&lt;script&gt;" in html


def _printed_times_in_route_order(problem: RoutingProblem, plan) -> None:  # type: ignore[no-untyped-def]
    """Along every route, the CSV's eta <= unload_from <= leave <= next eta, and the driver sheet's leave depot
    <= eta <= unload from <= next eta ... <= back at, read as minutes; each print within 30 s of the schedule."""
    table = plan_table(problem, plan)
    sheets = driver_sheet_html(problem, plan).split("<section>")[1:]
    assert len(sheets) == len(plan.routes)
    for route, sheet in zip(plan.routes, sheets):
        rows = table[table["vehicle"] == route.vehicle_id].sort_values("stop_no")
        printed = [parse_hhmm(t) for r in rows.itertuples() for t in (r.eta, r.unload_from, r.leave)]
        exact = [t for v in route.visits for t in (v.arrival, v.service_start, v.departure)]
        assert max(abs(p - t) for p, t in zip(printed, exact)) <= 0.5
        assert printed == sorted(printed), f"{route.vehicle_id}: CSV times go backwards"
        leave, back = re.search(r"<p>Leave .* at (\d+:\d\d), back at (\d+:\d\d)\.", sheet).groups()
        cells = re.findall(r"<tr><td>\d+</td><td>.*?</td><td>.*?</td><td>(\d+:\d\d)</td><td>(\d+:\d\d)</td>",
                           sheet)
        sheet_times = [parse_hhmm(t) for t in (leave, *(t for pair in cells for t in pair), back)]
        assert len(cells) == len(route.visits)
        assert sheet_times == sorted(sheet_times), f"{route.vehicle_id}: driver sheet times go backwards"


def test_a_stop_at_08_59_42_prints_as_09_00_after_the_stop_before() -> None:
    """Van leaves 08:00, first stop 10 km (10 min) out, second 49.7 km beyond: arrival 539.7 min prints 09:00
    (it printed 08:00, before the van left), and every time on the CSV and driver sheet runs forward."""
    km = np.array([[0.0, 10.0, 59.7], [10.0, 0.0, 49.7], [59.7, 49.7, 0.0]])
    p = RoutingProblem("clock", (Depot("D", "depot", 0, 0),), (Stop("S1", "first", 0, 1), Stop("S2", "second", 0, 2)),
                       (Vehicle("V1", shift_start=480.0),), km, {"default": km}, geographic=False)
    plan = build_plan(p, {0: [0, 1]}, engine="fixed")
    assert plan.routes[0].visits[1].arrival == pytest.approx(539.7)
    assert plan_table(p, plan)["eta"].tolist() == ["08:10", "09:00"]
    assert "Leave depot at 08:00, back at 09:59." in driver_sheet_html(p, plan)
    _printed_times_in_route_order(p, plan)


def test_sample_day_printed_times_never_go_backwards(day: RoutingProblem) -> None:
    """On the sample day's solved and nearest-neighbour plans, each van's printed times run forward."""
    for plan in (solve(day, time_limit=1.0, seed=0), nearest_neighbour_plan(day)):
        assert plan.routes
        _printed_times_in_route_order(day, plan)


def test_travel_profiles_per_van_type_change_times_not_distances() -> None:
    """A 60 km/h profile takes half the minutes of a 30 km/h one over the same road km."""
    km, mins = TravelModel(speed_kmh={"fast": 60.0}, default_speed_kmh=30.0).matrices([53.0, 53.1], [-1.5, -1.5],
                                                                                        ["fast", "slow"])
    assert mins["slow"][0, 1] == pytest.approx(2 * mins["fast"][0, 1])


def test_a_default_penalty_fills_only_stops_without_their_own(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Stops uploaded with their own penalty keep it; the page's default makes only the others optional."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites")}
    d = delivery_dates(t["orders"], sample_store.as_of())[0]
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], d).head(4).copy()
    stops["penalty"] = [500.0, None, 75.0, None]
    problem = build_problem(stops, t["vehicles"], t["sites"], default_penalty=40.0)
    assert [s.penalty for s in problem.stops] == [500.0, 40.0, 75.0, 40.0]
    assert [s.penalty for s in build_problem(stops, t["vehicles"], t["sites"]).stops] == [500.0, None, 75.0, None]


def test_a_users_distance_matrix_replaces_the_estimate(sample_store) -> None:  # type: ignore[no-untyped-def]
    """With a matrix file (from_id, to_id, km, minutes for every pair of depot and stops) the problem uses exactly
    those km and minutes for every van; a missing pair is named."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites")}
    d = delivery_dates(t["orders"], sample_store.as_of())[0]
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], d).head(3)
    depot = t["vehicles"]["depot_id"].iloc[0]
    vans = t["vehicles"][t["vehicles"]["depot_id"] == depot]
    ids = [depot, *stops["stop_id"]]
    pairs = [(a, b) for a in ids for b in ids if a != b]
    matrix = pd.DataFrame({"from_id": [a for a, _ in pairs], "to_id": [b for _, b in pairs],
                           "km": [10.0 + k for k in range(len(pairs))],
                           "minutes": [20.0 + k for k in range(len(pairs))]})
    problem = build_problem(stops, vans, t["sites"], matrix=matrix)
    assert problem.distance[0, 1] == 10.0 and problem.distance[1, 0] == 10.0 + len(ids) - 1
    assert all(m[0, 1] == 20.0 for m in problem.durations.values())
    with pytest.raises(ValueError, match="no row for"):
        build_problem(stops, vans, t["sites"], matrix=matrix.iloc[1:])


def test_a_stop_the_quick_plan_misses_says_so() -> None:
    """One van; the near stop lies the other way from the far one, whose window closes at 55. Nearest-neighbour goes
    near first (t = 10) and reaches the far stop at 70, too late; yet the far stop first, then the near one, fits. The
    quick plan says it missed the stop, not that a solver ran out of time."""
    x = np.array([0.0, -10.0, 50.0])
    distance = np.abs(x[:, None] - x[None, :])
    problem = RoutingProblem("line", (Depot("D", "depot", 0.0, 0.0),),
                             (Stop("near", "near", 0.0, -10.0), Stop("far", "far", 0.0, 50.0,
                                                                  windows=(TimeWindow(0.0, 55.0),))),
                             (Vehicle("V1"),), distance, {"default": distance}, objective="distance", geographic=False)
    quick = nearest_neighbour_plan(problem)
    assert [u.stop_id for u in quick.unassigned] == ["far"] and quick.unassigned[0].reason == MISSED
    assert not solve(problem, time_limit=BACKSTOP_S, max_iterations=200).unassigned
