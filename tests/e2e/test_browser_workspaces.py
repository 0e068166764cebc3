"""In headless Chromium against a fresh `streamlit run`: a workspace's whole life (create, switch, reload, delete)
with no error, and a what-if move on the Inventory page timed from input to updated number."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from opscore.workspaces import list_workspaces, workspace

from .conftest import choose_option, private_data, running_app

pytestmark = pytest.mark.browser
ERRORS = "[data-testid=stException], [data-testid=stAlertContentError]"


def _sidebar_says(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("[data-testid=stSidebar] [data-testid=stCaptionContainer]").filter(
        has_text=re.compile(rf"^{re.escape(name)} · data as of")).wait_for()


def test_create_switch_reload_delete_round_trip(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = private_data(sample_db, tmp_path)
    with running_app(data) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/workspaces")  # a sub-page is this fresh server's first request
        page.get_by_role("heading", name="Workspaces").wait_for()
        page.get_by_label("Name", exact=True).fill("acme")
        page.get_by_role("button", name="Create an empty workspace").click()
        page.get_by_text("Created acme with data as of").wait_for()
        _sidebar_says(page, "acme")
        acme = workspace("acme", data)
        page.wait_for_url(re.compile(rf"workspace={acme.id}"))

        page.locator("[data-testid=stSidebarNav]").get_by_text("Inventory simulator").click()
        page.get_by_text("which this workspace does not have yet").wait_for()
        page.reload()  # the URL keeps the workspace: a reload stays in it, not in the sample
        page.get_by_text("which this workspace does not have yet").wait_for()
        _sidebar_says(page, "acme")
        assert "/inventory" in page.url and f"workspace={acme.id}" in page.url

        choose_option(page, page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]"), "sample")
        _sidebar_says(page, "sample")
        page.get_by_role("heading", name="Inventory simulator").wait_for()
        page.locator("[data-testid=stMetric]").first.wait_for()

        page.goto(f"{url}/workspaces?workspace=sample")  # as a link to the page would
        page.get_by_role("tab", name="Delete").click()
        confirm = page.locator("[data-testid=stTextInput]").filter(has_text="to confirm").locator("input")
        confirm.fill("acme")
        confirm.press("Enter")
        page.get_by_role("button", name="Delete workspace").click()
        page.get_by_text("Deleted acme.").wait_for()
        _sidebar_says(page, "sample")
        assert [w.name for w in list_workspaces(data)] == ["sample"]
        assert page.locator(ERRORS).count() == 0
        page.screenshot(path=str(tmp_path / "workspaces.png"))
        page.close()


def test_an_inventory_what_if_updates_its_number(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Changing the order cost changes the six-month cost shown. Prints the time from the keypress to the new
    number (target <= 1 s; measured, not asserted: see bench/pages.py for server time). Opening the what-if tab
    then draws its comparison."""
    with running_app(private_data(sample_db, tmp_path)) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        page.goto(f"{url}/inventory")
        cost = page.locator("[data-testid=stMetric]").filter(has_text="Cost over six months").locator(
            "[data-testid=stMetricValue]")
        cost.wait_for()
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        timings = []
        for value in ("40", "25"):
            before = cost.inner_text()
            box = page.get_by_label("Cost of placing an order line (£)")
            box.fill(value)
            start = time.perf_counter()
            box.press("Enter")
            page.wait_for_function("([el, old]) => el.innerText !== old", arg=[cost.element_handle(), before],
                                   polling=20)
            timings.append(time.perf_counter() - start)
            page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        print(f"inventory what-if, keypress to new number: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
        page.get_by_role("tab", name="What if...").click()  # a tab that runs only when opened: the page reruns
        page.get_by_text("Stock on the shelf over time for").wait_for()
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        assert page.locator("[data-testid=stMetric]").filter(has_text="Cost, six months").count() == 2
        assert page.locator(ERRORS).count() == 0
        page.screenshot(path=str(tmp_path / "inventory.png"))
        page.close()
