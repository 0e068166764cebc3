"""Recording events from the road on the Tracking page: a simulated feed saved as the day's events, or a CSV of
events checked and added (:func:`opscore.tracking.append_events` checks every event before anything is saved)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from opscore.tracking import append_events, read_events_csv
from ui.state import current_store
from ui.text import md
from ui.workspace_actions import sample_is_protected, show_outcome


def record_events(simulated: pd.DataFrame | None) -> None:
    """The 'Record events' panel: save the ``simulated`` feed (when given) as the day's events, or check and add a
    CSV of events. On the shared sample it offers a copy of the sample instead."""
    with st.expander("Record events (from the road or a CSV file)"):
        show_outcome()  # a copy of the sample made just below
        if sample_is_protected("record the day's events", "events"):
            return
        if simulated is not None and st.button("Save this simulated feed as the day's events",
                                               help="For a demonstration: the feed becomes 'Recorded' events."):
            _append(lambda: simulated, "simulated", "Saved {} simulated event(s); choose 'Recorded' to replay them.")
        st.caption("Columns: vehicle_id, kind (departed, arrived, delivered, failed, ping), ts (2026-11-02 09:30), "
                   "order_id, lat, lon, reason, event_id (optional). Events are checked before anything is saved. "
                   "Drivers can also use `python -m opscore.tracking add-event`.")
        upload = st.file_uploader("Events CSV", type=["csv"], key="events_csv")
        if upload is not None and st.button("Check and add these events"):
            _append(lambda: read_events_csv(upload.getvalue()), "csv", "Added {} event(s).")


def _append(events: Callable[[], pd.DataFrame], source: str, done: str) -> None:
    """Check and add ``events()`` to the store, then say how many were added (``done``) or why none were."""
    try:
        written = append_events(current_store(), events(), source=source)
    except ValueError as exc:
        st.warning(f"Nothing was added: {md(exc)}")
    else:
        st.success(done.format(len(written)))
