"""The workspace's road network (an OpenStreetMap extract), loaded once per server and shared read-only by every
session on that workspace; what it says about the client's area.

Cache keys (:func:`ui.state.cache_key`) carry the road network's marker, so adding, replacing or removing an
extract, or changing road speeds, gives every page fresh plans.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from opscore.routing import RoadNetwork, Travel
from opscore.routing.road_files import RoadSetup, load_network, read_setup
from opscore.workspaces import roads_dir
from ui.state import table_at, workspace_for

CIRCUITY_POINTS = 60
"""Customers (at most) whose pairwise road and straight-line km give the area's measured circuity."""


def marker_of(key: str) -> str | None:
    """The road network's marker in a cache key, or None when the workspace has none."""
    return key.split("~roads:", 1)[1] if "~roads:" in key else None


@st.cache_resource(max_entries=4, show_spinner="Loading the road network...")
def _network(folder: str, marker: str) -> RoadNetwork:
    """The road network kept in ``folder`` (``marker`` tells versions apart), its lookups built before it is
    shared read-only by every session. LookupError (not cached) when the folder no longer holds it."""
    network = load_network(Path(folder))
    if network is None:
        raise LookupError(f"no road network in {folder}")
    return network.prepared()


def network_at(key: str) -> RoadNetwork | None:
    """The road network of the workspace ``key`` names, or None (straight-line estimates; also when its files were
    removed by hand)."""
    marker = marker_of(key)
    ws = workspace_for(key)
    if marker is None or ws.is_sample:
        return None
    try:
        return _network(str(roads_dir(ws)), marker)
    except LookupError:
        return None


def setup_at(key: str) -> RoadSetup | None:
    """What the workspace's road network was built from (name, size, road km, speeds), or None."""
    ws = workspace_for(key)
    return None if ws.is_sample else read_setup(roads_dir(ws))


def travel_at(key: str, type_speeds: tuple[tuple[str, float], ...] = ()) -> Travel | None:
    """Travel on the workspace's roads, each van type at most its speed in ``type_speeds`` (km/h); None when the
    workspace has no road network (the straight-line model of the page's settings applies)."""
    network = network_at(key)
    return None if network is None else network.with_speeds(top_kmh=dict(type_speeds))


@st.cache_data(show_spinner=False, max_entries=16)
def route_lines(key: str, routes: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]) -> dict[str, np.ndarray]:
    """Per route id the road polyline ((k, 2) lat/lon) through its (lat, lon) places in order; empty without roads
    (a rerun with the same plan reuses them)."""
    network = network_at(key)
    if network is None:
        return {}
    return {rid: network.path([p[0] for p in places], [p[1] for p in places]) for rid, places in routes}


@st.cache_data(show_spinner=False, max_entries=8)
def measured_circuity(key: str) -> float | None:
    """Road km per straight-line km between the workspace's customers (up to :data:`CIRCUITY_POINTS`, evenly
    picked) on its road network; None without a network, NaN when the customers are too close together."""
    network = network_at(key)
    customers = table_at(key, "customers")
    if network is None or customers.empty:
        return None
    pick = customers.iloc[np.linspace(0, len(customers) - 1, min(len(customers), CIRCUITY_POINTS)).astype(int)]
    return network.circuity(pick["lat"].astype(float).tolist(), pick["lon"].astype(float).tolist())
