"""Numbers as clients write them: decimal point or decimal comma, thousands marks, currency signs.

A column's convention is read from its own values. A value such as ``9,80`` or ``1.234,50``
can only be a decimal comma; ``10.42`` or ``1,234.5`` only a decimal point. A value such as
``1.500`` or ``1,234`` reads as two different numbers, so a column holding only values like
that is ambiguous and the caller must choose (:class:`NumberAmbiguity`), unless one reading
is outside the column's allowed range (a latitude ``53.776`` is not 53,776). Nothing else is
evidence: not the file's ``;`` separator (point-decimal tools write those too), not other
columns, and not whole-number columns (``1.500`` units may be a mistyped 1.5, not 1,500).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pandas as pd

from opscore.io.cells import per_value


class NumberFormat(Enum):
    """How a column writes its decimal mark (the value is the label shown to users)."""

    DECIMAL_POINT = "decimal point"
    """``1,234.50``: point before the decimals; comma, apostrophe or space between thousands."""
    DECIMAL_COMMA = "decimal comma"
    """``1.234,50``: comma before the decimals; point, apostrophe or space between thousands."""


_SPACES = " \u00a0\u202f\u2009"
"""Space, no-break space, narrow no-break space, thin space: all used between thousands."""
_CURRENCY = "[£€$¥]"
_SHELL = re.compile(
    rf"^(?P<c1>{_CURRENCY})?\s*+(?P<open>\()?\s*+(?P<lead>[-+\u2212])?\s*+(?P<c2>{_CURRENCY})?\s*+(?P<lead2>[-+\u2212])?\s*+"
    r"(?P<body>[0-9.,'\u2019" + _SPACES + r"]*?[0-9]|[.,][0-9]+)(?P<exp>[eE][-+]?[0-9]+)?"
    rf"\s*+(?P<trail>[-\u2212])?\s*+(?P<c3>{_CURRENCY})?\s*+(?P<trail2>[-\u2212])?\s*+(?P<close>\))?\s*+(?P<c4>{_CURRENCY})?$"
)
r"""Sign (leading, trailing or parentheses) and currency sign around the digits. Possessive ``\s*+``: a run of
spaces is taken whole, never split between neighbours (which made matching time explode on long runs)."""
MAX_NUMBER_CHARS = 64
"""Longest text read as a number; anything longer is not one (and is never handed to the pattern)."""


def _body_rule(decimal: str, groups: str) -> re.Pattern[str]:
    group = "[" + re.escape(groups) + "]"
    return re.compile(
        rf"^(?:(?P<plain>[0-9]*)|(?P<lead>[1-9][0-9]{{0,2}})(?P<rest>(?:(?P<g>{group})[0-9]{{3}})(?:(?P=g)[0-9]{{3}})*))"
        rf"(?:{re.escape(decimal)}(?P<frac>[0-9]+))?$"
    )


_BODIES = {
    NumberFormat.DECIMAL_POINT: _body_rule(".", ",'\u2019" + _SPACES),
    NumberFormat.DECIMAL_COMMA: _body_rule(",", ".'\u2019" + _SPACES),
}


def parse_number(text: str, fmt: NumberFormat) -> float | None:
    """The number ``text`` writes in convention ``fmt``, or None if it is not one.

    Accepts thousands marks in groups of three (``1,234,567``, ``1.234.567``, ``1'234``,
    ``1 234``), a currency sign (£ € $ ¥) before or after, and a minus before or after the
    number or parentheses around it (``(12.50)`` = -12.5).
    """
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        return None
    shell = _SHELL.match(text)
    if shell is None:
        return None
    body = _BODIES[fmt].match(shell["body"])
    if body is None or not (body["plain"] or body["lead"] or body["frac"]):
        return None
    signs = [s for s in (shell["lead"], shell["lead2"], shell["trail"], shell["trail2"]) if s]
    currencies = [c for c in (shell["c1"], shell["c2"], shell["c3"], shell["c4"]) if c]
    if (len(signs) > 1 or len(currencies) > 1 or bool(shell["open"]) != bool(shell["close"])
            or (shell["open"] and signs)):
        return None
    whole = body["plain"] if body["plain"] is not None else body["lead"] + re.sub(r"[^0-9]", "", body["rest"])
    value = float(f"{whole or '0'}.{body['frac'] or '0'}{shell['exp'] or ''}")
    negative = bool(shell["open"]) or (bool(signs) and signs[0] != "+")
    return -value if negative else value


@dataclass(frozen=True)
class NumberAmbiguity:
    """A column whose values read as different numbers with a decimal point and with a decimal comma."""

    table: str
    column: str
    """The table's column (after matching file columns to table columns)."""
    rows: tuple[int, ...]
    """Spreadsheet rows (header = 1) of the example values."""
    values: tuple[str, ...]
    """The example values as written in the file."""
    as_point: tuple[float | None, ...]
    """Each example read with a decimal point (None: not a number that way)."""
    as_comma: tuple[float | None, ...]
    """Each example read with a decimal comma (None: not a number that way)."""

    def preview(self) -> pd.DataFrame:
        """The examples as a table: row, in the file, read with each convention."""
        return pd.DataFrame({"row": self.rows, "in the file": self.values,
                             NumberFormat.DECIMAL_POINT.value: self.as_point,
                             NumberFormat.DECIMAL_COMMA.value: self.as_comma})


