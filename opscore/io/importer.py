"""Atomic import of one or more tables into a workspace store.

An import either writes every table it was given, or, if any row of any file is
wrong, writes nothing and returns the problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from opscore.io.cells import quote
from opscore.io.numbers import NumberAmbiguity, NumberFormat
from opscore.io.reading import FileReadError, read_file
from opscore.io.validation import Problem, check_references, check_rows, coerce
from opscore.store import Store, get_table, load_order
from opscore.store.schema import TABLE_BY_NAME

Mode = Literal["replace", "refresh"]
"""``"replace"``: each table becomes exactly its file. ``"refresh"`` ("Add rows"): the file's rows replace the stored
rows they cover (see :attr:`Table.refresh_by`): for sales, stock_history and inventory every stored row dated within
the file's first and last date, for other tables the stored row with the same key; every other stored row stays."""
MODES: tuple[Mode, ...] = ("replace", "refresh")


def _problems_frame(problems: tuple[Problem, ...]) -> pd.DataFrame:
    return pd.DataFrame([(p.table, p.row, p.column, p.message) for p in problems],
                        columns=["table", "row", "column", "problem"])


def _describe(written: Mapping[str, int], removed: Mapping[str, int], spans: Mapping[str, tuple[date, date]]) -> str:
    """E.g. '310 rows into sales (31 days from 01 Mar 2024 to 31 Mar 2024), replacing 305 rows already there'."""
    parts = []
    for name, count in written.items():
        text = f"{count:,} row{'' if count == 1 else 's'} into {name}"
        if name in spans:
            lo, hi = spans[name]
            days = (hi - lo).days + 1
            text += f" (1 day, {lo:%d %b %Y})" if days == 1 else f" ({days:,} days from {lo:%d %b %Y} to {hi:%d %b %Y})"
        if removed.get(name):
            text += f", replacing {removed[name]:,} row{'' if removed[name] == 1 else 's'} already there"
        parts.append(text)
    return "; ".join(parts)


def _stopped(problems: tuple[Problem, ...], ambiguities: tuple[NumberAmbiguity, ...], lead: str) -> str:
    if not problems:
        columns = ", ".join(f"{a.table}.{a.column}" for a in ambiguities)
        return f"{lead}: choose a decimal point or a decimal comma for {columns}."
    return f"{lead}: {len(problems)} problem(s) found. First: {problems[0]}"


