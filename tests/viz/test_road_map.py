"""The offline road background (opscore.viz.road_map) and the Route and Tracking maps drawn on it.

Monaco: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest

from opscore.routing import (
    Depot,
    RoutePlan,
    RoutingProblem,
    Stop,
    TimeWindow,
    TravelModel,
    Vehicle,
    build_plan,
)
from opscore.tracking import PlannedDay, eta_table
from opscore.viz.road_map import (
    MAX_POINTS,
    ROAD_ATTRIBUTION,
    ROAD_STYLES,
    add_road_background,
    clip_line,
    cut_roads,
    road_box,
    road_style_key,
)
from opscore.viz.routing import TILES_LAYER, offline_leaflet, route_map
from opscore.viz.tracking import customer_map, tracking_map

MONACO_PBF = Path(__file__).resolve().parents[1] / "data" / "osm" / "monaco.osm.pbf"
BOX = (43.72, 7.40, 43.76, 7.45)
EXTERNAL = re.compile(r"<(?:script|link)[^>]+(?:src|href)=\"(?:https?:)?//")


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def _offline(html: str) -> None:
    """No tile server, no script or stylesheet from another host."""
    assert "tile.openstreetmap.org" not in html
    assert not EXTERNAL.findall(html)


def _attribution(html: str) -> list[str]:
    """The distinct attribution options of the map's layers (HTML, as Leaflet's attribution control shows it)."""
    return sorted({json.loads(a) for a in re.findall(r'attribution: ("(?:[^"\\]|\\.)*")', html)})


def _grid(n_lines: int, points: int, south: float = 43.73, west: float = 7.41) -> list[np.ndarray]:
    """``n_lines`` east-west lines of ``points`` vertices, spread over 0.02 degrees of latitude inside BOX."""
    lon = np.linspace(west, west + 0.02, points)
    return [np.column_stack([np.full(points, south + k * 0.02 / n_lines), lon]) for k in range(n_lines)]


def test_lines_outside_the_box_are_dropped_and_crossing_lines_cut_at_its_edge() -> None:
    """Only lines reaching into the box are drawn; a long line crossing it keeps its segments that reach in."""
    inside = np.array([[43.73, 7.42], [43.731, 7.421]])
    outside = np.array([[44.0, 8.0], [44.1, 8.1]])
    crossing = np.column_stack([np.full(11, 43.74), np.linspace(7.301, 7.551, 11)])  # 0.025 degrees per segment
    cut = cut_roads([inside, outside, crossing], ["residential", "primary", "motorway"], BOX)
    assert sorted(cut.lines) == ["motorway", "residential"]
    (piece,) = cut.lines["motorway"]
    assert piece[0, 1] < BOX[1] < piece[1, 1] and piece[-2, 1] < BOX[3] < piece[-1, 1]  # runs on just past each edge
    assert len(piece) == 4 and cut.points == 2 + 4
    assert clip_line(outside, BOX) == [] and clip_line(inside[:1], BOX) == []


def test_a_line_leaving_and_reentering_the_box_gives_two_pieces() -> None:
    line = np.array([[43.73, 7.41], [43.73, 7.42], [43.80, 7.42], [43.80, 7.43], [43.73, 7.43], [43.73, 7.44]])
    pieces = clip_line(line, BOX)
    assert [len(p) for p in pieces] == [3, 3]
    assert pieces[0][0].tolist() == [43.73, 7.41] and pieces[1][-1].tolist() == [43.73, 7.44]


def test_the_vertex_bound_leaves_out_the_smallest_roads_first() -> None:
    """Over the bound, whole classes go from the smallest up (footways, then service roads), big roads stay whole."""
    lines = _grid(100, 50) + _grid(100, 50) + _grid(400, 50)
    classes = ["primary"] * 100 + ["service"] * 100 + ["footway"] * 400
    cut = cut_roads(lines, classes, BOX, max_points=8_000)
    assert cut.left_out == ("other", "service") and list(cut.lines) == ["primary"]
    assert cut.points == 5_000 and cut.step == 1
    assert road_style_key("footway") == "other" and road_style_key("motorway_link") == "motorway"


def test_the_vertex_bound_thins_the_biggest_roads_when_they_alone_are_over() -> None:
    cut = cut_roads(_grid(400, 200), ["primary"] * 400, BOX, max_points=20_000)
    assert cut.points <= 20_000 and cut.step > 1 and cut.lines_cut == 0
    assert all(x[0, 1] == 7.41 and x[-1, 1] == pytest.approx(7.43) for x in cut.lines["primary"])  # ends kept


def test_the_vertex_bound_holds_for_very_many_short_lines() -> None:
    cut = cut_roads(_grid(20_000, 2), ["residential"] * 20_000, BOX, max_points=MAX_POINTS)
    assert cut.points <= MAX_POINTS and cut.lines_cut == 20_000 - MAX_POINTS // 2


def test_background_is_one_layer_with_attribution_and_fetches_nothing() -> None:
    """~5k lines draw as one layer (one polyline per road class, not one object per line), carry the OSM
    attribution, request nothing, and stay small."""
    m = offline_leaflet(folium.Map(location=[43.74, 7.42], tiles=None))
    classes = ["primary", "secondary", "tertiary", "residential", "service"] * 1_000
    cut = add_road_background(m, _grid(5_000, 6), classes, BOX)
    html = _html(m)
    assert cut.points == 30_000 and html.count("L.polyline(") == 1 and html.count("L.featureGroup(") == 1
    assert _attribution(html) == [ROAD_ATTRIBUTION]
    assert "interactive: false" in html and "opscore-roads" in html
    _offline(html)
    assert len(html) < 1_000_000, len(html)  # coordinates to 1e-5 degrees: about 20 bytes a vertex


def test_no_background_when_no_road_reaches_the_box() -> None:
    m = offline_leaflet(folium.Map(location=[43.74, 7.42], tiles=None))
    cut = add_road_background(m, [np.array([[50.0, 1.0], [50.1, 1.1]])], ["primary"], BOX)
    assert not cut.lines and "OpenStreetMap contributors" not in _html(m)


def test_road_box_adds_a_margin_of_at_least_a_kilometre() -> None:
    s, w, n, e = road_box([(43.73, 7.42), (43.74, 7.43)])
    assert 43.73 - s == pytest.approx(1 / 111.32) and n - 43.74 == pytest.approx(1 / 111.32)
    assert 7.42 - w > 1 / 111.32 and e > 7.43
    with pytest.raises(ValueError):
        road_box([])
    with pytest.raises(ValueError, match="one class per line"):
        cut_roads([np.zeros((2, 2))], [], BOX)


def test_styles_get_thinner_and_lighter_for_smaller_roads() -> None:
    order = sorted(ROAD_STYLES.values(), key=lambda s: s.rank)
    assert [s.weight for s in order] == sorted((s.weight for s in order), reverse=True)
    assert [s.colour for s in order] == sorted(s.colour for s in order)  # greys: a higher hex is lighter


@pytest.fixture
def small_plan() -> tuple[RoutingProblem, RoutePlan]:
    """A depot in Fontvieille and three Monaco stops on one van."""
    stops = tuple(Stop(f"S{k}", f"Stop <{k}>", lat, lon, demand_kg=10.0, windows=(TimeWindow(420.0, 660.0),))
                  for k, (lat, lon) in enumerate([(43.7343, 7.41856), (43.73882, 7.42058), (43.74515, 7.43171)]))
    depot = Depot("D", "Depot", 43.72846, 7.41366)
    km, minutes = TravelModel().matrices([depot.lat, *(s.lat for s in stops)], [depot.lon, *(s.lon for s in stops)],
                                         ["default"])
    van = Vehicle("V1", "Van", capacity_kg=500.0, shift_start=360.0, shift_end=840.0)
    problem = RoutingProblem("monaco", (depot,), stops, (van,), km, minutes, travel=TravelModel())
    return problem, build_plan(problem, {0: [0, 1, 2]}, engine="test")


def test_route_map_is_offline_by_default_and_names_the_tile_layer_honestly(small_plan) -> None:  # type: ignore[no-untyped-def]
    problem, plan = small_plan
    _offline(_html(route_map(problem, plan)))
    html = _html(route_map(problem, plan, tiles=True))
    assert "tile.openstreetmap.org" in html and TILES_LAYER in html


def test_route_map_draws_each_vans_road_path(small_plan) -> None:  # type: ignore[no-untyped-def]
    """With a path for the van, its line follows the path's points instead of going straight stop to stop."""
    problem, plan = small_plan
    path = np.array([[43.72846, 7.41366], [43.7301, 7.4151], [43.7343, 7.41856], [43.7388, 7.42058],
                     [43.7420, 7.4260], [43.74515, 7.43171], [43.7350, 7.4200], [43.72846, 7.41366]])
    html = _html(route_map(problem, plan, paths={"V1": path}))
    (coords,) = [json.loads(c) for c in re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", html)]
    assert coords == path.tolist()
    straight = _html(route_map(problem, plan, paths={"V9": path}))  # no path for V1: straight lines as before
    (coords,) = [json.loads(c) for c in re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", straight)]
    assert len(coords) == 5 and [43.7301, 7.4151] not in coords


def test_route_map_draws_roads_under_the_routes(small_plan) -> None:  # type: ignore[no-untyped-def]
    problem, plan = small_plan
    roads = ([np.array([[43.73, 7.415], [43.735, 7.42]]), np.array([[43.74, 7.42], [43.741, 7.43]])],
             ["primary", "residential"])
    html = _html(route_map(problem, plan, roads=roads))
    assert _attribution(html) == [ROAD_ATTRIBUTION] and "Roads (OpenStreetMap)" in html
    assert html.index("opscore-roads") < html.index("bindTooltip")  # drawn first, so routes lie on top
    assert "<0>" not in html  # names stay escaped
    _offline(html)


def test_customer_map_draws_roads_and_no_tiles() -> None:
    roads = ([np.array([[43.7340, 7.418], [43.7346, 7.419]])], ["residential"])
    html = _html(customer_map(43.7343, 7.41856, "Trattoria <b>", roads=roads))
    assert _attribution(html) == [ROAD_ATTRIBUTION] and "<b>" not in html
    _offline(html)


def test_monaco_wide_background_is_small_enough() -> None:
    """All of Monaco's drivable roads and the edge of France around it (RoadNetwork.road_lines of the box with its
    1 km margin) draw whole, in under half a megabyte of map."""
    from opscore.routing import RoadNetwork

    net = RoadNetwork.from_pbf(MONACO_PBF)
    box = road_box([(43.724, 7.405), (43.752, 7.440)])
    lines, classes = net.road_lines(*box)
    m = offline_leaflet(folium.Map(location=[43.74, 7.42], tiles=None))
    cut = add_road_background(m, lines, classes, box)
    html = _html(m)
    assert not cut.left_out and cut.step == 1 and 5_000 < cut.points <= MAX_POINTS
    assert len(html) < 500_000, len(html)
    _offline(html)


def test_tracking_maps_default_to_no_tiles() -> None:
    assert tracking_map.__kwdefaults__["tiles"] is False and customer_map.__kwdefaults__["tiles"] is False
    assert route_map.__kwdefaults__["tiles"] is False


def test_tracking_map_draws_the_planned_round_along_the_roads() -> None:
    """Given a van's road path, its planned line follows those points; other vans keep straight lines."""
    t = pd.Timestamp
    stops = pd.DataFrame({"vehicle_id": ["V1", "V1"], "sequence": [1, 2], "order_id": ["OA", "OB"],
                          "customer_id": ["CA", "CB"], "name": ["Alpha", "Beta"], "lat": [43.7396, 43.7436],
                          "lon": [7.4262, 7.4305], "planned_arrival": [t("2026-11-02 08:00")] * 2,
                          "service_minutes": [5.0, 5.0], "window_start": [t("2026-11-02 08:00")] * 2,
                          "window_end": [t("2026-11-02 12:00")] * 2})
    vans = pd.DataFrame({"vehicle_id": ["V1"], "profile": ["van"], "depot_lat": [43.72846], "depot_lon": [7.41366],
                         "planned_departure": [t("2026-11-02 08:00")]})
    day = PlannedDay(t("2026-11-02").date(), stops, vans)
    events = pd.DataFrame(columns=["event_id", "vehicle_id", "order_id", "kind", "ts", "lat", "lon"])
    etas = eta_table(day, events, "2026-11-02 08:00")
    path = np.array([[43.72846, 7.41366], [43.7343, 7.41856], [43.7396, 7.4262], [43.7436, 7.4305],
                     [43.7350, 7.4200], [43.72846, 7.41366]])
    html = _html(tracking_map(day, etas, etas.iloc[:0], paths={"V1": path}))
    (coords,) = [json.loads(c) for c in re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", html)]
    assert coords == path.tolist()
    html = _html(tracking_map(day, etas, etas.iloc[:0]))
    (coords,) = [json.loads(c) for c in re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", html)]
    assert len(coords) == 4
