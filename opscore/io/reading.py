"""Read a user's CSV or Excel file into a frame of cells, with plain-English errors.

CSV cells are text. Excel cells keep their type: numbers, dates, times and yes/no stay what they
are, so a number cell is never re-read from a rendering and a date cell is a date.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd

from opscore.io.cells import MAX_CELL_CHARS, quote

MAX_FILE_MB = 1000
"""Largest upload accepted, in megabytes (server.maxUploadSize in .streamlit/config.toml matches). Uploads above
:data:`opscore.io.bulk.STREAM_ABOVE_MB` are imported through DuckDB from a temporary file, not read here whole."""
MAX_EXPANDED_MB = 500
"""Largest total size of an .xlsx workbook's unpacked parts, in megabytes (checked before they are unpacked)."""
MAX_INFLATION = 100
"""Largest ratio of a workbook part's unpacked to packed size (parts over 1 MB); ordinary sheets stay under 20."""
MAX_TEXT_CHARS = 200_000_000
"""Most characters of cell text a file may hold in all: a workbook can repeat one long shared string in every cell,
so a small file can stand for gigabytes of text once each cell is handled."""
DELIMITERS = ",;\t|"
ENCODINGS = {"utf-8": "UTF-8 (recommended)", "cp1252": "Windows-1252 (older Excel on Windows)", "latin-1": "Latin-1"}


class FileReadError(ValueError):
    """The file could not be read as a table; the message says where and how to fix it."""


def _decode(data: bytes, filename: str, encoding: str) -> str:
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileReadError(
            f"{filename}: byte 0x{data[exc.start]:02X} on line {line} is not valid {encoding.upper()} text. "
            "Save the file as 'CSV UTF-8' or choose the file's encoding (e.g. Windows-1252) and try again."
        ) from None


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv_text(text: str, filename: str, delimiter: str | None = None) -> pd.DataFrame:
    """Parse CSV text into text cells (no type guessing); raise :class:`FileReadError`."""
    if not text.strip():
        raise FileReadError(f"{filename} is empty: it has no header row and no data.")
    sep = delimiter or sniff_delimiter(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = match.groups()
            raise FileReadError(
                f"{filename}, line {line}: {saw} values but the header has {expected} columns. "
                f"A value probably contains the separator {sep!r} without quotes; quote it or fix the row."
            ) from None
        raise FileReadError(f"{filename} is not a well-formed CSV file: {quote(exc, 200)}") from None
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        others = [d for d in DELIMITERS if d != sep and d in header]
        if others:
            raise FileReadError(
                f"{filename}: only one column was found, {quote(header)}. The file seems to use "
                f"{others[0]!r} as separator, not {sep!r}; choose that separator."
            )
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def check_workbook_size(data: bytes, filename: str, max_expanded_mb: float = MAX_EXPANDED_MB,
                        max_inflation: float = MAX_INFLATION) -> None:
    """Refuse an .xlsx whose parts would unpack to more than ``max_expanded_mb`` in all, or whose large
    parts inflate more than ``max_inflation`` times (a huge repeated cell), before anything is unpacked."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileReadError(f"{filename} could not be read as an Excel workbook ({quote(exc, 200)}). "
                            "Open it in Excel and save it again as .xlsx.") from None
    expanded_mb = sum(p.file_size for p in parts) / 1e6
    if expanded_mb > max_expanded_mb:
        raise FileReadError(f"{filename} unpacks to {expanded_mb:,.1f} MB of sheet data; "
                            f"the limit is {max_expanded_mb:,g} MB. "
                            "Split it into smaller workbooks or save each sheet as CSV UTF-8.")
    for part in parts:
        if part.file_size > 1e6 and part.file_size > max_inflation * max(part.compress_size, 1):
            raise FileReadError(f"{filename}: its part {quote(part.filename)} unpacks from "
                                f"{part.compress_size / 1e3:,.0f} kB "
                                f"to {part.file_size / 1e6:,.0f} MB, far more than a table does; it probably holds an "
                                f"enormous cell. Find the cell (a cell holds at most {MAX_CELL_CHARS:,} characters), "
                                "shorten it and save again.")


def check_cell_sizes(frame: pd.DataFrame, filename: str, max_chars: int = MAX_CELL_CHARS,
                     max_total_chars: int = MAX_TEXT_CHARS) -> None:
    """Refuse a table with a header or cell longer than ``max_chars`` (naming up to five by row and column), or with
    more than ``max_total_chars`` characters of cells in all."""
    found = [f"row 1 (header): {len(str(c)):,} characters" for c in frame.columns if len(str(c)) > max_chars]
    total = 0
    for i, col in enumerate(frame.columns):
        lengths = frame.iloc[:, i].astype(str).str.len()
        total += int(lengths.sum())
        for idx in frame.index[lengths > max_chars]:
            found.append(f"row {idx + 2}, column {quote(col)}: {lengths[idx]:,} characters")
    if found:
        shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
        raise FileReadError(f"{filename}: {len(found)} cell(s) are longer than {max_chars:,} characters, the most a "
                            f"cell can hold ({shown}). Shorten them and import again.")
    if total > max_total_chars:
        raise FileReadError(f"{filename} holds {total:,} characters of cell text; the limit is {max_total_chars:,}. "
                            "It probably repeats a long text in many cells: remove it, or split the file by date "
                            "range, and import again.")


def read_excel_cells(data: bytes, filename: str, sheet: str | int | None = None,
                     max_expanded_mb: float = MAX_EXPANDED_MB) -> pd.DataFrame:
    """Read one sheet of an .xlsx into typed cells (text, numbers, dates, times, yes/no); empty cells are ''."""
    check_workbook_size(data, filename, max_expanded_mb)
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet or 0, dtype=object, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileReadError(f"{filename} could not be read as an Excel workbook "
                            f"({type(exc).__name__}: {quote(exc, 200)}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_file(data: bytes, filename: str, encoding: str = "utf-8", delimiter: str | None = None,
              sheet: str | int | None = None, max_expanded_mb: float = MAX_EXPANDED_MB,
              max_text_chars: int = MAX_TEXT_CHARS) -> pd.DataFrame:
    """Read CSV (any of , ; tab |) or Excel (.xlsx) bytes into a frame of cells (see the module docstring).

    Raises :class:`FileReadError` with a message naming the file, the line and a fix.
    """
    size_mb = len(data) / 1e6
    if size_mb > MAX_FILE_MB:
        raise FileReadError(f"{filename} is {size_mb:.0f} MB; the limit is {MAX_FILE_MB} MB. Split it by date range.")
    if not data:
        raise FileReadError(f"{filename} is empty: it has no header row and no data.")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        frame = read_excel_cells(data, filename, sheet, max_expanded_mb)
    elif filename.lower().endswith(".xls"):
        raise FileReadError(f"{filename} is an old .xls workbook; save it as .xlsx or CSV UTF-8.")
    elif b"\x00" in data[:4096]:
        raise FileReadError(f"{filename} looks like a binary file, not CSV text. Export it as CSV UTF-8.")
    else:
        frame = read_csv_text(_decode(data, filename, encoding), filename, delimiter)
    check_cell_sizes(frame, filename, max_total_chars=max_text_chars)
    return frame
