"""The Route map's rush-hour input (a toggle and an editable table of speed bands) and the sentence saying how many
minutes traffic added to the plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from opscore.routing import RoutePlan, RushHour
from opscore.routing.rush_hour import rush_from_rows, rush_rows
from ui.text import md

BAND_COLUMNS: dict[str, Any] = {
    "from": st.column_config.TextColumn("From (HH:MM)", help="Start of the band, e.g. 07:00"),
    "to": st.column_config.TextColumn("To (HH:MM)", help="End of the band, e.g. 10:00 (24:00 = midnight)"),
    "speed_pct": st.column_config.NumberColumn("Speed (% of usual)", min_value=10, max_value=200, step=5,
                                               help="80 = vans move at 80 % of the average speed (20 % slower)")}
"""The bands table: its columns and headings."""
EDITOR_KEY = "routes_rush_bands"  # widget key of the bands table


def rush_input(saved: Sequence[Sequence[object]] | None) -> RushHour | None:
    """A "Rush hour" toggle (on when a linked scenario ``saved`` bands) and, when on, the bands table (default:
    07:00-10:00 and 16:00-19:00 at 80 %). Bad rows stop the page with a warning naming each row and what to write."""
    on = st.toggle("Rush hour", value=saved is not None,
                   help="Vans are slower in the bands below: arrival times, windows and hours follow the time of "
                        "day. The search plans on the speed at each van's shift start; the plan is then timed "
                        "hour by hour. The default bands are an assumption for a UK town (DfT congestion statistics "
                        "CGN0502); edit them for yours.")
    if not on:
        return None
    rows = rush_rows(RushHour()) if saved is None else saved
    table = st.data_editor(pd.DataFrame([list(r) for r in rows], columns=list(BAND_COLUMNS)), num_rows="dynamic",
                           hide_index=True, column_config=BAND_COLUMNS, key=EDITOR_KEY)
    try:
        return rush_from_rows(list(table[list(BAND_COLUMNS)].itertuples(index=False, name=None)))
    except ValueError as exc:
        st.warning(f"The rush-hour table needs fixing before routes can be planned: {md(exc)}. Rows count from 1 "
                   "at the top; turn Rush hour off to plan at one speed all day.")
        st.stop()


def saved_rush(rush: RushHour | None) -> list[list[object]] | None:
    """The rush-hour setting as a saved scenario keeps it: rows (from, to, speed %) or None when off."""
    return None if rush is None else [list(r) for r in rush_rows(rush)]


def traffic_caption(plan: RoutePlan, rush: RushHour | None) -> None:
    """'Traffic added N minutes across the vans (rush hour ...)' under the headline when rush hour is on."""
    if rush is not None:  # the bands are printed from numbers (HH:MM, %), never from the user's text
        minutes = plan.traffic_minutes
        change = f"added {minutes:,.0f}" if minutes >= 0 else f"saved {-minutes:,.0f}"  # a band may be faster
        st.caption(f"Traffic {change} minutes across the vans (rush hour "
                   f"{rush.describe()}). The search plans on the speed at each van's shift start; the times shown "
                   "are worked out hour by hour.")
