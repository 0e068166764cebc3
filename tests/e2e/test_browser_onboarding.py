"""Issue 16 in headless Chromium: a whole onboarding through the browser. Create the workspace "northfield", upload
the client's files through the Data page's file input (tests/onboarding_files.py), then home shows the client's
stock value. Screenshots of the key steps go to the test's tmp_path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import onboarding_files as nf
import pytest
from playwright.sync_api import expect

from .conftest import choose_option, private_data, running_app

pytestmark = pytest.mark.browser
IMPORTS = {"sites": (2, 6, 2), "suppliers": (3, 9, 3), "products": (9, 15, 9), "bins": (8, 7, 8),
           "sales": (nf.EXPORT_LINES, 79, nf.EXPORT_ROWS), "inventory": (13, 10, 11)}
"""Table -> (rows and columns its file shows, rows it must import), in the order the references need (products
need suppliers, bins need sites, stock needs bins and products)."""


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app has finished its run."""
    page.wait_for_timeout(300)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")


def _nav(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page from the sidebar, in the same session (a new URL would start a new one)."""
    _idle(page)
    nav = page.locator("[data-testid=stSidebarNav]")
    more = nav.get_by_text("View ", exact=False).filter(has_text="more")
    if more.count():  # the navigation shows its first sections only until expanded
        more.first.click()
    nav.get_by_role("link", name=label, exact=True).click()
    _idle(page)


def test_onboard_a_client_in_the_browser(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """New workspace -> sites, suppliers, products, bins, the Shopify export, the stock count -> home's stock value."""
    files = nf.write_files(tmp_path / "client")
    shots = tmp_path / "shots"
    shots.mkdir()
    with running_app(private_data(sample_db, tmp_path)) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        try:
            _onboard(page, url, files, shots)
        except Exception:
            page.screenshot(path=str(shots / "failed.png"), full_page=True)
            raise
        outside = [u for u in requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")
                   and not u.startswith(("data:", "blob:", "about:"))]
        assert outside == []
        context.close()


def _onboard(page, url: str, files: dict[str, Path], shots: Path) -> None:  # type: ignore[no-untyped-def]
    """Create the workspace, import every file on the Data page, check home (screenshots in ``shots``)."""
    page.goto(f"{url}/workspaces")
    page.get_by_role("heading", name="Workspaces").wait_for()
    page.get_by_label("Name", exact=True).fill(nf.WORKSPACE)
    page.get_by_role("spinbutton", name="day, Data as of").click()  # a date field: day, month, year segments
    page.keyboard.type(f"{nf.AS_OF:%d%m%Y}")
    expect(page.get_by_role("spinbutton", name="year, Data as of")).to_have_attribute("aria-valuenow", "2026")
    expect(page.get_by_role("spinbutton", name="month, Data as of")).to_have_attribute("aria-valuenow", "10")
    expect(page.get_by_role("spinbutton", name="day, Data as of")).to_have_attribute("aria-valuenow", "31")
    page.keyboard.press("Escape")  # close the calendar the click opened
    page.locator("#stFloatingOverlayPortal [role=dialog]").wait_for(state="hidden")
    page.get_by_role("button", name="Create an empty workspace").click()
    page.get_by_text(f"Created {nf.WORKSPACE} with data as of 31 Oct 2026").wait_for()
    _idle(page)
    page.screenshot(path=str(shots / "1-workspace-created.png"))
    # The sidebar and the workspace list above the form were drawn before the click: they show the new
    # workspace from the next run on (see the report of issue 16).
    _nav(page, "Data")  # the next run after creating a workspace once crashed the app (a popped widget key)
    page.get_by_role("heading", name="Data").wait_for()
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_text(f"{nf.WORKSPACE} · data as of 31 Oct 2026")).to_be_visible()
    expect(page.get_by_text(f"Workspace {nf.WORKSPACE}, data as of 31 Oct 2026")).to_be_visible()
    for table, (lines, columns, rows) in IMPORTS.items():
        choose_option(page, page.locator("[data-testid=stSelectbox]").filter(has_text="Table to fill"), table)
        _idle(page)
        page.locator("input[type=file]").first.set_input_files(str(files[table]))
        page.get_by_text(f"{lines:,} rows, {columns} columns. First rows:").wait_for()  # the file name holds \u2060s
        if table == "sales":
            page.get_by_text(f"{nf.EXPORT_LINES:,} order lines became "
                             f"{nf.EXPORT_ROWS} daily sales rows").first.wait_for()
            _idle(page)
            page.screenshot(path=str(shots / "2-shopify-added-up.png"), full_page=True)
        else:
            page.get_by_text("Match the columns").first.wait_for()  # a rerun may briefly draw it twice
        _idle(page)
        page.get_by_role("button", name="Check and import").click()
        _idle(page)
        confirm = page.get_by_role("button", name="Yes, import")
        if confirm.count():
            confirm.click()
        # in the success box (a toast repeats it for a user scrolled down the page)
        page.get_by_test_id("stAlertContentSuccess").get_by_text(f"Imported {rows} rows into {table}").wait_for()
        _idle(page)
        assert page.get_by_text("Nothing was imported").count() == 0
    page.get_by_text("is a totals line and was left out").wait_for()
    notices = [t.replace("\u2060", "") for t in page.locator("[data-testid=stAlert]").all_inner_texts()]
    assert f"inventory: 1 blank row skipped (row {nf.BLANK_ROW})" in notices, notices
    assert f"inventory: row {nf.TOTAL_ROW} ('Total') is a totals line and was left out" in notices, notices
    page.screenshot(path=str(shots / "3-stock-imported.png"), full_page=True)

    _nav(page, "Stock and today")
    page.get_by_role("heading", name="Stock and today").wait_for()
    value = page.locator("[data-testid=stMetric]").filter(has_text="Stock value").locator(
        "[data-testid=stMetricValue]")
    expect(value).to_have_text(nf.STOCK_VALUE_SHOWN)
    expiry = page.locator("[data-testid=stMetric]").filter(has_text="Expired / expiring").locator(
        "[data-testid=stMetricValue]")
    expect(expiry).to_have_text(f"{nf.EXPIRED_UNITS} / {nf.EXPIRING_UNITS}")
    page.locator(".js-plotly-plot").first.wait_for()
    _idle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(shots / "4-home.png"), full_page=True)
    assert page.get_by_text("Sorry, this page could not be shown").count() == 0
