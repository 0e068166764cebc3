"""The selected workspace, its cached store connection and cached table reads.

Pages call :func:`current_store` for the workspace's store and :func:`table` for a
cached copy of a table. Anything computed from tables should be cached with
``st.cache_data`` keyed by :func:`cache_key`, so that an import (which bumps the
store's data version) or a workspace switch invalidates it.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from opscore.inventory import InventoryInputs, load_inputs
from opscore.sample import build_sample_workspace
from opscore.store import Store, open_store
from opscore.workspaces import SAMPLE, Workspace, list_workspaces, workspace

WORKSPACE_KEY = "workspace"


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    """One connection per workspace file for the whole server; threads get their own cursor."""
    return open_store(path)


def close_all() -> None:
    """Drop every cached connection (before deleting or restoring a workspace file)."""
    _open.clear()


def current_workspace() -> Workspace:
    """The selected workspace; a link's ``?workspace=`` selects it once per session."""
    linked = st.query_params.get("workspace")
    if linked and st.session_state.get("_linked_workspace") != linked:
        st.session_state["_linked_workspace"] = linked
        st.session_state[WORKSPACE_KEY] = linked
    name = st.session_state.get(WORKSPACE_KEY, SAMPLE)
    names = {w.name for w in list_workspaces()}
    if name not in names:
        name = SAMPLE
        st.session_state[WORKSPACE_KEY] = name
    return workspace(name)


def current_store() -> Store:
    """The store of the workspace selected in the sidebar (building the sample if missing)."""
    ws = current_workspace()
    if ws.is_sample and not ws.path.exists():
        with st.spinner("Building the sample workspace (first start only)..."):
            build_sample_workspace(ws.path)
    return _open(str(ws.path))


def cache_key() -> str:
    """Identifies the current workspace and its data version, for ``st.cache_data`` keys."""
    store = current_store()
    return f"{store.path}#{store.data_version()}"


def frame_digest(frame: pd.DataFrame) -> str:
    """Identifies a frame's column names and values, for cache keys of uploaded tables."""
    digest = hashlib.sha1("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_table(key: str, name: str) -> pd.DataFrame:
    path = key.rsplit("#", 1)[0]
    return _open(path).table(name)


def table(name: str) -> pd.DataFrame:
    """A cached copy of a whole table of the current workspace."""
    return _cached_table(cache_key(), name)


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_inventory_inputs(key: str) -> InventoryInputs:
    return load_inputs(_open(key.rsplit("#", 1)[0]))


def inventory_inputs() -> InventoryInputs:
    """Cached stock, demand and supply arrays of the current workspace (Inventory and Supplier pages)."""
    return _cached_inventory_inputs(cache_key())
