"""Column mapping, type coercion and row checks for imported tables.

Every problem is reported with the table, the spreadsheet row (the header is row 1,
so the first data row is row 2), the column and a plain-English reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from opscore.store.schema import Column, Table

TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f", ""}
TIME_RULE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
TIMESTAMP_FORMATS = ("ISO8601", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
SYNONYMS = {
    "qty": "quantity", "units": "quantity", "product": "sku", "product_code": "sku", "item": "sku",
    "sku_code": "sku", "day": "date", "sale_date": "date", "promo": "promotion", "on_promotion": "promotion",
    "latitude": "lat", "longitude": "lon", "lng": "lon", "customer": "customer_id", "supplier": "supplier_id",
    "vehicle": "vehicle_id", "order": "order_id", "po": "po_id", "po_number": "po_id",
}


@dataclass(frozen=True)
class Problem:
    """One reason a file was rejected."""

    table: str
    row: int | None
    """Spreadsheet row (header = 1); None when the problem is about the whole file or a column."""
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.table, f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "") if p)
        return f"{where}: {self.message}"


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def suggest_mapping(source_columns: Iterable[str], table: Table) -> dict[str, str]:
    """Map file columns to table columns by normalised name and common synonyms."""
    targets = set(table.column_names)
    mapping: dict[str, str] = {}
    for src in source_columns:
        key = _norm(src)
        target = key if key in targets else SYNONYMS.get(key)
        if target in targets and target not in mapping.values():
            mapping[src] = target
    return mapping


def _row_numbers(index: pd.Index) -> np.ndarray:
    return np.asarray(index) + 2


MAX_EXAMPLES = 20
"""Rows listed per column and reason; the rest are counted in one summary line."""


def _problems(table: str, rows: pd.Index, column: str, message: str) -> list[Problem]:
    numbers = _row_numbers(rows)
    listed = [Problem(table, int(r), column, message) for r in numbers[:MAX_EXAMPLES]]
    if len(numbers) > MAX_EXAMPLES:
        listed.append(Problem(table, None, column, f"{message}: {len(numbers) - MAX_EXAMPLES} more rows like this"))
    return listed


def _parse_dates(text: pd.Series, formats: Iterable[str]) -> pd.Series:
    best: pd.Series | None = None
    for fmt in formats:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if best is None or parsed.notna().sum() > best.notna().sum():
            best = parsed
        if best.notna().sum() == text.notna().sum():
            break
    assert best is not None
    return best


def _coerce_column(raw: pd.Series, col: Column, table: str) -> tuple[pd.Series, list[Problem]]:
    text = raw.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["nan", "null", "none", "n/a", "na"])
    text = text.mask(empty)
    problems: list[Problem] = []
    if col.kind == "text":
        values = text
    elif col.kind in ("int", "float"):
        cleaned = text.str.replace(",", "", regex=False).str.replace("£", "", regex=False)
        numbers = pd.to_numeric(cleaned, errors="coerce").astype(float)
        bad = numbers.isna() & ~empty
        problems += _problems(table, raw.index[bad], col.name, "is not a number")
        infinite = numbers.notna() & ~np.isfinite(numbers)
        problems += _problems(table, raw.index[infinite], col.name, "is not a finite number")
        numbers = numbers.mask(infinite)
        if col.kind == "int":
            huge = numbers.abs() > 2.0**53
            problems += _problems(table, raw.index[huge], col.name, "is too large for a whole number")
            fractional = numbers.notna() & ~huge & (numbers != np.round(numbers))
            problems += _problems(table, raw.index[fractional], col.name, "is not a whole number")
            values = numbers.mask(fractional | huge).round().astype("Int64")
        else:
            values = numbers.astype("Float64")
    elif col.kind == "bool":
        low = text.str.lower()
        bad = ~low.isin(TRUE | FALSE) & ~empty
        problems += _problems(table, raw.index[bad], col.name, "is not yes/no (use true/false, yes/no or 1/0)")
        values = low.map(lambda v: True if v in TRUE else (False if v in FALSE else None)).astype("boolean")
    elif col.kind == "time":
        bad = ~text.fillna("").str.match(TIME_RULE) & ~empty
        problems += _problems(table, raw.index[bad], col.name, "is not a time of day (use HH:MM, e.g. 07:30)")
        parts = text.where(~bad).str.split(":", expand=True) if text.notna().any() else None
        if parts is not None and not parts.empty:
            values = parts[0].str.zfill(2) + ":" + parts[1]
        else:
            values = text
    else:
        parsed = _parse_dates(text, DATE_FORMATS if col.kind == "date" else TIMESTAMP_FORMATS)
        bad = parsed.isna() & ~empty
        hint = "YYYY-MM-DD or DD/MM/YYYY" if col.kind == "date" else "YYYY-MM-DD HH:MM"
        problems += _problems(table, raw.index[bad], col.name, f"is not a valid date (use {hint})")
        values = parsed.dt.normalize() if col.kind == "date" else parsed
    if col.required:
        problems += _problems(table, raw.index[empty], col.name, "is empty; a value is required")
    return values, problems


def coerce(raw: pd.DataFrame, table: Table, mapping: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Rename by ``mapping`` (file column -> table column) and convert every column to its kind.

    Returns the typed frame, the problems and notices (e.g. ignored extra columns).
    """
    mapping = dict(mapping) if mapping else suggest_mapping(raw.columns, table)
    unknown_targets = [t for t in mapping.values() if t not in table.column_names]
    problems: list[Problem] = [Problem(table.name, None, t, f"is not a column of {table.name}") for t in unknown_targets]
    targets = list(mapping.values())
    for t in set(targets):
        if targets.count(t) > 1:
            problems.append(Problem(table.name, None, t, "is mapped from more than one file column"))
    renamed = raw[[c for c in mapping if c in raw.columns]].rename(columns=mapping)
    notices = [f"column {c!r} is not used by {table.name} and was ignored" for c in raw.columns if c not in mapping]
    missing = [c.name for c in table.columns if c.required and c.name not in renamed.columns]
    if missing:
        problems.append(Problem(table.name, None, ", ".join(missing),
                                f"required column(s) missing from the file; {table.name} needs {', '.join(c.name for c in table.columns if c.required)}"))
    if problems:
        return pd.DataFrame(), problems, notices
    out = {}
    for col in table.columns:
        if col.name in renamed.columns:
            out[col.name], col_problems = _coerce_column(renamed[col.name], col, table.name)
            problems += col_problems
    return pd.DataFrame(out, index=raw.index), problems, notices


