"""Client workspaces: one DuckDB file each, kept apart on disk, known by a stable id.

Layout under the data folder (``OPSCORE_DATA_DIR``, default ``./data``)::

    data/workbench.duckdb                      the sample workspace (id ``sample``, always restorable)
    data/workspaces/<id>/workspace.duckdb      one file per client workspace
    data/workspaces/<id>/name                  its name, as shown (renaming changes only this)
    data/workspaces/<id>/roads/                its road network, if it has one (an OpenStreetMap extract)
    data/sample/*.csv                          the sample business the sample workspace is built from
    data/imports/<id>/                         a workspace's files too big to upload, read by the Data page

The id never changes and is never reused, so links, caches and connections keyed on it cannot show another
client's data after a delete and a re-create under the same name. Files of the earlier layout
(``data/workspaces/<name>.duckdb``) are moved into their own folder, with a new id, when first listed.
Creating, renaming and deleting take a lock file, so two people (or programs) cannot take one name at once.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opscore.store import Store, share_store, wal_path

SAMPLE = "sample"
"""The sample workspace's id and name."""
SAMPLE_WRITES = frozenset({"scenarios", "column_mappings", "forecast_runs", "forecast_values", "forecast_series"})
"""What the shared sample takes: saved what-ifs and forecast runs (results anyone can make again), never a change
to its data, rules or factors; to change those, duplicate it."""
NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ID_RULE = re.compile(r"^[0-9a-f]{12}$")
FILE = "workspace.duckdb"


