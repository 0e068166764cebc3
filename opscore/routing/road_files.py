"""A workspace's road network on disk: the OpenStreetMap extract, its built graph (Parquet) and the road speeds.

Layout of a workspace's ``roads`` folder::

    extract.osm.pbf     the extract as given (kept, so the graph can be rebuilt by a newer version)
    graph/              the built network (:meth:`RoadNetwork.save`): a second load takes a fraction of a build
    about.json          the extract's original name, size, SHA-256, build figures and the road speeds

Adding or replacing an extract builds the network first, in a folder beside, and swaps it in only when the
build worked: a file that is not an extract changes nothing. :func:`attach_extract`, :func:`save_speeds` and
:func:`detach_extract` also record the result in the workspace's settings (:data:`ROADS_META`), whose change
tells the app's caches to replan.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from tempfile import mkdtemp

from opscore.routing.road_network import RoadNetwork
from opscore.routing.road_speeds import RoadSpeeds
from opscore.store import Store
from opscore.workspaces import Workspace, roads_dir

ROADS_META = "roads"
"""Workspace setting (``workspace_meta``) holding :attr:`RoadSetup.marker`; empty = no road network."""
EXTRACT = "extract.osm.pbf"
GRAPH = "graph"
ABOUT = "about.json"


@dataclass(frozen=True)
class RoadSetup:
    """What a workspace's road network was built from, and how big it is."""

    name: str
    """The extract's file name as given."""
    sha256: str
    size_bytes: int
    vertices: int
    """Junctions in the network."""
    road_km: float
    """Length of drivable road, km."""
    build_s: float
    """Seconds the build took."""
    speeds: RoadSpeeds
    install_id: str = ""
    """Random mark of this installation: the same file added again after a removal is a new network to caches."""

    @property
    def marker(self) -> str:
        """Changes whenever the extract is installed again or the speeds change (for cache keys)."""
        values = [(t, float(v)) for t, v in self.speeds.kmh] + [("share", float(self.speeds.maxspeed_share))]
        speeds = hashlib.sha1(repr(values).encode()).hexdigest()[:8]
        return f"{self.sha256[:12]}-{self.install_id}-{speeds}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_about(folder: Path, setup: RoadSetup) -> None:
    about = {"name": setup.name, "sha256": setup.sha256, "size_bytes": setup.size_bytes, "vertices": setup.vertices,
             "road_km": setup.road_km, "build_s": setup.build_s, "speeds": [list(x) for x in setup.speeds.kmh],
             "maxspeed_share": setup.speeds.maxspeed_share, "install_id": setup.install_id}
    tmp = folder / f"{ABOUT}.tmp"
    tmp.write_text(json.dumps(about, indent=1), encoding="utf-8")
    tmp.replace(folder / ABOUT)


def read_setup(folder: Path) -> RoadSetup | None:
    """The road setup in ``folder``, or None when the workspace has no extract."""
    try:
        about = json.loads((folder / ABOUT).read_text(encoding="utf-8"))
        speeds = RoadSpeeds(tuple((str(t), float(v)) for t, v in about["speeds"]), float(about["maxspeed_share"]))
        return RoadSetup(str(about["name"]), str(about["sha256"]), int(about["size_bytes"]), int(about["vertices"]),
                         float(about["road_km"]), float(about["build_s"]), speeds, str(about.get("install_id", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the workspace's road lock: one change to its road network at a time (two people adding extracts at once
    end with one of them, recorded as such). Folders left by a change that was killed are cleared."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / ".roads.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for left in folder.parent.glob(".roads-*"):
                shutil.rmtree(left, ignore_errors=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _swap_in(staging: Path, folder: Path) -> None:
    """Make ``staging`` the ``folder``; on failure the old ``folder`` is put back."""
    if not folder.exists():
        staging.replace(folder)
        return
    gone = Path(mkdtemp(prefix=".roads-old-", dir=folder.parent))
    folder.replace(gone)
    try:
        staging.replace(folder)
    except OSError:
        gone.replace(folder)
        raise
    shutil.rmtree(gone, ignore_errors=True)


def install_extract(folder: Path, source: Path, name: str, speeds: RoadSpeeds | None = None) -> RoadSetup:
    """Build the network of the extract at ``source`` (known by ``name``) and make it the one in ``folder``,
    replacing any other. ValueError or OSError, and nothing changed, when it cannot be built or written."""
    start = time.perf_counter()
    network = RoadNetwork.from_pbf(source, name=name)
    build_s = time.perf_counter() - start
    old = read_setup(folder)
    setup = RoadSetup(name, _sha256(source), source.stat().st_size, network.n_vertices, network.road_km(), build_s,
                      speeds or (old.speeds if old else RoadSpeeds()), secrets.token_hex(4))
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(mkdtemp(prefix=".roads-new-", dir=folder.parent))
    try:
        shutil.copyfile(source, staging / EXTRACT)
        network.save(staging / GRAPH)
        _write_about(staging, setup)
        _swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return setup


def set_speeds(folder: Path, speeds: RoadSpeeds) -> RoadSetup:
    """Keep ``speeds`` as the workspace's road speeds. ValueError when it has no extract."""
    setup = read_setup(folder)
    if setup is None:
        raise ValueError("this workspace has no road network yet; add an OpenStreetMap extract first")
    new = replace(setup, speeds=speeds)
    _write_about(folder, new)
    return new


def remove_extract(folder: Path) -> None:
    """Forget the workspace's road network: back to straight-line estimates."""
    if folder.exists():
        gone = Path(mkdtemp(prefix=".roads-removed-", dir=folder.parent))
        folder.replace(gone)
        shutil.rmtree(gone, ignore_errors=True)


def load_network(folder: Path) -> RoadNetwork | None:
    """The workspace's road network with its speeds (rebuilt from the kept extract when the graph files are
    missing or of an older format), or None when it has none."""
    setup = read_setup(folder)
    if setup is None:
        return None
    network = RoadNetwork.load(folder / GRAPH, setup.speeds)
    if network is None and (folder / EXTRACT).is_file():
        network = RoadNetwork.from_pbf(folder / EXTRACT, setup.speeds, setup.name)
        network.save(folder / GRAPH)
    return None if network is None else network.with_speeds(setup.speeds)


def _record(store: Store, marker: str) -> None:
    with store.transaction() as writer:
        writer.set_meta(ROADS_META, marker)


def attach_extract(ws: Workspace, store: Store, source: Path, name: str) -> RoadSetup:
    """Give workspace ``ws`` (its ``store``) the road network of the extract at ``source``, known by ``name``.
    ValueError (nothing changed) for the shared sample or a file that is not an extract."""
    folder = roads_dir(ws)
    with _locked(folder):
        setup = install_extract(folder, source, name)
        _record(store, setup.marker)
    return setup


def save_speeds(ws: Workspace, store: Store, speeds: RoadSpeeds) -> RoadSetup:
    """Make ``speeds`` the road speeds of workspace ``ws``."""
    folder = roads_dir(ws)
    with _locked(folder):
        setup = set_speeds(folder, speeds)
        _record(store, setup.marker)
    return setup


def detach_extract(ws: Workspace, store: Store) -> None:
    """Remove the road network of workspace ``ws``: back to straight-line estimates."""
    folder = roads_dir(ws)
    with _locked(folder):
        remove_extract(folder)
        _record(store, "")
