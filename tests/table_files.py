"""Helpers shared by the import tests: a store's contents as checksums, and small workbooks with typed cells."""

from __future__ import annotations

import io

import openpyxl

from opscore.store import USER_TABLES, Store


def checksums(store: Store) -> dict[str, str]:
    """A content hash of every user table, to show that a refused import changed nothing."""
    return {name: store.checksum(name) for name in USER_TABLES}


def workbook(rows: list[list[object]]) -> bytes:
    """An .xlsx whose first sheet holds ``rows`` as typed cells (numbers, dates, text as given)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
