"""End to end in headless Chromium with the internet cut off, on the Monaco workspace with its OpenStreetMap extract:
the Route map draws the roads as its background (drawn by the app, no tile server), route lines on top, and the
OpenStreetMap attribution; no request leaves 127.0.0.1.

Roads: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from monaco import MONACO_PBF, build_monaco_workspace

from opscore.routing.road_files import attach_extract
from opscore.store import share_store

from .conftest import offline_page, outside_hosts, private_data, running_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def monaco_app(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app over a data folder holding the sample and the Monaco workspace with its road network: (URL, id)."""
    data = private_data(sample_db, tmp_path_factory.mktemp("e2e-monaco"))
    ws = build_monaco_workspace(data)
    attach_extract(ws, share_store(ws.path), MONACO_PBF, MONACO_PBF.name)
    with running_app(data) as url:
        yield url, ws.id


def test_route_map_draws_monaco_roads_offline(browser, monaco_app: tuple[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every request to another host is aborted: the map still shows road lines of several classes under the route
    lines and numbered stops, the attribution '© OpenStreetMap contributors (ODbL)', and nothing was requested from
    any host but 127.0.0.1 (no tiles: they are opt-in)."""
    url, ws_id = monaco_app
    with offline_page(browser, 90_000) as (page, requested):
        page.goto(f"{url}/routes?workspace={ws_id}")
        page.get_by_role("heading", name="Route map").wait_for()
        page.get_by_text("Map background: roads of monaco").wait_for()
        frame = page.frame_locator("iframe[title*='streamlit_folium']")
        frame.locator(".leaflet-container").wait_for()
        frame.locator("path.opscore-roads").first.wait_for()
        road_classes = {c for c in (frame.locator("path.opscore-roads").evaluate_all(
            "paths => paths.map(p => p.getAttribute('class'))")) for c in c.split() if c.startswith("opscore-roads-")}
        routes = frame.locator("path.leaflet-interactive").count()
        badges = frame.locator(".leaflet-marker-icon").count()
        attribution = frame.locator(".leaflet-control-attribution").inner_text()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "monaco-routes.png"))
    assert {"opscore-roads-primary", "opscore-roads-residential"} <= road_classes, road_classes
    assert routes >= 1 and badges >= 25
    assert "© OpenStreetMap contributors (ODbL)" in attribution
    assert outside_hosts(requested) == set()
