"""Browser end-to-end fixtures: a real `streamlit run` on 127.0.0.1 and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/lib/chromium/chromium"
LINK_SECRET = "e2e-link-secret-0123456789"
"""Signs customer tracking links in the browser tests' app (OPSCORE_LINK_SECRET)."""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


LOCAL = ("127.0.0.1", "localhost")


@contextmanager
def offline_page(browser, timeout_ms: int = 60_000) -> Iterator[tuple[Any, list[str]]]:  # type: ignore[no-untyped-def]
    """A page in a fresh 1400 x 1100 browser context where every request to another host is aborted (as with no
    internet), and the list of every URL it requested."""
    requested: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in LOCAL
                  or route.request.url.startswith(("data:", "blob:")) else route.abort("internetdisconnected"))
    try:
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.set_default_timeout(timeout_ms)
        yield page, requested
    finally:
        context.close()


def outside_hosts(requested: list[str]) -> set[str]:
    """Hosts other than this machine that ``requested`` URLs went to."""
    return {str(urlparse(u).hostname) for u in requested if urlparse(u).scheme in ("http", "https")} - set(LOCAL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(data: Path, *args: str, **env_extra: str) -> Iterator[str]:
    """`streamlit run app.py` on a free 127.0.0.1 port over the workspaces in ``data``; yields its URL."""
    port = _free_port()
    env = {**os.environ, "OPSCORE_DATA_DIR": str(data), "OPSCORE_LINK_SECRET": LINK_SECRET, **env_extra}
    with open(data / f"streamlit-{port}.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def private_data(sample_db: Path, folder: Path) -> Path:
    """A data folder holding a private copy of the sample workspace."""
    shutil.copyfile(sample_db, folder / "workbench.duckdb")
    return folder


def choose_option(page, selectbox, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``option`` in a Streamlit selectbox. The page may still be finishing a run when the box is first
    clicked, and a rerun closes an open dropdown, so wait until the app is idle and reopen it if needed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    item = page.get_by_role("option", name=option)
    for _ in range(5):
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
        selectbox.click()
        try:
            item.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    item.click()


@pytest.fixture(scope="session")
def app_url(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a private copy of the sample, shared by the browser tests of a session (its first request may be
    any page: tests/e2e/test_browser_access.py starts a fresh server per page to prove it)."""
    with running_app(private_data(sample_db, tmp_path_factory.mktemp("e2e-data"))) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    """A fresh browser page that records every URL it requests (to prove nothing leaves the machine)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.requested = []  # type: ignore[attr-defined]
    p.on("request", lambda r: p.requested.append(r.url))  # type: ignore[attr-defined]
    p.set_default_timeout(30_000)
    yield p
    context.close()
