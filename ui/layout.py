"""Page frame: the sidebar workspace switcher and an error boundary around every page."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from opscore.store import StoreError
from opscore.workspaces import list_workspaces, sample_workspace
from ui.state import LINK_SEEN, NOTICE, URL_PARAM, WORKSPACE_KEY, current_store, current_workspace, page_session, select
from ui.text import md

log = logging.getLogger("opscore.app")


def sidebar() -> None:
    """The workspace open in this session, prominently, with its as-of date and a switcher; the URL keeps it."""
    current = current_workspace()
    workspaces = list_workspaces()
    names = {ws.id: ws.name for ws in workspaces}
    # keyed by the workspace shown, so selecting a workspace elsewhere (a link, the Workspaces page) gives a
    # fresh switcher showing it, with no widget state to clear
    key = f"_workspace_choice:{current.id}"
    with st.sidebar:
        if (notice := st.session_state.pop(NOTICE, None)) is not None:
            st.warning(notice)
        with st.container(border=True):
            st.selectbox("Workspace", list(names), index=list(names).index(current.id), format_func=names.get,
                         key=key, on_change=_switch, args=(key,),
                         help="Each client's data lives in its own workspace file.")
            store = current_store()
            st.caption(f"**{md(current.name)}** · data as of {store.as_of():%d %b %Y}"
                       + (" · the shared sample: duplicate it to change its data" if current.is_sample else ""))
    if st.query_params.get(URL_PARAM) != current.id:
        st.session_state[LINK_SEEN] = current.id
        st.query_params[URL_PARAM] = current.id


def show(page: st.navigation) -> None:  # type: ignore[valid-type]
    """The sidebar and the page, on one snapshot of the open workspace; a workspace that cannot be opened (another
    program keeps its file, or someone deleted it meanwhile) is said plainly, with the switcher to go elsewhere."""
    try:
        with page_session():
            sidebar()
            run_page(page)
    except StoreError as exc:
        log.warning("workspace could not be opened: %s", exc)
        current = current_workspace()
        if not current.path.exists() and not current.is_sample:
            st.session_state[NOTICE] = f"The workspace {current.name} was deleted meanwhile; showing the sample."
            select(sample_workspace())
            st.rerun()
        names = {ws.id: ws.name for ws in list_workspaces()}
        st.sidebar.selectbox("Workspace", list(names), index=list(names).index(current.id), format_func=names.get,
                             key="_workspace_choice_unavailable", on_change=_switch,
                             args=("_workspace_choice_unavailable",))
        st.error(f"The workspace **{md(current.name)}** cannot be opened right now: {md(exc)}")


def show_customer(page: st.navigation) -> None:  # type: ignore[valid-type]
    """A customer's tracking page on one snapshot; if the workspace cannot be opened, a plain 'try later'."""
    try:
        with page_session():
            run_page(page)
    except StoreError as exc:
        log.warning("customer page: workspace could not be opened: %s", exc)
        st.warning("Tracking is not available right now. Please try again in a minute.")


def _switch(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        st.session_state[WORKSPACE_KEY] = chosen


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
