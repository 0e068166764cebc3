"""In headless Chromium against a freshly started server whose FIRST request is the page under test: nothing of a
workspace shows before the password or the sign-in, guessing is slowed, and customer links open (and expire)
without Streamlit's "Page not found" dialog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from opscore.scenarios import save_scenario
from opscore.store import open_store
from opscore.tracking import link_token

from .conftest import LINK_SECRET, private_data, running_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "leeds-2026"
URL_PATHS = ["", *sorted(set(re.findall(r'url_path="([a-z-]+)"', (ROOT / "app.py").read_text()))
                         - {"home", "your-delivery"}), "scenario-link"]
"""Every page by its URL (home is the root), and a shared scenario link."""
WORKSPACE_WORDS = ("Import a file", "Export tables", "Delete", "Workspace", "Aire Valley", "Stock value", "Scenarios")
"""Text that any page, the sidebar or the navigation would show."""
pytestmark = pytest.mark.browser


@pytest.fixture
def data(sample_db: Path, tmp_path: Path) -> Iterator[Path]:
    """A private data folder with a saved inventory scenario (for the scenario link)."""
    folder = private_data(sample_db, tmp_path)
    store = open_store(folder / "workbench.duckdb")
    try:
        save_scenario(store, "Leaner stock", "inventory", {"seed": 1}, {"cost_gbp": 100.0})
    finally:
        store.close()
    yield folder


def _target(data: Path, url_path: str) -> str:
    if url_path != "scenario-link":
        return url_path
    store = open_store(data / "workbench.duckdb", read_only=True)
    try:
        scenario_id = str(store.table("scenarios")["scenario_id"].iloc[0])
    finally:
        store.close()
    return f"inventory?workspace=sample&scenario={scenario_id}"


def _shows_nothing_of_a_workspace(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(1000)  # give a page that should not run the time to draw
    headings = page.locator("h1, h2, h3").all_inner_texts()
    body = page.inner_text("body")
    assert [h.strip() for h in headings] == ["OpsCore Workbench"], headings
    assert page.locator("[data-testid=stSidebar]").count() == 0
    assert not [w for w in WORKSPACE_WORDS if w in body], body
    assert "Page not found" not in body


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_password_gate_holds_when_a_sub_page_is_the_servers_first_request(browser, data: Path, url_path: str,
                                                                          tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With OPSCORE_PASSWORD set, a fresh server's first visitor to any page or scenario link sees only the password
    form; the right password then opens the page asked for."""
    target = _target(data, url_path)
    with running_app(data, OPSCORE_PASSWORD=PASSWORD) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/{target}")
        page.get_by_label("Workshop password").wait_for()
        _shows_nothing_of_a_workspace(page)
        page.screenshot(path=str(tmp_path / "gate.png"))
        page.get_by_label("Workshop password").fill(PASSWORD)
        page.get_by_role("button", name="Open").click()
        page.locator("[data-testid=stSidebar]").wait_for()
        page.get_by_label("Workshop password").wait_for(state="detached")
        page.locator("h1").first.wait_for()
        assert "OpsCore Workbench" not in page.locator("h1").all_inner_texts()
        assert page.url.split("?")[0].rstrip("/") == f"{url}/{target.split('?')[0]}".rstrip("/")
        if url_path == "scenario-link":
            page.get_by_text("Showing the saved scenario").wait_for()
        page.close()


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_single_sign_on_gate_holds_when_a_sub_page_is_the_servers_first_request(browser, data: Path, url_path: str,
                                                                                tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With an [auth] (OpenID Connect) section configured, a fresh server's first visitor to any page sees only the
    sign-in button (the identity provider is never reached: no test depends on the internet)."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://127.0.0.1:9/oauth2callback"\n'
                       'cookie_secret = "a-test-cookie-secret-0123456789"\nclient_id = "opscore"\n'
                       'client_secret = "not-a-real-secret"\n'
                       'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n')
    with running_app(data, "--secrets.files", str(secrets)) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/{_target(data, url_path)}")
        page.get_by_role("button", name="Sign in").wait_for()
        _shows_nothing_of_a_workspace(page)
        page.close()


def test_guessing_is_slowed_and_logged(browser, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The third wrong password in a row brings a wait (that even the right password waits out is proven with a
    fixed clock in tests/app/test_access_guard.py, not with wall-clock timing here); after it the right password
    opens the page. The server log names each miss with its count and wait."""
    with running_app(data, OPSCORE_PASSWORD=PASSWORD) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/data")
        box, button = page.get_by_label("Workshop password"), page.get_by_role("button", name="Open")
        for n in range(3):
            box.fill(f"guess-{n}")
            button.click()
            page.get_by_text("That password is not right").wait_for()
            page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        page.get_by_text("Too many wrong passwords from this address: wait 1 s before trying again").wait_for()
        page.screenshot(path=str(tmp_path / "wait.png"))
        _shows_nothing_of_a_workspace(page)
        page.wait_for_timeout(1500)  # longer than the wait: never a race
        box.fill(PASSWORD)
        button.click()
        page.get_by_role("heading", name="Data").wait_for()
        page.close()
    log = next(data.glob("streamlit-*.log")).read_text()
    assert [f"from this machine: {n} in a row; next try in {w} s" in log for n, w in ((1, 0), (2, 0), (3, 1))] == \
        [True, True, True]


def _todays_order(data: Path) -> str:
    store = open_store(data / "workbench.duckdb", read_only=True)
    try:
        d = store.table("deliveries")
        return str(d[d["planned_date"].dt.date == store.as_of()]["order_id"].iloc[0])
    finally:
        store.close()


@pytest.mark.parametrize("expires_in_days", [7, -1])
def test_customer_link_as_the_servers_first_request(browser, data: Path, tmp_path: Path,
                                                   expires_in_days: int) -> None:  # type: ignore[no-untyped-def]
    """A fresh server opens a customer's signed link (even with a workshop password set) without the "Page not found"
    dialog; once the link's day has passed it shows when it expired and nothing of the order."""
    order = _todays_order(data)
    expires = date.today() + timedelta(days=expires_in_days)
    token = link_token(LINK_SECRET.encode(), "sample", order, expires)
    with running_app(data, OPSCORE_PASSWORD=PASSWORD) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/tracking?workspace=sample&order={order}&expires={expires.isoformat()}&token={token}")
        page.get_by_role("heading", name="Your delivery").wait_for()
        if expires_in_days >= 0:
            page.get_by_text(f"Your order {order}").wait_for()
            page.locator("iframe").first.wait_for()
        else:
            page.get_by_text(f"This tracking link expired on {expires:%A %d %B %Y}").wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(tmp_path / "link.png"))
        body = page.inner_text("body")
        assert "Page not found" not in body and "Workshop password" not in body
        assert page.locator("[data-testid=stSidebar]").count() == 0
        if expires_in_days < 0:
            assert order not in body and page.locator("iframe").count() == 0
        page.close()
