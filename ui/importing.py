"""The Data page's import steps: match the columns, add up line-level exports, confirm and apply."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from opscore.io import (
    MAX_FILE_MB,
    STREAM_ABOVE_MB,
    Confidence,
    ImportPreview,
    ImportReport,
    NumberFormat,
    check_large_file,
    detect_layout,
    import_frames,
    import_large_file,
    import_preview,
    match_headers,
)
from opscore.io.importer import Mode
from opscore.store import Store, Table
from opscore.workspaces import Workspace, imports_dir
from ui.number_formats import ask_number_formats
from ui.services.data import added_up_lines
from ui.text import md

NOT_IN_FILE = "(not in file)"
FILE_TYPES = ("csv", "txt", "xlsx", "parquet")
SOURCES = {"upload": "Upload it", "folder": "A file on this machine"}
IMPORT_PENDING = "import_pending"
"""Session key: the confirmation an import waits for, ``(signature, question)``, or the signature of a checked one."""
IMPORT_DONE = "import_done"
"""Session key: the report of the import just applied, shown once on the next run beside the new row count."""


def questions_key(upload_key: str) -> str:
    """Session key: the number questions only the whole of the file ``upload_key`` names raised when checked."""
    return f"questions_{upload_key}"


def digest_key(file_id: str) -> str:
    """Session key: the SHA-256 of the upload with Streamlit's ``file_id``, computed once per upload."""
    return f"_digest_{file_id}"


@dataclass(frozen=True)
class PickedFile:
    """A file chosen for import: small ones as bytes, large ones (and those on this machine) by path."""

    name: str
    digest: str
    """Identifies the content (SHA-256 of an upload; name, size and time of a file on this machine)."""
    data: bytes | None
    path: Path | None
    spooled: bool = False
    """The path is this server's temporary copy of an upload (removed once imported)."""

    @property
    def streamed(self) -> bool:
        """Read through DuckDB in one pass (CSV over :data:`STREAM_ABOVE_MB` MB, and Parquet) rather than pandas."""
        return self.data is None


def _streamed(name: str, size: int) -> bool:
    """Parquet, and CSV over :data:`STREAM_ABOVE_MB`, go through DuckDB; Excel (at most 1,048,576 rows) never does."""
    suffix = Path(name).suffix.lower()
    return suffix == ".parquet" or (suffix in (".csv", ".txt") and size > STREAM_ABOVE_MB * 1e6)


@st.cache_resource(show_spinner=False)
def _spool_dir() -> Path:
    """This server's own folder for large uploads: made new, readable by its owner only."""
    return Path(tempfile.mkdtemp(prefix="opscore-uploads-"))


def _spool(buffer: memoryview, digest: str, name: str) -> Path:
    """A large upload written to a file (named by its digest) so DuckDB can stream it; two sessions writing the
    same upload each write their own temporary file and the last rename wins, with identical content."""
    path = _spool_dir() / f"{digest}{Path(name).suffix.lower()}"
    if not path.exists():
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as part:
            part.write(buffer)
        os.replace(part.name, path)
    return path


def _digest(upload: object, buffer: memoryview) -> str:
    """SHA-256 of an upload, computed once per upload (a 1 GB file takes seconds), remembered by its file id."""
    key = digest_key(getattr(upload, "file_id", ""))
    if key not in st.session_state:
        st.session_state[key] = hashlib.sha256(buffer).hexdigest()
    return str(st.session_state[key])


