"""The selected workspace, its shared store and cached table reads.

The session remembers the workspace by id, and the URL (``?workspace=<id>``) mirrors it, so a reload or a
shared link reopens it. Pages call :func:`current_store` for the workspace's store and :func:`table` for a cached
copy of a table. Anything computed from tables is cached with ``st.cache_data`` keyed by :func:`cache_key`: the
workspace id, its build, its data version and its as-of date, so an import, an as-of change, a re-created name
or a new day each get fresh results, and nothing is ever cleared for everyone.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import ParamSpec

import pandas as pd
import streamlit as st

from opscore.inventory import InventoryInputs, load_inputs
from opscore.routing.road_files import ROADS_META
from opscore.sample import build_sample_workspace
from opscore.store import Store, share_store
from opscore.workspaces import SAMPLE, SAMPLE_WRITES, Workspace, find_workspace, sample_workspace

WORKSPACE_KEY = "workspace"
"""Session key: the id of the workspace open in this session."""
URL_PARAM = "workspace"
LINK_SEEN = "_linked_workspace"
"""Session key: the URL's workspace this session has already opened (or written), so only a new one switches."""
NOTICE = "_workspace_notice"
"""Session key: a message for the next page (e.g. the workspace open here was deleted by someone)."""


@st.cache_resource(show_spinner=False)
def _store(ws_id: str, path: str) -> Store:
    """One shared store per workspace for the whole server: it opens the file only while a page reads or
    writes, so notebooks can use the workspace too, and a deleted workspace's store is never reused. The sample's
    store keeps its data as shipped for everyone (see ``SAMPLE_WRITES``)."""
    return share_store(path, only=SAMPLE_WRITES if ws_id == SAMPLE else None)


_FIRST_BUILD = threading.Lock()
"""One build of a missing sample at a time, when several people open a fresh server at once."""


def select(ws: Workspace) -> None:
    """Open ``ws`` in this session (the sidebar then puts it in the URL, so a reload keeps it)."""
    st.session_state[WORKSPACE_KEY] = ws.id


P = ParamSpec("P")
_RENDER = threading.local()
"""The workspace of the page render running on this thread (set by :func:`page_session`), resolved once."""


def current_workspace() -> Workspace:
    """The workspace open in this session; a link's or a reload's ``?workspace=`` opens its workspace once."""
    rendering = getattr(_RENDER, "ws", None)
    if rendering is not None:
        return rendering
    linked = st.query_params.get(URL_PARAM)
    if linked and st.session_state.get(LINK_SEEN) != linked:
        st.session_state[LINK_SEEN] = linked
        if (found := find_workspace(linked)) is not None:
            st.session_state[WORKSPACE_KEY] = found.id
        else:
            st.session_state[NOTICE] = ("The workspace in the link no longer exists (it may have been deleted), so "
                                        "nothing of it is shown.")
    ref = st.session_state.get(WORKSPACE_KEY, SAMPLE)
    ws = find_workspace(ref) if ref != SAMPLE else None
    if ws is None:
        if ref != SAMPLE:
            st.session_state[NOTICE] = ("The workspace open here was deleted (perhaps by someone else on this "
                                        "server); showing the sample instead.")
        ws = sample_workspace()
    st.session_state[WORKSPACE_KEY] = ws.id
    return ws


def store_of(ws: Workspace) -> Store:
    """The shared store of ``ws`` (building the sample if its file is missing)."""
    if ws.is_sample and not ws.path.exists():
        with _FIRST_BUILD, st.spinner("Building the sample workspace (first start only)..."):
            if not ws.path.exists():
                build_sample_workspace(ws.path)
    return _store(ws.id, str(ws.path))


def current_store() -> Store:
    """The store of the workspace open in this session."""
    return store_of(current_workspace())


@contextmanager
def page_session() -> Iterator[Workspace]:
    """Run a page render on one snapshot of the current workspace (see :meth:`Store.session`), resolving the
    workspace once for the render. Re-entrant (a fragment inside a page)."""
    if getattr(_RENDER, "ws", None) is not None:
        with store_of(_RENDER.ws).session():
            yield _RENDER.ws
        return
    ws = current_workspace()
    with store_of(ws).session():
        _RENDER.ws, _RENDER.key = ws, None
        try:
            yield ws
        finally:
            _RENDER.ws = _RENDER.key = None


def page_fragment(body: Callable[P, None]) -> Callable[P, None]:
    """``st.fragment`` whose reruns, like whole-page renders, read one snapshot of the workspace."""

    @functools.wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with page_session():
            body(*args, **kwargs)

    return st.fragment(run)


def cache_key() -> str:
    """``<id>.<build>.<file>#<data version>@<as-of date>[~roads:<marker>]`` of the current workspace, for
    ``st.cache_data`` keys.

    The build mark and the file (its inode and path) tell apart files that share an id and a version: the sample
    rebuilt, or a workspace file swapped for a copy (a backup, or a test's private copy). Worked out once per render
    and again after a write."""
    ws = current_workspace()
    store = store_of(ws)
    memo = getattr(_RENDER, "key", None)
    if memo is not None and memo[0] == (ws.id, store.commits):
        return str(memo[1])
    meta = store.meta()
    as_of = meta.get("as_of_date") or date.today().isoformat()  # an unset as-of date moves with the calendar
    file = hashlib.sha1(f"{ws.path.stat().st_ino}:{ws.path}".encode()).hexdigest()[:12]
    key = f"{ws.id}.{meta.get('instance', '')}.{file}#{meta.get('data_version', '0')}@{as_of}"
    if roads := meta.get(ROADS_META):  # the road network and its speeds (Data page, Road network)
        key += f"~roads:{roads}"
    if getattr(_RENDER, "ws", None) is not None:
        _RENDER.key = ((ws.id, store.commits), key)
    return key


def workspace_for(key: str) -> Workspace:
    """The workspace a :func:`cache_key` names; KeyError when it no longer exists."""
    ws_id = key.split(".", 1)[0]
    ws = sample_workspace() if ws_id == SAMPLE else find_workspace(ws_id)
    if ws is None:
        raise KeyError(f"workspace {ws_id} no longer exists")
    return ws


def store_for(key: str) -> Store:
    """The store a :func:`cache_key` names (for cached work, which takes the key rather than reading the session)."""
    return store_of(workspace_for(key))


def frame_digest(frame: pd.DataFrame) -> str:
    """Identifies a frame's column names and values, for cache keys of uploaded tables."""
    digest = hashlib.sha1("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=64)
def table_at(key: str, name: str) -> pd.DataFrame:
    """A cached copy of a whole table of the workspace ``key`` (a :func:`cache_key`) names: what services read."""
    return store_for(key).table(name)


def table(name: str) -> pd.DataFrame:
    """A cached copy of a whole table of the current workspace (for pages; services use :func:`table_at`)."""
    return table_at(cache_key(), name)


@st.cache_data(show_spinner=False, max_entries=8)
def inventory_inputs_at(key: str) -> InventoryInputs:
    """Cached stock, demand and supply arrays of the workspace ``key`` (a :func:`cache_key`) names, for the
    Inventory and Supplier services."""
    return load_inputs(store_for(key))
