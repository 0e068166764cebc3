"""Workspaces: one per client. Create, duplicate, rename, delete (with confirmation), restore the sample."""

from __future__ import annotations

from datetime import date

import streamlit as st

from opscore.workspaces import SAMPLE, list_workspaces
from ui import workspace_actions as act
from ui.state import current_store, current_workspace
from ui.text import md

st.title("Workspaces")
st.caption("Each client's data lives in its own file, so nothing of one client appears in another's pages or exports. "
           "Switch workspace in the sidebar; the address bar keeps the one you have open, so a reload stays in it.")
act.show_outcome()
current = current_workspace()
workspaces = list_workspaces()
st.dataframe(
    [{"Workspace": ws.name, "Open here": "●" if ws.id == current.id else "", "Id (in links)": ws.id,
      "Size (MB)": round(ws.path.stat().st_size / 1e6, 1) if ws.path.exists() else 0.0} for ws in workspaces],
    hide_index=True, width="stretch",
)

AS_OF_HELP = ("The day the client's data runs up to: forecasts start the day after, stock is valued on it, and "
              "sales or receipts dated later are refused. Usually the date of their latest export.")

new_tab, date_tab, dup_tab, ren_tab, del_tab, sample_tab = st.tabs(["New", "As-of date", "Duplicate", "Rename",
                                                                    "Delete", "Restore the sample"])
with new_tab:
    with st.form("new_ws", clear_on_submit=True):
        st.text_input("Name", placeholder="e.g. acme-foods", help="Lower-case letters, digits, '-' or '_'",
                      key=act.NEW_NAME)
        st.date_input("Data as of", value=date.today(), format="DD/MM/YYYY", help=AS_OF_HELP, key=act.NEW_AS_OF)
        st.form_submit_button("Create an empty workspace", on_click=act.create, args=(act.NEW_NAME, act.NEW_AS_OF))
with date_tab:
    if not act.sample_is_protected("change its as-of date", "as_of"):
        store = current_store()
        st.caption(f"The as-of date of **{md(current.name)}**, the workspace open now.")
        with st.form("as_of"):
            day = st.date_input("As-of date", value=store.as_of(), format="DD/MM/YYYY", help=AS_OF_HELP)
            if st.form_submit_button("Change the as-of date"):
                act.set_as_of(current, store, day)
                st.rerun()
        act.show_as_of_warning()
with dup_tab:
    with st.form("dup_ws", clear_on_submit=True):
        st.text_input("Name of the copy", placeholder=f"{current.name}-copy", key=act.DUP_NAME)
        st.form_submit_button(f"Duplicate '{current.name}'", on_click=act.duplicate, args=(current.id, act.DUP_NAME))
with ren_tab:
    if current.id == SAMPLE:
        st.info("The sample keeps its name. Duplicate it to have a workspace of your own to name.")
    else:
        with st.form("ren_ws", clear_on_submit=True):
            st.text_input(f"New name for '{current.name}'", placeholder=current.name, key=act.REN_NAME,
                          help="Links to its scenarios and deliveries keep working: they carry its id, not its name.")
            st.form_submit_button("Rename", on_click=act.rename, args=(current.id, act.REN_NAME))
with del_tab:
    clients = {ws.id: ws.name for ws in workspaces if not ws.is_sample}
    if not clients:
        st.info("There are no client workspaces to delete. The sample workspace can only be restored.")
    else:
        target = st.selectbox("Workspace to delete", list(clients), format_func=clients.get, key=act.DEL_TARGET)
        st.text_input(f"Type **{md(clients[target])}** to confirm; this cannot be undone", key=act.DEL_CONFIRM)
        st.button("Delete workspace", type="primary", on_click=act.delete,
                  args=(act.DEL_TARGET, act.DEL_CONFIRM, current.id),
                  disabled=str(st.session_state.get(act.DEL_CONFIRM) or "").strip() != clients[target])
with sample_tab:
    st.write("Rebuild the sample workspace from the shipped CSV files, for everyone on this server. Scenarios saved "
             "in it are lost.")
    sure = st.checkbox("I understand the sample workspace will be reset", key="restore_sure")
    st.button("Restore the sample", disabled=not sure, on_click=act.restore_sample)
