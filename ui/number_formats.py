"""Asking how a file writes its numbers, for the columns the file itself leaves open."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from opscore.io import NumberAmbiguity, NumberFormat
from ui.text import md


def ask_number_formats(questions: Sequence[NumberAmbiguity], sources: Mapping[str, str],
                       key: str) -> dict[str, NumberFormat] | None:
    """One choice per ambiguous column (table column -> convention), each reading previewed on example rows.

    ``sources`` maps a table column to its file column. Returns None until every column is answered.
    """
    if not questions:
        return {}
    st.subheader("How are the numbers written?")
    st.caption("In these columns every value reads as two different numbers, e.g. 1.500 is one and a half with a "
               "decimal point but fifteen hundred with a decimal comma. Choose how the file writes them.")
    chosen: dict[str, NumberFormat] = {}
    for q in questions:
        source = sources.get(q.column, q.column)
        label = q.column if source == q.column else f"{q.column} (file column {md(source)})"
        st.dataframe(q.preview(), hide_index=True)
        answer = st.radio(label, list(NumberFormat), index=None, horizontal=True, format_func=lambda f: f.value,
                          key=f"{key}_{q.table}_{q.column}")
        if answer is not None:
            chosen[q.column] = answer
    return chosen if len(chosen) == len(questions) else None
