"""End to end in headless Chromium: a freshly started server whose first request is the Forecast page makes the
demand plan, and the page then shows the plan's numbers and the out-of-stock days it left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import offline_page, private_data, running_app

pytestmark = pytest.mark.browser


def test_making_the_demand_plan_in_a_browser(browser, sample_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """'Make the demand plan' runs with its progress bar, says what it made, and the forecast above it then comes
    from the plan; the out-of-stock days per product are listed; nothing leaves 127.0.0.1."""
    data = tmp_path / "data"
    data.mkdir()
    with running_app(private_data(sample_db, data)) as url, offline_page(browser) as (page, requested):
        page.goto(f"{url}/forecast")
        page.get_by_role("heading", name="Forecast explorer").wait_for()
        page.get_by_text("This forecast is of this selection alone").wait_for()
        page.get_by_role("button", name="Make the demand plan (weekly, 12 weeks ahead)").click()
        page.get_by_text("Made demand plan").wait_for(timeout=240_000)
        page.get_by_text("the categories and the total add up to their products").wait_for()
        page.get_by_text("They are left out of fitting and scoring").wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "demand_plan.png"), full_page=True)
        assert page.get_by_text("Traceback").count() == 0
    assert not [u for u in requested if not u.startswith(url)]
