"""Client workspaces: one DuckDB file each, kept apart on disk.

Layout under the data folder (``OPSCORE_DATA_DIR``, default ``./data``)::

    data/workbench.duckdb          the sample workspace (always restorable)
    data/workspaces/<name>.duckdb  one file per client workspace
    data/sample/*.csv              the sample business the sample workspace is built from
    data/imports/<name>/           a workspace's files too big to upload, read by the Data page
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opscore.store import wal_path

SAMPLE = "sample"
NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def data_dir() -> Path:
    """The data folder: ``$OPSCORE_DATA_DIR`` or ``./data`` next to the app."""
    return Path(os.environ.get("OPSCORE_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))


def imports_dir(ws: Workspace, root: Path | None = None) -> Path:
    """Where files too big to upload are put on the server for the Data page to read into ``ws``:
    ``<data folder>/imports/<workspace>``, so one client's files are never offered in another's workspace."""
    return (root or data_dir()) / "imports" / ws.name


def sample_dir() -> Path:
    return Path(os.environ.get("OPSCORE_SAMPLE_DIR", Path(__file__).resolve().parent.parent / "data" / "sample"))


@dataclass(frozen=True)
class Workspace:
    """A named workspace and its file."""

    name: str
    path: Path

    @property
    def is_sample(self) -> bool:
        return self.name == SAMPLE


def workspace(name: str, root: Path | None = None) -> Workspace:
    """The workspace called ``name`` (which need not exist yet); the name is checked."""
    root = root or data_dir()
    if name == SAMPLE:
        return Workspace(SAMPLE, root / "workbench.duckdb")
    check_name(name)
    return Workspace(name, root / "workspaces" / f"{name}.duckdb")


def check_name(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` is a valid new workspace name."""
    if name == SAMPLE:
        raise ValueError("'sample' is reserved for the sample workspace; choose another name")
    if not NAME_RULE.match(name):
        raise ValueError(
            f"workspace name {name!r} is not allowed: use 1-40 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit (e.g. 'acme-foods')"
        )


def list_workspaces(root: Path | None = None) -> list[Workspace]:
    """The sample workspace first, then client workspaces by name."""
    root = root or data_dir()
    found = sorted(p.stem for p in (root / "workspaces").glob("*.duckdb")) if (root / "workspaces").exists() else []
    return [workspace(SAMPLE, root)] + [workspace(n, root) for n in found if NAME_RULE.match(n)]


def create_workspace(name: str, root: Path | None = None, as_of: date | None = None) -> Workspace:
    """Create an empty client workspace (schema only) whose data is as of ``as_of`` (default: today), stored
    in the workspace so its 'today' stays put until someone changes it."""
    from opscore.store import open_store

    check_name(name)
    ws = workspace(name, root)
    if ws.path.exists():
        raise ValueError(f"a workspace called {name!r} already exists")
    store = open_store(ws.path)
    with store.transaction() as w:
        w.set_meta("name", name)
        w.set_as_of(as_of or date.today())
    store.close()
    return ws


def duplicate_workspace(source: Workspace, name: str, root: Path | None = None) -> Workspace:
    """Copy a workspace's file under a new name, with its write-ahead log (``.wal``) when there is one, so
    changes committed but not yet checkpointed come along. Checkpoint the source's store first when it is open."""
    check_name(name)
    target = workspace(name, root)
    if target.path.exists():
        raise ValueError(f"a workspace called {name!r} already exists")
    if not source.path.exists():
        raise ValueError(f"workspace {source.name!r} has no data file yet")
    target.path.parent.mkdir(parents=True, exist_ok=True)
    for src, dst in ((source.path, target.path), (wal_path(source.path), wal_path(target.path))):
        if src.exists():
            shutil.copyfile(src, dst)
    return target


def delete_workspace(ws: Workspace) -> None:
    """Delete a client workspace's file. The sample workspace is restored, not deleted."""
    if ws.is_sample:
        raise ValueError("the sample workspace cannot be deleted; use 'restore the sample' instead")
    for p in (ws.path, wal_path(ws.path)):
        p.unlink(missing_ok=True)
