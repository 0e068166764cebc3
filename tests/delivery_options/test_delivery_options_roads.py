"""Delivery options priced on roads (issue: routes on real roads): a :class:`RoadNetwork` of Monaco in place of the
straight-line :class:`TravelModel`; detours and trips are sums of fastest-route legs.

Monaco: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from monaco import AS_OF, DELIVERY_DAY, MONACO_PBF, build_monaco_workspace
from monaco_history import add_monaco_history

from opscore.delivery_options import SuccessModel, first_attempts, insertion_km, rank_options
from opscore.delivery_tables import DeliveryTables
from opscore.geo import haversine_km
from opscore.routing import RoadNetwork, TravelModel
from opscore.store import share_store


@pytest.fixture(scope="module")
def roads() -> RoadNetwork:
    return RoadNetwork.from_pbf(MONACO_PBF)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> DeliveryTables:
    """The Monaco business with two weeks of delivery history."""
    ws = build_monaco_workspace(Path(tmp_path_factory.mktemp("monaco")))
    add_monaco_history(ws)
    return DeliveryTables.from_store(share_store(ws.path))


def _depot(tables: DeliveryTables) -> tuple[float, float]:
    site = tables.sites.iloc[0]
    return float(site["lat"]), float(site["lon"])


def test_an_out_and_back_trip_on_roads_is_its_two_road_legs(roads: RoadNetwork, tables: DeliveryTables) -> None:
    """With no planned round, the extra km of every customer is depot -> customer -> depot on the roads: the sum of
    the two fastest-route legs, never shorter than twice the straight line."""
    depot, empty = _depot(tables), pd.DataFrame(columns=["vehicle_id", "sequence", "lat", "lon"])
    for c in tables.customers.itertuples():
        km, van = insertion_km(c.lat, c.lon, empty, depot, roads)
        there, back = roads.legs(*depot, c.lat, c.lon, "default")[0], roads.legs(c.lat, c.lon, *depot, "default")[0]
        assert van is None and km == pytest.approx(float(there.sum() + back.sum()))
        assert km >= 2 * float(haversine_km(*depot, c.lat, c.lon)) - 0.01


def test_insertion_on_roads_is_the_cheapest_detour_of_road_legs(roads: RoadNetwork, tables: DeliveryTables) -> None:
    """Inserting a customer into a van's round costs min over gaps (a, b) of d(a,x) + d(x,b) - d(a,b), each d a
    fastest route on the roads (one-way streets make d(a,b) and d(b,a) differ)."""
    depot = _depot(tables)
    cust = tables.customers.set_index("customer_id")
    round_ = cust.loc[["MC07", "MC12", "MC13", "MC11"], ["lat", "lon"]].reset_index()
    rounds = round_.assign(vehicle_id="V1", sequence=range(1, 5))
    x = cust.loc["MC05"]
    la, lo = np.r_[depot[0], round_["lat"], depot[0]], np.r_[depot[1], round_["lon"], depot[1]]
    d = [roads.legs(la[i], lo[i], x["lat"], x["lon"], "default")[0] + roads.legs(x["lat"], x["lon"], la[i + 1],
         lo[i + 1], "default")[0] - roads.legs(la[i], lo[i], la[i + 1], lo[i + 1], "default")[0] for i in range(5)]
    km, van = insertion_km(x["lat"], x["lon"], rounds, depot, roads)
    assert van == "V1" and km == pytest.approx(float(np.min(d)))
    straight, _ = insertion_km(x["lat"], x["lon"], rounds, depot, TravelModel())
    assert km != pytest.approx(straight)


def test_options_on_roads_cost_the_road_km_and_minutes(roads: RoadNetwork, tables: DeliveryTables) -> None:
    """Express is priced as the cheapest van's out-and-back on the roads: km x its GBP per km + (road minutes + the
    customer's service time) x its GBP per hour; the straight-line model prices it otherwise."""
    model = SuccessModel().fit(first_attempts(tables.deliveries, tables.orders, tables.customers))
    order = tables.orders[pd.to_datetime(tables.orders["delivery_date"]).dt.date == DELIVERY_DAY].iloc[3]
    args = (order["order_id"], model, tables.orders, tables.customers, tables.vehicles, tables.sites, AS_OF)
    on_roads, straight = rank_options(*args, travel=roads), rank_options(*args)
    c = tables.customers.set_index("customer_id").loc[order["customer_id"]]
    van = tables.vehicles.sort_values("cost_per_km").iloc[0]
    depot = _depot(tables)
    out, back = roads.legs(*depot, c["lat"], c["lon"], van["type"]), roads.legs(c["lat"], c["lon"], *depot, van["type"])
    km, minutes = float((out[0] + back[0]).sum()), float((out[1] + back[1]).sum())
    express = on_roads[on_roads["kind"] == "express"].iloc[0]
    assert express["extra_km"] == pytest.approx(km)
    hours = minutes / 60 + c["service_minutes"] / 60
    assert express["cost_gbp"] == pytest.approx(km * van["cost_per_km"] + hours * van["cost_per_hour"])
    assert express["extra_km"] >= 2 * float(haversine_km(*depot, c["lat"], c["lon"])) - 0.01
    assert express["extra_km"] != pytest.approx(straight[straight["kind"] == "express"]["extra_km"].iloc[0])
    assert len(on_roads) == len(straight) and on_roads["reason"].str.endswith(".").all()
