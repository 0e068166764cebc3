"""Road network from an OpenStreetMap extract (issue 20): parsing, speeds, snapping, matrices, paths, cache.

Monaco: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import osmium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opscore.geo import haversine_km
from opscore.routing import RoadNetwork, RoadSpeeds, TravelModel, road_network
from opscore.routing.road_speeds import MPH, OSRM_CAR_KMH, maxspeed_kmh

MONACO = Path(__file__).resolve().parents[1] / "data" / "osm" / "monaco.osm.pbf"
BOX = (43.727, 7.410, 43.748, 7.436)
"""South, west, north, east of the built-up Principality, degrees."""


@pytest.fixture(scope="module")
def monaco() -> RoadNetwork:
    return RoadNetwork.from_pbf(MONACO)


@pytest.fixture(scope="module")
def points() -> tuple[np.ndarray, np.ndarray]:
    """40 fixed points spread over Monaco's streets."""
    rng = np.random.default_rng(20)
    return rng.uniform(BOX[0], BOX[2], 40), rng.uniform(BOX[1], BOX[3], 40)


def _write(path: Path, nodes: dict[int, tuple[float, float]], ways: list[tuple[list[int], dict[str, str]]]) -> Path:
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    for nid, (lat, lon) in sorted(nodes.items()):
        writer.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat)))
    for wid, (refs, tags) in enumerate(ways, 1):
        writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags))
    writer.close()
    return path


def test_monaco_network_is_read_whole(monaco: RoadNetwork) -> None:
    """The drivable network of the extract: hundreds of km of road, one-way streets, every vertex on a chain."""
    assert monaco.source == "monaco.osm.pbf"
    assert 200 < monaco.road_km() < 400
    assert monaco.chain_oneway.sum() > 500
    used = np.zeros(monaco.n_vertices, bool)
    used[monaco.chain_from] = used[monaco.chain_to] = True
    assert used.all()
    assert np.allclose(monaco.shape_km[monaco.shape_ptr[1:] - 1], monaco.chain_km)


def test_road_km_is_never_shorter_than_the_straight_line(monaco: RoadNetwork, points: tuple) -> None:
    """Road km >= great-circle km between the snapped points, for every ordered pair (1 m rounding per edge)."""
    lat, lon = points
    km, minutes = monaco.matrices(lat, lon, ["default"])
    snapped = monaco.snap(lat, lon)
    straight = haversine_km(snapped.lat[:, None], snapped.lon[:, None], snapped.lat[None, :], snapped.lon[None, :])
    assert km.shape == minutes["default"].shape == (40, 40)
    assert np.all(km >= straight - 0.01)
    assert np.all(np.diag(km) == 0) and np.all(np.diag(minutes["default"]) == 0)


def test_one_way_streets_make_some_pairs_asymmetric(monaco: RoadNetwork, points: tuple) -> None:
    """Monaco's one-way streets: going there and coming back differ by more than 200 m for some pair."""
    km, minutes = monaco.matrices(*points, ["default"])
    assert np.abs(km - km.T).max() > 0.2
    assert np.abs(minutes["default"] - minutes["default"].T).max() > 0.5


def test_fastest_times_keep_the_triangle_inequality(monaco: RoadNetwork, points: tuple) -> None:
    """Going i -> k directly is never slower than through j (j is on a possible route), to rounding."""
    _, minutes = monaco.matrices(*points, ["default"])
    m = minutes["default"]
    through = (m[:, :, None] + m[None, :, :]).min(axis=1)
    assert np.all(m <= through + 1e-3)


def test_path_follows_the_roads_and_matches_the_matrix(monaco: RoadNetwork, points: tuple) -> None:
    """The drawn route through five points is as long as the matrix says, and starts and ends on the road."""
    lat, lon = points[0][:5], points[1][:5]
    km, _ = monaco.matrices(lat, lon, ["default"])
    line = monaco.path(lat, lon)
    drawn = haversine_km(line[:-1, 0], line[:-1, 1], line[1:, 0], line[1:, 1]).sum()
    assert drawn == pytest.approx(sum(km[i, i + 1] for i in range(4)), abs=0.01)
    snapped = monaco.snap(lat, lon)
    assert line[0] == pytest.approx([snapped.lat[0], snapped.lon[0]])
    assert line[-1] == pytest.approx([snapped.lat[-1], snapped.lon[-1]])


def test_legs_agree_with_the_matrix(monaco: RoadNetwork, points: tuple) -> None:
    lat, lon = points
    km, minutes = monaco.matrices(lat[:6], lon[:6], ["default"])
    leg_km, leg_min = monaco.legs(lat[:5], lon[:5], lat[1:6], lon[1:6], "default")
    assert leg_km == pytest.approx(np.diag(km, 1))
    assert leg_min == pytest.approx(np.diag(minutes["default"], 1))


