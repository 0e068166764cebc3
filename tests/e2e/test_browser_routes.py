"""End to end in headless Chromium with the internet cut off: the Route map page draws Leaflet, route lines
and numbered stops, loading Leaflet from this machine only."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import LOCAL, offline_page, outside_hosts

pytestmark = pytest.mark.browser


def test_route_map_renders_offline_with_route_lines(browser, app_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every request to another host is aborted (as with no internet): the map still shows the Leaflet
    container, one line per van and numbered stops; Leaflet's JS/CSS came from 127.0.0.1 or were inlined."""
    with offline_page(browser) as (page, requested):
        page.goto(f"{app_url}/routes")
        page.get_by_role("heading", name="Route map").wait_for()
        frame = page.frame_locator("iframe[title*='streamlit_folium']")
        frame.locator(".leaflet-container").wait_for()
        frame.locator("path.leaflet-interactive").first.wait_for()
        lines = frame.locator("path.leaflet-interactive").count()
        badges = frame.locator(".leaflet-marker-icon").count()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "routes.png"))
    assert lines >= 2 and badges >= 10
    leaflet = [u for u in requested if u.split("?")[0].endswith(("leaflet.js", "leaflet.css"))]
    assert all(urlparse(u).hostname in LOCAL for u in leaflet)
    assert outside_hosts(requested) == set()  # street tiles are opt-in
