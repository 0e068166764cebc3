"""Maps on pages: where the app serves Leaflet, and a folium map drawn the way every page draws one."""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

LEAFLET_JS = Path(__file__).resolve().parents[1] / "static" / "leaflet" / "leaflet.js"
"""Leaflet as the app serves it from its static folder (`scripts/vendor_leaflet.py`, run by `make install`)."""


def leaflet_url() -> str | None:
    """Where the app serves Leaflet (static folder), or None to inline it into the map."""
    if st.get_option("server.enableStaticServing") and LEAFLET_JS.exists():
        base = str(st.get_option("server.baseUrlPath") or "").strip("/")
        return f"/{base}/app/static/leaflet" if base else "/app/static/leaflet"
    return None


def show_map(m: folium.Map, key: str, height: int) -> None:
    """Draw ``m`` the page's full width, ``height`` pixels high; it sends nothing back to the page."""
    st_folium(m, key=key, height=height, use_container_width=True, returned_objects=[])
