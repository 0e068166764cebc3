"""The Maintenance page's check of its breakdown warning: the condition model tested on later months it never saw,
run only when its expander is opened (a second training)."""

from __future__ import annotations

import streamlit as st

from ui.services import maintenance as svc
from ui.text import md

QUALITY = "maintenance_quality"
"""Session key: whether the model-quality expander is open."""


def model_quality(key: str) -> None:
    """An expander that tests the breakdown warning when opened: precision, recall, ROC AUC, Brier score and a
    calibration table."""
    quality = st.expander("How good is the breakdown warning? (tested on later months it never saw)",
                          key=QUALITY, on_change="rerun")  # runs the test only when opened
    with quality:
        ev = svc.quality(key) if quality.open else None
        if isinstance(ev, str):
            st.write(md(ev))
        elif ev is not None:
            st.caption(f"Trained on days up to {ev.train_end:%d %b %Y}, tested on {ev.test_start:%d %b %Y} onwards "
                       f"({ev.n_test:,} asset-days, {ev.base_rate:.0%} of them followed by a breakdown within "
                       f"{ev.horizon_days} days).")
            q1, q2, q3, q4 = st.columns(4)
            q1.metric("Right warnings", f"{ev.precision:.0%}",
                      help=f"Precision: of the days flagged (chance above {ev.threshold:.0%}), the share followed "
                      "by a breakdown")
            q2.metric("Breakdowns caught", f"{ev.recall:.0%}",
                      help="Recall: share of pre-breakdown days that were flagged")
            q3.metric("ROC AUC", f"{ev.roc_auc:.2f}", help="Ranking quality: 0.5 is a coin toss, 1 is perfect")
            q4.metric("Brier score", f"{ev.brier:.3f}",
                      help="Mean squared error of the probabilities; lower is better")
            st.caption("Calibration: test days grouped by predicted chance. Where the two columns are close, the "
                       "chances can be taken at face value.")
            st.dataframe(ev.calibration.rename(columns={"predicted": "Predicted chance", "observed": "What happened"}),
                         hide_index=True, column_config={
                             "Predicted chance": st.column_config.NumberColumn(format="percent"),
                             "What happened": st.column_config.NumberColumn(format="percent")})