@dataclass(frozen=True)
class Reading:
    """What a column's own values say about its convention."""

    point_only: tuple[int, ...]
    """Index labels of values that are valid numbers only with a decimal point (e.g. ``10.42``)."""
    comma_only: tuple[int, ...]
    """Index labels of values that are valid numbers only with a decimal comma (e.g. ``9,80``)."""
    differ: tuple[int, ...]
    """Index labels of values that are different numbers in the two conventions (e.g. ``1.500``)."""

    @property
    def evident(self) -> NumberFormat | None:
        """The convention the values prove, if they prove exactly one."""
        if self.comma_only and not self.point_only:
            return NumberFormat.DECIMAL_COMMA
        if self.point_only and not self.comma_only:
            return NumberFormat.DECIMAL_POINT
        return None


_NONE, _SAME, _DIFFER, _POINT, _COMMA = range(5)
"""What one text says: not a number, the same number either way, two numbers, proof of one convention."""


def _strings(cells: pd.Series) -> pd.Series:
    """The text cells of a column (Excel columns may also hold numbers and dates)."""
    if pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):
        return cells.dropna()
    return cells[cells.map(lambda v: isinstance(v, str))].astype(object)


def read_convention(cells: pd.Series, valid: Callable[[float], bool] = lambda _: True) -> Reading:
    """Classify the text cells of one column (number cells, empty cells and non-numbers say nothing).

    ``valid`` says whether a number is allowed in the column (e.g. within its range); a reading
    giving a number that is not allowed does not count.
    """
    def kind(value: str) -> int:
        point, comma = (parse_number(value, fmt) for fmt in NumberFormat)
        if point is not None and comma is not None and point != comma and valid(point) != valid(comma):
            point, comma = (point, None) if valid(point) else (None, comma)
        if point is not None and comma is not None:
            return _SAME if point == comma else _DIFFER
        return _POINT if point is not None else (_COMMA if comma is not None else _NONE)

    strings = _strings(cells)
    codes, distinct = pd.factorize(strings)
    kinds = np.array([kind(v) for v in distinct] + [_NONE], dtype=np.int8)[codes]
    return Reading(*(tuple(int(i) for i in strings.index[kinds == k]) for k in (_POINT, _COMMA, _DIFFER)))


def parse_column(cells: pd.Series, fmt: NumberFormat) -> pd.Series:
    """Text cells parsed in ``fmt`` (NaN where not a number); number cells (e.g. from Excel) kept as they are."""
    strings = _strings(cells)
    parsed = per_value(strings, lambda v: parse_number(v, fmt)).astype(float)
    if len(strings) == cells.notna().sum():
        return parsed.reindex(cells.index)
    numbers = cells.map(lambda v: float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
    return numbers.astype(float).fillna(parsed.reindex(cells.index))
