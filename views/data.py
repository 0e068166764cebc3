"""Data: import a client's exports into the workspace (every row checked, applied all at once) and export tables."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from opscore.io import (
    ENCODINGS,
    FileReadError,
    cell_text,
    export_csv,
    recall_mapping,
    remember_mapping,
    tables_workbook,
)
from opscore.store import TABLES, USER_TABLES, get_table
from ui import importing
from ui.number_formats import ask_number_formats
from ui.road_settings import road_panel
from ui.services.data import format_questions, large_file_head, read_upload
from ui.state import cache_key, current_store, current_workspace
from ui.text import md
from ui.widgets import download_buttons
from ui.workspace_actions import sample_is_protected, show_outcome

SEPARATORS = {"Detect automatically": None, "Comma ,": ",", "Semicolon ;": ";", "Tab": "\t", "Pipe |": "|"}
MODES = {"refresh": "Add or update rows", "replace": "Replace the table"}


store = current_store()
ws = current_workspace()
st.title("Data")
st.caption(f"Workspace **{md(ws.name)}**, data as of {store.as_of():%d %b %Y}. An import is checked first and "
           "applied all at once: if any row is wrong, nothing changes and you see which rows and columns to fix.")

imp, exp, road = st.tabs(["Import a file", "Export tables", "Road network"])
with road:
    road_panel(ws, store, cache_key())
with exp:
    choice = st.selectbox("Table", [t.name for t in TABLES], key="export_table")
    frame = store.table(choice)
    st.caption(f"{len(frame):,} rows")
    st.dataframe(frame.head(200), hide_index=True, width="stretch")
    download_buttons(frame, choice, key="export_one")
    if st.button("Prepare all tables as one Excel workbook"):
        with st.spinner("Writing the workbook..."):
            book = tables_workbook(store)
        st.download_button("Download workbook", book, f"{ws.name}_all_tables.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

with imp:  # last: its steps stop the page until the file is ready
    done = st.session_state.pop(importing.IMPORT_DONE, None)
    if done is not None:
        importing.show_report(done)
    show_outcome()  # a copy of the sample made just below
    if sample_is_protected("import a client's files or try your own data", "import"):
        st.stop()
    importable = [n for n in USER_TABLES if get_table(n).import_page is None]
    elsewhere = [get_table(n) for n in USER_TABLES if n not in importable]
    name = st.selectbox("Table to fill", importable, index=importable.index("sales"), key="import_table",
                        help="Fill a new workspace in this order, so each file's codes are known: sites, suppliers, "
                             "products, bins, then stock, sales and stock history. "
                             + ("Imported on their own page, with checks of how rows follow each other: "
                                + ", ".join(f"{t.name} ({t.import_page} page)" for t in elsewhere) + "."
                                if elsewhere else ""))
    spec = get_table(name)
    st.caption(f"**{name}** holds {store.count(name):,} rows now. {spec.description} Required columns: "
               + ", ".join(c.name for c in spec.columns if c.required) + ".")
    st.download_button("Download an empty template", export_csv(pd.DataFrame(columns=spec.column_names)),
                       f"{name}_template.csv", "text/csv")
    o1, o2, o3 = st.columns(3)
    refresh_help = (f"Rows of {name} dated within the file's first and last {spec.refresh_by} are replaced by the "
                    "file's rows; other dates stay. Importing an overlapping month again doubles nothing."
                    if spec.refresh_by else f"A row with the same {' + '.join(spec.key)} as a stored row replaces "
                    "it; other rows stay.")
    mode = o1.radio("How to apply it", list(MODES), format_func=MODES.get, key="import_mode", help="Add or update: "
                    f"{refresh_help} Replace: the table becomes exactly the file (you confirm first).")
    encoding = o2.selectbox("Text encoding", list(ENCODINGS), format_func=ENCODINGS.get)
    sep_label = o3.selectbox("Separator", list(SEPARATORS))
    picked = importing.pick_file("import", ws)
    if picked is None:
        st.stop()
    try:
        if picked.path is not None:
            head = large_file_head(picked.digest, str(picked.path), SEPARATORS[sep_label], encoding)
            raw = head.head
            st.write(f"**{md(picked.name)}**: {head.size_mb:,.0f} MB, {raw.shape[1]} columns, read and checked in one "
                     "pass when you import it. First rows:")
        else:
            raw = read_upload(picked.digest, picked.data, picked.name, encoding, SEPARATORS[sep_label])
            st.write(f"**{md(picked.name)}**: {len(raw):,} row{'' if len(raw) == 1 else 's'}, {raw.shape[1]} "
                     f"column{'' if raw.shape[1] == 1 else 's'}. First rows:")
    except FileReadError as exc:
        st.error(md(exc))
        st.stop()
    st.dataframe(raw.head(10).map(cell_text), hide_index=True, width="stretch")
    source = f"{picked.digest}/{encoding}/{sep_label}"
    key = f"{name}_{picked.digest[:12]}"
    version = cache_key()
    daily = None
    if name != "sales" or picked.streamed:
        importing.line_level_note(raw.columns, name)
    else:
        daily = importing.line_level_sales(raw, source, key, version, store.as_of())
    if daily is not None:
        frame, mapping, formats = daily, {c: c for c in daily.columns}, {}
    else:
        frame = raw
        mapping = importing.match_columns(raw, spec, recall_mapping(store, name, raw.columns), key=f"map_{key}")
        # the head's questions, and those only the whole of a large file raised when it was checked
        questions = (format_questions(source, raw, name, tuple(mapping.items()))
                     + st.session_state.get(importing.questions_key(key), ()))
        formats = ask_number_formats(questions, {t: s for s, t in mapping.items()}, key=f"numbers_{key}")

    # what a confirmation applies to: this file, read and matched this way, into this workspace as it is now
    signature = f"{version}|{source}|{name}|{mode}|{sorted(mapping.items())}|{sorted((formats or {}).items())}"
    pending = st.session_state.get(importing.IMPORT_PENDING)
    if st.button("Check and import", type="primary", disabled=formats is None,
                 help="Choose how the numbers are written first" if formats is None else None):
        with st.spinner("Checking every row..."):
            preview = importing.check_or_import(store, picked, name, frame, mapping, mode, formats,
                                                SEPARATORS[sep_label], encoding, write=False)
        if preview.ambiguities and not preview.problems:
            st.session_state[importing.questions_key(key)] = preview.ambiguities
            st.rerun()
        if not preview.ok:
            importing.show_report(preview)
            st.stop()
        question = preview.question()
        if question is None:
            pending = signature
        else:
            st.session_state[importing.IMPORT_PENDING] = pending = (signature, question)
    if isinstance(pending, tuple) and pending[0] == signature:
        st.warning(md(pending[1]), icon=":material/warning:")
        yes, no = st.columns(2)
        if no.button("Cancel", key="import_cancel"):
            st.session_state.pop(importing.IMPORT_PENDING, None)
            st.rerun()
        go = yes.button("Yes, import", type="primary", key="import_confirm")
    else:
        go = pending == signature
    if not go:
        st.stop()
    st.session_state.pop(importing.IMPORT_PENDING, None)
    with st.spinner("Importing: every row is checked first..."):
        report = importing.check_or_import(store, picked, name, frame, mapping, mode, formats, SEPARATORS[sep_label],
                                           encoding, write=True)
    if not report.ok:
        importing.show_report(report)
        st.stop()
    if daily is None:
        remember_mapping(store, name, raw.columns, mapping, datetime.now())
    if picked.spooled and picked.path is not None:
        picked.path.unlink(missing_ok=True)
    st.session_state[importing.IMPORT_DONE] = report  # shown on the next run, beside the table's new row count
    st.rerun()
