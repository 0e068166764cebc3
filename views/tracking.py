"""Tracking: the dispatcher's live view of the day (replayable), and a customer's view of one order via ?order=."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

import pandas as pd
import streamlit as st

from opscore.routing import RushHour
from opscore.tracking import (
    EtaSettings,
    LinkState,
    PlannedDay,
    at_risk,
    check_link,
    customer_view,
    eta_table,
    link_expiry,
    replay_window,
    van_positions,
)
from opscore.viz.tracking import timeline_figure
from ui.access import link_secret, link_valid_days
from ui.map_background import show_tracking_map
from ui.services import tracking
from ui.state import cache_key, current_store, current_workspace, page_fragment
from ui.text import md
from ui.tracking_events import record_events
from ui.tracking_view import accuracy_view, counters, customer_card, link_caption, risk_table, share_link
from ui.widgets import needs_data

log = logging.getLogger("opscore.app")
DEMO_TIME = time(10, 0)  # 'now' when the workspace's day is not today (the sample): a mid-morning replay
ACCURACY = "_eta_accuracy"  # session key: the look-back (days) of the ETA accuracy asked for, once measured


def _now_for(day: date) -> datetime:
    """Real time if the workspace's day is today, else the demo replay moment (or ?at=HH:MM)."""
    if at := st.query_params.get("at"):
        try:
            return datetime.combine(day, time.fromisoformat(at))
        except ValueError:
            st.warning(f"'{md(at)}' is not a time like 10:30; showing {DEMO_TIME:%H:%M}.")
    return datetime.now() if day == date.today() else datetime.combine(day, DEMO_TIME)


def customer_page(order_ref: str) -> None:
    """Only this order's status, ETA window and stops before it: nothing about any other customer."""
    st.title("Your delivery")
    ref = order_ref.strip().upper()
    try:
        secret = link_secret()
    except (ValueError, OSError):
        log.exception("customer tracking links cannot be checked: the link key is unusable")
        st.warning("Tracking is not available right now. Please try again later.")
        return
    link = check_link(secret, current_workspace().id, ref, st.query_params.get("expires"),
                      st.query_params.get("token"), date.today())
    if link.state is LinkState.INVALID:
        st.warning("This tracking link is not valid. Please use the link from your delivery message.")
        return
    if link.state is LinkState.EXPIRED:
        st.info(f"This tracking link expired on {link.expires:%A %d %B %Y}. Please contact us if you need an update "
                "on your delivery.")
        return
    key, day = cache_key(), current_store().as_of()
    if not (planned := tracking.order_days(key, ref)):
        st.warning(f"We cannot find order {md(ref)}. Please check the reference in your confirmation message.")
        return
    if day not in planned:
        later = [d for d in planned if d > day]
        st.info(f"Order {md(ref)} is planned for {later[0]:%A %d %B}; live tracking starts that morning." if later else
                f"Order {md(ref)} is not on today's deliveries.")
        return
    recorded = tracking.recorded_count(key, day) > 0
    plan = tracking.planned(key, day, tracking.DELIVERIES, 0.0)
    now = _now_for(day)
    etas = eta_table(plan, tracking.events(key, day, recorded, 30.0, 0, 0.2, 1.5, 1, tracking.DELIVERIES), now,
                     tracking.travel_for(key, 30.0))
    customer_card(customer_view(etas, ref), now, demonstration=not recorded)


