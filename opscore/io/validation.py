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

from opscore.io.cells import (
    CONTROL,
    LINE_BREAKS,
    cell_text,
    describe_control,
    ignored_columns,
    looks_like_formula,
    per_value,
    quote,
)
from opscore.io.headers import Confidence, match_headers
from opscore.io.numbers import NumberAmbiguity, NumberFormat, parse_column, parse_number, read_convention
from opscore.store.schema import Column, Table

TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f", ""}
TIME_RULE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
TIMESTAMP_FORMATS = ("ISO8601", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "subtotal", "gesamt", "summe", "gesamtsumme"})
"""Labels of a totals line (compared in lower case, without a trailing colon)."""
_TOTAL_SPELLINGS = frozenset(f"{case(w)}{end}" for w in TOTAL_WORDS for case in (str.lower, str.upper, str.title,
                                                                                  str.capitalize) for end in ("", ":"))
"""How totals labels are written, to find candidate rows fast (:func:`_cell_kind` then decides)."""


@dataclass(frozen=True)
class Problem:
    """One reason a file was rejected."""

    table: str
    row: int | None
    """Spreadsheet row (header = 1); None when the problem is about the whole file or a column."""
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.table, f"row {self.row}" if self.row else "",
                                      f"column {self.column}" if self.column else "") if p)
        return f"{where}: {self.message}"


def suggest_mapping(source_columns: Iterable[str], table: Table,
                    remembered: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map file columns to table columns ({file column: table column}); see :func:`match_headers`."""
    return {m.source: m.target for m in match_headers(source_columns, table, remembered)}


MAX_EXAMPLES = 20
"""Rows listed per column and reason; the rest are counted in one summary line."""
EMPTY_WORDS = ["nan", "null", "none", "n/a", "na"]
"""Cell texts read as an empty cell (besides blanks)."""


def _protected(text: str) -> bool:
    """True for text as an export writes text that looks like a formula: behind a ``'``
    (see :mod:`opscore.io.export`)."""
    return text.startswith("'") and looks_like_formula(text[1:])


def row_problems(table: str, rows: pd.Index, column: str, message: str,
                 shown: pd.Series | None = None) -> list[Problem]:
    """One problem per row (the first :data:`MAX_EXAMPLES`), quoting the row's value from ``shown`` if given."""
    listed = [Problem(table, int(idx) + 2, column, message if shown is None else f"{message}: {quote(shown[idx])}")
              for idx in rows[:MAX_EXAMPLES]]
    if len(rows) > MAX_EXAMPLES:
        listed.append(Problem(table, None, column, f"{message}: {len(rows) - MAX_EXAMPLES} more rows like this"))
    return listed


def _named(table: str, rows: pd.Index, column: str, values: pd.Series, message: str, more: str) -> list[Problem]:
    """One problem per row (the first :data:`MAX_EXAMPLES`) starting with the row's value, then ``more`` counted."""
    listed = [Problem(table, int(idx) + 2, column, f"{quote(values[idx])} {message}") for idx in rows[:MAX_EXAMPLES]]
    if len(rows) > MAX_EXAMPLES:
        listed.append(Problem(table, None, column, f"{len(rows) - MAX_EXAMPLES} more rows {more}"))
    return listed


_EMPTY, _NUMBER, _TOTAL, _OTHER = range(4)
"""What one cell is, for recognising a totals line."""


def _label(text: str) -> str:
    """Stripped text as compared with :data:`TOTAL_WORDS`."""
    return text.strip().lower().rstrip(":. ")


def _cell_kind(value: object) -> int:
    """Whether a cell is empty, a number, a totals label or other text."""
    text = cell_text(value).strip()
    if not text:
        return _EMPTY
    if isinstance(value, str) and _label(text) in TOTAL_WORDS:
        return _TOTAL
    if isinstance(value, str):
        return _NUMBER if any(parse_number(text, f) is not None for f in NumberFormat) else _OTHER
    return _NUMBER if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)) else _OTHER


def _stripped(cells: pd.Series) -> pd.Series:
    """Every cell as text without surrounding spaces; '' where empty (typed Excel cells as written)."""
    text = cells if pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty") else cells.map(cell_text)
    return text.fillna("").astype(str).str.strip()


