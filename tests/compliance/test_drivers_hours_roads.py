"""Drivers' hours on roads (issue: routes on real roads): each vehicle-day's legs (depot -> stops -> depot) from a
:class:`RoadNetwork` of Monaco instead of straight line x circuity at an average speed.

Monaco: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from monaco import AS_OF, MONACO_PBF, build_monaco_workspace
from monaco_history import add_monaco_history

from opscore.compliance import CheckSettings, default_rules, driver_days, load_tables, run_rules
from opscore.fleet_history import delivery_stops
from opscore.routing import RoadNetwork
from opscore.store import share_store


@pytest.fixture(scope="module")
def roads() -> RoadNetwork:
    return RoadNetwork.from_pbf(MONACO_PBF)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The Monaco business's tables with two weeks of delivery history."""
    ws = build_monaco_workspace(Path(tmp_path_factory.mktemp("monaco")))
    add_monaco_history(ws)
    return load_tables(share_store(ws.path))


@pytest.fixture(scope="module")
def stops(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = tables
    return delivery_stops(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                          vehicles=t["vehicles"], sites=t["sites"], use_actual_times=True, include_pending=True)


def _profiles(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    return dict(zip(tables["vehicles"]["vehicle_id"], tables["vehicles"]["type"]))


def test_a_day_on_roads_is_the_sum_of_its_road_legs(roads: RoadNetwork, tables: dict[str, pd.DataFrame],
                                                     stops: pd.DataFrame) -> None:
    """Every vehicle-day's km and driving hours are the fastest routes depot -> each stop in arrival order -> depot,
    at the van type's profile."""
    days = driver_days(stops, travel=roads, profiles=_profiles(tables)).set_index(["vehicle_id", "date"])
    profiles = _profiles(tables)
    assert len(days) == stops.groupby(["vehicle_id", "date"]).ngroups
    for (vid, day), g in stops.groupby(["vehicle_id", "date"]):
        g = g.sort_values("arrival")
        lat = [g["depot_lat"].iloc[0], *g["lat"], g["depot_lat"].iloc[0]]
        lon = [g["depot_lon"].iloc[0], *g["lon"], g["depot_lon"].iloc[0]]
        km, minutes = roads.legs(lat[:-1], lon[:-1], lat[1:], lon[1:], profiles[vid])
        assert days.loc[(vid, day), "km"] == pytest.approx(km.sum())
        assert days.loc[(vid, day), "driving_hours"] == pytest.approx(minutes.sum() / 60)


def test_hours_on_roads_differ_from_the_straight_line(roads: RoadNetwork, tables: dict[str, pd.DataFrame],
                                                      stops: pd.DataFrame) -> None:
    """Monaco's roads wind up and down the hill: road km exceed straight-line km x 1.3 over the fortnight, and the
    driving hours come from road speeds, not the 40 km/h average."""
    on_roads = driver_days(stops, travel=roads, profiles=_profiles(tables))
    straight = driver_days(stops)
    assert on_roads[["vehicle_id", "date", "stops"]].equals(straight[["vehicle_id", "date", "stops"]])
    assert on_roads["km"].sum() > straight["km"].sum()
    assert not on_roads["driving_hours"].to_numpy() == pytest.approx(straight["driving_hours"].to_numpy())
    assert (on_roads["duty_hours"] >= on_roads["driving_hours"]).all()


def test_rules_run_on_roads_and_planned_legs_win(roads: RoadNetwork, tables: dict[str, pd.DataFrame],
                                                 stops: pd.DataFrame) -> None:
    """The engine threads the road network to the hours checks (a 0.1 h driving limit flags every van-day, each
    with its road km); stops that carry a plan's own legs keep them, whatever the travel model."""
    rules = default_rules()
    rules = rules[rules["check"] == "max_daily_driving_hours"].assign(threshold=0.1).head(1)
    found = run_rules(rules, tables, AS_OF, CheckSettings(), travel=roads)
    on_roads = driver_days(stops, travel=roads, profiles=_profiles(tables))
    assert len(found) == (on_roads["driving_hours"] > 0.1).sum() > 0
    assert sorted(found["value"]) == pytest.approx(sorted(on_roads.loc[on_roads["driving_hours"] > 0.1,
                                                                       "driving_hours"]))
    planned = stops.assign(leg_km=1.0, drive_minutes=6.0, return_km=0.0, return_minutes=0.0)
    assert driver_days(planned, travel=roads)["driving_hours"].equals(driver_days(planned)["driving_hours"])
