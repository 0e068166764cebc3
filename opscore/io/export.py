"""Every CSV and Excel file the app writes, made safe to open in a spreadsheet.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is written
as text: in CSV with a leading ``'`` (OWASP CSV injection guidance), in Excel as a string cell
(never a formula). Control characters that spreadsheets cannot hold are dropped. Numbers, dates
and times stay what they are, negative numbers included.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from opscore.io.cells import CONTROL, looks_like_formula
from opscore.store import TABLES, Store

Sheets = Mapping[str, pd.DataFrame | Sequence[pd.DataFrame]]
"""Sheet name -> a table, or tables written one under another with a blank row between."""


def _safe_text(value: str, quote: bool) -> str:
    value = CONTROL.sub("", value)
    return "'" + value if quote and looks_like_formula(value) else value


def neutralise(frame: pd.DataFrame, quote: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe in a spreadsheet.

    Control characters are removed; with ``quote``, text starting like a formula gets a leading ``'``.
    Only text cells change: numbers (negative ones too), dates and missing values are kept.
    """
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[col] = values.map(lambda v: _safe_text(v, quote) if isinstance(v, str) else v)
    out.columns = [_safe_text(str(c), quote) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame, date_format: str | None = None) -> str:
    """A frame as CSV text (no index, CRLF line ends as RFC 4180 asks, so a cell holding a lone CR is quoted),
    made safe by :func:`neutralise`."""
    text: str = neutralise(frame).to_csv(index=False, date_format=date_format, lineterminator="\r\n")
    return text


def export_csv(frame: pd.DataFrame, date_format: str | None = None) -> bytes:
    """A frame as UTF-8 CSV bytes with a BOM (so Excel opens it correctly), made safe by :func:`neutralise`."""
    return csv_text(frame, date_format).encode("utf-8-sig")


def _cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A value as openpyxl writes it; text always as a string cell, never a formula or an error code."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, (np.generic, bool, int, float, datetime, date, time)):
        return value.item() if isinstance(value, np.generic) else value
    return _cell(sheet, str(value))


def _write(sheet: WriteOnlyWorksheet, frame: pd.DataFrame) -> None:
    safe = neutralise(frame, quote=False)
    sheet.append([_cell(sheet, str(c)) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, v) for v in row])


def export_excel(sheets: Sheets) -> bytes:
    """Tables as sheets of one .xlsx workbook (names cut to Excel's 31 characters); text is never a formula.

    The one Excel writer of the app: every workbook it offers (reports, plans, forecasts, tables) is written here.
    """
    book = Workbook(write_only=True)
    for name, content in sheets.items():
        sheet = book.create_sheet(name[:31])
        for i, frame in enumerate([content] if isinstance(content, pd.DataFrame) else content):
            if i:
                sheet.append([])
            _write(sheet, frame)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tables_workbook(store: Store, names: Sequence[str] | None = None) -> bytes:
    """The workspace's tables ``names`` (default: every table, in schema order) as one .xlsx workbook, a sheet per
    table, written by :func:`export_excel`."""
    return export_excel({name: store.table(name) for name in (names or [t.name for t in TABLES])})
