"""Fixtures for pages on partial client workspaces (see ``partial_workspaces``): each workspace is built once per
session from the sample, and a test opens a page on a private copy of one (``open_partial``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from partial_workspaces import PARTIAL, build_partial

from opscore.store import USER_TABLES, open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def partial_dbs(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every partial workspace file, built once per session (read them, do not write to them)."""
    folder = tmp_path_factory.mktemp("partial")
    return {name: build_partial(sample_db, folder / f"{name}.duckdb", name) for name in PARTIAL}


@pytest.fixture(scope="session")
def partial_empty(partial_dbs: dict[str, Path]) -> dict[str, frozenset[str]]:
    """Workspace name -> its user tables with no rows, as read back from the built file."""
    out = {}
    for name, path in partial_dbs.items():
        store = open_store(path, read_only=True)
        try:
            out[name] = frozenset(t for t in USER_TABLES if store.count(t) == 0)
        finally:
            store.close()
    return out


@pytest.fixture
def open_partial(data_dir: Path, partial_dbs: dict[str, Path]) -> Callable[..., object]:
    """Open a page headless (AppTest) on a private copy of a partial workspace, selected as a client would.

    Usage: ``at = open_partial("no-stock", "views/home.py")``; the page has run once (exceptions are the
    caller's to check).
    """
    from streamlit.testing.v1 import AppTest

    def _open(name: str, page: str = "views/home.py") -> AppTest:
        folder = data_dir / "workspaces"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(partial_dbs[name], folder / f"{name}.duckdb")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.session_state["workspace"] = name
        at.run()
        if page != "views/home.py":
            at.switch_page(page)
            at.run()
        return at

    return _open
