"""Atomic import of one or more tables into a workspace store.

An import either writes every table it was given, or, if any row of any file is
wrong, writes nothing and returns the problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from opscore.io.cells import quote
from opscore.io.numbers import NumberAmbiguity, NumberFormat
from opscore.io.reading import FileReadError, read_file
from opscore.io.validation import Problem, check_references, check_rows, coerce
from opscore.store import Store, get_table, load_order
from opscore.store.schema import TABLE_BY_NAME

Mode = Literal["replace", "append"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows written per table, or the problems and open questions that stopped it."""

    rows_written: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    ambiguities: tuple[NumberAmbiguity, ...] = ()
    """Number columns that read differently with a decimal point and a decimal comma: pass a choice
    for each in ``number_formats`` and import again."""

    @property
    def ok(self) -> bool:
        return not self.problems and not self.ambiguities

    def problems_frame(self) -> pd.DataFrame:
        """Problems as a table: table, row, column, problem."""
        return pd.DataFrame(
            [(p.table, p.row, p.column, p.message) for p in self.problems],
            columns=["table", "row", "column", "problem"],
        )

    def summary(self) -> str:
        if self.ok:
            written = ", ".join(f"{n:,} rows into {t}" for t, n in self.rows_written.items())
            return f"Imported {written}." if written else "Nothing to import."
        if not self.problems:
            columns = ", ".join(f"{a.table}.{a.column}" for a in self.ambiguities)
            return f"Nothing was imported: choose a decimal point or a decimal comma for {columns}."
        return f"Nothing was imported: {len(self.problems)} problem(s) found. First: {self.problems[0]}"


def _known_keys(store: Store, typed: Mapping[str, pd.DataFrame], mode: Mode) -> dict[str, set[object]]:
    """Keys each referencing column may point to, after the import would apply."""
    needed = {c.references for name in typed for c in get_table(name).columns if c.references}
    known: dict[str, set[object]] = {}
    for ref in needed:
        parent, column = ref.split(".")
        values: set[object] = set()
        if parent in typed:
            values |= set(typed[parent][column].dropna())
        if parent not in typed or mode == "append":
            values |= set(store.table(parent, columns=[column])[column].dropna())
        known[ref] = values
    return known


def _orphans(store: Store, typed: Mapping[str, pd.DataFrame], mode: Mode) -> list[Problem]:
    """Rows left in other tables that would point at keys a replace removes."""
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
            remaining = set(typed[parent][key].dropna())
            used = store.table(child.name, columns=[col.name])[col.name].dropna()
            lost = sorted(set(used) - remaining, key=str)
            if lost:
                problems.append(Problem(parent, None, key, (
                    f"the new file drops {len(lost)} code(s) still used by {child.name}.{col.name} "
                    f"(e.g. {', '.join(quote(c) for c in lost[:5])}); include them or import {child.name} in the same batch")))
    return problems


def import_frames(store: Store, raw: Mapping[str, pd.DataFrame], mode: Mode = "replace",
                  mappings: Mapping[str, Mapping[str, str]] | None = None,
                  number_formats: Mapping[str, Mapping[str, NumberFormat]] | None = None) -> ImportReport:
    """Validate frames (as read from files) for several tables and write them in one transaction.

    ``mode="replace"`` makes each table exactly its file; ``"append"`` adds rows (a key
    that already exists is a problem). ``number_formats`` (table -> column -> convention)
    answers the report's ``ambiguities``. Nothing is written if any problem or ambiguity is found.
    """
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
        if frame.empty and mode == "replace":
            problems.append(Problem(name, None, None, "the file has a header but no data rows; importing it would empty the table"))
            continue
        frame = frame.reset_index(drop=True)
        result = coerce(frame, table, (mappings or {}).get(name), (number_formats or {}).get(name))
        problems += result.problems
        notices += [f"{name}: {n}" for n in result.notices]
        ambiguities += result.ambiguities
        if not result.problems:
            problems += check_rows(result.values, table, as_of)
            typed[name] = result.values
    if problems or ambiguities:
        return ImportReport(problems=tuple(problems), notices=tuple(notices), ambiguities=tuple(ambiguities))
    known = _known_keys(store, typed, mode)
    for name, values in typed.items():
        problems += check_references(values, get_table(name), known)
        if mode == "append":
            table = get_table(name)
            existing = store.table(name, columns=list(table.key))
            clash = values[list(table.key)].merge(existing, how="left", indicator=True)["_merge"].eq("both").to_numpy()
            for idx in values.index[clash][:20]:
                problems.append(Problem(name, int(idx) + 2, "+".join(table.key), "this key is already in the workspace"))
    problems += _orphans(store, typed, mode)
    if problems:
        return ImportReport(problems=tuple(problems), notices=tuple(notices))
    written: dict[str, int] = {}
    order = [n for n in load_order() if n in typed]
    with store.transaction() as writer:
        if mode == "replace":
            for name in reversed(order):
                writer.replace(name, typed[name].iloc[0:0])
        for name in order:
            written[name] = writer.append(name, typed[name])
    return ImportReport(rows_written=written, notices=tuple(notices))


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

