"""The Monaco test business (tests/monaco.py): it imports cleanly, holds the facts its docstring gives, lies on
Monaco's streets in the OpenStreetMap extract, and plans in full.

Roads: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import osmium
from monaco import AS_OF, CUSTOMERS, DELIVERY_DAY, MONACO_BOX, MONACO_PBF, ORDER_LINES, ORDERS, TOTAL_KG, VANS
from search_budget import budget

from opscore.routing import solve
from opscore.routing.from_tables import build_problem, delivery_dates, stops_for_day
from opscore.routing.road_speeds import DRIVABLE
from opscore.store import open_store

TABLES = ("orders", "order_lines", "products", "customers", "vehicles", "sites")


def _drivable_nodes() -> np.ndarray:
    """(n, 2) lat/lon of every node of a drivable way (motorway to service road) in the extract."""
    kinds = set(DRIVABLE)
    points = [(n.lat, n.lon) for w in osmium.FileProcessor(str(MONACO_PBF)).with_locations()
              .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
              if w.tags.get("highway") in kinds for n in w.nodes]
    return np.array(points)


def _tables(path: Path) -> dict:  # type: ignore[type-arg]
    store = open_store(path, read_only=True)
    try:
        return {n: store.table(n) for n in TABLES} | {"as_of": store.as_of()}
    finally:
        store.close()


def test_monaco_workspace_holds_the_facts_of_its_docstring(monaco_db: Path) -> None:
    t = _tables(monaco_db)
    assert t["as_of"] == AS_OF and delivery_dates(t["orders"], AS_OF) == [DELIVERY_DAY]
    assert (len(t["customers"]), len(t["orders"]), len(t["order_lines"]), len(t["vehicles"])) == \
        (CUSTOMERS, ORDERS, ORDER_LINES, VANS)
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], DELIVERY_DAY)
    assert len(stops) == ORDERS and stops["demand_kg"].sum() == TOTAL_KG
    assert list(t["sites"]["kind"]) == ["depot"] and set(t["vehicles"]["depot_id"]) == {"MCF"}


def test_every_customer_and_the_depot_stand_on_a_monaco_street(monaco_db: Path) -> None:
    """Inside Monaco, each within 30 m of a node of a drivable OpenStreetMap way."""
    t = _tables(monaco_db)
    places = np.vstack([t["customers"][["lat", "lon"]].to_numpy(float), t["sites"][["lat", "lon"]].to_numpy(float)])
    south, west, north, east = MONACO_BOX
    assert ((places[:, 0] > south) & (places[:, 0] < north) & (places[:, 1] > west) & (places[:, 1] < east)).all()
    nodes = _drivable_nodes()
    dy = (places[:, None, 0] - nodes[None, :, 0]) * 111_320.0
    dx = (places[:, None, 1] - nodes[None, :, 1]) * 111_320.0 * math.cos(math.radians(43.74))
    nearest_m = np.sqrt(dx**2 + dy**2).min(axis=1)
    assert nearest_m.max() < 30.0, nearest_m.round(1)


def test_the_monaco_day_plans_in_full(monaco_db: Path) -> None:
    """All 25 orders fit the 3 vans' capacity and windows (straight-line travel model): nothing is left out."""
    t = _tables(monaco_db)
    stops = stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], DELIVERY_DAY)
    problem = build_problem(stops, t["vehicles"], t["sites"])
    plan = solve(problem, **budget())
    assert not plan.unassigned and sum(len(r.visits) for r in plan.routes) == ORDERS
    assert max(sum(problem.stops[v.stop_index].demand_kg for v in r.visits) for r in plan.routes) <= 1200.0
