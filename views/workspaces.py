"""Workspaces: one per client. Create, switch, duplicate, delete (with confirmation), restore the sample."""

from __future__ import annotations

from datetime import date

import streamlit as st

from opscore.sample import build_sample_workspace
from opscore.workspaces import SAMPLE, create_workspace, delete_workspace, duplicate_workspace, list_workspaces, workspace
from ui.state import WORKSPACE_KEY, close_all, current_store, current_workspace
from ui.text import md

st.title("Workspaces")
st.caption("Each client's data lives in its own file, so nothing of one client appears in another's pages or exports. "
           "Switch workspace in the sidebar.")

st.dataframe(
    [{"workspace": ws.name, "file": ws.path.name,
      "size (MB)": round(ws.path.stat().st_size / 1e6, 1) if ws.path.exists() else 0.0} for ws in list_workspaces()],
    hide_index=True, width="stretch",
)
current = current_workspace()


def _select(name: str) -> None:
    st.session_state[WORKSPACE_KEY] = name


def _done(success: str, warning: str | None = None) -> None:
    """Show ``success`` (and ``warning``) after a rerun, so the sidebar and the list above show the change too."""
    st.session_state["workspaces_done"] = (success, warning)
    st.rerun()


done = st.session_state.pop("workspaces_done", None)
if done is not None:
    st.success(done[0])
    if done[1]:
        st.warning(done[1])


AS_OF_HELP = ("The day the client's data runs up to: forecasts start the day after, stock is valued on it, and "
              "sales or receipts dated later are refused. Usually the date of their latest export.")

new_tab, date_tab, dup_tab, del_tab, sample_tab = st.tabs(["New", "As-of date", "Duplicate", "Delete",
                                                           "Restore the sample"])
with new_tab:
    with st.form("new_ws"):
        name = st.text_input("Name", placeholder="e.g. acme-foods", help="Lower-case letters, digits, '-' or '_'")
        as_of = st.date_input("Data as of", value=date.today(), format="DD/MM/YYYY", help=AS_OF_HELP)
        if st.form_submit_button("Create an empty workspace"):
            try:
                create_workspace(name.strip(), as_of=as_of)
            except ValueError as exc:
                st.error(md(exc))  # may quote the typed name
            else:
                _select(name.strip())
                _done(f"Created **{name.strip()}** with data as of {as_of:%d %b %Y}. Import its data on the Data page.")
with date_tab:
    store = current_store()
    st.caption(f"The as-of date of **{md(current.name)}**, the workspace open now.")
    with st.form("as_of"):
        day = st.date_input("As-of date", value=store.as_of(), format="DD/MM/YYYY", help=AS_OF_HELP)
        if st.form_submit_button("Change the as-of date"):
            with store.transaction() as writer:
                writer.set_as_of(day)
            later = {what: last for what, last in (("sales", store.latest("sales", "date")),
                                                   ("stock snapshots", store.latest("inventory", "snapshot_date")))
                     if last is not None and last > day}
            _done(f"**{md(current.name)}** is now as of {day:%d %b %Y}; every page works from that day.",
                  "The workspace holds " + " and ".join(f"{what} up to {last:%d %b %Y}" for what, last in later.items())
                  + f", after {day:%d %b %Y}: pages treat those days as the future, and imports refuse rows dated "
                  "after the as-of date. Set a later date if the data is meant to count." if later else None)
with dup_tab:
    with st.form("dup_ws"):
        name = st.text_input("Name of the copy", placeholder=f"{current.name}-copy")
        if st.form_submit_button(f"Duplicate '{current.name}'"):
            try:
                current_store().checkpoint()
                duplicate_workspace(current, name.strip())
            except ValueError as exc:
                st.error(md(exc))  # may quote the typed name
            else:
                _select(name.strip())
                st.success(f"Copied **{current.name}** to **{name.strip()}**.")
with del_tab:
    clients = [w.name for w in list_workspaces() if w.name != SAMPLE]
    if not clients:
        st.info("There are no client workspaces to delete. The sample workspace can only be restored.")
    else:
        target = st.selectbox("Workspace to delete", clients)
        confirm = st.text_input(f"Type **{target}** to confirm; this cannot be undone")
        if st.button("Delete workspace", type="primary", disabled=confirm.strip() != target):
            close_all()
            delete_workspace(workspace(target))
            if current.name == target:
                _select(SAMPLE)
            st.success(f"Deleted **{target}**.")
with sample_tab:
    st.write("Rebuild the sample workspace from the shipped CSV files. Scenarios and imports made in it are lost.")
    sure = st.checkbox("I understand the sample workspace will be reset")
    if st.button("Restore the sample", disabled=not sure):
        with st.spinner("Rebuilding the sample workspace..."):
            close_all()
            build_sample_workspace(workspace(SAMPLE).path)
            st.cache_data.clear()
        st.success("The sample workspace is as shipped again.")
