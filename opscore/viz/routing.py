"""Route maps (folium/Leaflet) and plan comparison charts, for the Route map page and notebooks.

Offline by design: Leaflet's JS/CSS come from the XStatic-Leaflet package (Leaflet 1.9.3, the
version folium 0.20 uses), either served by the app from ``static/leaflet`` or inlined as data
URIs; no CDN is contacted. The background is the roads of an OpenStreetMap extract when one is given
(:mod:`opscore.viz.road_map`, drawn locally), else plain; street tiles from openstreetmap.org are an opt-in
layer, off by default. All popup and tooltip text is HTML-escaped.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache
from html import escape
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from branca.element import MacroElement
from jinja2 import Template

from opscore.routing import RoutePlan, RoutingProblem, time_text
from opscore.viz.road_map import add_road_background, road_box
from opscore.viz.theme import PALETTE, styled

ROUTE_COLOURS = [*PALETTE, "#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02"]
UNASSIGNED_COLOUR = "#B8483E"
TILES_LAYER = "Street map tiles (fetched from openstreetmap.org)"
Roads = tuple[list[np.ndarray], list[str]]
"""Road polylines (each (k, 2) lat/lon degrees) and their OSM highway classes, as ``RoadNetwork.road_lines`` gives."""


def leaflet_source_dir() -> Path:
    """Folder with leaflet.js, leaflet.css and images/ from the installed XStatic-Leaflet package."""
    try:
        from xstatic.pkg import leaflet
    except ImportError:
        raise RuntimeError("the offline map files are missing: run `make install` "
                           "(pip install -r requirements.txt installs XStatic-Leaflet)") from None
    return Path(leaflet.BASE_DIR)


@lru_cache(maxsize=1)
def _inline_assets() -> tuple[str, str]:
    src = leaflet_source_dir()
    js = base64.b64encode((src / "leaflet.js").read_bytes()).decode()
    css = base64.b64encode((src / "leaflet.css").read_bytes()).decode()
    return f"data:text/javascript;base64,{js}", f"data:text/css;base64,{css}"


def offline_leaflet(m: folium.Map, base_url: str | None = None) -> folium.Map:
    """Point the map at local Leaflet files (``{base_url}/leaflet.js``) or inline them; drop every other CDN asset."""
    if base_url:
        js, css = f"{base_url.rstrip('/')}/leaflet.js", f"{base_url.rstrip('/')}/leaflet.css"
    else:
        js, css = _inline_assets()
    m.default_js = [("leaflet", js)]
    m.default_css = [("leaflet_css", css)]
    return m


class SafeLabels(MacroElement):
    """Popup and tooltip bound as JSON strings (no jQuery, no JS template literal: nothing in the text runs)."""

    _template = Template("""{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.tooltip|tojson }});
        {% if this.popup %}{{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 320});{% endif %}
    {% endmacro %}""")

    def __init__(self, tooltip: str, popup: str | None = None):
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is unannotated
        self._name = "Bind"
        self.tooltip, self.popup = escape(tooltip), popup


def add_background(m: folium.Map, points: list[tuple[float, float]], roads: Roads | None, tiles: bool) -> None:
    """The map's background: the ``roads`` around ``points`` (drawn here, no request) and, when ``tiles``, the
    OpenStreetMap tile layer (the browser fetches it from openstreetmap.org)."""
    if roads is not None:
        add_road_background(m, roads[0], roads[1], road_box(points))
    if tiles:
        folium.TileLayer("OpenStreetMap", name=TILES_LAYER, control=True).add_to(m)


def _popup(rows: list[tuple[str, object]]) -> str:
    return "<table>" + "".join(f"<tr><th style='text-align:left;padding-right:6px'>{escape(k)}</th>"
                               f"<td>{escape(str(v))}</td></tr>" for k, v in rows) + "</table>"


def _badge(text: str, colour: str, square: bool = False) -> folium.DivIcon:
    radius = "3px" if square else "50%"
    return folium.DivIcon(icon_size=(24, 24), icon_anchor=(12, 12), html=(
        f"<div style='width:22px;height:22px;border-radius:{radius};background:{colour};color:#fff;"
        f"border:2px solid #fff;box-shadow:0 0 2px #333;font:bold 11px/22px sans-serif;text-align:center'>"
        f"{escape(text)}</div>"))


def route_map(problem: RoutingProblem, plan: RoutePlan, *, tiles: bool = False, roads: Roads | None = None,
              paths: Mapping[str, np.ndarray] | None = None, leaflet_base_url: str | None = None,
              height: int = 560) -> folium.Map:
    """Depot(s), numbered stops coloured by van, route lines, and unassigned stops (red '!').

    ``roads``: road lines and classes drawn as the background around the plan (no internet needed). ``paths``: per
    vehicle_id the (k, 2) lat/lon line its route follows on the roads; vans without one get straight lines from
    stop to stop. ``tiles``: add OpenStreetMap street tiles (fetched from openstreetmap.org, so online only).
    ``leaflet_base_url``: where the app serves Leaflet (e.g. '/app/static/leaflet'); None inlines the files.
    """
    geo = problem.geographic
    points = [(d.lat, d.lon) for d in problem.depots] + [(s.lat, s.lon) for s in problem.stops]
    m = folium.Map(location=[sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)],
                   zoom_start=11, tiles=None, height=height, control_scale=geo, crs="EPSG3857" if geo else "Simple")
    offline_leaflet(m, leaflet_base_url)
    if geo:
        add_background(m, points, roads, tiles)
    dep = folium.FeatureGroup(name="Depot", control=False).add_to(m)
    for d in problem.depots:
        marker = folium.Marker([d.lat, d.lon], icon=_badge("D", "#1F2A33", square=True)).add_to(dep)
        SafeLabels(d.name, _popup([("Depot", d.name)])).add_to(marker)
    for k, r in enumerate(plan.routes):
        v = problem.vehicles[r.vehicle_index]
        colour = ROUTE_COLOURS[k % len(ROUTE_COLOURS)]
        group = folium.FeatureGroup(name=escape(f"{v.vehicle_id}: {len(r.visits)} stops, {r.distance:.1f} "
                                                f"{problem.distance_unit}")).add_to(m)
        start, end = problem.depots[v.start_depot], problem.depots[v.return_depot]
        line = [(start.lat, start.lon)] + [(problem.stops[x.stop_index].lat, problem.stops[x.stop_index].lon)
                                           for x in r.visits] + [(end.lat, end.lon)]
        on_roads = None if paths is None or not geo else paths.get(v.vehicle_id)
        if on_roads is not None and len(on_roads) >= 2:
            line = [(float(a), float(b)) for a, b in np.asarray(on_roads, dtype=float).reshape(-1, 2)]
        path = folium.PolyLine(  # type: ignore[no-untyped-call]  # folium's PolyLine.__init__ is unannotated
            line, color=colour, weight=4, opacity=0.8).add_to(group)
        SafeLabels(f"{v.vehicle_id} {v.name}").add_to(path)
        for x in r.visits:
            s = problem.stops[x.stop_index]
            windows = ", ".join(f"{time_text(w.start, problem.time_unit)}-{time_text(w.end, problem.time_unit)}"
                                for w in s.windows)
            popup = _popup([("Stop", f"{x.sequence} of {len(r.visits)} on {v.vehicle_id}"), ("Order", s.stop_id),
                            ("Customer", s.name), ("ETA", time_text(x.arrival, problem.time_unit)), ("Window", windows),
                            ("Load", f"{s.demand_kg:.1f} kg")])
            marker = folium.Marker([s.lat, s.lon], icon=_badge(str(x.sequence), colour)).add_to(group)
            SafeLabels(f"{v.vehicle_id} #{x.sequence}: {s.name}", popup).add_to(marker)
    if plan.unassigned:
        left = folium.FeatureGroup(name=f"Not planned: {len(plan.unassigned)}").add_to(m)
        for u in plan.unassigned:
            s = problem.stops[u.stop_index]
            marker = folium.Marker([s.lat, s.lon], icon=_badge("!", UNASSIGNED_COLOUR)).add_to(left)
            SafeLabels(f"Not planned: {s.name}", _popup([("Order", s.stop_id), ("Customer", s.name),
                                                    ("Why not planned", u.reason.text)])).add_to(marker)
    folium.LayerControl(collapsed=True).add_to(m)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return m


def comparison_chart(table: pd.DataFrame, metric: str, unit: str) -> go.Figure:
    """Bars of ``metric`` per plan (rows: plan name in column 'plan')."""
    fig = go.Figure(go.Bar(x=table["plan"], y=table[metric], text=table[metric].round(1), textposition="outside",
                           marker_color=[ROUTE_COLOURS[k % len(ROUTE_COLOURS)] for k in range(len(table))]))
    fig.update_yaxes(title=unit)
    return styled(fig, height=300)
