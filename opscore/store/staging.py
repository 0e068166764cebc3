"""Large files staged in DuckDB: read, checked and written into a workspace without holding them in pandas.

A :class:`Staging` is a private DuckDB database in a temporary folder, apart from the workspace's: it has its own
``memory_limit`` (:data:`MEMORY_LIMIT_MB`) and ``temp_directory``, so a file larger than memory spills to disk
instead of growing the process, and the workspace connection's settings are never touched. A file's columns are
read there as text (``read_csv`` with ``all_varchar`` and an explicit dialect, or ``read_parquet`` cast to text),
converted to the table's kinds and checked in SQL generated from :mod:`opscore.store.schema`; the checked rows
leave as a Parquet file that :meth:`opscore.store.Writer.load_parquet` swaps into the workspace in one transaction.

Rows are spreadsheet rows (header = 1): the position of the record in the file plus one. A CSV file with line breaks
inside quoted cells has more lines than records, so after such a cell a row number runs behind the line number an
editor shows (a spreadsheet opening the file shows the same rows as here). For Parquet the row is the record's
position plus two, as if the file were a sheet with a header.
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from opscore.store.database import Store
from opscore.store.migrations import quote
from opscore.store.schema import TABLE_BY_NAME, Column, Table

MEMORY_LIMIT_MB = 1000
"""Memory the staging database may use before it spills to its temporary folder, in MB."""
MAX_EXAMPLES = 20
"""Rows listed per column and check (as :data:`opscore.io.validation.MAX_EXAMPLES`)."""
MAX_CELL_CHARS = 32_767
"""Longest cell, in characters (Excel's limit, as :data:`opscore.io.cells.MAX_CELL_CHARS`)."""
MAX_NUMBER_CHARS = 64
"""Longest text read as a number (as :data:`opscore.io.numbers.MAX_NUMBER_CHARS`)."""
NATIVE_ENCODINGS = {"utf-8": "utf-8", "latin-1": "latin-1"}
"""Encodings DuckDB's CSV reader decodes itself; any other is first transcoded to UTF-8 in the staging folder."""
WINDOWS = (("window_start", "window_end"), ("shift_start", "shift_end"))
"""Column pairs whose end must be later than their start (as :func:`opscore.io.validation.check_rows`)."""

# The cell grammar of opscore.io (cells, numbers, validation), restated for DuckDB's RE2 and SQL.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
"""What Python's ``str.strip()`` removes."""
_EMPTY = ("nan", "null", "none", "n/a", "na")
_TRUE = ("true", "yes", "y", "1", "t")
_FALSE = ("false", "no", "n", "0", "f")
_TOTAL_WORDS = ("total", "totals", "grand total", "sum", "subtotal", "gesamt", "summe", "gesamtsumme")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_TIMESTAMP_FORMATS = ("ISO8601", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
_TIME = r"([01]?[0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x{84}\x{86}-\x{9f}]"
_BREAKS = r"[\t\n\r\x{85}\x{2028}\x{2029}]+"
_PROTECTED = r"^'[ \x{a0}\x{3000}]*[=+\-@\t\r\x{ff1d}\x{ff0b}\x{ff0d}\x{ff20}]"
_WS1 = r"[\s\x0b\x1c-\x1f\x{85}\pZ]"
_WS = _WS1 + "*"
_CURRENCY = "[£€$¥]"
_SPACES = " \u00a0\u202f\u2009"
_SHELL = (f"^({_CURRENCY})?{_WS}(\\()?{_WS}([-+\u2212])?{_WS}({_CURRENCY})?{_WS}([-+\u2212])?{_WS}"
          f"([0-9.,'\u2019{_SPACES}]*?[0-9]|[.,][0-9]+)([eE][-+]?[0-9]+)?"
          f"{_WS}([-\u2212])?{_WS}({_CURRENCY})?{_WS}([-\u2212])?{_WS}(\\))?{_WS}({_CURRENCY})?$")
_SHELL_PARTS = ("c1", "open", "lead", "c2", "lead2", "body", "exp", "trail", "c3", "trail2", "close", "c4")
_GROUPS = {".": ",'\u2019" + _SPACES, ",": ".'\u2019" + _SPACES}
"""Thousands marks allowed with each decimal mark."""

Decimal = Literal[".", ","]
Check = Literal["missing", "long", "control", "number", "infinite", "too_large", "fraction", "date", "bool", "time",
                "choice", "below", "above", "future", "order", "duplicate", "unknown"]


class StagingError(ValueError):
    """DuckDB could not read the file as a table.

    ``kind``: ``"text"`` (a byte that is not text in the encoding), ``"fields"`` (a row with more or fewer values
    than the header) or ``"format"`` (anything else); ``line`` is DuckDB's line number when it gives one.
    """

    def __init__(self, kind: Literal["text", "fields", "format"], detail: str, line: int | None = None,
                 expected: int | None = None, found: int | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.line = line
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class Finding:
    """The rows failing one check of one column (for ``duplicate``, the key columns joined by ``+``)."""

    column: str
    check: Check
    rows: tuple[int, ...]
    """Spreadsheet rows (header = 1) of the first :data:`MAX_EXAMPLES`, in file order."""
    values: tuple[str | None, ...]
    """The cell text of each row; for ``duplicate`` the earlier row with the same key, for ``order`` the start
    column's name."""
    count: int
    """All rows failing the check, examples included."""


@dataclass(frozen=True)
class Orphans:
    """Codes a replace would remove that rows of another table still use."""

    key: str
    child: str
    column: str
    codes: tuple[str, ...]
    """Up to five of them, sorted."""
    count: int


@dataclass(frozen=True)
class TextChange:
    """Text cells changed on the way in: ``breaks`` (tabs and line breaks made one space), ``protected`` (the ``'``
    an export puts before a leading = + - @ removed) or ``spelling`` (an allowed value written in another case
    stored in the schema's spelling)."""

    column: str
    change: Literal["breaks", "protected", "spelling"]
    count: int
    first_row: int
    first_value: str
    """The first changed cell as written."""


@dataclass(frozen=True)
class Evidence:
    """What a number column's values say about its decimal mark (as :class:`opscore.io.numbers.Reading`)."""

    point_only: tuple[int, str] | None
    """First (row, text) that is a valid number only with a decimal point."""
    comma_only: tuple[int, str] | None
    """First (row, text) that is a valid number only with a decimal comma."""
    differ: tuple[tuple[int, str], ...]
    """(row, text) of the first five distinct texts that are two different valid numbers, each on its first row."""
    first: tuple[tuple[int, str], ...]
    """First five non-empty (row, text)."""


@dataclass(frozen=True)
class Checked:
    """Everything the checks found; nothing may be written unless ``findings`` and ``orphans`` are empty."""

    rows: int
    """Rows checked (blank rows and totals lines left out)."""
    findings: tuple[Finding, ...]
    orphans: tuple[Orphans, ...]
    changes: tuple[TextChange, ...]
    blank: tuple[int, int]
    """(count, first row) of the blank rows left out: rows whose every imported cell is empty."""
    totals: tuple[tuple[int, str], ...]
    """(row, label) of each totals line left out: one imported cell saying Total, Sum, Summe..., numbers in
    others and nothing else (as :func:`opscore.io.validation.skip_rows`, judged on the imported columns)."""
    span: tuple[date, date] | None
    """First and last date of the table's ``refresh_by`` column, when it has one."""


def _literal(text: str) -> str:
    """A constant of this module as an SQL string literal (values from files always travel as parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _words(words: Sequence[str]) -> str:
    return "(" + ", ".join(_literal(w) for w in words) + ")"


def _body(decimal: Decimal) -> str:
    groups = "|".join(f"(?:{re.escape(g)}[0-9]{{3}})+" for g in _GROUPS[decimal])
    return f"(?:[0-9]*|[1-9][0-9]{{0,2}}(?:{groups}))(?:{re.escape(decimal)}[0-9]+)?"


def _strip(v: str) -> str:
    """``v`` without leading and trailing whitespace (the costly character-set trim only where it is needed)."""
    return f"CASE WHEN regexp_matches({v}, {_literal(f'^{_WS1}|{_WS1}$')}) THEN trim({v}, {_literal(_WHITESPACE)}) " \
           f"ELSE {v} END"


def _number_sql(v: str, decimal: Decimal) -> str:
    """DOUBLE read from cell text ``v`` with ``decimal`` (NULL if not a number), as
    :func:`opscore.io.numbers.parse_number`: plain numbers by a fast path, others through the full grammar (its
    parts extracted once per cell and bound to ``s`` by a one-element ``list_transform``)."""
    fast = r"[-+]?[0-9]+(?:" + re.escape(decimal) + r"[0-9]+)?"
    signs = " + ".join(f"(s.{p} <> '')::INT" for p in ("lead", "lead2", "trail", "trail2"))
    currencies = " + ".join(f"(s.{p} <> '')::INT" for p in ("c1", "c2", "c3", "c4"))
    sign = "(s.lead || s.lead2 || s.trail || s.trail2)"
    digits = f"replace(regexp_replace(s.body, {_literal('[^0-9' + re.escape(decimal) + ']')}, '', 'g'), " \
             f"{_literal(decimal)}, '.') || s.exp"
    full = (f"CASE WHEN s.body = '' OR NOT regexp_full_match(s.body, {_literal(_body(decimal))}) OR {signs} > 1 "
            f"OR {currencies} > 1 OR (s.open <> '') <> (s.close <> '') OR (s.open <> '' AND {sign} <> '') "
            f"THEN NULL ELSE (CASE WHEN s.open <> '' OR {sign} NOT IN ('', '+') THEN -1 ELSE 1 END) "
            f"* CAST({digits} AS DOUBLE) END")
    return (f"CASE WHEN length({v}) > {MAX_NUMBER_CHARS} THEN NULL "
            f"WHEN regexp_full_match({v}, {_literal(fast)}) THEN CAST(replace({v}, ',', '.') AS DOUBLE) "
            f"ELSE list_transform([regexp_extract({v}, {_literal(_SHELL)}, {[*_SHELL_PARTS]!r})], "
            f"lambda s: {full})[1] END")


def _valid_sql(x: str, col: Column) -> str:
    parts = [f"{x} >= {col.minimum!r}" if col.minimum is not None else "",
             f"{x} <= {col.maximum!r}" if col.maximum is not None else ""]
    return " AND ".join(p for p in parts if p) or "TRUE"


def _date_sql(v: str, fmt: str, guarded: bool = False) -> str:
    """TIMESTAMP read from ``v`` in ``fmt`` (NULL if it is not one). ``guarded``: cells not shaped like the format
    are skipped by a pattern first (``try_strptime`` is slow to fail; the pattern costs more when most cells fit)."""
    if fmt == "ISO8601":
        return f"TRY_CAST({v} AS TIMESTAMP)"
    if not guarded:
        return f"try_strptime({v}, {_literal(fmt)})"
    shape = re.escape(fmt).replace("%Y", "[0-9]{4}")
    for field in ("%m", "%d", "%H", "%M", "%S"):
        shape = shape.replace(field, "[0-9]{1,2}")
    return f"CASE WHEN regexp_full_match({v}, {_literal(shape)}) THEN try_strptime({v}, {_literal(fmt)}) END"


class Staging:
    """A private DuckDB database for one file; use as a context manager (the folder is removed on exit)."""

    def __init__(self, parent: Path | None = None, memory_mb: int = MEMORY_LIMIT_MB) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="opscore-import-", dir=parent))
        self._con = duckdb.connect(str(self.folder / "staging.duckdb"), config={
            "memory_limit": f"{memory_mb}MB", "temp_directory": str(self.folder / "spill"),
            "preserve_insertion_order": True})
        self._table: Table | None = None
        self._columns: list[str] = []
        self._empty: tuple[int, ...] = ()
        """File lines with nothing on them, which DuckDB's reader skips (see :meth:`_line`)."""

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Close the staging database (its memory is freed; the folder and an exported file stay until exit)."""
        self._con.close()

    # -- loading -------------------------------------------------------------
    def _load(self, table: Table, select: Mapping[str, str], source: str, params: list[object]) -> int:
        """Stage ``select`` (table column -> expression over ``source``) as stripped text cells, NULL where empty."""
        self._table, self._columns = table, [c.name for c in table.columns if c.name in select]
        stripped = ", ".join(f"{_strip(select[c])} AS {quote(c)}" for c in self._columns)
        empty = ", ".join(_literal(w) for w in ("", *_EMPTY))
        cells = ", ".join(f"CASE WHEN strlen({quote(c)}) <= 4 AND lower({quote(c)}) IN ({empty}) THEN NULL "
                          f"ELSE {quote(c)} END AS {quote(c)}" for c in self._columns)
        self._con.execute(f"CREATE TABLE raw AS SELECT {cells} FROM (SELECT {stripped} FROM {source})", params)
        return int(self._con.execute("SELECT count(*) FROM raw").fetchall()[0][0])

    def load_csv(self, path: Path, table: Table, columns: Mapping[int, str], n_columns: int, delimiter: str,
                 encoding: str = "utf-8") -> int:
        """Stage the CSV at ``path`` (header row, ``n_columns`` columns, ``"`` quotes) as text cells of ``table``.

        ``columns`` maps a file column's position (0-based) to the table column it fills. Returns the data rows.
        Raises :class:`StagingError`.
        """
        if encoding.lower() not in NATIVE_ENCODINGS:
            path = self._utf8_copy(path, encoding)
            encoding = "utf-8"
        path = self._fixed_name(path, ".csv")
        self._empty = _empty_lines(path)
        names = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n_columns)) + "}"
        source = (f"read_csv(?, header = true, all_varchar = true, auto_detect = false, delim = ?, quote = '\"', "
                  f"escape = '\"', encoding = ?, columns = {names})")
        try:
            return self._load(table, {t: f"c{i}" for i, t in columns.items()}, source,
                              [str(path), delimiter, NATIVE_ENCODINGS[encoding.lower()]])
        except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
            raise _csv_error(str(exc)) from None
        except duckdb.IOException as exc:
            raise StagingError("format", str(exc).split("\n")[0]) from None

    def _fixed_name(self, path: Path, suffix: str) -> Path:
        """A link to ``path`` under a fixed name in the staging folder: DuckDB's readers expand ``*``, ``?`` and
        ``[...]`` in a path, so a file called ``sales*.csv`` would otherwise read its neighbours too."""
        link = self.folder / f"source{suffix}"
        if path.parent != self.folder:
            link.symlink_to(path.resolve())
            return link
        return path

    def _line(self, row: int) -> int:
        """The file line of a record numbered as if the file had no empty line (header = 1, first record = 2)."""
        for empty in self._empty:
            if empty > row:
                break
            row += 1
        return row

    def _utf8_copy(self, path: Path, encoding: str) -> Path:
        """The file transcoded to UTF-8 in the staging folder, read and written in 16 MB pieces."""
        target = self.folder / "utf8.csv"
        decoder = codecs.getincrementaldecoder(encoding)()
        line = 1
        with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as out:
            while chunk := src.read(1 << 24):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise StagingError("text", str(exc), line + chunk[: exc.start].count(b"\n")) from None
                line += chunk.count(b"\n")
                out.write(text)
            out.write(decoder.decode(b"", final=True))
        return target

    def load_parquet(self, path: Path, table: Table, columns: Mapping[str, str]) -> int:
        """Stage the Parquet file at ``path``; ``columns`` maps its column names to ``table``'s. Returns the rows.

        Cells are the values as text; a timestamp at midnight filling a date column is its day."""
        path = self._fixed_name(path, ".parquet")
        try:
            types = dict(self._con.execute("SELECT column_name, column_type "
                                           "FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                           [str(path)]).fetchall())
            cells = {}
            for source, target in columns.items():
                s = quote(source)
                midnight = types.get(source, "").startswith("TIMESTAMP") and table.column(target).kind == "date"
                cells[target] = (f"CASE WHEN CAST({s} AS TIME) = TIME '00:00' THEN CAST(CAST({s} AS DATE) AS VARCHAR) "
                                 f"ELSE CAST({s} AS VARCHAR) END") if midnight else f"CAST({s} AS VARCHAR)"
            return self._load(table, cells, "read_parquet(?)", [str(path)])
        except (duckdb.InvalidInputException, duckdb.IOException, duckdb.BinderException) as exc:
            raise StagingError("format", str(exc).split("\n")[0]) from None

    # -- reading the cells ---------------------------------------------------
    def evidence(self, column: str) -> Evidence:
        """Classify a staged number column's cells as :func:`opscore.io.numbers.read_convention` does."""
        col = self._column(column)
        c = quote(column)
        point, comma = _number_sql("t", "."), _number_sql("t", ",")
        valid_a, valid_b = _valid_sql("a", col), _valid_sql("b", col)
        rows = self._con.execute(
            f"WITH v AS (SELECT {c} AS t, min(rowid) + 2 AS r FROM raw WHERE {c} IS NOT NULL GROUP BY {c}), "
            f"p AS (SELECT t, r, {point} AS a, {comma} AS b FROM v), "
            f"k AS (SELECT t, r, CASE WHEN a IS NOT NULL AND b IS NOT NULL AND a <> b AND ({valid_a}) <> ({valid_b}) "
            f"THEN (CASE WHEN {valid_a} THEN 'point' ELSE 'comma' END) WHEN a IS NOT NULL AND b IS NOT NULL "
            f"THEN (CASE WHEN a = b THEN 'same' ELSE 'differ' END) WHEN a IS NOT NULL THEN 'point' "
            f"WHEN b IS NOT NULL THEN 'comma' END AS kind FROM p) "
            f"SELECT kind, min((r, t), 5) FROM k GROUP BY kind "
            f"UNION ALL SELECT 'first', min((rowid + 2, {c}), 5) FROM raw WHERE {c} IS NOT NULL"
        ).fetchall()
        found = {kind: [(self._line(int(r)), str(t)) for r, t in (examples or [])] for kind, examples in rows}
        return Evidence(point_only=next(iter(found.get("point", ())), None),
                        comma_only=next(iter(found.get("comma", ())), None),
                        differ=tuple(found.get("differ", ())), first=tuple(found.get("first", ())))

    def _column(self, name: str) -> Column:
        assert self._table is not None, "stage a file first"
        if name not in self._columns:
            raise KeyError(f"column {name!r} is not staged; staged: {self._columns}")
        return self._table.column(name)

    def _date_format(self, col: Column) -> str:
        """The one format reading most of the column's cells (the first on a tie), as validation._parse_dates."""
        c = quote(col.name)
        formats = _DATE_FORMATS if col.kind == "date" else _TIMESTAMP_FORMATS
        filled, first = self._con.execute(f"SELECT count({c}), count({_date_sql(c, formats[0], True)}) "
                                          "FROM raw").fetchall()[0]
        if filled == first:
            return formats[0]
        counts = self._con.execute("SELECT " + ", ".join(f"count({_date_sql(c, f, True)})" for f in formats)
                                   + " FROM raw").fetchall()[0]
        return formats[max(range(len(formats)), key=lambda i: (counts[i], -i))]

    def _typed(self, col: Column, decimal: Decimal | None, as_of: date) -> tuple[str, str, str]:
        """(parsed, value, check) SQL for one staged column: the cell parsed once (as ``_p_<column>`` of an inner
        query), its value in the table's type, and the first check it fails."""
        c, p = quote(col.name), quote("_p_" + col.name)
        if col.kind == "text":
            text = f"CASE WHEN regexp_matches({c}, {_literal(_PROTECTED)}) THEN substr({c}, 2) ELSE {c} END"
            changed = f"regexp_matches({c}, {_literal(_PROTECTED + '|' + _BREAKS)})"
            replaced = f"regexp_replace({text}, {_literal(_BREAKS)}, ' ', 'g')"
            parsed = f"CASE WHEN {changed} THEN {_strip(replaced)} ELSE {c} END"
            value = p
            checks = [f"length({c}) > {MAX_CELL_CHARS}", "'long'",
                      f"regexp_matches({c}, {_literal(_CONTROL)})", "'control'"]
            if col.choices:
                value = f"CASE lower({p}) " + " ".join(f"WHEN {_literal(x.lower())} THEN {_literal(x)}"
                                                       for x in col.choices) + f" ELSE {p} END"
                checks += [f"lower({p}) NOT IN {_words([x.lower() for x in col.choices])}", "'choice'"]
        elif col.kind in ("int", "float"):
            parsed = _number_sql(c, decimal) if decimal else "NULL::DOUBLE"
            value = f"CAST(CASE WHEN NOT isinf({p}) AND abs({p}) <= 2.0 ^ 53 THEN round({p}) END AS BIGINT)" \
                if col.kind == "int" else f"CASE WHEN NOT isinf({p}) THEN {p} END"
            checks = [f"{p} IS NULL", "'number'", f"isinf({p})", "'infinite'"] if decimal else []
            if decimal and col.kind == "int":
                checks += [f"abs({p}) > 2.0 ^ 53", "'too_large'", f"{p} <> round({p})", "'fraction'"]
            checks += [f"{p} < {col.minimum!r}", "'below'"] if decimal and col.minimum is not None else []
            checks += [f"{p} > {col.maximum!r}", "'above'"] if decimal and col.maximum is not None else []
        elif col.kind == "bool":
            low = f"lower({c})"
            parsed = f"CASE WHEN {low} IN {_words(_TRUE)} THEN TRUE WHEN {low} IN {_words(_FALSE)} THEN FALSE END"
            value, checks = p, [f"{p} IS NULL", "'bool'"]
        elif col.kind == "time":
            parsed = f"CASE WHEN regexp_full_match({c}, {_literal(_TIME)}) " \
                     f"THEN lpad(split_part({c}, ':', 1), 2, '0') " \
                     f"|| ':' || split_part({c}, ':', 2) END"
            value, checks = p, [f"{p} IS NULL", "'time'"]
        else:
            parsed = _date_sql(c, self._date_format(col))
            value = f"CAST({p} AS DATE)" if col.kind == "date" else p
            checks = [f"{p} IS NULL", "'date'"]
            checks += ([f"CAST({p} AS DATE) > DATE {_literal(as_of.isoformat())}", "'future'"]
                       if col.not_in_future else [])
        whens = " ".join(f"WHEN {checks[i]} THEN {checks[i + 1]}" for i in range(0, len(checks), 2))
        missing = "'missing'" if col.required else "NULL"
        return parsed, value, f"CASE WHEN {c} IS NULL THEN {missing} {whens} END"

    # -- checking ------------------------------------------------------------
    def check(self, store: Store, decimals: Mapping[str, Decimal | None],
              mode: Literal["replace", "refresh"]) -> Checked:
        """Convert the staged cells to the table's kinds and run every check in one pass over the file.

        ``decimals`` gives each staged number column's decimal mark (None: the column cannot be read, only its
        empty cells are checked). Codes are checked against ``store`` (and, for a table referring to itself,
        the file), and on ``mode="replace"`` the codes other tables use must stay.
        """
        assert self._table is not None, "stage a file first"
        table, as_of = self._table, store.as_of()
        cols = [table.column(c) for c in self._columns]
        typed = [self._typed(col, decimals.get(col.name), as_of) for col in cols]
        inner = ", ".join(f"{p} AS {quote('_p_' + col.name)}" for col, (p, _, _) in zip(cols, typed))
        outer = ", ".join(f"{v} AS {quote(col.name)}, {w} AS {quote('_why_' + col.name)}"
                          for col, (_, v, w) in zip(cols, typed))
        self._con.execute(f"CREATE TABLE typed AS SELECT _row, {outer} "
                          f"FROM (SELECT rowid + 2 AS _row, *, {inner} FROM raw)")
        blank, totals = self._leave_out(cols)
        findings: list[Finding] = []
        for col in cols:
            why = quote("_why_" + col.name)
            for check, count, rows in self._con.execute(
                    f"SELECT {why}, count(*), min(_row, {MAX_EXAMPLES}) FROM typed WHERE {why} IS NOT NULL "
                    f"GROUP BY {why} ORDER BY min(_row)").fetchall():
                findings.append(self._finding(col.name, check, [int(r) for r in rows], int(count)))
        for start, end in WINDOWS:
            if start in self._columns and end in self._columns:
                s, e = quote(start), quote(end)
                findings += self._rows_where(end, "order", f"{s} IS NOT NULL AND {e} IS NOT NULL AND {s} >= {e}", start)
        findings += self._duplicates(table)
        findings += self._unknown_codes(store, table, mode)
        orphans = self._orphans(store, table) if mode == "replace" else []
        span = None
        if table.refresh_by in self._columns:
            lo, hi = self._con.execute(f"SELECT min({quote(table.refresh_by)}), max({quote(table.refresh_by)}) "
                                       "FROM typed").fetchall()[0]
            span = (lo, hi) if lo is not None else None
        return Checked(rows=int(self._con.execute("SELECT count(*) FROM typed").fetchall()[0][0]),
                       findings=tuple(findings), orphans=tuple(orphans), changes=tuple(self._changes(cols)),
                       blank=blank, totals=totals, span=span)

    def _leave_out(self, cols: list[Column]) -> tuple[tuple[int, int], tuple[tuple[int, str], ...]]:
        """Remove blank rows and totals lines from ``typed``; return the blank rows (count, first row) and the totals
        lines (row, label). Only a row failing a check, or with a text cell saying Total, can be either."""
        said_total = "|".join(re.escape(w) for w in sorted(_TOTAL_WORDS, key=len, reverse=True))
        label = {c.name: f"regexp_full_match({quote(c.name)}, {_literal(f'(?i)(?:{said_total})[:. ]*')})" for c in cols}
        failed = " OR ".join(f"{quote('_why_' + c.name)} IS NOT NULL" for c in cols)
        texts = [label[c.name] for c in cols if c.kind == "text"]
        labelled = f" UNION SELECT rowid + 2 FROM raw WHERE {' OR '.join(texts)}" if texts else ""
        ks = [quote("_k_" + c.name) for c in cols]
        kinds = ", ".join(f"CASE WHEN {quote(c.name)} IS NULL THEN 'empty' WHEN {label[c.name]} THEN 'total' "
                          f"WHEN {_number_sql(quote(c.name), '.')} IS NOT NULL OR {_number_sql(quote(c.name), ',')} "
                          f"IS NOT NULL THEN 'number' ELSE 'other' END AS {k}" for c, k in zip(cols, ks))

        def count(kind: str) -> str:
            return " + ".join(f"({k} = {_literal(kind)})::INT" for k in ks)

        word = "coalesce(" + ", ".join(f"CASE WHEN {k} = 'total' THEN {quote(c.name)} END"
                                       for k, c in zip(ks, cols)) + ")"
        self._con.execute(
            f"CREATE TABLE left_out AS SELECT _row, CASE WHEN {count('empty')} = {len(ks)} THEN NULL ELSE {word} END "
            f"AS label FROM (SELECT c._row, raw.*, {kinds} FROM (SELECT _row FROM typed WHERE {failed}{labelled}) AS c "
            f"JOIN raw ON raw.rowid + 2 = c._row) WHERE {count('empty')} = {len(ks)} "
            f"OR ({count('total')} = 1 AND {count('number')} >= 1 AND {count('other')} = 0)")
        blank, first = self._con.execute("SELECT count(*), min(_row) FROM left_out WHERE label IS NULL").fetchall()[0]
        totals = self._con.execute("SELECT _row, label FROM left_out WHERE label IS NOT NULL ORDER BY _row").fetchall()
        if blank or totals:
            self._con.execute("DELETE FROM typed WHERE _row IN (SELECT _row FROM left_out)")
        firsts = [self._line(int(first))] if blank else []
        firsts += list(self._empty[:1])
        return (int(blank) + len(self._empty), min(firsts, default=0)), \
            tuple((self._line(int(r)), str(w)) for r, w in totals)

    def _finding(self, column: str, check: Check, rows: list[int], count: int) -> Finding:
        texts = dict(self._con.execute(f"SELECT rowid + 2, {quote(column)} FROM raw WHERE rowid IN "
                                       f"(SELECT unnest(?::BIGINT[]))", [[r - 2 for r in rows]]).fetchall())
        return Finding(column, check, tuple(self._line(r) for r in rows), tuple(texts.get(r) for r in rows), count)

    def _rows_where(self, column: str, check: Check, where: str, value: str) -> list[Finding]:
        count = int(self._con.execute(f"SELECT count(*) FROM typed WHERE {where}").fetchall()[0][0])
        if not count:
            return []
        rows = [int(r) for (r,) in self._con.execute(
            f"SELECT _row FROM typed WHERE {where} ORDER BY _row LIMIT {MAX_EXAMPLES}").fetchall()]
        return [Finding(column, check, tuple(self._line(r) for r in rows), tuple(value for _ in rows), count)]

    def _duplicates(self, table: Table) -> list[Finding]:
        """Rows repeating the key of an earlier row (keys with an empty part are left to the empty-cell check)."""
        if not set(table.key) <= set(self._columns):
            return []
        keys = ", ".join(quote(k) for k in table.key)
        filled = " AND ".join(f"{quote(k)} IS NOT NULL" for k in table.key)
        self._con.execute(f"CREATE TABLE dup AS SELECT {keys}, min(_row) AS _first FROM typed WHERE {filled} "
                          f"GROUP BY {keys} HAVING count(*) > 1")
        join = f"FROM typed JOIN dup USING ({keys}) WHERE typed._row > dup._first"
        count = int(self._con.execute(f"SELECT count(*) {join}").fetchall()[0][0])
        if not count:
            return []
        pairs = self._con.execute(f"SELECT typed._row, dup._first {join} ORDER BY typed._row "
                                  f"LIMIT {MAX_EXAMPLES}").fetchall()
        return [Finding("+".join(table.key), "duplicate", tuple(self._line(int(r)) for r, _ in pairs),
                        tuple(str(self._line(int(f))) for _, f in pairs), count)]

    def _unknown_codes(self, store: Store, table: Table, mode: str) -> list[Finding]:
        """Codes not in the parent table: the workspace's, or for a table referring to itself the file's own
        (plus the workspace's unless the file replaces it), as importer._known_keys."""
        findings: list[Finding] = []
        for col in table.columns:
            if not col.references or col.name not in self._columns:
                continue
            parent, key = col.references.split(".")
            known = f"known_{col.name}"
            sources = []
            if parent != table.name or mode != "replace":
                self._con.register("known_frame", store.distinct_values(parent, key).to_frame("v"))
                sources.append("SELECT v FROM known_frame")
            if parent == table.name:
                sources.append(f"SELECT {quote(key)} FROM typed WHERE {quote(key)} IS NOT NULL")
            self._con.execute(f"CREATE TABLE {quote(known)} AS {' UNION '.join(sources)}")
            self._con.unregister("known_frame")
            c = quote(col.name)
            where = f"{c} IS NOT NULL AND {c} NOT IN (SELECT * FROM {quote(known)})"
            count = int(self._con.execute(f"SELECT count(*) FROM typed WHERE {where}").fetchall()[0][0])
            if count:
                pairs = self._con.execute(f"SELECT _row, {c} FROM typed WHERE {where} ORDER BY _row "
                                          f"LIMIT {MAX_EXAMPLES}").fetchall()
                findings.append(Finding(col.name, "unknown", tuple(self._line(int(r)) for r, _ in pairs),
                                        tuple(str(v) for _, v in pairs), count))
        return findings

    def _orphans(self, store: Store, table: Table) -> list[Orphans]:
        """Codes of ``table`` used by other tables' rows that the file would remove (as importer._orphans)."""
        found = []
        for child in TABLE_BY_NAME.values():
            if child.name == table.name:
                continue
            for col in child.columns:
                if not col.references or col.references.split(".")[0] != table.name:
                    continue
                key = col.references.split(".")[1]
                if key not in self._columns:
                    continue
                self._con.register("used_frame", store.distinct_values(child.name, col.name).to_frame("v"))
                lost = [str(v) for (v,) in self._con.execute(
                    f"SELECT v FROM used_frame WHERE v NOT IN (SELECT {quote(key)} FROM typed "
                    f"WHERE {quote(key)} IS NOT NULL)").fetchall()]
                self._con.unregister("used_frame")
                if lost:
                    lost.sort()
                    found.append(Orphans(key, child.name, col.name, tuple(lost[:5]), len(lost)))
        return found

    def _changes(self, cols: list[Column]) -> list[TextChange]:
        changes = []
        for col in cols:
            if col.kind != "text":
                continue
            c = quote(col.name)
            wheres = {"breaks": f"regexp_matches({c}, {_literal(_BREAKS)})",
                      "protected": f"regexp_matches({c}, {_literal(_PROTECTED)})"}
            if col.choices:
                wheres["spelling"] = f"{c} NOT IN {_words(col.choices)} AND lower({c}) IN " \
                                     f"{_words([x.lower() for x in col.choices])}"
            for change, where in wheres.items():
                count, first = self._con.execute(f"SELECT count(*), min(rowid) FROM raw WHERE {where}").fetchall()[0]
                if count:
                    value = self._con.execute(f"SELECT {c} FROM raw WHERE rowid = ?", [first]).fetchall()[0][0]
                    changes.append(TextChange(col.name, change, int(count), self._line(int(first) + 2), str(value)))  # type: ignore[arg-type]
        return changes

    # -- leaving -------------------------------------------------------------
    def export(self) -> Path:
        """Write the checked rows, typed, to a Parquet file in the staging folder, and close the database."""
        target = self.folder / "checked.parquet"
        cols = ", ".join(quote(c) for c in self._columns)
        self._con.execute(f"COPY (SELECT {cols} FROM typed) TO {_literal(str(target))} (FORMAT parquet)")
        self.close()
        return target


def _empty_lines(path: Path) -> tuple[int, ...]:
    """Numbers (1 = the header) of the lines of a CSV file with nothing on them, read line by line. A line break
    inside a quoted cell counts as a line here as in an editor."""
    with open(path, "rb") as f:
        return tuple(n for n, line in enumerate(f, 1) if line in (b"\n", b"\r\n"))


def _csv_error(message: str) -> StagingError:
    """DuckDB's CSV reader error as a :class:`StagingError` (first line of its detail, its line number)."""
    line = re.search(r"CSV Error on Line: (\d+)", message)
    number = int(line.group(1)) if line else None
    if "Invalid unicode" in message:
        return StagingError("text", "not valid text in the encoding", number)
    fields = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if fields:
        return StagingError("fields", fields.group(0), number, int(fields.group(1)), int(fields.group(2)))
    detail = next((ln.strip() for ln in message.split("\n")[1:] if ln.strip() and not ln.startswith("Original Line")),
                  message.split("\n")[0])
    return StagingError("format", detail, number)


def parquet_head(path: Path, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows of a Parquet file as text cells ('' where empty), read without staging it."""
    con = duckdb.connect()
    try:
        names = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
        cells = ", ".join(f"coalesce(CAST({quote(n)} AS VARCHAR), '') AS {quote(n)}" for n in names)
        return con.execute(f"SELECT {cells} FROM read_parquet(?) LIMIT {int(rows)}", [str(path)]).df()
    except (duckdb.InvalidInputException, duckdb.IOException) as exc:
        raise StagingError("format", str(exc).split("\n")[0]) from None
    finally:
        con.close()
