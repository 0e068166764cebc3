"""The AHP editor: a grid of pairwise judgments between criteria, checked live, giving the criterion weights.

The grid starts as the consistent matrix of the default weights (:func:`opscore.suppliers.pairwise_from_weights`);
an invalid grid can be repaired by keeping the cells above the diagonal and filling in their reciprocals
(:func:`opscore.suppliers.pairwise_from_upper`). Edits survive a visit to another tab.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from opscore.suppliers import ahp_weights, check_pairwise, pairwise_from_upper, pairwise_from_weights, upper_judgments
from ui.text import md

AHP_GRID = "ahp_grid"
"""Session key: the grid the editor starts from."""
AHP_VERSION = "ahp_version"
"""Session key: a counter in the editor's key, raised to start the editor afresh from :data:`AHP_GRID`."""
AHP_SEEN = "ahp_seen"
"""Session key: the grid as last shown, edits included (another tab drops the editor's own state)."""
EDITOR = "ahp_editor_{}"
"""Widget key of the editor, by :data:`AHP_VERSION`."""
DECIMALS = 3
"""Decimals a judgment is kept to (1/3 = 0.333)."""


def _restart(grid: pd.DataFrame) -> str:
    """Start the editor afresh from ``grid``; the new editor's key."""
    st.session_state[AHP_GRID] = grid
    st.session_state[AHP_VERSION] += 1
    return EDITOR.format(st.session_state[AHP_VERSION])


def _repair(fixed: pd.DataFrame) -> None:
    """The repair button's action, before the rerun it triggers: the editor starts afresh from ``fixed``."""
    _restart(fixed)
    st.session_state.pop(AHP_SEEN, None)


def ahp_grid_weights(labels: Sequence[str], default_weights: Sequence[float]) -> np.ndarray | None:
    """The editor of how much more important each row criterion is than each column (1-9, reciprocals below) and
    the weights it gives, or None (with a warning) while the grid is not a valid reciprocal matrix."""
    if AHP_GRID not in st.session_state:
        st.session_state[AHP_GRID] = pd.DataFrame(pairwise_from_weights(default_weights, DECIMALS), index=labels,
                                                  columns=labels)
        st.session_state[AHP_VERSION] = 0
    st.caption("Read each cell as: how much more important is the row than the column? 1 = equal, 3 = moderately, "
               "5 = strongly, 7 = very strongly, 9 = extremely; the mirror cell must hold the reciprocal (e.g. 1/3 = "
               "0.333).")
    editor = EDITOR.format(st.session_state[AHP_VERSION])
    if editor not in st.session_state and AHP_SEEN in st.session_state:  # back from another tab, which drops the
        editor = _restart(st.session_state.pop(AHP_SEEN))                 # editor's edits: start from what was seen
    grid = st.data_editor(st.session_state[AHP_GRID], key=editor, width="stretch", column_config={
        c: st.column_config.NumberColumn(c, min_value=0.111, max_value=9.0, step=0.001, format="%.3f")
        for c in labels})
    st.session_state[AHP_SEEN] = grid
    try:
        check_pairwise(grid)
    except ValueError as exc:
        st.warning(f"These judgments cannot be used: {md(exc)}")
        try:
            fixed = pairwise_from_upper(upper_judgments(grid), len(labels), DECIMALS, labels)
        except ValueError as bad:  # the cells above the diagonal themselves cannot be kept
            st.caption(f"Correct the cells above the diagonal first: {md(bad)}")
        else:
            st.button("Keep the cells above the diagonal and fill in their reciprocals", on_click=_repair,
                      args=(pd.DataFrame(fixed, index=labels, columns=labels),))
        return None
    result = ahp_weights(grid)
    (st.success if result.is_consistent else st.warning)(result.message)
    st.caption(f"Principal eigenvalue {result.lambda_max:.3f} for {len(labels)} criteria (Saaty 1980).")
    return result.weights
