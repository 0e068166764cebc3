"""The Data page's Road network tab: give the workspace an OpenStreetMap extract (upload, or a file in its imports
folder on the server), see what was built and the area's measured circuity, edit road speeds, or remove it.

Each action builds or writes first and records the road marker in the workspace (``ROADS_META``) only
when it worked, so a bad file changes nothing; the marker is part of every cache key, so all pages replan.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from opscore.geo import DEFAULT_CIRCUITY
from opscore.routing.road_files import RoadSetup, attach_extract, detach_extract, save_speeds
from opscore.routing.road_speeds import RoadSpeeds
from opscore.store import Store
from opscore.workspaces import Workspace, imports_dir, roads_dir
from ui.services import roads
from ui.text import md

OUTCOME = "_roads_outcome"
"""Session key: what the last road network change did, shown once after the page is drawn again."""
MAX_EXTRACT_MB = 500
"""Largest extract taken by upload, MB (a county is 20-80 MB); bigger files go in the imports folder."""
ATTRIBUTION = "Road data © OpenStreetMap contributors, under the Open Database Licence (ODbL 1.0)."
MIRRORS = ("Download your area as an .osm.pbf file from an OpenStreetMap extract service (for example a county "
           "from download.geofabrik.de), then upload it here or copy it into the workspace's imports folder.")


def _use(ws: Workspace, store: Store, source: Path, name: str) -> None:
    try:
        with st.spinner(f"Building the road network of {md(name)}..."):
            setup = attach_extract(ws, store, source, name)
    except (ValueError, OSError) as exc:
        st.error(f"{md(exc)}. Nothing has been changed.")
        return
    _done(f"Every page now plans on the roads of **{md(name)}**: {setup.road_km:,.0f} km of road, "
          f"{setup.vertices:,} junctions, built in {setup.build_s:.1f} s.")


def _done(message: str) -> None:
    """Draw the tab again with the change made, saying ``message`` once."""
    st.session_state[OUTCOME] = message
    st.rerun()


def _add(ws: Workspace, store: Store) -> None:
    """Upload an extract or pick one from the imports folder, and build it."""
    st.caption(MIRRORS)
    upload = st.file_uploader(f"OpenStreetMap extract (.osm.pbf; over {MAX_EXTRACT_MB} MB, put it in the imports "
                              "folder and pick it below)", type=["pbf"], key="roads_upload")
    folder = imports_dir(ws)
    kept = sorted(folder.glob("*.osm.pbf")) if folder.is_dir() else []
    picked = st.selectbox(f"...or an extract in the imports folder (`imports/{ws.id}/` in the data folder)",
                          [None, *kept], format_func=lambda p: "(none)" if p is None else p.name, key="roads_pick")
    if not st.button("Use this extract", disabled=upload is None and picked is None):
        return
    if upload is not None:
        if upload.size > MAX_EXTRACT_MB * 1e6:
            st.error(f"{md(upload.name)} is {upload.size / 1e6:,.0f} MB; put files over {MAX_EXTRACT_MB} MB in the "
                     "imports folder and pick it here. Nothing has been changed.")
            return
        with tempfile.TemporaryDirectory(dir=roads_dir(ws).parent) as tmp:
            path = Path(tmp) / "upload.osm.pbf"
            path.write_bytes(upload.getbuffer())
            _use(ws, store, path, upload.name)
    elif picked is not None:
        _use(ws, store, picked, picked.name)


def _speeds(ws: Workspace, store: Store, setup: RoadSetup) -> None:
    """Edit the speed per road type and the share of a posted limit driven."""
    st.caption("Average van speed on each type of road when it has no speed limit tagged; tagged limits are driven "
               "at the share below (Project OSRM's car profile: 80 %).")
    table = st.data_editor(setup.speeds.frame(), hide_index=True, disabled=["road_type"], key="roads_speeds",
                           column_config={"road_type": "Road type", "kmh": st.column_config.NumberColumn(
                               "km/h", min_value=3, max_value=130)})
    share = st.slider("Share of the speed limit driven (%)", 50, 100, round(setup.speeds.maxspeed_share * 100), 5)
    if st.button("Save speeds"):
        try:
            save_speeds(ws, store, RoadSpeeds.from_frame(pd.DataFrame(table), share / 100))
        except ValueError as exc:
            st.error(f"{md(exc)}. The speeds were not changed.")
            return
        _done("Speeds saved; every page replans with them.")


def road_panel(ws: Workspace, store: Store, key: str) -> None:
    """The Road network tab of workspace ``ws``."""
    st.caption("With an OpenStreetMap extract of the client's area, routes, ETAs, delivery options and drivers' "
               "hours use road distances and times (fastest route, one-way streets kept) instead of straight lines "
               f"x {DEFAULT_CIRCUITY:g}, and maps are drawn on those roads with no internet.")
    if (outcome := st.session_state.pop(OUTCOME, None)) is not None:
        st.success(outcome)
    if ws.is_sample:
        st.info("The shared sample keeps straight-line estimates. Duplicate it on the Workspaces page to give a "
                "copy a road network.")
        return
    setup = roads.setup_at(key)
    if setup is None:
        st.info("No road network yet: distances are straight lines x a road factor.")
        _add(ws, store)
        return
    st.markdown(f"Roads of **{md(setup.name)}**")
    c = st.columns(3)
    c[0].metric("Road", f"{setup.road_km:,.0f} km")
    c[1].metric("Junctions", f"{setup.vertices:,}")
    circuity = roads.measured_circuity(key)
    shown = "n/a" if circuity is None or math.isnan(circuity) else f"{circuity:.2f}"
    c[2].metric("Measured circuity", shown, help="Road km per straight-line km between your customers, on these "
                f"roads; the straight-line estimate assumes {DEFAULT_CIRCUITY:g}.")
    st.caption(f"{md(setup.name)}: {setup.size_bytes / 1e6:,.1f} MB, built in {setup.build_s:.1f} s. {ATTRIBUTION}")
    with st.expander("Road speeds"):
        _speeds(ws, store, setup)
    with st.expander("Replace or remove the road network"):
        _add(ws, store)
        sure = st.checkbox("Yes, remove this road network", key="roads_remove_sure")
        if st.button("Remove the road network (back to straight lines)", disabled=not sure):
            detach_extract(ws, store)
            _done("Removed; pages use straight-line estimates again.")
