"""End to end in headless Chromium with the internet cut off: the Route map page draws Leaflet, route lines
and numbered stops, loading Leaflet from this machine only."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/lib/chromium/chromium"
LOCAL = ("127.0.0.1", "localhost")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def routes_app(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free local port with a private copy of the sample workspace."""
    data = tmp_path_factory.mktemp("routes-e2e")
    shutil.copyfile(sample_db, data / "workbench.duckdb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(data / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address",
                             "127.0.0.1", "--server.port", str(port), "--server.headless", "true"],
                            cwd=ROOT, env={**os.environ, "OPSCORE_DATA_DIR": str(data)}, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        raise RuntimeError(f"streamlit did not start; see {data / 'streamlit.log'}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_route_map_renders_offline_with_route_lines(routes_app: str, tmp_path: Path) -> None:
    """Every request to another host is aborted (as with no internet): the map still shows the Leaflet
    container, one line per van and numbered stops; Leaflet's JS/CSS came from 127.0.0.1 or were inlined."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in LOCAL
                      or route.request.url.startswith("data:") else route.abort("internetdisconnected"))
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.set_default_timeout(60_000)
        page.goto(f"{routes_app}/routes")
        page.get_by_role("heading", name="Route map").wait_for()
        frame = page.frame_locator("iframe[title*='streamlit_folium']")
        frame.locator(".leaflet-container").wait_for()
        frame.locator("path.leaflet-interactive").first.wait_for()
        lines = frame.locator("path.leaflet-interactive").count()
        badges = frame.locator(".leaflet-marker-icon").count()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "routes.png"))
        browser.close()
    assert lines >= 2 and badges >= 10
    leaflet = [u for u in requested if u.split("?")[0].endswith(("leaflet.js", "leaflet.css"))]
    assert all(urlparse(u).hostname in LOCAL for u in leaflet)
    outside = {urlparse(u).hostname for u in requested if urlparse(u).scheme in ("http", "https")} - set(LOCAL)
    assert outside <= {"tile.openstreetmap.org"}, outside
