"""An offline road background for folium maps: the roads of an OpenStreetMap extract as calm grey lines.

Input: polylines as (k, 2) arrays of latitude, longitude (degrees) with each line's OSM ``highway`` class, as
``RoadNetwork.road_lines(south, west, north, east)`` returns them. Only what lies in a box (the map's points plus a
margin, :func:`road_box`) is drawn, and at most ``MAX_POINTS`` vertices: over that, whole classes are left out
from the smallest up (footways, then service roads, then residential streets...), and if the biggest class alone is
still over, its lines keep every n-th vertex (ends kept). The map gets one non-interactive layer, one polyline per
road class (coordinates rounded to 1e-5 degrees, about 1 m), under the routes, with "© OpenStreetMap contributors
(ODbL)" in Leaflet's attribution control. Nothing is fetched from the internet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import numpy as np
from branca.element import Element, MacroElement
from jinja2 import Template

Box = tuple[float, float, float, float]
"""South, west, north, east in degrees."""

MAX_POINTS = 30_000
"""Most vertices drawn: about 0.5 MB of map HTML; a town centre or all of Monaco fits whole."""
ROAD_ATTRIBUTION = "&copy; OpenStreetMap contributors (ODbL)"
"""Shown in the map's attribution control whenever roads are drawn (HTML: Leaflet inserts it as markup)."""
ROADS_LAYER = "Roads (OpenStreetMap)"
LAND_COLOUR = "#F3F1EC"
"""The map's background under the roads (a pale paper tone; routes and stops keep their colours)."""
KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True)
class RoadStyle:
    """How a road class is drawn: line colour, width in pixels, and rank (0 = biggest road, left out last)."""

    colour: str
    weight: float
    rank: int


ROAD_STYLES: dict[str, RoadStyle] = {
    "motorway": RoadStyle("#9A9A9A", 4.0, 0), "trunk": RoadStyle("#9A9A9A", 4.0, 0),
    "primary": RoadStyle("#A6A6A6", 3.2, 1),
    "secondary": RoadStyle("#B2B2B2", 2.8, 2),
    "tertiary": RoadStyle("#BDBDBD", 2.4, 3),
    "residential": RoadStyle("#C8C8C8", 1.8, 4), "unclassified": RoadStyle("#C8C8C8", 1.8, 4),
    "living_street": RoadStyle("#C8C8C8", 1.8, 4), "road": RoadStyle("#C8C8C8", 1.8, 4),
    "service": RoadStyle("#D4D4D4", 1.2, 5),
    "other": RoadStyle("#DDDDDD", 0.8, 6),
}
"""Per OSM highway class (``*_link`` roads as their road; tracks, footways, steps... as 'other')."""


def road_style_key(road_class: str) -> str:
    """The key of ``ROAD_STYLES`` a highway class is drawn with ('motorway_link' -> 'motorway', 'steps' -> 'other')."""
    base = road_class.removesuffix("_link")
    return base if base in ROAD_STYLES else "other"


def road_box(points: Iterable[tuple[float, float]], margin_km: float = 1.0, share: float = 0.25) -> Box:
    """The box around (lat, lon) ``points`` plus a margin: ``share`` of its span, at least ``margin_km`` each side."""
    pts = np.asarray(list(points), dtype=float).reshape(-1, 2)
    if not len(pts):
        raise ValueError("a road box needs at least one point")
    south, west = pts.min(axis=0)
    north, east = pts.max(axis=0)
    mid = math.radians((south + north) / 2)
    dlat = max(margin_km / KM_PER_DEGREE_LAT, share * (north - south))
    dlon = max(margin_km / (KM_PER_DEGREE_LAT * max(math.cos(mid), 0.01)), share * (east - west))
    return float(south - dlat), float(west - dlon), float(north + dlat), float(east + dlon)


def clip_line(line: np.ndarray, box: Box) -> list[np.ndarray]:
    """The pieces of a (k, 2) lat/lon polyline whose segments reach into ``box`` (a segment is kept whole if its
    bounding box meets the box, so lines run on to just past the edge)."""
    if len(line) < 2:
        return []
    south, west, north, east = box
    lo_lat, hi_lat = line[:, 0].min(), line[:, 0].max()
    lo_lon, hi_lon = line[:, 1].min(), line[:, 1].max()
    if hi_lat < south or lo_lat > north or hi_lon < west or lo_lon > east:
        return []
    if lo_lat >= south and hi_lat <= north and lo_lon >= west and hi_lon <= east:
        return [line]
    a, b = line[:-1], line[1:]
    keep = ((np.minimum(a[:, 0], b[:, 0]) <= north) & (np.maximum(a[:, 0], b[:, 0]) >= south)
            & (np.minimum(a[:, 1], b[:, 1]) <= east) & (np.maximum(a[:, 1], b[:, 1]) >= west))
    idx = np.flatnonzero(keep)
    if not len(idx):
        return []
    gaps = np.flatnonzero(np.diff(idx) > 1)
    starts, ends = np.r_[idx[0], idx[gaps + 1]], np.r_[idx[gaps], idx[-1]]
    return [line[s:e + 2] for s, e in zip(starts, ends)]


