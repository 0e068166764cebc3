"""Shared fixtures: the sample workspace built once per test session, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from app_pages import open_app
from client_workspace import CLIENT, add_client
from monaco import MONACO_PBF, build_monaco_workspace

from opscore.routing.road_files import attach_extract
from opscore.sample import build_sample_workspace
from opscore.store import Store, open_store, share_store
from opscore.workspaces import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample workspace file built from data/sample/ (read it, do not write to it)."""
    path = tmp_path_factory.mktemp("sample") / "workbench.duckdb"
    return build_sample_workspace(path, ROOT / "data" / "sample")


@pytest.fixture
def sample_store(sample_db: Path, tmp_path: Path) -> Store:
    """A private, writable copy of the sample workspace."""
    path = tmp_path / "workbench.duckdb"
    shutil.copyfile(sample_db, path)
    store = open_store(path)
    yield store
    store.close()


@pytest.fixture
def data_dir(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder holding a copy of the sample workspace; the app reads it via OPSCORE_DATA_DIR."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copyfile(sample_db, root / "workbench.duckdb")
    monkeypatch.setenv("OPSCORE_DATA_DIR", str(root))
    return root


@pytest.fixture(scope="session")
def monaco_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Monaco test business (tests/monaco.py) as a workspace file, built once (read it, do not write to it)."""
    return build_monaco_workspace(tmp_path_factory.mktemp("monaco")).path


@pytest.fixture
def client_dir(data_dir: Path) -> Path:
    """``data_dir`` with a workspace ``client``, a copy of the sample."""
    add_client(data_dir)
    return data_dir


def _page_opener(workspace: str | None):
    def _open(page: str = "views/home.py"):
        at = open_app(workspace, page, timeout=90)
        assert not at.error, [e.value for e in at.error]
        return at

    return _open


@pytest.fixture
def open_page(data_dir: Path):
    """Open a page of the app headless (AppTest) on a private copy of the sample workspace.

    Usage: ``at = open_page("views/routes.py")``; the page has run once, without exception.
    """
    return _page_opener(None)


@pytest.fixture
def open_client_page(client_dir: Path):
    """Like ``open_page``, on the workspace ``client`` (a copy of the sample, open to imports)."""
    return _page_opener(CLIENT)


@pytest.fixture
def monaco_roads(data_dir: Path) -> Workspace:
    """The Monaco test business (tests/monaco.py) as workspace ``monaco`` in ``data_dir``, with the road network of
    tests/data/osm/monaco.osm.pbf (OpenStreetMap, ODbL) attached as the Data page attaches one."""
    ws = build_monaco_workspace(data_dir)
    attach_extract(ws, share_store(ws.path), MONACO_PBF, MONACO_PBF.name)
    return ws


@pytest.fixture
def open_monaco_page(monaco_roads: Workspace):
    """Like ``open_page``, on the Monaco workspace with its road network."""
    return _page_opener("monaco")


PAGE_FIXTURES = {"open_page", "open_client_page", "open_monaco_page"}


def _layer(item: pytest.Item) -> str:
    """The test layer of ``item``: notebook, browser, page (AppTest or the app's own modules) or unit."""
    path = Path(str(item.path))
    if path.suffix == ".ipynb":
        return "notebook"
    parts = path.relative_to(ROOT).parts
    if parts[:2] == ("tests", "e2e"):
        return "browser"
    source = path.read_text(errors="ignore") if path.suffix == ".py" else ""
    if parts[:2] == ("tests", "app") or PAGE_FIXTURES & set(getattr(item, "fixturenames", ())) \
            or "AppTest" in source or "from ui" in source or "from views" in source:
        return "page"
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its layer, so `pytest -m unit` (or page, browser, notebook) runs one layer."""
    for item in items:
        item.add_marker(getattr(pytest.mark, _layer(item)))
