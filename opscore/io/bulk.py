"""Large files: CSV and Parquet of any size the disk holds, imported through DuckDB instead of pandas.

The file's head (the first :data:`SAMPLE_ROWS` rows) is read with the small-file code (:mod:`opscore.io.reading`,
:func:`opscore.io.validation.number_questions`) for the separator, the column matches and the number questions;
the whole file is then staged, converted and checked in SQL (:mod:`opscore.store.staging`) and swapped in, in one
transaction, when nothing is wrong. Problems carry the small-file path's messages and spreadsheet rows.

Excel workbooks hold at most 1,048,576 rows and are read whole in memory: an .xlsx goes through
:func:`opscore.io.importer.import_file`, under the limits of :mod:`opscore.io.reading`.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from opscore.io.cells import MAX_CELL_CHARS, describe_control, ignored_columns, quote
from opscore.io.importer import ImportPreview, ImportReport, Mode, import_file, import_preview
from opscore.io.numbers import NumberAmbiguity, NumberFormat, parse_number
from opscore.io.reading import FileReadError, read_file, sniff_delimiter
from opscore.io.validation import Problem, number_questions, suggest_mapping
from opscore.store import Store, get_table
from opscore.store.schema import Table
from opscore.store.staging import Checked, Decimal, Evidence, Finding, Staging, StagingError, parquet_head

STREAM_ABOVE_MB = 20
"""Uploads larger than this (MB) are written to a temporary file and imported with :func:`import_large_file`."""
SAMPLE_ROWS = 10_000
"""Rows of the file's head read with pandas: separator, column matches and number questions."""
HEAD_MAX_MB = 32
"""Most of the file read for its head, in MB."""
PARQUET = (".parquet", ".pq")
EXCEL = (".xlsx", ".xlsm", ".xls")
DECIMALS: dict[NumberFormat, Decimal] = {NumberFormat.DECIMAL_POINT: ".", NumberFormat.DECIMAL_COMMA: ","}


@dataclass(frozen=True)
class LargeFilePreview:
    """The head of a large file, for the page: its columns and first rows, read without reading the rest."""

    columns: tuple[str, ...]
    head: pd.DataFrame
    """The first rows as text cells ('' where empty)."""
    delimiter: str | None
    """The CSV separator used (given or sniffed); None for Parquet."""
    size_mb: float


def _head_bytes(path: Path, rows: int) -> bytes:
    """The header and up to ``rows`` records from the start of a CSV file (at most :data:`HEAD_MAX_MB`), cut after
    a line where the quotes so far are balanced, so a quoted cell with a line break is never cut."""
    with open(path, "rb") as f:
        data = f.read(int(HEAD_MAX_MB * 1e6))
        whole = not f.read(1)
    lines = data.split(b"\n")
    if not whole:
        lines = lines[:-1]
    end, quotes, records = 0, 0, 0
    for i, line in enumerate(lines):
        quotes += line.count(b'"')
        if quotes % 2 == 0:
            end, records = i + 1, records + 1
            if records > rows:
                break
    return b"\n".join(lines[:end]) + (b"\n" if end < len(lines) or not whole else b"")


def preview_large_file(path: str | Path, rows: int = SAMPLE_ROWS, delimiter: str | None = None,
                       encoding: str = "utf-8") -> LargeFilePreview:
    """The columns and first ``rows`` rows of a CSV or Parquet file, reading only its head.

    Raises :class:`FileReadError` with the small-file path's messages (encoding, separator, malformed rows).
    """
    path = Path(path)
    try:
        return _preview(path, rows, delimiter, encoding)
    except OSError as exc:
        raise FileReadError(f"{path.name} could not be opened ({exc.strerror or exc}); check that it is still in its "
                            "folder and readable, then choose it again.") from None


