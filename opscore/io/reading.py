"""Read a user's CSV or Excel file into a frame of text cells, with plain-English errors."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

MAX_FILE_MB = 100
"""Largest file accepted, in megabytes (the upload limit in .streamlit/config.toml matches)."""
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


def _sniff_delimiter(text: str) -> str:
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
    sep = delimiter or _sniff_delimiter(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, engine="c")
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = match.groups()
            raise FileReadError(
                f"{filename}, line {line}: {saw} values but the header has {expected} columns. "
                f"A value probably contains the separator {sep!r} without quotes; quote it or fix the row."
            ) from None
        raise FileReadError(f"{filename} is not a well-formed CSV file: {exc}") from None
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        others = [d for d in DELIMITERS if d != sep and d in header]
        if others:
            raise FileReadError(
                f"{filename}: only one column was found, {header[:60]!r}. The file seems to use "
                f"{others[0]!r} as separator, not {sep!r}; choose that separator."
            )
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_file(data: bytes, filename: str, encoding: str = "utf-8", delimiter: str | None = None,
              sheet: str | int | None = None) -> pd.DataFrame:
    """Read CSV (any of , ; tab |) or Excel (.xlsx) bytes into a frame of text cells.

    Raises :class:`FileReadError` with a message naming the file, the line and a fix.
    """
    size_mb = len(data) / 1e6
    if size_mb > MAX_FILE_MB:
        raise FileReadError(f"{filename} is {size_mb:.0f} MB; the limit is {MAX_FILE_MB} MB. Split it by date range.")
    if not data:
        raise FileReadError(f"{filename} is empty: it has no header row and no data.")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        try:
            frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet or 0, dtype=str, keep_default_na=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FileReadError(f"{filename} could not be read as an Excel workbook ({type(exc).__name__}: {exc}).") from None
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    if filename.lower().endswith(".xls"):
        raise FileReadError(f"{filename} is an old .xls workbook; save it as .xlsx or CSV UTF-8.")
    if b"\x00" in data[:4096]:
        raise FileReadError(f"{filename} looks like a binary file, not CSV text. Export it as CSV UTF-8.")
    return read_csv_text(_decode(data, filename, encoding), filename, delimiter)
