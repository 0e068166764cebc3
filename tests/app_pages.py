"""Open a page of the app headless (AppTest) on a named workspace, and read its captions as plain text."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_app(workspace: str | None, page: str = "views/home.py", timeout: float = 120) -> AppTest:
    """The app run once on ``workspace`` (its id or name; None = the sample), switched to ``page`` and run; it has
    raised no exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if workspace is not None:
        at.session_state["workspace"] = workspace
    at.run()
    if page != "views/home.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain_captions(at: AppTest) -> list[str]:
    """The page's captions without Markdown escapes (backslashes and the word joiners put into file names)."""
    return [c.value.replace("\\", "").replace("\u2060", "") for c in at.caption]