def dispatcher_page() -> None:
    st.title("Delivery tracking")
    st.caption("Where each van is, when each remaining stop will be reached (with a likely range), and which "
               "customers risk a late delivery. Move the time slider to replay the day.")
    store = current_store()
    needs_data(store, ["deliveries", "orders", "customers", "vehicles", "sites"], "Tracking the vans")
    key = cache_key()
    if not (days := tracking.days_tracked(key)):
        st.info("There are no planned deliveries yet. Import deliveries on the Data page or plan routes first.")
        return
    left, right = st.columns([1, 3])
    with left:
        day = st.selectbox("Day", days[:30], format_func=lambda d: f"{d:%a %d %b %Y}")
        plan_source = st.radio("Plan", ["Planned deliveries", "Route planner"], horizontal=True,
                               help="Planned deliveries: the deliveries table in planned-arrival order. Route "
                                    "planner: a fresh plan of the day's open orders (takes a few seconds).")
        recorded = tracking.recorded_count(key, day)
        feed = st.radio("Events", [f"Recorded ({recorded})", "Simulated driver feed"], index=0 if recorded else 1,
                        help="Simulated: a replay of the plan with traffic, longer stops and one failed attempt.")
        with st.expander("Assumptions"):
            speed = float(st.slider("Average van speed (km/h)", 15, 60, 30))
            cv = st.slider("Travel time spread (share of leg time)", 0.1, 1.0, 0.5, 0.05,
                           help="Sets the width of the ETA range: 0.5 = a 20-minute leg takes 20 +/- 10 minutes.")
            seed = int(st.number_input("Simulation seed", 0, 9999, 0))
            traffic = st.slider("Traffic noise", 0.0, 0.6, 0.2, 0.05)
            stretch = st.slider("Longest stop, times the planned service time", 1.0, 3.0, 1.5, 0.1)
            failed = int(st.number_input("Failed attempts", 0, 10, 1))
            rush = RushHour() if st.checkbox(f"Rush hour ({RushHour().describe()})", help="Slower legs in the peaks, "
                                             "in the ETAs and a route-planner plan (as on the Route map).") else None
    src = tracking.PLANNER if plan_source == "Route planner" else tracking.DELIVERIES
    try:
        with st.spinner("Preparing the day..."):
            plan = tracking.planned(key, day, src, tracking.plan_speed(src, speed), rush)
    except ValueError as exc:
        st.warning(f"This day cannot be tracked: {md(exc)}.")
        return
    events = tracking.events(key, day, feed.startswith("Recorded"), speed, seed, traffic, stretch, failed, src, rush)
    with right:
        _replay(key, plan, events, speed, EtaSettings(travel_cv=cv, rush=rush), day)
    with st.expander("Customer tracking links"):
        expires = link_expiry(day, store.as_of(), date.today(), valid_days := link_valid_days())
        st.caption(link_caption(expires, valid_days, date.today()))
        order = st.selectbox("Order", list(plan.stops["order_id"]),
                             format_func=lambda o: f"{o} · {plan.stops.set_index('order_id').at[o, 'name']}")
        st.code(share_link(current_workspace().id, order, expires), language=None)
    record_events(events if feed == "Simulated driver feed" and not recorded else None)
    with st.expander("How accurate are our ETAs? (past days)"):
        st.caption("The ETA engine re-run as it would have stood 15 minutes to 4 hours before each past arrival, "
                   "knowing only what had happened by then, compared with the actual arrival.")
        look_back = st.select_slider("Look back", [30, 60, 90, 180, 365], 60, format_func=lambda d: f"{d} days")
        if st.button("Measure ETA accuracy"):
            st.session_state[ACCURACY] = look_back
        if st.session_state.get(ACCURACY):
            try:
                accuracy_view(tracking.accuracy(key, st.session_state[ACCURACY], speed, cv))
            except ValueError as exc:
                st.warning(md(exc))


@page_fragment
def _replay(key: str, plan: PlannedDay, events: pd.DataFrame, speed: float, eta: EtaSettings, day: date) -> None:
    span = replay_window(plan, events, datetime.combine(day, DEMO_TIME))
    now = st.slider("Replay time", span.first, span.last, span.start, step=pd.Timedelta(minutes=5).to_pytimedelta(),
                    format="HH:mm")
    travel = tracking.travel_for(key, speed)
    etas = eta_table(plan, events, now, travel, eta)
    counters(etas)
    show_tracking_map(key, plan, etas, van_positions(plan, events, now), travel)
    st.plotly_chart(timeline_figure(etas, now), width="stretch")
    risk_table(at_risk(etas))


if order_param := st.query_params.get("order"):
    customer_page(order_param)
else:
    dispatcher_page()