def check_rows(frame: pd.DataFrame, table: Table, as_of: date) -> list[Problem]:
    """Ranges, allowed values, dates after the as-of date, duplicate keys and window order."""
    problems: list[Problem] = []
    for col in table.columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        if col.minimum is not None:
            low = values.notna() & (values < col.minimum)
            what = "is negative" if col.minimum == 0 else f"is below the minimum {col.minimum:g}"
            problems += _problems(table.name, frame.index[low.fillna(False)], col.name, what)
        if col.maximum is not None:
            high = values.notna() & (values > col.maximum)
            problems += _problems(table.name, frame.index[high.fillna(False)], col.name, f"is above the maximum {col.maximum:g}")
        if col.choices is not None:
            bad = values.notna() & ~values.isin(col.choices)
            problems += _problems(table.name, frame.index[bad], col.name, f"must be one of {', '.join(col.choices)}")
        if col.not_in_future:
            future = values.notna() & (values.dt.normalize() > pd.Timestamp(as_of))
            problems += _problems(table.name, frame.index[future.fillna(False)], col.name,
                                  f"is after the workspace date {as_of:%d %b %Y}; future dates are not allowed here")
    key = [k for k in table.key if k in frame.columns]
    if len(key) == len(table.key):
        dup = frame.duplicated(subset=key, keep="first")
        label = "+".join(key)
        problems += _problems(table.name, frame.index[dup], label, "repeats a key already on an earlier row")
    for start, end in (("window_start", "window_end"), ("shift_start", "shift_end")):
        if start in frame.columns and end in frame.columns:
            wrong = frame[start].notna() & frame[end].notna() & (frame[start] >= frame[end])
            problems += _problems(table.name, frame.index[wrong], end, f"must be later than {start}")
    return problems


def check_references(frame: pd.DataFrame, table: Table, known: Mapping[str, set[object]]) -> list[Problem]:
    """Unknown foreign keys; ``known`` maps ``table.column`` to the keys that exist."""
    problems: list[Problem] = []
    for col in table.columns:
        if col.references and col.name in frame.columns and col.references in known:
            values = frame[col.name]
            bad = values.notna() & ~values.isin(known[col.references])
            parent = col.references.split(".")[0]
            rows = frame.index[bad]
            for idx in rows[:MAX_EXAMPLES]:
                problems.append(Problem(table.name, int(idx) + 2, col.name,
                                        f"{values[idx]!r} is not in {parent}; add it there first or fix the code"))
            if len(rows) > MAX_EXAMPLES:
                problems.append(Problem(table.name, None, col.name,
                                        f"{len(rows) - MAX_EXAMPLES} more rows refer to codes not in {parent}"))
    return problems
