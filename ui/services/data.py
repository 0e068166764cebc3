"""The Data page's cached work: a file read once per content and reading choices, the first rows of a large file,
the number-format questions of its columns, and a line-level export added up into daily sales."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from opscore.io import (
    LargeFilePreview,
    LineAggregation,
    NumberAmbiguity,
    NumberFormat,
    aggregate_lines,
    detect_layout,
    number_questions,
    preview_large_file,
    read_file,
)
from opscore.store import get_table
from ui.state import store_for


@st.cache_data(show_spinner=False, max_entries=8)
def read_upload(digest: str, _data: bytes, filename: str, encoding: str, delimiter: str | None) -> pd.DataFrame:
    """An uploaded file (``digest`` identifies ``_data``, its content) read into cells."""
    return read_file(_data, filename, encoding=encoding, delimiter=delimiter)


@st.cache_data(show_spinner=False, max_entries=8)
def large_file_head(digest: str, path: str, delimiter: str | None, encoding: str) -> LargeFilePreview:
    """The first rows of a large file (``digest`` identifies its content), read once, not on every rerun."""
    return preview_large_file(path, delimiter=delimiter, encoding=encoding)


@st.cache_data(show_spinner=False, max_entries=8)
def format_questions(source: str, _raw: pd.DataFrame, name: str,
                     mapping: tuple[tuple[str, str], ...]) -> tuple[NumberAmbiguity, ...]:
    """How the numbers of ``_raw`` (the file ``source`` names: its digest and reading choices) are written, where
    its columns matched to table ``name`` by ``mapping`` (file column, table column) leave it open."""
    return number_questions(_raw, get_table(name), dict(mapping))


@st.cache_data(show_spinner=False, max_entries=8)
def added_up_lines(key: str, source: str, _raw: pd.DataFrame, formats: tuple[tuple[str, NumberFormat], ...],
                   as_of: date) -> LineAggregation | None:
    """A line-level export (``_raw``, the file ``source`` names) added up into daily sales, each line's SKU checked
    against the products of the workspace ``key`` names and its day against ``as_of``; None when the file is not
    line-level. ``formats``: answers to its number questions (column, format)."""
    layout = detect_layout(_raw.columns)
    if layout is None:
        return None
    skus = frozenset(store_for(key).distinct_values("products", "sku"))
    return aggregate_lines(_raw, layout, dict(formats) or None, skus, as_of)
