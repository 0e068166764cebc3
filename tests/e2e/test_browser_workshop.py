"""End to end in headless Chromium: the workshop password gate and the offline HTML report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from opscore.emission_factors import default_factors
from opscore.scenarios import assumptions_table, report_html, save_scenario
from opscore.store import open_store

from .conftest import choose_option, private_data, running_app

pytestmark = pytest.mark.browser


def test_wrong_password_keeps_the_workspace_hidden(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A workbench served with a shared password shows nothing until the right one is typed."""
    with running_app(private_data(sample_db, tmp_path), OPSCORE_PASSWORD="leeds-2026") as url:
        page = browser.new_page()
        page.goto(url)
        page.get_by_label("Workshop password").fill("guess")
        page.get_by_role("button", name="Open").click()
        page.get_by_text("That password is not right").wait_for()
        assert page.get_by_text("Stock value").count() == 0
        page.get_by_label("Workshop password").fill("leeds-2026")
        page.get_by_role("button", name="Open").click()
        page.get_by_text("Stock value").first.wait_for()
        page.close()


def test_html_report_renders_its_figures_with_the_network_blocked(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The exported report opens from a file with every network request refused, and its chart draws."""
    store = open_store(private_data(sample_db, tmp_path) / "workbench.duckdb")
    a = save_scenario(store, "Today", "inventory", {"seed": 1}, {"cost_gbp": 100.0, "co2e_kg": 5.0})
    b = save_scenario(store, "Two EVs", "sustainability", {"seed": 1}, {"cost_gbp": 90.0, "co2e_kg": 3.0})
    store.close()
    report = tmp_path / "report.html"
    report.write_text(report_html("acme", date(2026, 11, 2), [a, b], assumptions=assumptions_table(default_factors())))
    context = browser.new_context()
    blocked: list[str] = []
    context.route("http*://**", lambda route: (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(report.as_uri())
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert page.locator(".js-plotly-plot .bars path").count() >= 4
    assert blocked == []
    context.close()


def test_save_a_what_if_then_compare_it_on_the_scenarios_page(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """Save two what-ifs from the Sustainability page, then see both in the Scenarios log and comparison."""
    page.goto(f"{app_url}/sustainability")
    page.get_by_role("heading", name="Greener what-ifs").wait_for(timeout=60_000)
    page.get_by_text("Save this what-if as a scenario").click()
    for name in ("One EV van", "Still one EV van"):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_role("button", name="Save scenario").click()
        page.get_by_text(f"Saved {name}").wait_for()
    page.goto(f"{app_url}/scenarios")
    page.get_by_role("heading", name="Scenarios").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    grid = page.locator("td[role=gridcell]")
    grid.filter(has_text="One EV van").first.wait_for(state="attached")
    grid.filter(has_text="Still one EV van").first.wait_for(state="attached")
    assert page.get_by_text("No scenarios yet").count() == 0


def test_switching_workspace_in_the_sidebar(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Picking another workspace in the sidebar shows that client's (empty) data and keeps the switcher."""
    from opscore.workspaces import create_workspace

    data = private_data(sample_db, tmp_path)
    create_workspace("acme", data)
    with running_app(data) as url:
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("SKUs at risk").first.wait_for()
        choose_option(page, page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]"), "acme")
        page.get_by_text("This workspace has no products yet").wait_for()
        page.locator("[data-testid=stSidebar]").get_by_text("acme").first.wait_for()
        expect(page.get_by_text("SKUs at risk")).to_have_count(0)  # the sample's figures go once the run ends
        page.close()
