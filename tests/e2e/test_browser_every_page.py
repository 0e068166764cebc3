"""Every page opened fresh in headless Chromium by its URL: it renders a title, shows no error, and loads
nothing from outside this machine."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = sorted(set(re.findall(r'url_path="([a-z-]+)"', (ROOT / "app.py").read_text())) - {"home", "your-delivery"})
"""The default page (home) lives at the root URL, tested as ''."""
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url_path", ["", *URL_PATHS])
def test_page_opens_by_its_url(page, app_url: str, url_path: str) -> None:  # type: ignore[no-untyped-def]
    """A bookmark or shared link to any page works on a fresh visit."""
    page.goto(f"{app_url}/{url_path}")
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    body = page.inner_text("body")
    for bad in ("Page not found", "could not be shown", "Traceback", "Error:"):
        assert bad not in body, f"{url_path}: {bad}"
    outside = [u for u in page.requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")
               and not u.startswith(("data:", "blob:", "about:"))]
    assert outside == [] or all("tile" in u or "openstreetmap" in u for u in outside), outside


TITLES = [t for t in re.findall(r'st\.Page\("views/[a-z_]+\.py", title="([^"]+)"', (ROOT / "app.py").read_text())
          if t != "Your delivery"]


def test_every_page_is_listed_in_the_sidebar_without_view_more(page, app_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """All pages are in the sidebar at once at 1,400 px: no "View more" to click, every title visible."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app_url)
    nav = page.locator("[data-testid=stSidebarNav]")
    nav.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "sidebar.png"))
    assert "View more" not in nav.inner_text() and "View less" not in nav.inner_text()
    for title in TITLES:
        assert nav.get_by_role("link", name=title, exact=True).is_visible(), title
