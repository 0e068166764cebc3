"""What the Route and Tracking maps are drawn on, said truthfully: the workspace's roads (drawn by the app, no
request leaves the machine) or a plain background, street tiles from openstreetmap.org only when asked for, route
lines along the roads, and a caption naming the background and where distances come from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from opscore.routing import RoadNetwork, RoutePlan, RoutingProblem, Travel
from opscore.tracking import PlannedDay
from opscore.viz.road_map import road_box
from opscore.viz.routing import Roads, route_map
from opscore.viz.tracking import tracking_map
from ui.maps import leaflet_url, show_map
from ui.services import roads as road_service
from ui.text import md

TILES_LABEL = "Street map tiles (fetched from openstreetmap.org over the internet)"
TILES_HELP = ("Loads map tiles from openstreetmap.org into your browser (needs internet; the map is drawn without "
              "them otherwise).")
FAR_FROM_ROAD_KM = 0.2
"""A depot or stop further than this from any road (km) is probably misplaced or outside the extract: say so."""
NO_ROADS = ("Map background: none (no road network in this workspace; add an OpenStreetMap extract on the Data "
            "page).")


@dataclass(frozen=True)
class Background:
    """A map's background: road lines and classes around its points (None = plain), the network they come from
    (for route lines along the roads) and the sentence saying what is shown (Markdown-safe)."""

    roads: Roads | None
    network: RoadNetwork | None
    caption: str


def background(key: str, points: Sequence[tuple[float, float]], tiles: bool) -> Background:
    """The background of a map of (lat, lon) ``points`` in workspace ``key``; ``tiles``: street tiles asked for."""
    network = road_service.network_at(key)
    if network is None:
        text = NO_ROADS
    else:
        text = f"Map background: roads of {md(network.source or 'the extract')} (© OpenStreetMap contributors)."
    if tiles:
        text += " Street map tiles are fetched from openstreetmap.org."
    lines = None if network is None or not points else network.road_lines(*road_box(points))
    return Background(lines, network, text)


def route_paths(key: str, network: RoadNetwork | None, problem: RoutingProblem, plan: RoutePlan
                ) -> dict[str, np.ndarray] | None:
    """Per vehicle_id the road line ((k, 2) lat/lon) of its route, depot to stops to depot (cached per plan); None
    without roads."""
    if network is None or not problem.geographic:
        return None
    routes = []
    for r in plan.routes:
        v = problem.vehicles[r.vehicle_index]
        places = [problem.depots[v.start_depot], *(problem.stops[x.stop_index] for x in r.visits),
                  problem.depots[v.return_depot]]
        routes.append((v.vehicle_id, tuple((p.lat, p.lon) for p in places)))
    return road_service.route_lines(key, tuple(routes))


def distances_text(problem: RoutingProblem, background: RoadNetwork | None = None) -> str:
    """Where the plan's distances and times come from, in plain words (briefly when they are the roads of the map's
    ``background``)."""
    travel = problem.travel
    if isinstance(travel, RoadNetwork) and background is not None and travel.source == background.source:
        return "Distances and times: fastest routes on these roads."
    how = "your road distance file" if travel is None else travel.describe()
    return f"Distances and times: {md(how)}."


def snapping(problem: RoutingProblem) -> tuple[str, str | None]:
    """(caption sentence, warning or None): how far the depots and stops are from the roads they were put on, when
    the problem was planned on a road network."""
    network = problem.travel
    if not isinstance(network, RoadNetwork):
        return "", None
    places = [(d.name, d.lat, d.lon) for d in problem.depots] + [(s.name, s.lat, s.lon) for s in problem.stops]
    away = network.snap([p[1] for p in places], [p[2] for p in places]).distance_km
    text = f" Each place joins the nearest road, at most {away.max() * 1000:,.0f} m away."
    far = np.flatnonzero(away > FAR_FROM_ROAD_KM)
    if not len(far):
        return text, None
    worst = int(far[np.argmax(away[far])])
    return text, (f"{len(far)} place(s) are more than {FAR_FROM_ROAD_KM * 1000:.0f} m from the nearest road of "
                  f"{md(network.source)} (furthest: {md(places[worst][0])}, {away[worst]:,.1f} km): check their map "
                  "positions, or use an extract that covers them. Their distances and times start from that road.")


def show_route_map(key: str, problem: RoutingProblem, plan: RoutePlan, tiles: bool) -> None:
    """The Route map of ``plan`` on the workspace's roads (lines along them when there are roads), and its caption."""
    points = [(d.lat, d.lon) for d in problem.depots] + [(s.lat, s.lon) for s in problem.stops]
    bg = background(key, points if problem.geographic else [], tiles)
    snapped, far = snapping(problem)
    if far:
        st.warning(far)
    show_map(route_map(problem, plan, tiles=tiles, roads=bg.roads, paths=route_paths(key, bg.network, problem, plan),
                       leaflet_base_url=leaflet_url()), "route_map", 520)
    st.caption(f"{bg.caption} {distances_text(problem, bg.network)}{snapped}")


def _planned_lines(key: str, plan: PlannedDay, etas: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per van the road line of its planned round: depot, its stops in order, depot (cached per plan)."""
    depots = plan.vans.set_index("vehicle_id")
    routes = []
    for vid, stops in etas.sort_values("sequence").groupby("vehicle_id", sort=True):
        depot = (float(depots.at[vid, "depot_lat"]), float(depots.at[vid, "depot_lon"]))
        routes.append((str(vid), (depot, *zip(stops["lat"].astype(float), stops["lon"].astype(float)), depot)))
    return road_service.route_lines(key, tuple(routes))


def show_tracking_map(key: str, plan: PlannedDay, etas: pd.DataFrame, positions: pd.DataFrame, travel: Travel
                      ) -> None:
    """The dispatcher's live map on the workspace's roads, the tiles toggle (off) and the caption, which names the
    ``travel`` model the ETAs used."""
    tiles = st.toggle(TILES_LABEL, value=False, help=TILES_HELP)
    points = list(zip(plan.stops["lat"].astype(float), plan.stops["lon"].astype(float))) + \
        list(zip(plan.vans["depot_lat"].astype(float), plan.vans["depot_lon"].astype(float)))
    bg = background(key, points, tiles)
    paths = None if bg.network is None else _planned_lines(key, plan, etas)
    show_map(tracking_map(plan, etas, positions, tiles=tiles, roads=bg.roads, paths=paths,
                          leaflet_base_url=leaflet_url()), "tracking_map", 480)
    st.caption(f"{bg.caption} ETAs: {md(travel.describe())}.")
