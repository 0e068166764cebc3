"""Input checks shared by the supplier modules: required columns and sensible periods."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the missing columns of ``frame`` (called ``what`` in the message)."""
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} is missing the column(s) {', '.join(missing)}; it needs "
            f"{', '.join(columns)} (see the purchase_orders/products tables on the 'About the data' page)"
        )


def check_period(start: pd.Timestamp | None, end: pd.Timestamp | None) -> None:
    """Raise ``ValueError`` when a period starts after it ends."""
    if start is not None and end is not None and pd.Timestamp(start) > pd.Timestamp(end):
        raise ValueError(f"the period starts on {pd.Timestamp(start):%d %b %Y} after it ends on "
                         f"{pd.Timestamp(end):%d %b %Y}; swap the two dates")