def data_dir() -> Path:
    """The data folder: ``$OPSCORE_DATA_DIR`` or ``./data`` next to the app."""
    return Path(os.environ.get("OPSCORE_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))


def sample_dir() -> Path:
    return Path(os.environ.get("OPSCORE_SAMPLE_DIR", Path(__file__).resolve().parent.parent / "data" / "sample"))


@dataclass(frozen=True)
class Workspace:
    """A workspace: its stable id, its current name and its file."""

    id: str
    name: str
    path: Path

    @property
    def is_sample(self) -> bool:
        return self.id == SAMPLE


def imports_dir(ws: Workspace, root: Path | None = None) -> Path:
    """Where files too big to upload are put on the server for the Data page to read into ``ws``:
    ``<data folder>/imports/<id>``, so one client's files are never offered in another's workspace."""
    return (root or data_dir()) / "imports" / ws.id


def roads_dir(ws: Workspace) -> Path:
    """Where a client workspace keeps its road network (:mod:`opscore.routing.road_files`), inside its own folder
    so a delete takes it along. The shared sample has none: ValueError says to duplicate it."""
    if ws.is_sample:
        raise ValueError("the shared sample takes no road network; duplicate it to add one")
    return ws.path.parent / "roads"


def sample_workspace(root: Path | None = None) -> Workspace:
    return Workspace(SAMPLE, SAMPLE, (root or data_dir()) / "workbench.duckdb")


def _clients(root: Path) -> Path:
    return root / "workspaces"


@contextmanager
def _lifecycle(root: Path) -> Iterator[None]:
    """One create, rename, delete or adoption at a time, across threads and programs (an advisory file lock)."""
    folder = _clients(root)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(folder: Path) -> Workspace | None:
    try:
        name = (folder / "name").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Workspace(folder.name, name, folder / FILE) if (folder / FILE).exists() else None


def _scan(root: Path) -> list[Workspace]:
    folder = _clients(root)
    if not folder.is_dir():
        return []
    found = [_read(d) for d in folder.iterdir() if d.is_dir() and ID_RULE.match(d.name)]
    return sorted((w for w in found if w is not None), key=lambda w: w.name)


def _adopt_legacy(root: Path) -> None:
    """Move files of the earlier layout (``workspaces/<name>.duckdb``) into folders of their own, with new ids. A
    file whose name is not a valid one, or is taken, is renamed ``<name>.duckdb.unadopted`` and left for a person."""
    folder = _clients(root)
    if not folder.is_dir() or not any(folder.glob("*.duckdb")):
        return  # the usual case: no lock taken
    with _lifecycle(root):
        taken = {w.name for w in _scan(root)}
        for legacy in sorted(folder.glob("*.duckdb")):
            try:
                check_name(legacy.stem)
            except ValueError:
                legacy.replace(legacy.with_name(legacy.name + ".unadopted"))
                continue
            if legacy.stem in taken:
                legacy.replace(legacy.with_name(legacy.name + ".unadopted"))
                continue
            ws = _new_folder(root, legacy.stem)
            legacy.replace(ws.path)
            if wal_path(legacy).exists():
                wal_path(legacy).replace(wal_path(ws.path))
            _publish(root, ws)
            taken.add(ws.name)


def list_workspaces(root: Path | None = None) -> list[Workspace]:
    """The sample workspace first, then client workspaces by name."""
    root = root or data_dir()
    _adopt_legacy(root)
    return [sample_workspace(root), *_scan(root)]


def find_workspace(ref: str, root: Path | None = None) -> Workspace | None:
    """The workspace whose id is ``ref`` (or, failing that, whose name is ``ref``), or None."""
    found = list_workspaces(root)
    return next((w for w in found if w.id == ref), None) or next((w for w in found if w.name == ref), None)


def workspace(ref: str, root: Path | None = None) -> Workspace:
    """The workspace with id (or name) ``ref``; ``KeyError`` saying which exist when there is none."""
    found = find_workspace(ref, root)
    if found is None:
        names = ", ".join(w.name for w in list_workspaces(root))
        raise KeyError(f"there is no workspace {ref!r}; the workspaces are {names}")
    return found


def open_workspace(ref: str, root: Path | None = None, read_only: bool = False) -> Store:
    """The store of workspace ``ref`` (id or name), shared: it opens the file only while it reads or writes, so a
    notebook can use a workspace while the app runs on it (see :func:`opscore.store.share_store`)."""
    ws = workspace(ref, root)
    if not ws.path.exists():
        raise KeyError(f"workspace {ws.name!r} has no data file yet; open it once in the app, or build the sample "
                       "with `python -m opscore.sample build data/workbench.duckdb`")
    return share_store(ws.path, read_only=read_only, only=SAMPLE_WRITES if ws.is_sample else None)


def check_name(name: str, root: Path | None = None) -> None:
    """Raise ``ValueError`` unless ``name`` is a valid name (and, given the data folder ``root``, one no other
    workspace there has)."""
    if name == SAMPLE:
        raise ValueError("'sample' is reserved for the sample workspace; choose another name")
    if not NAME_RULE.match(name) or ID_RULE.match(name):
        raise ValueError(
            f"workspace name {name!r} is not allowed: use 1-40 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit, and not 12 hexadecimal characters like a workspace id "
            "(e.g. 'acme-foods')"
        )
    if root is not None and any(w.name == name for w in _scan(root)):
        raise ValueError(f"a workspace called {name!r} already exists; choose another name")


def _new_folder(root: Path, name: str) -> Workspace:
    """A fresh, unpublished folder (``.new-<id>``) for a workspace called ``name``."""
    while True:
        ws_id = secrets.token_hex(6)
        if not (_clients(root) / ws_id).exists():
            break
    staging = _clients(root) / f".new-{ws_id}"
    staging.mkdir(parents=True)
    (staging / "name").write_text(name, encoding="utf-8")
    return Workspace(ws_id, name, staging / FILE)


@contextmanager
def _discarded_on_failure(ws: Workspace) -> Iterator[None]:
    """Remove a staged folder if making the workspace fails."""
    try:
        yield
    except BaseException:
        shutil.rmtree(ws.path.parent, ignore_errors=True)
        raise


def _publish(root: Path, ws: Workspace) -> Workspace:
    """Move a staged folder into place in one step, so a listing sees the whole workspace or none of it."""
    final = _clients(root) / ws.id
    ws.path.parent.replace(final)
    return Workspace(ws.id, ws.name, final / FILE)


def create_workspace(name: str, root: Path | None = None, as_of: date | None = None) -> Workspace:
    """Create an empty client workspace (schema only) whose data is as of ``as_of`` (default: today), stored
    in the workspace so its 'today' stays put until someone changes it."""
    root = root or data_dir()
    with _lifecycle(root):
        check_name(name, root)
        ws = _new_folder(root, name)
        with _discarded_on_failure(ws):
            store = share_store(ws.path)
            with store.transaction() as w:
                w.set_as_of(as_of or date.today())
            return _publish(root, ws)


def duplicate_workspace(source: Workspace, name: str, root: Path | None = None,
                        store: Store | None = None) -> Workspace:
    """Copy a workspace under a new name and a new id. Pass the ``store`` the app has open on ``source``, so the
    copy waits for its readers and writers and holds every committed change."""
    root = root or data_dir()
    if not source.path.exists():
        raise ValueError(f"workspace {source.name!r} has no data file yet")
    check_name(name, root)  # say so before waiting for the source's users
    # the source first, then the lifecycle lock: a page waiting for the lock (to list workspaces) never holds the
    # source, so neither waits for the other
    with (store or share_store(source.path)).exclusive(), _lifecycle(root):
        check_name(name, root)
        ws = _new_folder(root, name)
        with _discarded_on_failure(ws):
            shutil.copyfile(source.path, ws.path)
            if not source.is_sample and roads_dir(source).is_dir():
                shutil.copytree(roads_dir(source), roads_dir(ws))
            return _publish(root, ws)


def rename_workspace(ws: Workspace, name: str, root: Path | None = None) -> Workspace:
    """Give a client workspace a new name; its id, file and links stay."""
    if ws.is_sample:
        raise ValueError("the sample workspace keeps its name; duplicate it to make a workspace of your own")
    root = root or data_dir()
    with _lifecycle(root):
        if not ws.path.parent.is_dir():
            raise ValueError(f"workspace {ws.name!r} no longer exists (it was deleted)")
        check_name(name, root)
        tmp = ws.path.parent / "name.tmp"
        tmp.write_text(name, encoding="utf-8")
        tmp.replace(ws.path.parent / "name")
    return Workspace(ws.id, name, ws.path)


def delete_workspace(ws: Workspace, root: Path | None = None, store: Store | None = None) -> None:
    """Delete a client workspace: its file, and the files put aside for its imports. Pass the ``store`` the app has
    open on it, so the delete waits for its readers and writers. The sample workspace is restored, not deleted."""
    if ws.is_sample:
        raise ValueError("the sample workspace cannot be deleted; use 'restore the sample' instead")
    root = root or data_dir()
    folder = ws.path.parent
    if not folder.exists():
        return
    gone = folder.with_name(f".deleted-{ws.id}")
    with (store or share_store(ws.path)).exclusive(), _lifecycle(root):  # in this order: see duplicate_workspace
        folder.replace(gone)  # out of every listing at once
    shutil.rmtree(gone, ignore_errors=True)
    shutil.rmtree(imports_dir(ws, root), ignore_errors=True)
