"""Page frame: the sidebar workspace switcher and an error boundary around every page."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from opscore.workspaces import list_workspaces
from ui.state import WORKSPACE_KEY, current_store, current_workspace
from ui.text import md

log = logging.getLogger("opscore.app")


def sidebar() -> None:
    """Workspace switcher and the workspace's as-of date."""
    names = [w.name for w in list_workspaces()]
    current = current_workspace().name
    # keyed by the workspace shown, so selecting a workspace elsewhere (a link, the Workspaces page) gives a
    # fresh switcher showing it, with no widget state to clear
    key = f"_workspace_choice:{current}"
    with st.sidebar:
        st.selectbox("Workspace", names, index=names.index(current), key=key, on_change=_switch, args=(key,),
                     help="Each client's data lives in its own workspace file.")
        store = current_store()
        st.caption(f"{md(store.meta().get('name', current))} · data as of {store.as_of():%d %b %Y}")


def _switch(key: str) -> None:
    st.session_state[WORKSPACE_KEY] = st.session_state[key]


def run_page(page: st.navigation) -> None:  # type: ignore[valid-type]
    """Run the page; show a plain message instead of a traceback if it fails."""
    try:
        page.run()
    except ScriptControlException:
        raise
    except Exception as exc:  # the boundary: users never see a traceback
        log.exception("page %s failed", getattr(page, "title", "?"))
        st.error(f"Sorry, this page could not be shown: {md(exc)}. Your data has not been changed. "
                 "If this keeps happening, check the imported data on the Data page.")
