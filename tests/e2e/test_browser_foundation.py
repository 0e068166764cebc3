"""End to end in headless Chromium: the home page and the Data page work in a real browser, offline."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _only_local(requested: list[str]) -> list[str]:
    return [u for u in requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")
            and not u.startswith(("data:", "blob:", "about:"))]


def test_home_page_shows_stock_figures(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """The home page renders its KPIs and charts, loading nothing from outside the machine."""
    page.goto(app_url)
    page.get_by_role("heading", name="Stock and today").wait_for()
    page.get_by_text("SKUs at risk").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    page.wait_for_timeout(800)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-home.png"), full_page=False)
    assert not page.get_by_text("Traceback").count()
    assert _only_local(page.requested) == []


def test_data_page_refuses_a_bad_file_with_row_level_reasons(page, app_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On the shared sample the page first offers a copy; in the copy, uploading a sales file with a negative
    quantity shows the row and column, and imports nothing."""
    bad = tmp_path / "sales.csv"
    bad.write_text("date,sku,quantity,price,promotion\n2026-10-01,DAI-001,-3,2.5,no\n")
    page.goto(f"{app_url}/data")
    page.get_by_role("heading", name="Data").wait_for()
    page.get_by_role("textbox", name="Name of your copy").fill("foundation-copy")
    page.get_by_role("button", name="Duplicate the sample").click()
    page.get_by_text("opened the copy").wait_for()
    page.locator("input[type=file]").first.set_input_files(str(bad))
    page.get_by_text("Match the columns").wait_for()
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Nothing was imported").wait_for()
    # the problem table is a canvas grid: its cells exist for screen readers but are not "visible"
    page.locator("td[role=gridcell]", has_text="is negative").first.wait_for(state="attached")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-data.png"), full_page=False)
    assert _only_local(page.requested) == []