def _preview(path: Path, rows: int, delimiter: str | None, encoding: str) -> LargeFilePreview:
    size_mb = path.stat().st_size / 1e6
    if path.suffix.lower() in PARQUET:
        try:
            head = parquet_head(path, rows)
        except StagingError as exc:
            raise FileReadError(f"{path.name} could not be read as a Parquet file "
                                f"({quote(exc.detail, 200)}).") from None
        return LargeFilePreview(tuple(head.columns), head, None, size_mb)
    data = _head_bytes(path, rows)
    if delimiter is None and data and b"\x00" not in data[:4096]:
        delimiter = sniff_delimiter(data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace"))
    head = read_file(data, path.name, encoding=encoding, delimiter=delimiter)
    return LargeFilePreview(tuple(head.columns), head, delimiter, size_mb)


def _bad_byte(path: Path, encoding: str) -> tuple[int, int] | None:
    """(byte, line) of the first byte that is not text in ``encoding``, read in 16 MB pieces."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return chunk[exc.start], line + chunk[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
    return None


def _read_error(exc: StagingError, path: Path, encoding: str, delimiter: str) -> str:
    """A staging error in the words of :mod:`opscore.io.reading`."""
    if exc.kind == "text":
        found = _bad_byte(path, encoding)
        byte, line = found if found else (None, exc.line)
        what = f"byte 0x{byte:02X}" if byte is not None else "a byte"
        return (f"{path.name}: {what} on line {line} is not valid {encoding.upper()} text. Save the file as "
                "'CSV UTF-8' or choose the file's encoding (e.g. Windows-1252) and try again.")
    if exc.kind == "fields":
        return (f"{path.name}, line {exc.line}: {exc.found} values but the header has {exc.expected} columns. A value "
                f"probably contains the separator {delimiter!r} without quotes; quote it or fix the row.")
    at = f" (line {exc.line})" if exc.line else ""
    return f"{path.name} is not a well-formed CSV file{at}: {quote(exc.detail, 200)}"


def _mapping_problems(table: Table, columns: tuple[str, ...], mapping: Mapping[str, str]) -> list[Problem]:
    """Unknown, twice-matched and missing table columns (as :func:`opscore.io.validation.coerce`)."""
    problems = [Problem(table.name, None, t, f"is not a column of {table.name}")
                for t in dict.fromkeys(mapping.values()) if t not in table.column_names]
    sources: dict[str, list[str]] = {}
    for src, target in mapping.items():
        if src in columns and target in table.column_names:
            sources.setdefault(target, []).append(src)
    for target, srcs in sources.items():
        if len(srcs) > 1:
            problems.append(Problem(table.name, None, target, f"is matched to {len(srcs)} file columns "
                                    f"({', '.join(quote(s) for s in srcs)}); choose it only once in Match the columns"))
    problems += [Problem(table.name, None, c.name, "required column missing from the file; choose the file's column "
                         "for it in Match the columns, or add the column to the file")
                 for c in table.columns if c.required and c.name not in sources]
    return problems


def _decimal(table: Table, column: str, evidence: Evidence) -> tuple[Decimal | None, Problem | None,
                                                                      NumberAmbiguity | None, str | None]:
    """(decimal mark, problem, question, notice) for a column the user has not settled, from the whole file's
    evidence, as :func:`opscore.io.validation.number_column` decides it."""
    p, c = evidence.point_only, evidence.comma_only
    if p and c:
        return None, Problem(table.name, None, column, (
            f"mixes decimal points (row {p[0]}: {quote(p[1])}) and decimal commas (row {c[0]}: {quote(c[1])}); "
            "write every number of the column the same way")), None, None
    if not p and not c and evidence.differ:
        shown = list(evidence.differ) + [x for x in evidence.first if x not in evidence.differ]
        shown = shown[:5]
        readings = {f: tuple(parse_number(text, f) for _, text in shown) for f in NumberFormat}
        return None, None, NumberAmbiguity(table.name, column, tuple(r for r, _ in shown), tuple(t for _, t in shown),
                                           readings[NumberFormat.DECIMAL_POINT],
                                           readings[NumberFormat.DECIMAL_COMMA]), None
    fmt = NumberFormat.DECIMAL_COMMA if c else NumberFormat.DECIMAL_POINT
    proof = c or p
    notice = (f"column {column}: numbers read with a {fmt.value}, the only reading of {quote(proof[1])} "
              f"(row {proof[0]}) that is a valid {column}") if proof and (c or evidence.differ) else None
    return DECIMALS[fmt], None, None, notice


def _finding_problems(table: Table, f: Finding, decimals: Mapping[str, Decimal | None], as_of: date) -> list[Problem]:
    """A finding in the words of :mod:`opscore.io.validation`: one problem per example row, then the rest counted."""
    col = table.column(f.column) if f.column in table.column_names else None
    more = f.count - len(f.rows)

    def listed(message: str, show: bool) -> list[Problem]:
        out = [Problem(table.name, r, f.column, f"{message}: {quote(v)}" if show else message)
               for r, v in zip(f.rows, f.values)]
        return out + ([Problem(table.name, None, f.column, f"{message}: {more} more rows like this")]
                      if more > 0 else [])

    def named(message: str, rest: str) -> list[Problem]:
        out = [Problem(table.name, r, f.column, f"{quote(v)} {message}") for r, v in zip(f.rows, f.values)]
        return out + ([Problem(table.name, None, f.column, f"{more} more rows {rest}")] if more > 0 else [])

    if f.check == "control":
        return [Problem(table.name, r, f.column, "contains an invisible control character "
                        f"({describe_control(str(v))}); "
                        "delete it in the file and import again (it usually comes from a damaged export)")
                for r, v in zip(f.rows, f.values)] + \
            ([Problem(table.name, None, f.column, f"{more} more rows contain control characters")] if more > 0 else [])
    if f.check == "number":
        fmt = NumberFormat.DECIMAL_COMMA if decimals.get(f.column) == "," else NumberFormat.DECIMAL_POINT
        example = "1,234.50" if fmt is NumberFormat.DECIMAL_POINT else "1.234,50"
        return listed(f"is not a number written with a {fmt.value} (like {example})", True)
    if f.check == "choice":
        assert col is not None and col.choices is not None
        return named(f"is not an allowed value; use one of {', '.join(col.choices)}",
                     "hold values that are not allowed")
    if f.check == "unknown":
        assert col is not None and col.references is not None
        parent = col.references.split(".")[0]
        return named(f"is not in {parent}; import it into {parent} first (choose {parent} in Table to fill) "
                     "or fix the code",
                     f"refer to codes not in {parent}")
    if f.check == "duplicate":
        out = [Problem(table.name, r, f.column, f"repeats the key {f.column} of row {first}")
               for r, first in zip(f.rows, f.values)]
        return out + ([Problem(table.name, None, f.column, f"{more} more rows repeat the key of an earlier row")]
                      if more > 0 else [])
    if f.check == "below":
        assert col is not None and col.minimum is not None
        return listed("is negative" if col.minimum == 0 else f"is below the minimum {col.minimum:g}", False)
    if f.check == "above":
        assert col is not None and col.maximum is not None
        return listed(f"is above the maximum {col.maximum:g}", False)
    hint = "YYYY-MM-DD or DD/MM/YYYY" if col is not None and col.kind == "date" else "YYYY-MM-DD HH:MM"
    messages = {
        "missing": ("is empty; a value is required", False),
        "long": (f"is longer than {MAX_CELL_CHARS:,} characters, the most a cell can hold; shorten it", False),
        "infinite": ("is not a finite number", True),
        "too_large": ("is too large for a whole number", True),
        "fraction": ("is not a whole number", True),
        "date": (f"is not a valid date (use {hint})", True),
        "bool": ("is not yes/no (use true/false, yes/no or 1/0)", True),
        "time": ("is not a time of day (use HH:MM, e.g. 07:30)", True),
        "future": (f"is after the workspace date {as_of:%d %b %Y}; future dates are not allowed here", False),
        "order": (f"must be later than {f.values[0] if f.values else ''}", False),
    }
    message, show = messages[f.check]
    return listed(message, show)


def _notices(table: Table, checked: Checked, columns: tuple[str, ...], mapping: Mapping[str, str]) -> list[str]:
    """What was left out or changed on the way in, in the words of :mod:`opscore.io.validation`."""
    notices = []
    count, first = checked.blank
    if count:
        notices.append(f"{count} blank row{'s' if count > 1 else ''} skipped ({'first on row' if count > 1 else 'row'} "
                       f"{first})")
    notices += [f"row {row} ({quote(word)}) is a totals line and was left out" for row, word in checked.totals]
    notices += ignored_columns([c for c in columns if c not in mapping], table.name)
    for ch in checked.changes:
        if ch.change == "breaks":
            notices.append(f"column {ch.column}: tabs or line breaks in {ch.count} cell(s) (first on row "
                           f"{ch.first_row}) became a single space")
        elif ch.change == "protected":
            notices.append(f"column {ch.column}: the leading ' that protects text starting with = + - @ "
                           f"in spreadsheets was removed from {ch.count} cell(s) (first on row {ch.first_row})")
        else:
            spelling = {x.lower(): x for x in table.column(ch.column).choices or ()}
            notices.append(f"column {ch.column}: {ch.count} value(s) written in another case were stored in the "
                           f"allowed spelling (first on row {ch.first_row}: {quote(ch.first_value)} as "
                           f"{quote(spelling.get(ch.first_value.lower(), ch.first_value))})")
    return notices


def import_large_file(store: Store, table: str, path: str | Path, mapping: Mapping[str, str] | None = None,
                      mode: Mode = "replace", number_formats: Mapping[str, NumberFormat] | None = None,
                      delimiter: str | None = None, encoding: str = "utf-8") -> ImportReport:
    """Import a CSV (any of , ; tab |) or Parquet file of any size into ``table``, checked and written atomically.
    See :func:`_stream` for the contract."""
    return _stream(store, table, Path(path), mapping, mode, number_formats, delimiter, encoding, write=True)


def check_large_file(store: Store, table: str, path: str | Path, mapping: Mapping[str, str] | None = None,
                     mode: Mode = "replace", number_formats: Mapping[str, NumberFormat] | None = None,
                     delimiter: str | None = None, encoding: str = "utf-8") -> ImportPreview:
    """Every check of :func:`import_large_file`, and the rows it would write and remove, writing nothing (the page
    asks before a large refresh replaces stored days, as :func:`opscore.io.importer.import_preview` lets it for
    small files)."""
    report = _stream(store, table, Path(path), mapping, mode, number_formats, delimiter, encoding, write=False)
    return ImportPreview(mode, report.rows_written, report.rows_removed, report.spans, report.problems,
                         report.notices, report.ambiguities)


def _stream(store: Store, table: str, path: Path, mapping: Mapping[str, str] | None, mode: Mode,
            number_formats: Mapping[str, NumberFormat] | None, delimiter: str | None, encoding: str,
            write: bool) -> ImportReport:
    """Check a CSV or Parquet file through a DuckDB staging database and, with ``write``, swap it in atomically.

    Same contract as :func:`opscore.io.importer.import_file`: ``mapping`` (file column -> table column) is suggested
    when absent, ``number_formats`` answers the report's ``ambiguities``, ``mode`` is ``"replace"`` or ``"refresh"``,
    and nothing is written if any problem or question is found. Peak memory stays near the staging limit
    (:data:`opscore.store.staging.MEMORY_LIMIT_MB`) whatever the file's size; the disk beside the workspace holds the
    staged copy. An .xlsx is imported by :func:`import_file` (Excel holds at most 1,048,576 rows).
    """
    spec = get_table(table)
    if not spec.user_data:
        return ImportReport(problems=(Problem(table, None, None, "is managed by the app and cannot be imported"),))
    if spec.import_page:
        return ImportReport(problems=(Problem(table, None, None, f"is imported on the {spec.import_page} page, which "
                                              "also checks how its rows follow each other; use that page"),))
    if path.suffix.lower() in EXCEL:
        if write:
            return import_file(store, table, path.read_bytes(), path.name, mode=mode, mapping=mapping,
                               encoding=encoding, delimiter=delimiter, number_formats=number_formats)
        try:
            frame = read_file(path.read_bytes(), path.name, encoding=encoding, delimiter=delimiter)
        except FileReadError as exc:
            return ImportReport(problems=(Problem(table, None, None, str(exc)),))
        checked_frame = import_preview(store, {table: frame}, mode, {table: mapping} if mapping else None,
                                       {table: number_formats} if number_formats else None)
        return ImportReport(checked_frame.rows_incoming, checked_frame.problems, checked_frame.notices,
                            checked_frame.ambiguities, checked_frame.rows_removed, checked_frame.spans)
    try:
        preview = preview_large_file(path, SAMPLE_ROWS, delimiter, encoding)
    except FileReadError as exc:
        return ImportReport(problems=(Problem(table, None, None, str(exc)),))
    mapping = dict(mapping) if mapping else suggest_mapping(preview.columns, spec)
    problems = _mapping_problems(spec, preview.columns, mapping)
    if problems:
        return ImportReport(problems=tuple(problems))
    questions = number_questions(preview.head, spec, mapping, number_formats)
    if questions:
        return ImportReport(ambiguities=questions)
    columns = {target: src for src, target in mapping.items() if src in preview.columns}
    chosen = number_formats or {}
    with Staging(store.path.parent) as staging:
        try:
            if preview.delimiter is None:
                staging.load_parquet(path, spec, {src: target for target, src in columns.items()})
            else:
                staging.load_csv(path, spec, {preview.columns.index(src): target for target, src in columns.items()},
                                 len(preview.columns), preview.delimiter, encoding)
        except StagingError as exc:
            message = _read_error(exc, path, encoding, preview.delimiter or "") if preview.delimiter is not None else \
                f"{path.name} could not be read as a Parquet file ({quote(exc.detail, 200)})."
            return ImportReport(problems=(Problem(table, None, None, message),))
        except OSError as exc:
            return ImportReport(problems=(Problem(table, None, None, (
                f"{path.name} could not be read ({exc.strerror or exc}); check that it is still in its folder and "
                "readable, and that the disk beside the workspace has room for a staged copy")),))
        decimals: dict[str, Decimal | None] = {}
        notices: list[str] = []
        ambiguities: list[NumberAmbiguity] = []
        for target in columns:
            if spec.column(target).kind not in ("int", "float"):
                continue
            if target in chosen:
                decimals[target] = DECIMALS[chosen[target]]
                continue
            decimals[target], problem, question, notice = _decimal(spec, target, staging.evidence(target))
            problems += [problem] if problem else []
            ambiguities += [question] if question else []
            notices += [notice] if notice else []
        if ambiguities:
            return ImportReport(ambiguities=tuple(ambiguities))
        checked = staging.check(store, decimals, mode)
        as_of = store.as_of()
        for finding in checked.findings:
            problems += _finding_problems(spec, finding, decimals, as_of)
        problems += [Problem(table, None, o.key, (
            f"the new file drops {o.count} code(s) still used by {o.child}.{o.column} "
            f"(e.g. {', '.join(quote(c) for c in o.codes)}); keep them in the file, "
            f"or first remove or change the {o.child} rows that use them"))
            for o in checked.orphans]
        if checked.rows == 0 and mode == "replace":
            problems.append(Problem(table, None, None, "the file has a header but no data rows; importing it would "
                                    "empty the table"))
        notices = [f"{table}: {n}" for n in _notices(spec, checked, preview.columns, mapping) + notices]
        if problems:
            return ImportReport(problems=tuple(problems), notices=tuple(notices))
        staged = staging.export()
        if not write:
            removed = (store.count(table) if mode == "replace"
                       else store.covered(table, _covering(spec, checked, staged)))
            return ImportReport(rows_written={table: checked.rows}, notices=tuple(notices),
                                rows_removed={table: removed}, spans={table: checked.span} if checked.span else {})
        with store.transaction() as writer:
            removed, written = writer.load_parquet(table, staged, mode)
    return ImportReport(rows_written={table: written}, notices=tuple(notices), rows_removed={table: removed},
                        spans={table: checked.span} if checked.span else {})


def _covering(spec: Table, checked: Checked, staged: Path) -> pd.DataFrame:
    """What a refresh covers, as :meth:`Store.covered` takes it: the first and last date of a table refreshed by
    date range, else the keys of the checked rows."""
    if spec.refresh_by:
        return pd.DataFrame({spec.refresh_by: list(checked.span or ())})
    return pd.read_parquet(staged, columns=list(spec.key))