def test_snapping_reports_the_distance_to_the_road(monaco: RoadNetwork) -> None:
    """A point on a road snaps within a few metres; a point out at sea reports how far it is."""
    on_road = monaco.snap(monaco.lat[:3], monaco.lon[:3])
    assert on_road.distance_km.max() < 0.011
    at_sea = monaco.snap([43.735], [7.445])
    assert at_sea.distance_km[0] > 0.3


def test_a_top_speed_slows_only_its_profile(monaco: RoadNetwork, points: tuple) -> None:
    """A van type limited to 20 km/h takes longer than the road speeds; other types are unchanged."""
    lat, lon = points[0][:10], points[1][:10]
    free = monaco.matrices(lat, lon, ["van"])[1]["van"]
    slow = monaco.with_speeds(top_kmh={"lorry": 20.0}).matrices(lat, lon, ["van", "lorry"])[1]
    assert np.array_equal(slow["van"], free)
    assert np.all(slow["lorry"] >= free - 1e-9) and slow["lorry"].sum() > free.sum()


def test_cache_round_trip_gives_the_same_answers(monaco: RoadNetwork, points: tuple, tmp_path: Path) -> None:
    monaco.save(tmp_path / "graph")
    again = RoadNetwork.load(tmp_path / "graph")
    assert again is not None and again.source == monaco.source
    assert np.array_equal(again.chain_km, monaco.chain_km) and np.array_equal(again.shape_lat, monaco.shape_lat)
    assert np.array_equal(again.matrices(*points, ["d"])[0], monaco.matrices(*points, ["d"])[0])
    assert RoadNetwork.load(tmp_path / "nothing here") is None


def test_circuity_of_monaco_is_above_the_default(monaco: RoadNetwork, points: tuple) -> None:
    """Monaco's hairpins and one-way loops: far more road per straight-line km than the 1.3 default."""
    assert 1.5 < monaco.circuity(*points) < 4.0


def test_network_answers_like_the_travel_model(monaco: RoadNetwork) -> None:
    """Same call, same shapes and keys as the straight-line model, so either plans a route."""
    lat, lon = [43.7285, 43.7396, 43.7436], [7.4170, 7.4262, 7.4305]
    for model in (TravelModel(), monaco):
        km, minutes = model.matrices(lat, lon, ["small", "large", "small"])
        assert km.shape == (3, 3) and list(minutes) == ["small", "large"]
        assert "OpenStreetMap" in monaco.describe() and "straight line" in TravelModel().describe()


def test_hand_built_extract_gives_exact_times(tmp_path: Path) -> None:
    """Three streets: A-B two-way residential, B-C one-way B->C residential at a 30 mph limit, C-A two-way primary.
    Times are length / speed exactly; C -> B must go round by A."""
    a, b, c = (52.0, -1.0), (52.0, -0.99), (52.01, -0.99)
    path = _write(tmp_path / "three.osm.pbf", {1: a, 2: b, 3: c}, [
        ([1, 2], {"highway": "residential"}), ([2, 3], {"highway": "residential", "oneway": "yes",
                                                        "maxspeed": "30 mph"}),
        ([3, 1], {"highway": "primary"})])
    net = RoadNetwork.from_pbf(path)
    ab, bc, ca = haversine_km(*a, *b), haversine_km(*b, *c), haversine_km(*c, *a)
    km, minutes = net.matrices([a[0], b[0], c[0]], [a[1], b[1], c[1]], ["default"])
    m = minutes["default"]
    residential, primary, limited = OSRM_CAR_KMH["residential"], OSRM_CAR_KMH["primary"], 30 * MPH * 0.8
    assert m[0, 1] == pytest.approx(ab / residential * 60, abs=1e-3)
    assert m[1, 2] == pytest.approx(bc / limited * 60, abs=1e-3)
    assert m[2, 1] == pytest.approx((ca / primary + ab / residential) * 60, abs=1e-3)
    assert km[2, 1] == pytest.approx(ca + ab, abs=0.002)
    assert km[1, 2] == pytest.approx(bc, abs=0.002)


def test_an_island_of_road_is_left_out(tmp_path: Path) -> None:
    """A street no one can drive into from the rest (a one-way dead end) is dropped, so every point is reachable."""
    path = _write(tmp_path / "island.osm.pbf", {1: (52.0, -1.0), 2: (52.0, -0.99), 3: (52.01, -0.99),
                                                 4: (52.02, -0.99)}, [
        ([1, 2, 3, 1], {"highway": "residential"}), ([3, 4], {"highway": "service", "oneway": "yes"})])
    net = RoadNetwork.from_pbf(path)
    assert net.n_chains >= 1 and net.bounds()[2] < 52.015
    km, _ = net.matrices([52.0, 52.02], [-1.0, -0.99], ["default"])
    assert np.isfinite(km).all()