def skip_rows(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """``raw`` without its blank rows (every cell empty, as spreadsheets leave them) and totals lines (one text cell
    saying Total, Sum, Summe..., numbers in others, nothing else), with a notice for each kind left out.

    The remaining rows keep their index labels, so spreadsheet row numbers stay right (label + 2).
    """
    blank = pd.Series(True, index=raw.index)
    said_total = pd.Series(False, index=raw.index)
    for i in range(raw.shape[1]):
        text = _stripped(raw.iloc[:, i])
        blank &= text.eq("").to_numpy(dtype=bool)
        said_total |= text.isin(_TOTAL_SPELLINGS).to_numpy(dtype=bool)
    kinds = raw.loc[said_total & ~blank].map(_cell_kind)
    total = kinds.eq(_TOTAL).sum(axis=1).eq(1) & kinds.eq(_NUMBER).any(axis=1) & ~kinds.eq(_OTHER).any(axis=1)
    notices = []
    if blank.any():
        count = int(blank.sum())
        first = int(blank.index[blank][0]) + 2
        notices.append(f"{count} blank row{'s' if count > 1 else ''} skipped "
                       f"({'first on row' if count > 1 else 'row'} {first})")
    for idx in total.index[total]:
        word = next(v for v in raw.loc[idx] if _cell_kind(v) == _TOTAL)
        notices.append(f"row {int(idx) + 2} ({quote(str(word).strip())}) is a totals line and was left out")
    left_out = blank.copy()
    left_out.loc[total.index[total]] = True
    return raw.loc[~left_out], tuple(notices)


@dataclass(frozen=True)
class Coerced:
    """One column converted to its kind, with what stopped or changed it."""

    values: pd.Series
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    ambiguity: NumberAmbiguity | None = None


def cells_and_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(cells, text): the typed cells with text stripped, and every cell as text; both NaN where empty.

    CSV cells are all text; Excel cells may be numbers, dates, times or yes/no, kept as they are.
    """
    all_text = pd.api.types.infer_dtype(raw, skipna=True) in ("string", "empty")
    text = (raw.astype(str) if all_text else raw.map(cell_text)).str.strip()
    text = text.mask(text.eq("") | text.str.lower().isin(EMPTY_WORDS))
    if all_text:
        return text, text
    cells = raw.where(~raw.map(lambda v: isinstance(v, str)), text).where(text.notna())
    return cells, text


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


def text_column(text: pd.Series, name: str, table: str) -> Coerced:
    """Text cells: control characters refused; tabs and line breaks become one space; the quote an export
    puts before a leading = + - @ (see :mod:`opscore.io.export`) is removed."""
    broken = per_value(text, lambda v: CONTROL.search(v) is not None).eq(True)
    problems = [Problem(table, int(idx) + 2, name, "contains an invisible control character "
                        f"({describe_control(text[idx])}); "
                        "delete it in the file and import again (it usually comes from a damaged export)")
                for idx in text.index[broken][:MAX_EXAMPLES]]
    if broken.sum() > MAX_EXAMPLES:
        problems.append(Problem(table, None, name,
                                f"{broken.sum() - MAX_EXAMPLES} more rows contain control characters"))
    quoted = per_value(text, _protected).eq(True)
    breaks = per_value(text, lambda v: LINE_BREAKS.search(v) is not None).eq(True)
    values = per_value(text, lambda v: LINE_BREAKS.sub(" ", v[1:] if _protected(v) else v).strip())
    notices = []
    if breaks.any():
        notices.append(f"column {name}: tabs or line breaks in {int(breaks.sum())} cell(s) (first on row "
                       f"{text.index[breaks][0] + 2}) became a single space")
    if quoted.any():
        notices.append(f"column {name}: the leading ' that protects text starting with = + - @ in spreadsheets was "
                       f"removed from {int(quoted.sum())} cell(s) (first on row {text.index[quoted][0] + 2})")
    return Coerced(values.where(text.notna(), np.nan), tuple(problems), tuple(notices))


def number_column(cells: pd.Series, text: pd.Series, col: Column, table: str, chosen: NumberFormat | None) -> Coerced:
    """Numbers read in the column's convention: ``chosen``, else the one its values prove (see :mod:`numbers`)."""
    reading = read_convention(cells, lambda x: (col.minimum is None or x >= col.minimum)
                              and (col.maximum is None or x <= col.maximum))
    fmt = chosen or reading.evident
    notices: tuple[str, ...] = ()
    if chosen is None and reading.point_only and reading.comma_only:
        p, c = reading.point_only[0], reading.comma_only[0]
        return Coerced(pd.Series(np.nan, index=cells.index), (Problem(table, None, col.name, (
            f"mixes decimal points (row {p + 2}: {quote(text[p])}) and decimal commas (row {c + 2}: {quote(text[c])}); "
            "write every number of the column the same way")),))
    if fmt is None and reading.differ:
        rows = list(reading.differ[:5])
        rows += [i for i in cells.dropna().index[:5] if i not in rows][: 5 - len(rows)]
        readings = {f: parse_column(cells, f) for f in NumberFormat}
        shown = {f: tuple(None if pd.isna(readings[f][i]) else float(readings[f][i]) for i in rows)
                 for f in NumberFormat}
        ambiguity = NumberAmbiguity(table, col.name, tuple(int(i) + 2 for i in rows), tuple(text[i] for i in rows),
                                    shown[NumberFormat.DECIMAL_POINT], shown[NumberFormat.DECIMAL_COMMA])
        neither = (readings[NumberFormat.DECIMAL_POINT].isna() & readings[NumberFormat.DECIMAL_COMMA].isna()
                   & cells.notna())
        return Coerced(pd.Series(np.nan, index=cells.index),
                       tuple(row_problems(table, cells.index[neither], col.name, "is not a number", text)),
                       (), ambiguity)
    if chosen is None and fmt is not None and (fmt is NumberFormat.DECIMAL_COMMA or reading.differ):
        proof = (reading.comma_only if fmt is NumberFormat.DECIMAL_COMMA else reading.point_only)[0]
        notices = (f"column {col.name}: numbers read with a {fmt.value}, the only reading of {quote(text[proof])} "
                   f"(row {proof + 2}) that is a valid {col.name}",)
    fmt = fmt or NumberFormat.DECIMAL_POINT
    numbers = parse_column(cells, fmt)
    example = "1,234.50" if fmt is NumberFormat.DECIMAL_POINT else "1.234,50"
    problems = row_problems(table, cells.index[numbers.isna() & cells.notna()], col.name,
                         f"is not a number written with a {fmt.value} (like {example})", text)
    infinite = numbers.notna() & ~np.isfinite(numbers)
    problems += row_problems(table, cells.index[infinite], col.name, "is not a finite number", text)
    numbers = numbers.mask(infinite)
    if col.kind == "int":
        huge = numbers.abs() > 2.0**53
        problems += row_problems(table, cells.index[huge], col.name, "is too large for a whole number", text)
        fractional = numbers.notna() & ~huge & (numbers != np.round(numbers))
        problems += row_problems(table, cells.index[fractional], col.name, "is not a whole number", text)
        values = numbers.mask(fractional | huge).round().astype("Int64")
    else:
        values = numbers.astype("Float64")
    return Coerced(values, tuple(problems), notices)


def _date_column(cells: pd.Series, text: pd.Series, col: Column, table: str) -> Coerced:
    """Dates written as text in one of the accepted formats, or real Excel date cells."""
    typed = cells.map(lambda v: isinstance(v, date)) if cells is not text else pd.Series(False, index=cells.index)
    parsed = _parse_dates(text.where(~typed), DATE_FORMATS if col.kind == "date" else TIMESTAMP_FORMATS)
    if typed.any():
        parsed = parsed.where(~typed, pd.to_datetime(cells.where(typed)))
    bad = parsed.isna() & text.notna()
    hint = "YYYY-MM-DD or DD/MM/YYYY" if col.kind == "date" else "YYYY-MM-DD HH:MM"
    problems = row_problems(table, cells.index[bad], col.name, f"is not a valid date (use {hint})", text)
    if col.kind == "timestamp":
        return Coerced(parsed, tuple(problems))
    timed = typed & parsed.notna() & parsed.ne(parsed.dt.normalize())
    problems += row_problems(table, cells.index[timed], col.name, "has a time of day but this column holds days only; "
                          "remove the time in the file (e.g. format the cells as Date with =INT(cell))", text)
    return Coerced(parsed.dt.normalize(), tuple(problems))


def _allowed_spelling(result: Coerced, col: Column) -> Coerced:
    """Allowed values written in another case take the schema's spelling ('Chilled' -> 'chilled')."""
    assert col.choices is not None
    spelling = {c.casefold(): c for c in col.choices}
    values = result.values
    fixed = per_value(values, lambda v: spelling.get(v.casefold(), v)).where(values.notna(), np.nan)
    changed = values.notna() & fixed.ne(values)
    notices = result.notices
    if changed.any():
        first = changed.idxmax()
        notices += (f"column {col.name}: {int(changed.sum())} value(s) written in another case were stored in the "
                    f"allowed spelling (first on row {first + 2}: {quote(values[first])} as {quote(fixed[first])})",)
    return Coerced(fixed, result.problems, notices, result.ambiguity)


def _coerce_column(raw: pd.Series, col: Column, table: str, chosen: NumberFormat | None = None) -> Coerced:
    cells, text = cells_and_text(raw)
    if col.kind == "text":
        result = text_column(text, col.name, table)
        if col.choices:
            result = _allowed_spelling(result, col)
    elif col.kind in ("int", "float"):
        result = number_column(cells, text, col, table, chosen)
    elif col.kind == "bool":
        low = text.str.lower()
        bad = ~low.isin(TRUE | FALSE) & text.notna()
        result = Coerced(per_value(low, lambda v: True if v in TRUE else (False if v in FALSE else None))
                         .astype("boolean"),
                         tuple(row_problems(table, raw.index[bad], col.name,
                                            "is not yes/no (use true/false, yes/no or 1/0)", text)))
    elif col.kind == "time":
        bad = ~text.fillna("").str.match(TIME_RULE) & text.notna()
        parts = text.where(~bad).str.split(":", expand=True) if text.notna().any() else None
        values = parts[0].str.zfill(2) + ":" + parts[1] if parts is not None and not parts.empty else text
        result = Coerced(values, tuple(row_problems(table, raw.index[bad], col.name,
                                                 "is not a time of day (use HH:MM, e.g. 07:30)", text)))
    else:
        result = _date_column(cells, text, col, table)
    if col.required and text.isna().any():
        missing = row_problems(table, raw.index[text.isna()], col.name, "is empty; a value is required")
        result = Coerced(result.values, result.problems + tuple(missing), result.notices, result.ambiguity)
    return result


@dataclass(frozen=True)
class Coercion:
    """A file's columns renamed and converted to the table's kinds, with what stopped or changed it."""

    values: pd.DataFrame
    """The converted columns; a column awaiting a number-format choice is left out."""
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    ambiguities: tuple[NumberAmbiguity, ...] = ()


def _resolve(raw: pd.DataFrame, table: Table, mapping: Mapping[str, str] | None
             ) -> tuple[dict[str, str], list[Problem], list[str]]:
    """({table column: file column} usable for conversion, mapping problems, notices); no mapping: suggested."""
    notices = []
    if not mapping:
        matches = match_headers(raw.columns, table)
        mapping = {m.source: m.target for m in matches}
        notices += [f"column {quote(m.source)} was read as {m.target} ({m.confidence.value})"
                    for m in matches if m.confidence is not Confidence.EXACT]
    problems = [Problem(table.name, None, t, f"is not a column of {table.name}")
                for t in dict.fromkeys(mapping.values()) if t not in table.column_names]
    sources: dict[str, list[str]] = {}
    for src, target in mapping.items():
        if src in raw.columns and target in table.column_names:
            sources.setdefault(target, []).append(src)
    for target, srcs in sources.items():
        if len(srcs) > 1:
            problems.append(Problem(table.name, None, target, f"is matched to {len(srcs)} file columns "
                                    f"({', '.join(quote(s) for s in srcs)}); choose it only once in Match the columns"))
    for col in table.columns:
        if col.required and col.name not in sources:
            problems.append(Problem(table.name, None, col.name, "required column missing from the file; choose the "
                                    "file's column for it in Match the columns, or add the column to the file"))
    notices += ignored_columns([c for c in raw.columns if c not in mapping], table.name)
    return {t: srcs[0] for t, srcs in sources.items() if len(srcs) == 1}, problems, notices


def coerce(raw: pd.DataFrame, table: Table, mapping: Mapping[str, str] | None = None,
           number_formats: Mapping[str, NumberFormat] | None = None) -> Coercion:
    """Rename by ``mapping`` (file column -> table column; none given: :func:`suggest_mapping`) and convert every
    column to its kind, reporting every problem at once.

    Blank rows and totals lines are left out (see :func:`skip_rows`); the result keeps the other rows' index labels.
    A missing, unknown or twice-matched column is a problem and every other column is still converted.
    ``number_formats`` (table column -> convention) settles columns whose numbers read differently with a decimal
    point and a decimal comma; such a column without a choice is left out and returned as an ambiguity.
    """
    columns, problems, notices = _resolve(raw, table, mapping)
    rows, skipped = skip_rows(raw)
    notices = [*skipped, *notices]
    out = {}
    ambiguities = []
    for col in table.columns:
        if col.name in columns:
            result = _coerce_column(rows[columns[col.name]], col, table.name, (number_formats or {}).get(col.name))
            problems += result.problems
            notices += result.notices
            if result.ambiguity is None:
                out[col.name] = result.values
            else:
                ambiguities.append(result.ambiguity)
    return Coercion(pd.DataFrame(out, index=rows.index), tuple(problems), tuple(notices), tuple(ambiguities))


def number_questions(raw: pd.DataFrame, table: Table, mapping: Mapping[str, str] | None = None,
                     number_formats: Mapping[str, NumberFormat] | None = None) -> tuple[NumberAmbiguity, ...]:
    """The number columns of ``raw`` (once mapped) that need a convention chosen before an import."""
    columns, _, _ = _resolve(raw, table, mapping)
    rows, _ = skip_rows(raw.reset_index(drop=True))
    chosen = number_formats or {}
    questions = []
    for target, src in columns.items():
        if target not in chosen and table.column(target).kind in ("int", "float"):
            cells, text = cells_and_text(rows[src])
            result = number_column(cells, text, table.column(target), table.name, None)
            if result.ambiguity is not None:
                questions.append(result.ambiguity)
    return tuple(questions)


def _duplicates(frame: pd.DataFrame, table: Table) -> list[Problem]:
    """Rows repeating the key of an earlier row, naming that row (rows with part of the key unread are skipped)."""
    key = list(table.key)
    if not set(key) <= set(frame.columns):
        return []
    keys = frame.loc[frame[key].notna().all(axis=1), key]
    repeated = keys.duplicated(keep="first")
    rows = keys.index[repeated]
    label = "+".join(key)
    listed = keys.loc[rows[:MAX_EXAMPLES]].assign(_row=rows[:MAX_EXAMPLES]).merge(
        keys[~repeated].assign(_first=keys.index[~repeated]), on=key, how="left")
    problems = [Problem(table.name, int(row) + 2, label, f"repeats the key {label} of row {int(first) + 2}")
                for row, first in zip(listed["_row"], listed["_first"])]
    if len(rows) > MAX_EXAMPLES:
        problems.append(Problem(table.name, None, label, f"{len(rows) - MAX_EXAMPLES} more rows repeat the key of an "
                                                         "earlier row"))
    return problems


def check_rows(frame: pd.DataFrame, table: Table, as_of: date) -> list[Problem]:
    """Ranges, allowed values, dates after the as-of date, duplicate keys and window order, on the columns
    ``frame`` holds (a value that could not be read is missing and not checked again)."""
    problems: list[Problem] = []
    for col in table.columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        if col.minimum is not None:
            low = values.notna() & (values < col.minimum)
            what = "is negative" if col.minimum == 0 else f"is below the minimum {col.minimum:g}"
            problems += row_problems(table.name, frame.index[low.fillna(False)], col.name, what)
        if col.maximum is not None:
            high = values.notna() & (values > col.maximum)
            problems += row_problems(table.name, frame.index[high.fillna(False)], col.name,
                                     f"is above the maximum {col.maximum:g}")
        if col.choices is not None:
            bad = values.notna() & ~values.isin(col.choices)
            problems += _named(table.name, frame.index[bad], col.name, values,
                               f"is not an allowed value; use one of {', '.join(col.choices)}",
                               "hold values that are not allowed")
        if col.not_in_future:
            future = values.notna() & (values.dt.normalize() > pd.Timestamp(as_of))
            problems += row_problems(table.name, frame.index[future.fillna(False)], col.name,
                                  f"is after the workspace date {as_of:%d %b %Y}; future dates are not allowed here")
    problems += _duplicates(frame, table)
    for start, end in (("window_start", "window_end"), ("shift_start", "shift_end")):
        if start in frame.columns and end in frame.columns:
            wrong = frame[start].notna() & frame[end].notna() & (frame[start] >= frame[end])
            problems += row_problems(table.name, frame.index[wrong], end, f"must be later than {start}")
    return problems


def check_references(frame: pd.DataFrame, table: Table, known: Mapping[str, set[object]]) -> list[Problem]:
    """Unknown foreign keys; ``known`` maps ``table.column`` to the keys that exist (a reference it leaves out is
    not checked)."""
    problems: list[Problem] = []
    for col in table.columns:
        if col.references and col.name in frame.columns and col.references in known:
            values = frame[col.name]
            bad = values.notna() & ~values.isin(known[col.references])
            parent = col.references.split(".")[0]
            problems += _named(table.name, frame.index[bad], col.name, values,
                               f"is not in {parent}; import it into {parent} first (choose {parent} in Table to fill) "
                               "or fix the code", f"refer to codes not in {parent}")
    return problems