def pick_file(key: str, ws: Workspace) -> PickedFile | None:
    """Upload a file, or choose one put in the workspace's imports folder on this machine (for files too big
    to upload)."""
    where = st.radio("Where is the file?", list(SOURCES), format_func=SOURCES.get, horizontal=True, key=f"{key}_source")
    if where == "upload":
        upload = st.file_uploader(f"CSV, Excel or Parquet file (up to {MAX_FILE_MB:,} MB)", type=list(FILE_TYPES),
                                  key="upload")
        if upload is None:
            return None
        buffer = upload.getbuffer()
        digest = _digest(upload, buffer)
        if _streamed(upload.name, len(buffer)):
            return PickedFile(upload.name, digest, None, _spool(buffer, digest, upload.name), spooled=True)
        return PickedFile(upload.name, digest, bytes(buffer), None)
    folder = imports_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in FILE_TYPES)
    st.caption(f"Files in this workspace's imports folder on the server, `imports/{ws.id}/` in the app's data "
               "folder. Copy a CSV or Parquet file of any size the disk holds there and choose it here.")
    if not files:
        st.info("The imports folder holds no CSV, Excel or Parquet file yet.")
        return None
    path = st.selectbox("File", files, format_func=lambda p: f"{p.name} ({p.stat().st_size / 1e6:,.1f} MB)",
                        key=f"{key}_file")
    stat = path.stat()
    digest = hashlib.sha256(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    if _streamed(path.name, stat.st_size):
        return PickedFile(path.name, digest, None, path)
    if stat.st_size > MAX_FILE_MB * 1e6:
        st.error(f"{md(path.name)} is {stat.st_size / 1e6:,.0f} MB; a workbook is read whole, so the limit is "
                 f"{MAX_FILE_MB:,} MB. Save its sheet as CSV UTF-8 (any size) and choose that.")
        return None
    return PickedFile(path.name, digest, path.read_bytes(), None)
SURE = (Confidence.REMEMBERED, Confidence.EXACT, Confidence.KNOWN_NAME)


def match_columns(raw: pd.DataFrame, spec: Table, remembered: Mapping[str, str], key: str) -> dict[str, str]:
    """One choice per table column, preset from the headers (and the mapping remembered for this source), each
    with how sure the match is. Returns file column -> table column."""
    matches = {m.target: m for m in match_headers(raw.columns, spec, remembered)}
    sure = sum(m.confidence in SURE for m in matches.values())
    st.subheader("Match the columns")
    st.caption(f"{sure} of {len(spec.columns)} columns matched by name"
               + (" or remembered from the last file like this one" if remembered else "")
               + ". Check any marked *similar name*; columns marked \\* are required.")
    options = [NOT_IN_FILE, *raw.columns]
    mapping: dict[str, str] = {}
    grid = st.columns(3)
    for i, col in enumerate(spec.columns):
        match = matches.get(col.name)
        chosen = grid[i % 3].selectbox(
            col.name + (" \\*" if col.required else ""), options,
            index=options.index(match.source) if match else 0, key=f"{key}_{col.name}",
            help=col.description or None)
        if match and chosen == match.source:
            grid[i % 3].caption(f"{match.confidence.value}" + ("" if match.confidence in SURE else ": check it"))
        if chosen != NOT_IN_FILE:
            mapping[chosen] = col.name
    return mapping


def line_level_note(columns: Collection[str], table: str) -> None:
    """For a line-level export that is not added up here: one chosen for another table than sales, or one streamed
    through DuckDB (too large to add up on this page); say what to do."""
    layout = detect_layout(columns)
    if layout is None:
        return
    if table != "sales":
        st.warning(f"This file looks like a **{layout.name}** (its rows are {layout.lines}), which fills **sales**: "
                   "choose sales in *Table to fill*.", icon=":material/receipt_long:")
    else:
        st.info(f"This file looks like a **{layout.name}** (its rows are {layout.lines}), but it is over "
                f"{STREAM_ABOVE_MB} MB, too large to add up into daily sales here. Export a shorter date range "
                "(a month or a quarter) and import each file with *Add or update rows*.",
                icon=":material/receipt_long:")


def line_level_sales(raw: pd.DataFrame, source: str, key: str, version: str, as_of: date) -> pd.DataFrame | None:
    """For a line-level export (one row per order or till line): offer to add the lines up into daily sales,
    checking each line's SKU against the products of the workspace ``version`` (a :func:`ui.state.cache_key`)
    names and its day against ``as_of``.

    Returns the daily rows once they are ready, or None when the file is not line-level or the user declines
    (then its columns are matched as they are). Stops the page while a question or problem is open.
    """
    first = added_up_lines(version, source, raw, (), as_of)
    if first is None:
        return None
    st.info(f"This file looks like a **{first.layout.name}**: its rows are {first.layout.lines}, so the same SKU "
            "appears many times a day.", icon=":material/receipt_long:")
    if not st.toggle("Add the lines up into daily sales per SKU", value=True, key=f"{key}_add_up",
                     help="Units are summed per day and SKU; the price is the revenue-weighted price actually "
                          "charged; a day counts as promoted if any of its lines was."):
        return None
    formats = ask_number_formats(first.questions, {}, key=f"{key}_numbers") if first.questions else {}
    if formats is None:
        st.stop()
    lines = added_up_lines(version, source, raw, tuple(sorted(formats.items())), as_of) if formats else first
    assert lines is not None
    for notice in lines.notices:
        st.info(md(notice))
    if not lines.ok:
        st.error(f"The lines cannot be added up yet: {len(lines.problems)} problem(s), each named by its row in "
                 "the file. Fix them and upload it again.")
        st.dataframe(pd.DataFrame([(p.row, p.column, p.message) for p in lines.problems],
                                  columns=["row", "column", "problem"]), hide_index=True, width="stretch")
        st.stop()
    st.success(md(lines.summary()))
    if lines.skipped:
        st.dataframe(pd.DataFrame([(s.reason, len(s.rows), ", ".join(map(str, s.rows[:10])))
                                   for s in lines.skipped], columns=["skipped", "lines", "rows (first 10)"]),
                     hide_index=True)
    st.dataframe(lines.sales.head(10), hide_index=True, width="stretch")
    return lines.sales


def show_report(report: ImportReport | ImportPreview) -> None:
    """What an import did, or every problem that stopped it, with where to fix each."""
    for notice in report.notices:
        st.info(md(notice))
    if report.ok:
        st.success(md(report.summary()))
        st.toast(md(report.summary()), icon=":material/check_circle:")
    elif report.problems:
        st.error(f"Nothing was imported: {len(report.problems)} problem{'' if len(report.problems) == 1 else 's'}. "
                 "Each row below says where it is and what to do; fix them and check again.")
        st.dataframe(report.problems_frame(), hide_index=True, width="stretch")
    else:
        st.error(md(report.summary()))


def check_or_import(store: Store, picked: PickedFile, name: str, frame: pd.DataFrame, mapping: Mapping[str, str],
                    mode: Mode, formats: Mapping[str, NumberFormat] | None, delimiter: str | None, encoding: str,
                    write: bool) -> ImportReport | ImportPreview:
    """Check (``write=False``) or import the picked file into table ``name``: a large one streamed through DuckDB,
    a small one (``frame``, its cells or its lines added up) in pandas."""
    numbers = dict(formats or {})
    if picked.path is not None:
        streamed = import_large_file if write else check_large_file
        return streamed(store, name, picked.path, mapping, mode, numbers, delimiter=delimiter, encoding=encoding)
    in_memory = import_frames if write else import_preview
    return in_memory(store, {name: frame}, mode=mode, mappings={name: dict(mapping)}, number_formats={name: numbers})