def test_files_that_are_not_extracts_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "roads.osm.pbf"
    text.write_text("not a map")
    with pytest.raises(ValueError, match="is not a readable OpenStreetMap extract"):
        RoadNetwork.from_pbf(text)
    with pytest.raises(ValueError, match="does not exist"):
        RoadNetwork.from_pbf(tmp_path / "missing.osm.pbf")
    empty = _write(tmp_path / "paths.osm.pbf", {1: (52.0, -1.0), 2: (52.0, -0.99)},
                   [([1, 2], {"highway": "footway"})])
    with pytest.raises(ValueError, match="no drivable roads"):
        RoadNetwork.from_pbf(empty)


@pytest.mark.parametrize(("tag", "kmh"), [
    ("30", 30.0), ("20 mph", 20 * MPH), ("50;30", 50.0), ("GB:nsl_single", 60 * MPH), ("FR:urban", 50.0),
    ("none", math.nan), ("signals", math.nan), (None, math.nan)])
def test_speed_limit_tags(tag: str | None, kmh: float) -> None:
    assert maxspeed_kmh(tag) == pytest.approx(kmh, nan_ok=True)


def test_speed_table_lists_every_problem_at_once() -> None:
    table = RoadSpeeds().frame()
    table.loc[0, "kmh"] = 500
    table = table.drop(index=1)
    with pytest.raises(ValueError) as err:
        RoadSpeeds.from_frame(table, maxspeed_share=0.2)
    text = str(err.value)
    assert "motorway_link have no speed" in text and "500 km/h" in text and "0.2" in text
    table = table.astype({"kmh": object})
    table.loc[2, "kmh"] = "fast"
    with pytest.raises(ValueError, match=r"row 2 \(trunk\)"):
        RoadSpeeds.from_frame(table)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points_in=st.lists(st.tuples(st.floats(BOX[0], BOX[2]), st.floats(BOX[1], BOX[3])), min_size=2, max_size=6))
def test_any_points_in_monaco_get_finite_routes(monaco: RoadNetwork, points_in: list[tuple[float, float]]) -> None:
    """Wherever the stops are, every pair has a finite route, never faster than the fastest road allows."""
    lat, lon = zip(*points_in)
    km, minutes = monaco.matrices(list(lat), list(lon), ["default"])
    assert np.isfinite(km).all() and np.isfinite(minutes["default"]).all()
    fastest_kmh = max(*OSRM_CAR_KMH.values(), 130 * RoadSpeeds().maxspeed_share)
    assert np.all(minutes["default"] * fastest_kmh / 60 >= km - 1e-3)


def test_the_search_bound_through_a_hub_changes_no_answer(monaco: RoadNetwork, points: tuple,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Dijkstra limited by d(s, hub) + max d(hub, t) gives exactly the unlimited answers."""
    bounded = monaco.matrices(*points, ["default"])
    monkeypatch.setattr(road_network, "_HUB_FROM", 10**9)
    plain = monaco.matrices(*points, ["default"])
    assert np.array_equal(bounded[0], plain[0]) and np.array_equal(bounded[1]["default"], plain[1]["default"])


def test_one_way_against_the_drawing_and_a_missing_node(tmp_path: Path) -> None:
    """oneway=-1 runs against the way's drawing: C -> B directly, B -> C the long way round. A way whose middle node
    is missing from the extract (cut at its edge) is split there, never joining the nodes either side."""
    a, b, c = (52.0, -1.0), (52.0, -0.99), (52.01, -0.99)
    path = _write(tmp_path / "against.osm.pbf", {1: a, 2: b, 3: c, 5: (52.02, -1.0), 6: (52.03, -1.0)}, [
        ([1, 2], {"highway": "residential"}), ([2, 3], {"highway": "residential", "oneway": "-1"}),
        ([3, 1], {"highway": "residential"}), ([5, 99, 6], {"highway": "residential"})])
    net = RoadNetwork.from_pbf(path)
    km, _ = net.matrices([b[0], c[0]], [b[1], c[1]], ["default"])
    assert km[1, 0] == pytest.approx(haversine_km(*c, *b), abs=0.002)
    assert km[0, 1] == pytest.approx(haversine_km(*b, *a) + haversine_km(*a, *c), abs=0.002)
    assert net.bounds()[2] < 52.015  # the cut way's pieces have one point each: dropped


def test_closed_and_reversible_roads_are_left_out(tmp_path: Path) -> None:
    """Private, agricultural-only and reversible (direction by the hour) roads carry no van: with only those, the
    file has no drivable roads."""
    nodes = {1: (52.0, -1.0), 2: (52.0, -0.99), 3: (52.01, -0.99), 4: (52.02, -0.99)}
    path = _write(tmp_path / "closed.osm.pbf", nodes, [
        ([1, 2], {"highway": "service", "access": "private"}),
        ([2, 3], {"highway": "unclassified", "motor_vehicle": "agricultural"}),
        ([3, 4], {"highway": "primary", "oneway": "reversible"})])
    with pytest.raises(ValueError, match="no drivable roads"):
        RoadNetwork.from_pbf(path)
