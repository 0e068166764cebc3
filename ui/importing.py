"""The Data page's import steps: match the columns, add up line-level exports, confirm and apply."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from opscore.io import (MAX_FILE_MB, STREAM_ABOVE_MB, Confidence, ImportPreview, ImportReport, LineAggregation,
                        NumberFormat, aggregate_lines, detect_layout, match_headers)
from opscore.workspaces import imports_dir
from opscore.store import Table
from ui.number_formats import ask_number_formats
from ui.text import md

NOT_IN_FILE = "(not in file)"
FILE_TYPES = ("csv", "txt", "xlsx", "parquet")
SOURCES = {"upload": "Upload it", "folder": "A file on this machine"}


@dataclass(frozen=True)
class PickedFile:
    """A file chosen for import: small ones as bytes, large ones (and those on this machine) by path."""

    name: str
    digest: str
    """Identifies the content (SHA-256 of an upload; name, size and time of a file on this machine)."""
    data: bytes | None
    path: Path | None

    @property
    def streamed(self) -> bool:
        """Read through DuckDB in one pass (CSV over :data:`STREAM_ABOVE_MB` MB, and Parquet) rather than pandas."""
        return self.data is None


def _streamed(name: str, size: int) -> bool:
    """Parquet, and CSV over :data:`STREAM_ABOVE_MB`, go through DuckDB; Excel (at most 1,048,576 rows) never does."""
    suffix = Path(name).suffix.lower()
    return suffix == ".parquet" or (suffix in (".csv", ".txt") and size > STREAM_ABOVE_MB * 1e6)


def _spool(buffer: memoryview, digest: str, name: str) -> Path:
    """Write a large upload to a temporary file once (named by its digest) so DuckDB can stream it."""
    folder = Path(tempfile.gettempdir()) / "opscore-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{digest}{Path(name).suffix.lower()}"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(buffer)
        partial.replace(path)
    return path


def pick_file(key: str) -> PickedFile | None:
    """Upload a file, or choose one put in the imports folder on this machine (for files too big to upload)."""
    where = st.radio("Where is the file?", list(SOURCES), format_func=SOURCES.get, horizontal=True, key=f"{key}_source")
    if where == "upload":
        upload = st.file_uploader(f"CSV, Excel or Parquet file (up to {MAX_FILE_MB:,} MB)", type=list(FILE_TYPES),
                                  key="upload")
        if upload is None:
            return None
        buffer = upload.getbuffer()
        digest = hashlib.sha256(buffer).hexdigest()
        if _streamed(upload.name, len(buffer)):
            return PickedFile(upload.name, digest, None, _spool(buffer, digest, upload.name))
        return PickedFile(upload.name, digest, bytes(buffer), None)
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in FILE_TYPES)
    st.caption(f"Files in the imports folder on the server: {md(folder)}. Copy a file there (any size the disk "
               "holds) and choose it here.")
    if not files:
        st.info("The imports folder holds no CSV, Excel or Parquet file yet.")
        return None
    path = st.selectbox("File", files, format_func=lambda p: f"{p.name} ({p.stat().st_size / 1e6:,.1f} MB)",
                        key=f"{key}_file")
    stat = path.stat()
    digest = hashlib.sha256(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    if _streamed(path.name, stat.st_size):
        return PickedFile(path.name, digest, None, path)
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


@st.cache_data(show_spinner=False, max_entries=8)
def _aggregate(source: str, _raw: pd.DataFrame, formats: tuple[tuple[str, NumberFormat], ...]) -> LineAggregation | None:
    layout = detect_layout(_raw.columns)
    return None if layout is None else aggregate_lines(_raw, layout, dict(formats) or None)


def line_level_sales(raw: pd.DataFrame, source: str, key: str) -> pd.DataFrame | None:
    """For a line-level export (one row per order or till line): offer to add the lines up into daily sales.

    Returns the daily rows once they are ready, or None when the file is not line-level or the user declines
    (then its columns are matched as they are). Stops the page while a question or problem is open.
    """
    first = _aggregate(source, raw, ())
    if first is None:
        return None
    st.info(f"This file looks like a **{first.layout.name}**: one row per {first.layout.lines}, so the same SKU "
            "appears many times a day.", icon=":material/receipt_long:")
    if not st.toggle("Add the lines up into daily sales per SKU", value=True, key=f"{key}_add_up",
                     help="Units are summed per day and SKU; the price is the revenue-weighted price actually "
                          "charged; a day counts as promoted if any of its lines was."):
        return None
    formats = ask_number_formats(first.questions, {}, key=f"{key}_numbers") if first.questions else {}
    if formats is None:
        st.stop()
    lines = _aggregate(source, raw, tuple(sorted(formats.items()))) if formats else first
    assert lines is not None
    for notice in lines.notices:
        st.info(md(notice))
    if not lines.ok:
        st.error(f"The lines cannot be added up yet: {len(lines.problems)} problem(s). Fix them in the file "
                 "and upload it again.")
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
    elif report.problems:
        st.error(f"Nothing was imported: {len(report.problems)} problem{'' if len(report.problems) == 1 else 's'}. "
                 "Each row below says where it is and what to do; fix them and check again.")
        st.dataframe(report.problems_frame(), hide_index=True, width="stretch")
    else:
        st.error(md(report.summary()))
