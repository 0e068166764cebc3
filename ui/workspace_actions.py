"""Creating, duplicating, renaming, deleting and restoring workspaces, as widget callbacks.

A callback runs before the next render starts, outside any page's store session, so an action can wait for the
workspace's readers and writers (and only that workspace's) to finish. The render after it shows its outcome
(:func:`show_outcome`) and a sidebar that already lists the change.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from opscore.sample import build_sample_workspace
from opscore.store import Store, StoreError
from opscore.workspaces import (
    SAMPLE,
    Workspace,
    create_workspace,
    delete_workspace,
    duplicate_workspace,
    find_workspace,
    rename_workspace,
    sample_workspace,
)
from ui.state import current_workspace, select, store_of
from ui.text import md

OUTCOME = "_workspace_outcome"
"""Session key: ``(kind, message)`` of the last action, shown once by :func:`show_outcome`."""
AS_OF_WARNING = "_as_of_warning"
"""Session key: what an as-of date earlier than the data makes the future, shown once by :func:`show_as_of_warning`."""
NEW_NAME = "new_ws_name"
"""Session key (text input): the name of a new workspace."""
NEW_AS_OF = "new_ws_as_of"
"""Session key (date input): the as-of date of a new workspace."""
DUP_NAME = "dup_ws_name"
"""Session key (text input): the name of a copy of the open workspace."""
REN_NAME = "ren_ws_name"
"""Session key (text input): the new name of the open workspace."""
DEL_TARGET = "del_ws_target"
"""Session key (select box): the id of the workspace to delete."""
DEL_CONFIRM = "del_ws_confirm"
"""Session key (text input): the name typed to confirm a deletion."""


def copy_name_key(key: str) -> str:
    """Session key (text input): the name of a copy of the sample offered where ``key`` would change it."""
    return f"copy_sample_name_{key}"


def _say(kind: str, message: str) -> None:
    st.session_state[OUTCOME] = (kind, message)


def _typed(key: str) -> str:
    return str(st.session_state.get(key) or "").strip()


def show_outcome() -> None:
    """Say what the last action did (or why it did nothing)."""
    outcome = st.session_state.pop(OUTCOME, None)
    if outcome is not None:
        kind, message = outcome
        (st.success if kind == "success" else st.error)(message)


def create(name_key: str, as_of_key: str) -> None:
    name, as_of = _typed(name_key), st.session_state.get(as_of_key) or date.today()
    try:
        ws = create_workspace(name, as_of=as_of)
    except (ValueError, StoreError) as exc:
        _say("error", md(exc))  # may quote the typed name
        return
    select(ws)
    _say("success", f"Created **{md(ws.name)}** with data as of {as_of:%d %b %Y} and opened it. "
                    "Import its data on the Data page.")


def duplicate(source_id: str, name_key: str) -> None:
    name, source = _typed(name_key), find_workspace(source_id)
    if source is None:
        _say("error", "The workspace to copy no longer exists.")
        return
    try:
        ws = duplicate_workspace(source, name, store=store_of(source))
    except (ValueError, StoreError) as exc:
        _say("error", md(exc))
        return
    select(ws)
    _say("success", f"Copied **{md(source.name)}** to **{md(ws.name)}** and opened the copy.")


def rename(ws_id: str, name_key: str) -> None:
    name, ws = _typed(name_key), find_workspace(ws_id)
    if ws is None:
        _say("error", "The workspace to rename no longer exists.")
        return
    try:
        renamed = rename_workspace(ws, name)
    except (ValueError, OSError) as exc:
        _say("error", md(exc))
        return
    _say("success", f"Renamed **{md(ws.name)}** to **{md(renamed.name)}**; its links still work.")


def delete(target_key: str, confirm_key: str, current_id: str) -> None:
    target = find_workspace(str(st.session_state.get(target_key) or ""))
    if target is None or target.is_sample:
        _say("error", "Choose a client workspace to delete.")
        return
    if _typed(confirm_key) != target.name:
        _say("error", f"Type **{md(target.name)}** exactly to confirm; nothing was deleted.")
        return
    try:
        delete_workspace(target, store=store_of(target))
    except StoreError as exc:
        _say("error", md(exc))
        return
    if current_id == target.id:
        select(sample_workspace())
    _say("success", f"Deleted **{md(target.name)}**" + (" and opened the sample." if current_id == target.id else "."))


def _listing(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def set_as_of(ws: Workspace, store: Store, day: date) -> None:
    """Make ``day`` the as-of date of ``ws`` (its ``store``), and say so; warn (once, with
    :func:`show_as_of_warning`) when sales, stock snapshots or stock history are dated after it."""
    with store.transaction() as writer:
        writer.set_as_of(day)
    later = {what: last for what, last in (("sales", store.latest("sales", "date")),
                                           ("stock snapshots", store.latest("inventory", "snapshot_date")),
                                           ("stock history", store.latest("stock_history", "date")))
             if last is not None and last > day}
    _say("success", f"**{md(ws.name)}** is now as of {day:%d %b %Y}; every page works from that day.")
    if later:
        st.session_state[AS_OF_WARNING] = (
            "The workspace holds " + _listing([f"{what} up to {last:%d %b %Y}" for what, last in later.items()])
            + f", after {day:%d %b %Y}: pages treat those days as the future, and imports refuse rows dated "
            "after the as-of date. Set a later date if the data is meant to count.")


def show_as_of_warning() -> None:
    """Show the warning :func:`set_as_of` left, once."""
    if (warning := st.session_state.pop(AS_OF_WARNING, None)) is not None:
        st.warning(warning)


def restore_sample() -> None:
    sample = sample_workspace()
    try:
        build_sample_workspace(sample.path, store=store_of(sample))
    except (StoreError, OSError) as exc:
        _say("error", md(exc))
        return
    _say("success", "The sample workspace is as shipped again, for everyone on this server.")


def sample_is_protected(what: str, key: str) -> bool:
    """On the sample, say it stays as shipped and offer to duplicate it before ``what`` (True: stop there)."""
    if current_workspace().id != SAMPLE:
        return False
    st.info(f"The sample workspace stays as shipped for everyone on this server. To {what}, make a copy of your "
            "own first: it opens at once, with all the sample's data.", icon=":material/lock:")
    with st.form(f"copy_sample_{key}"):
        st.text_input("Name of your copy", placeholder="e.g. my-sample", key=copy_name_key(key),
                      help="Lower-case letters, digits, '-' or '_'")
        st.form_submit_button("Duplicate the sample", on_click=duplicate, args=(SAMPLE, copy_name_key(key)))
    return True