def _thinned(line: np.ndarray, step: int) -> np.ndarray:
    if step <= 1 or len(line) <= 2:
        return line
    return np.vstack([line[:-1:step], line[-1:]])


@dataclass(frozen=True)
class RoadCut:
    """The roads to draw: per style key of ``ROAD_STYLES`` (biggest roads first) the lat/lon polylines in the box;
    ``points`` vertices in all; ``left_out``: classes dropped to stay within the bound; ``step``: 1 = every vertex
    kept, n = every n-th; ``lines_cut``: lines left out beyond that (only when very many short lines remain)."""

    lines: dict[str, list[np.ndarray]]
    points: int
    left_out: tuple[str, ...] = ()
    step: int = 1
    lines_cut: int = 0


def cut_roads(lines: Sequence[np.ndarray], classes: Sequence[str], box: Box,
              max_points: int = MAX_POINTS) -> RoadCut:
    """The parts of ``lines`` (lat/lon, with their highway ``classes``) inside ``box``, at most ``max_points``
    vertices: the smallest classes are left out first, then the biggest remaining class is thinned."""
    if len(lines) != len(classes):
        raise ValueError(f"{len(lines)} road lines but {len(classes)} road classes: give one class per line")
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    groups: dict[str, list[np.ndarray]] = {}
    for line, road_class in zip(lines, classes):
        pieces = clip_line(np.asarray(line, dtype=float).reshape(-1, 2), box)
        if pieces:
            groups.setdefault(road_style_key(road_class), []).extend(pieces)
    order = sorted(groups, key=lambda k: ROAD_STYLES[k].rank)
    groups = {k: groups[k] for k in order}
    total = sum(len(x) for g in groups.values() for x in g)
    left_out: list[str] = []
    while total > max_points and len(groups) > 1:
        smallest = next(reversed(groups))
        total -= sum(len(x) for x in groups.pop(smallest))
        left_out.append(smallest)
    step, cut = 1, 0
    if total > max_points:
        sizes = np.array([len(x) for g in groups.values() for x in g])
        longest = int(sizes.max())
        step = max(2, total // max_points)
        while step < longest and int(np.where(sizes > 2, (sizes - 2) // step + 2, sizes).sum()) > max_points:
            step += max(1, step // 4)
        groups = {k: [_thinned(x, step) for x in g] for k, g in groups.items()}
        total = sum(len(x) for g in groups.values() for x in g)
        while total > max_points:  # very many two-point lines: leave out the last ones of the smallest class left
            last = next(reversed(groups))
            total -= len(groups[last].pop())
            cut += 1
            if not groups[last]:
                del groups[last]
    return RoadCut(groups, total, tuple(left_out), step, cut)


class _RoadLines(MacroElement):
    """One polyline per road class added to the parent layer; numbers and fixed style values only, no text."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this.data }}.forEach(function (r) {
            L.polyline(r[3], {color: r[0], weight: r[1], opacity: 1, interactive: false, lineCap: "round",
                              lineJoin: "round", className: "opscore-roads opscore-roads-" + r[2],
                              attribution: {{ this.attribution|tojson }}}
            ).addTo({{ this._parent.get_name() }});
        });
    {% endmacro %}""")

    def __init__(self, cut: RoadCut):
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is unannotated
        self._name = "RoadLines"
        self.attribution = ROAD_ATTRIBUTION  # each line carries it: Leaflet's control lists it once while shown
        rows = [[ROAD_STYLES[k].colour, ROAD_STYLES[k].weight, k, [np.round(x, 5).tolist() for x in g]]
                for k, g in reversed(cut.lines.items())]  # smallest first: bigger roads drawn on top
        self.data = json.dumps(rows, separators=(",", ":"))


def add_road_background(m: folium.Map, lines: Sequence[np.ndarray], classes: Sequence[str], box: Box, *,
                        max_points: int = MAX_POINTS) -> RoadCut:
    """Draw the roads of ``lines``/``classes`` inside ``box`` on ``m`` (see the module notes); returns what was
    drawn. Nothing is added when no road reaches into the box. Add it before the routes, so they lie on top."""
    cut = cut_roads(lines, classes, box, max_points)
    if not cut.lines:
        return cut
    group = folium.FeatureGroup(name=ROADS_LAYER, overlay=True, control=True)
    _RoadLines(cut).add_to(group)
    group.add_to(m)
    m.get_root().header.add_child(  # type: ignore[attr-defined]  # a branca Figure has a header
        Element(f"<style>.leaflet-container {{ background: {LAND_COLOUR}; }}</style>"), name="opscore_road_land")
    return cut