class _Outcome:
    """What reports and previews share: they are ok when nothing stopped them."""

    problems: tuple[Problem, ...]
    ambiguities: tuple[NumberAmbiguity, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.ambiguities

    def problems_frame(self) -> pd.DataFrame:
        """Problems as a table: table, row, column, problem."""
        return _problems_frame(self.problems)


@dataclass(frozen=True)
class ImportReport(_Outcome):
    """What an import did: rows written per table, or the problems and open questions that stopped it."""

    rows_written: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    ambiguities: tuple[NumberAmbiguity, ...] = ()
    """Number columns that read differently with a decimal point and a decimal comma: pass a choice
    for each in ``number_formats`` and import again."""
    rows_removed: dict[str, int] = field(default_factory=dict)
    """Stored rows the import removed or replaced, per table written."""
    spans: dict[str, tuple[date, date]] = field(default_factory=dict)
    """First and last date of the rows written, for tables refreshed by date range (sales, inventory)."""

    def summary(self) -> str:
        if not self.ok:
            return _stopped(self.problems, self.ambiguities, "Nothing was imported")
        written = _describe(self.rows_written, self.rows_removed, self.spans)
        return f"Imported {written}." if written else "Nothing to import."


@dataclass(frozen=True)
class ImportPreview(_Outcome):
    """What an import would do, every check run and nothing written: the page's confirmation step."""

    mode: Mode
    rows_incoming: dict[str, int] = field(default_factory=dict)
    """Rows each file would write (blank rows and totals lines left out); empty unless ``ok``."""
    rows_removed: dict[str, int] = field(default_factory=dict)
    """Stored rows the import would remove (replace: all of them) or replace (refresh); empty unless ``ok``."""
    spans: dict[str, tuple[date, date]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    ambiguities: tuple[NumberAmbiguity, ...] = ()

    def summary(self) -> str:
        if not self.ok:
            return _stopped(self.problems, self.ambiguities, "Nothing can be imported yet")
        ready = _describe(self.rows_incoming, self.rows_removed, self.spans)
        return f"Ready to import {ready}." if ready else "Nothing to import."

    def question(self) -> str | None:
        """The confirmation to ask before importing, when stored rows would go; None when none would."""
        if not self.ok or not any(self.rows_removed.values()):
            return None
        if self.mode == "replace":
            gone = " and ".join(f"all {n:,} row{'' if n == 1 else 's'} of {t}"
                                for t, n in self.rows_removed.items() if n)
            return f"Replace the table: this removes {gone}. Continue?"
        return "Add or update rows: " + "; ".join(self._replaced(t, n) for t, n in self.rows_removed.items() if n) \
            + ". Continue?"

    def _replaced(self, table: str, stored: int) -> str:
        """What a refresh of ``table`` replaces, said plainly: by date range every stored row of those days goes,
        whatever its SKU, so a file of a few corrections must not look like an addition."""
        rows = f"{stored:,} stored row{'' if stored == 1 else 's'}"
        incoming = self.rows_incoming.get(table, 0)
        by_file = f"the file's {incoming:,} row{'' if incoming == 1 else 's'}"
        if table in self.spans:
            lo, hi = self.spans[table]
            days = f"on {lo:%d %b %Y}" if lo == hi else f"dated {lo:%d %b %Y} to {hi:%d %b %Y}"
            return f"all {rows} of {table} {days}, whatever their SKU, are replaced by {by_file}"
        return f"{rows} of {table} with a key in the file are replaced by {by_file}"


@dataclass(frozen=True)
class _Checked:
    """Frames converted and checked, ready to write if there are no problems or ambiguities."""

    typed: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]
    ambiguities: tuple[NumberAmbiguity, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.ambiguities


def _known_keys(store: Store, typed: Mapping[str, pd.DataFrame], mode: Mode) -> dict[str, set[object]]:
    """Keys each referencing column may point to once the import is applied. A replaced parent holds only its
    file's keys; a refreshed one keeps every stored key (a refresh removes no key a table references, see
    :func:`_orphans`) plus its file's. A parent file whose key column could not be read judges nothing."""
    needed = {c.references for name in typed for c in get_table(name).columns if c.references}
    known: dict[str, set[object]] = {}
    for ref in needed:
        parent, column = ref.split(".")
        if parent in typed and column not in typed[parent].columns:
            continue
        values: set[object] = set(typed[parent][column].dropna()) if parent in typed else set()
        if parent not in typed or mode == "refresh":
            values |= set(store.table(parent, columns=[column])[column].dropna())
        known[ref] = values
    return known


def _orphans(store: Store, typed: Mapping[str, pd.DataFrame], mode: Mode) -> list[Problem]:
    """Rows left in other tables that would point at keys a replace removes.

    A refresh orphans nothing: refreshed by key, a table loses no key (each removed row comes back with its key);
    refreshed by date range (sales, inventory), it loses rows no table references.
    """
    if mode != "replace":
        return []
    problems = []
    for child in TABLE_BY_NAME.values():
        if child.name in typed:
            continue
        for col in child.columns:
            if not col.references or col.references.split(".")[0] not in typed:
                continue
            parent, key = col.references.split(".")
            if key not in typed[parent].columns:
                continue
            remaining = set(typed[parent][key].dropna())
            used = store.table(child.name, columns=[col.name])[col.name].dropna()
            lost = sorted(set(used) - remaining, key=str)
            if lost:
                problems.append(Problem(parent, None, key, (
                    f"the new file drops {len(lost)} code(s) still used by {child.name}.{col.name} "
                    f"(e.g. {', '.join(quote(c) for c in lost[:5])}); keep them in the file, "
                    f"or first remove or change the {child.name} rows that use them")))
    return problems


def _check(store: Store, raw: Mapping[str, pd.DataFrame], mode: Mode,
           mappings: Mapping[str, Mapping[str, str]] | None,
           number_formats: Mapping[str, Mapping[str, NumberFormat]] | None) -> _Checked:
    """Every check on every table in one pass: columns, values, rows, references and what a replace would orphan."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    problems: list[Problem] = []
    notices: list[str] = []
    ambiguities: list[NumberAmbiguity] = []
    typed: dict[str, pd.DataFrame] = {}
    as_of = store.as_of()
    for name, frame in raw.items():
        table = get_table(name)
        if not table.user_data:
            problems.append(Problem(name, None, None, "is managed by the app and cannot be imported"))
            continue
        if table.import_page:
            problems.append(Problem(name, None, None, f"is imported on the {table.import_page} page, which also checks "
                                    "how its rows follow each other; use that page"))
            continue
        result = coerce(frame.reset_index(drop=True), table, (mappings or {}).get(name),
                        (number_formats or {}).get(name))
        problems += result.problems
        notices += [f"{name}: {n}" for n in result.notices]
        ambiguities += result.ambiguities
        if len(result.values.index) == 0:
            if mode == "replace":
                problems.append(Problem(name, None, None, "the file has a header but no data rows; importing it "
                                        "would empty the table"))
            continue
        problems += check_rows(result.values, table, as_of)
        typed[name] = result.values
    known = _known_keys(store, typed, mode)
    for name, values in typed.items():
        problems += check_references(values, get_table(name), known)
    problems += _orphans(store, typed, mode)
    return _Checked(typed, tuple(problems), tuple(notices), tuple(ambiguities))


def _spans(typed: Mapping[str, pd.DataFrame]) -> dict[str, tuple[date, date]]:
    """First and last date of each table refreshed by date range."""
    spans = {}
    for name, frame in typed.items():
        column = get_table(name).refresh_by
        if column and column in frame.columns and frame[column].notna().any():
            spans[name] = (frame[column].min().date(), frame[column].max().date())
    return spans


def import_preview(store: Store, raw: Mapping[str, pd.DataFrame], mode: Mode = "replace",
                   mappings: Mapping[str, Mapping[str, str]] | None = None,
                   number_formats: Mapping[str, Mapping[str, NumberFormat]] | None = None) -> ImportPreview:
    """Run every check of :func:`import_frames` and count what it would write and remove, writing nothing."""
    checked = _check(store, raw, mode, mappings, number_formats)
    if not checked.ok:
        return ImportPreview(mode, problems=checked.problems, notices=checked.notices, ambiguities=checked.ambiguities)
    order = [n for n in load_order() if n in checked.typed]
    removed = {n: store.count(n) if mode == "replace" else store.covered(n, checked.typed[n]) for n in order}
    return ImportPreview(mode, {n: len(checked.typed[n]) for n in order}, removed, _spans(checked.typed),
                         notices=checked.notices)


def import_frames(store: Store, raw: Mapping[str, pd.DataFrame], mode: Mode = "replace",
                  mappings: Mapping[str, Mapping[str, str]] | None = None,
                  number_formats: Mapping[str, Mapping[str, NumberFormat]] | None = None) -> ImportReport:
    """Validate frames (as read from files) for several tables and write them in one transaction.

    ``mode`` says how (see :data:`Mode`). ``mappings`` (table -> file column -> table column) matches the
    columns, suggested when absent. ``number_formats`` (table -> column -> convention) answers the report's
    ``ambiguities``. Every problem of every table is reported together, and nothing is written if there is one.
    """
    checked = _check(store, raw, mode, mappings, number_formats)
    if not checked.ok:
        return ImportReport(problems=checked.problems, notices=checked.notices, ambiguities=checked.ambiguities)
    typed = checked.typed
    written: dict[str, int] = {}
    removed: dict[str, int] = {}
    order = [n for n in load_order() if n in typed]
    with store.transaction() as writer:
        if mode == "replace":
            for name in reversed(order):
                removed[name] = store.count(name)
                writer.replace(name, typed[name].iloc[0:0])
            for name in order:
                written[name] = writer.append(name, typed[name])
        else:
            for name in order:
                removed[name], written[name] = writer.refresh(name, typed[name])
    return ImportReport(rows_written=written, notices=checked.notices, rows_removed={n: removed[n] for n in order},
                        spans=_spans(typed))


def import_file(store: Store, table: str, data: bytes, filename: str, mode: Mode = "replace",
                mapping: Mapping[str, str] | None = None, encoding: str = "utf-8",
                delimiter: str | None = None, sheet: str | int | None = None,
                number_formats: Mapping[str, NumberFormat] | None = None) -> ImportReport:
    """Read a CSV/Excel file and import it into ``table`` atomically (see :func:`import_frames`).

    ``number_formats`` maps a number column of ``table`` to its convention where the file leaves it open.
    """
    try:
        frame = read_file(data, filename, encoding=encoding, delimiter=delimiter, sheet=sheet)
    except FileReadError as exc:
        return ImportReport(problems=(Problem(table, None, None, str(exc)),))
    return import_frames(store, {table: frame}, mode=mode, mappings={table: mapping} if mapping else None,
                         number_formats={table: number_formats} if number_formats else None)

