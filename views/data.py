"""Data: import a client's CSV/Excel exports into the workspace (checked, all-or-nothing) and export tables."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from opscore.io import (ENCODINGS, MAX_FILE_MB, FileReadError, NumberAmbiguity, cell_text, export_csv, export_excel,
                        import_frames, number_questions, read_file, suggest_mapping)
from opscore.store import TABLES, USER_TABLES, get_table
from ui.number_formats import ask_number_formats
from ui.state import current_store, current_workspace
from ui.text import md
from ui.widgets import download_buttons

NOT_IN_FILE = "(not in file)"
SEPARATORS = {"Detect automatically": None, "Comma ,": ",", "Semicolon ;": ";", "Tab": "\t", "Pipe |": "|"}


@st.cache_data(show_spinner=False, max_entries=8)
def _read(digest: str, _data: bytes, filename: str, encoding: str, delimiter: str | None, sheet: str | None) -> pd.DataFrame:
    return read_file(_data, filename, encoding=encoding, delimiter=delimiter, sheet=sheet)


@st.cache_data(show_spinner=False, max_entries=8)
def _questions(source: str, _raw: pd.DataFrame, name: str, mapping: tuple[tuple[str, str], ...]) -> tuple[NumberAmbiguity, ...]:
    return number_questions(_raw, get_table(name), dict(mapping))


store = current_store()
ws = current_workspace()
st.title("Data")
st.caption(f"Workspace **{md(ws.name)}**. An import is checked first and applied all at once: if any row is wrong, "
           "nothing changes and you see which rows and columns to fix.")

imp, exp = st.tabs(["Import a file", "Export tables"])
with imp:
    importable = [n for n in USER_TABLES if get_table(n).import_page is None]
    name = st.selectbox("Table to fill", importable, index=importable.index("sales"),
                        format_func=lambda n: f"{n} ({store.count(n):,} rows now)")
    elsewhere = [get_table(n) for n in USER_TABLES if n not in importable]
    if elsewhere:
        st.caption("Imported on their own page, with checks of how rows follow each other: "
                   + ", ".join(f"{t.name} ({t.import_page} page)" for t in elsewhere) + ".")
    spec = get_table(name)
    st.caption(spec.description + " Required columns: " + ", ".join(c.name for c in spec.columns if c.required) + ".")
    st.download_button("Download an empty template", export_csv(pd.DataFrame(columns=spec.column_names)),
                       f"{name}_template.csv", "text/csv")
    upload = st.file_uploader(f"CSV or Excel file (up to {MAX_FILE_MB} MB)", type=["csv", "txt", "xlsx"], key="upload")
    o1, o2, o3 = st.columns(3)
    mode = o1.radio("How to apply it", ["replace", "append"], horizontal=True,
                    format_func={"replace": "Replace the table", "append": "Add rows"}.get)
    encoding = o2.selectbox("Text encoding", list(ENCODINGS), format_func=ENCODINGS.get)
    sep_label = o3.selectbox("Separator", list(SEPARATORS))
    if upload is not None:
        data = upload.getvalue()
        try:
            digest = hashlib.sha256(data).hexdigest()
            raw = _read(digest, data, upload.name, encoding, SEPARATORS[sep_label], None)
        except FileReadError as exc:
            st.error(md(exc))
            st.stop()
        st.write(f"**{md(upload.name)}**: {len(raw):,} rows, {raw.shape[1]} columns. First rows:")
        st.dataframe(raw.head(10).map(cell_text), hide_index=True, width="stretch")
        st.subheader("Match the columns")
        suggested = {target: src for src, target in suggest_mapping(raw.columns, spec).items()}
        options = [NOT_IN_FILE, *raw.columns]
        mapping: dict[str, str] = {}
        grid = st.columns(3)
        for i, col in enumerate(spec.columns):
            default = suggested.get(col.name, NOT_IN_FILE)
            label = col.name + (" *" if col.required else "")
            chosen = grid[i % 3].selectbox(label, options, index=options.index(default), key=f"map_{name}_{col.name}",
                                           help=col.description or None)
            if chosen != NOT_IN_FILE:
                mapping[chosen] = col.name
        st.caption("Columns marked \\* are required.")
        questions = _questions(f"{digest}/{encoding}/{sep_label}", raw, name, tuple(mapping.items()))
        formats = ask_number_formats(questions, {t: s for s, t in mapping.items()}, key=f"numbers_{digest[:12]}")
        if st.button("Check and import", type="primary", disabled=formats is None,
                     help="Choose how the numbers are written first" if formats is None else None):
            with st.spinner("Checking every row..."):
                report = import_frames(store, {name: raw}, mode=mode, mappings={name: mapping},
                                       number_formats={name: formats or {}})
            for notice in report.notices:
                st.info(md(notice))
            if report.ok:
                st.success(report.summary())
            elif report.problems:
                st.error(f"Nothing was imported: {len(report.problems)} problem(s). Fix them in the file and try again.")
                st.dataframe(report.problems_frame(), hide_index=True, width="stretch")
            else:
                st.error(md(report.summary()))

with exp:
    choice = st.selectbox("Table", [t.name for t in TABLES], key="export_table")
    frame = store.table(choice)
    st.caption(f"{len(frame):,} rows")
    st.dataframe(frame.head(200), hide_index=True, width="stretch")
    download_buttons(frame, choice, key="export_one")
    if st.button("Prepare all tables as one Excel workbook"):
        with st.spinner("Writing the workbook..."):
            book = export_excel({t.name: store.table(t.name) for t in TABLES})
        st.download_button("Download workbook", book, f"{ws.name}_all_tables.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
