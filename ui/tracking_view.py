"""How the Tracking page shows a day: stop counters, the stops at risk, ETA accuracy, a customer's own delivery and
the sentence about how long customer links open. Clock times print with :func:`opscore.timeofday.timestamp_hhmm`."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from opscore.timeofday import timestamp_hhmm
from opscore.tracking import CustomerView, link_token
from opscore.viz.tracking import accuracy_figure, customer_map
from ui.access import link_secret
from ui.map_background import background
from ui.maps import leaflet_url, show_map
from ui.state import cache_key
from ui.text import md
from ui.urls import page_url

RISK_COLUMNS = {"vehicle_id": "Van", "sequence": "Stop", "order_id": "Order", "name": "Customer", "eta": "ETA",
                "window_end": "Window ends", "risk": "Risk", "by_how_much": "By how much"}
"""The stops-at-risk table: its columns in order and their headings."""
ACCURACY_COLUMNS = {"horizon_minutes": "Minutes ahead", "attempts": "Arrivals",
                    "mean_abs_error_min": "Mean abs. error (min)", "bias_min": "Bias (min, + = ETA too late)",
                    "share_within_window": "Inside ETA window"}
"""Headings of the ETA accuracy table."""


def counters(etas: pd.DataFrame) -> None:
    """Stops done, failed attempts, stops expected late and at risk."""
    done = etas["status"].isin(["delivered", "failed"])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Stops done", f"{int(done.sum())} of {len(etas)}")
    c2.metric("Failed attempts", int((etas["status"] == "failed").sum()))
    c3.metric("Expected late", int((etas["risk"] == "late").sum()))
    c4.metric("At risk", int((etas["risk"] == "at risk").sum()))


def risk_table(risky: pd.DataFrame) -> None:
    """The stops at risk of missing their window, or a line saying there are none."""
    st.subheader("Stops at risk of missing their window")
    if risky.empty:
        st.success("Every remaining stop is expected inside its delivery window.")
        return
    st.dataframe(risky[list(RISK_COLUMNS)].rename(columns=RISK_COLUMNS), hide_index=True, width="stretch",
                 column_config={"ETA": st.column_config.DatetimeColumn(format="HH:mm"),
                                "Window ends": st.column_config.DatetimeColumn(format="HH:mm")})


def accuracy_view(summary: pd.DataFrame) -> None:
    """ETA accuracy per horizon as a chart and a table."""
    st.plotly_chart(accuracy_figure(summary), width="stretch")
    st.dataframe(summary.rename(columns=ACCURACY_COLUMNS), hide_index=True, width="stretch")


def customer_card(view: CustomerView, now: datetime, demonstration: bool) -> None:
    """One customer's delivery: status, expected window and deliveries before theirs (or when it was done), their
    own window and a map of their delivery point only (on the workspace's roads, if it has them)."""
    st.subheader(md(view.message))  # holds the order reference
    c1, c2, c3 = st.columns(3)
    c1.metric("Status", view.status.capitalize())
    if view.eta_low is not None:
        c2.metric("Expected between", f"{timestamp_hhmm(view.eta_low)} - {timestamp_hhmm(view.eta_high)}")
        c3.metric("Deliveries before yours", view.stops_before)
    elif view.done_at is not None:
        c2.metric("At", timestamp_hhmm(view.done_at))
    st.caption(f"Your delivery window: {timestamp_hhmm(view.window_start)} - {timestamp_hhmm(view.window_end)} · as "
               f"of {timestamp_hhmm(now)}" + (" · demonstration data" if demonstration else ""))
    roads = background(cache_key(), [(view.lat, view.lon)], tiles=False).roads
    show_map(customer_map(view.lat, view.lon, f"{view.customer_name}: your delivery point", roads=roads,
                          leaflet_base_url=leaflet_url()), "customer_map", 300)


def link_caption(expires: date, valid_days: int, today: date) -> str:
    """What a customer link shows and until when it opens (``expires``, ``valid_days`` after the delivery day)."""
    after = f"{valid_days} day{'' if valid_days == 1 else 's'} after the delivery day"
    until = (f"It opens until {expires:%d %b %Y}, {after}" if expires >= today else
             f"Links for this day have expired: they opened until {expires:%d %b %Y}, {after}")
    return ("Send a customer this link: it shows their own order only (status, expected time, deliveries before "
            f"theirs). {until} (set `link_valid_days` in secrets.toml or OPSCORE_LINK_DAYS to change that).")


def share_link(workspace: str, order_id: str, expires: date) -> str:
    """An absolute link on this server to the customer's view of ``order_id`` in the workspace of id ``workspace``
    (links name the workspace by id: a re-created name never opens them), signed and open until ``expires``."""
    return page_url("tracking", {"workspace": workspace, "order": order_id, "expires": expires.isoformat(),
                                 "token": link_token(link_secret(), workspace, order_id, expires)})
