"""One cell's text: as quoted in messages, as read from typed Excel cells, and its hidden characters."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time

import numpy as np
import pandas as pd

MAX_CELL_CHARS = 32_767
"""Longest cell accepted on import, in characters (Excel's own limit for a cell)."""
QUOTE_CHARS = 60
"""Longest value quoted in a message; longer values are cut and end with an ellipsis."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Invisible control characters with no meaning in a table cell (a sign of a damaged or binary export)."""
LINE_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]+")
"""Tabs and line breaks (incl. the Unicode next-line, line and paragraph separators)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet treat text as a formula (OWASP CSV injection), with their full-width
forms, which some spreadsheets read as the ASCII ones."""
_LEADING_SPACES = " \u00a0\u3000"
"""Spaces some spreadsheets skip before a formula."""


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula: it starts, after any spaces, with = + - @ (ASCII
    or full-width), or with a tab or carriage return."""
    return text.startswith(FORMULA_START) or text.lstrip(_LEADING_SPACES).startswith(FORMULA_START)


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters with an ellipsis."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def cell_text(value: object) -> str:
    """A cell as text: strings as they are, typed Excel cells (numbers, dates, times, yes/no) as written."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def describe_control(text: str) -> str:
    """The first control character in ``text`` and where it is, e.g. 'U+0001 at character 5'."""
    found = CONTROL.search(text)
    assert found is not None
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}"


def per_value(values: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """``fn`` of each text cell, computed once per distinct text (columns repeat a lot); None where empty.

    ``values`` holds text or NaN only (factorizing mixed cells would take True and 1 for the same value).
    """
    codes, distinct = pd.factorize(values)
    results = np.array([fn(v) for v in distinct] + [None], dtype=object)
    return pd.Series(results[codes], index=values.index, dtype=object)


def ignored_columns(columns: list[str], table: str) -> list[str]:
    """One notice for the file columns ``table`` does not use (a till export has dozens): at most ten named."""
    if not columns:
        return []
    named = ", ".join(quote(c) for c in columns[:10]) + (f" and {len(columns) - 10} more" if len(columns) > 10 else "")
    one = len(columns) == 1
    return [f"{len(columns)} column{'' if one else 's'} not used by {table} "
            f"{'was' if one else 'were'} ignored: {named}"]
