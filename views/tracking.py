"""Tracking: the dispatcher's live view of the day (replayable), and a customer's view of one order via ?order=."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from opscore.routing import TravelModel, solve
from opscore.routing.from_tables import build_problem, stops_for_day
from opscore.emission_factors import factors_from
from opscore.tracking import (EtaSettings, LinkState, accuracy_by_horizon, append_events, at_risk, check_link,
                              customer_view, eta_errors, eta_table, link_expiry, link_token,
                              planned_day_from_deliveries, planned_day_from_plan, read_events_csv, simulate_feed,
                              van_positions)
from opscore.viz.tracking import accuracy_figure, customer_map, timeline_figure, tracking_map
from ui.access import link_secret, link_valid_days
from ui.state import cache_key, current_store, current_workspace, page_fragment, table
from ui.text import md
from ui.urls import page_url
from ui.widgets import needs_data
from ui.workspace_actions import sample_is_protected, show_outcome

LEAFLET_JS = Path(__file__).resolve().parents[1] / "static" / "leaflet" / "leaflet.js"
log = logging.getLogger("opscore.app")
DEMO_TIME = time(10, 0)  # 'now' when the workspace's day is not today (the sample): a mid-morning replay


def _leaflet_url() -> str | None:
    """Where the app serves Leaflet (static folder), or None to inline it into the map."""
    if st.get_option("server.enableStaticServing") and LEAFLET_JS.exists():
        base = str(st.get_option("server.baseUrlPath") or "").strip("/")
        return f"/{base}/app/static/leaflet" if base else "/app/static/leaflet"
    return None


@st.cache_data(show_spinner=False, max_entries=16)
def _planned(key: str, day: date, source: str, speed: float):
    """The day's plan; ``speed`` (km/h) only matters to a fresh route planner plan (see :func:`_plan_speed`)."""
    if source == "planner":
        vehicles, sites = table("vehicles"), table("sites")
        stops = stops_for_day(table("orders"), table("order_lines"), table("products"), table("customers"), day)
        if stops.empty:
            raise ValueError(f"no open or planned orders on {day:%d %b}")
        problem = build_problem(stops, vehicles, sites, objective="cost", travel=TravelModel(default_speed_kmh=speed),
                                factors=factors_from(table("emission_factors")))
        return planned_day_from_plan(solve(problem, time_limit=2, seed=0), problem, table("orders"), vehicles, sites, day)
    return planned_day_from_deliveries(table("deliveries"), table("orders"), table("customers"), table("vehicles"),
                                       table("sites"), day)


def _plan_speed(source: str, speed: float) -> float:
    """The speed a plan from ``source`` depends on: 0 for the deliveries' own plan, which moving it then reuses."""
    return speed if source == "planner" else 0.0


@st.cache_data(show_spinner=False, max_entries=16)
def _events(key: str, day: date, source: str, speed: float, seed: int, traffic: float, stretch: float,
            failed: int, plan_source: str) -> pd.DataFrame:
    if source == "recorded":
        ev = table("delivery_events")
        return ev[pd.to_datetime(ev["ts"]).dt.date == day]
    return simulate_feed(_planned(key, day, plan_source, _plan_speed(plan_source, speed)),
                         TravelModel(default_speed_kmh=speed), seed=seed,
                         traffic_sd=traffic, service_stretch=stretch, n_failed=failed)


@st.cache_data(show_spinner=False, max_entries=8)
def _accuracy(key: str, days: int, speed: float, cv: float) -> pd.DataFrame:
    end = current_store().as_of()
    errors = eta_errors(table("deliveries"), table("orders"), table("customers"), table("vehicles"), table("sites"),
                        TravelModel(default_speed_kmh=speed), EtaSettings(travel_cv=cv),
                        start=end - pd.Timedelta(days=days), end=end)
    return accuracy_by_horizon(errors)


def _recorded_count(day: date) -> int:
    ev = table("delivery_events")
    return int((pd.to_datetime(ev["ts"]).dt.date == day).sum())


def _now_for(day: date) -> datetime:
    """Real time if the workspace's day is today, else the demo replay moment (or ?at=HH:MM)."""
    at = st.query_params.get("at")
    if at:
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
    day = current_store().as_of()
    deliveries = table("deliveries")
    mine = deliveries[deliveries["order_id"].str.upper() == ref]
    if mine.empty:
        st.warning(f"We cannot find order {md(ref)}. Please check the reference in your confirmation message.")
        return
    planned = pd.to_datetime(mine["planned_date"]).dt.date
    if not (planned == day).any():
        later = sorted(d for d in planned if d > day)
        st.info(f"Order {md(ref)} is planned for {later[0]:%A %d %B}; live tracking starts that morning." if later else
                f"Order {md(ref)} is not on today's deliveries.")
        return
    key = cache_key()
    source = "recorded" if _recorded_count(day) else "simulated"
    plan = _planned(key, day, "deliveries", 30.0)
    now = _now_for(day)
    etas = eta_table(plan, _events(key, day, source, 30.0, 0, 0.2, 1.5, 1, "deliveries"), now)
    view = customer_view(etas, ref)
    st.subheader(md(view.message))  # holds the order reference
    c1, c2, c3 = st.columns(3)
    c1.metric("Status", view.status.capitalize())
    if view.eta_low is not None:
        c2.metric("Expected between", f"{view.eta_low:%H:%M} - {view.eta_high:%H:%M}")
        c3.metric("Deliveries before yours", view.stops_before)
    elif view.done_at is not None:
        c2.metric("At", f"{view.done_at:%H:%M}")
    st.caption(f"Your delivery window: {view.window_start:%H:%M} - {view.window_end:%H:%M} · as of {now:%H:%M}"
               + ("" if source == "recorded" else " · demonstration data"))
    st_folium(customer_map(view.lat, view.lon, f"{view.customer_name}: your delivery point", tiles=False,
                           leaflet_base_url=_leaflet_url()), key="customer_map", height=300,
              use_container_width=True, returned_objects=[])


def _share_link(order_id: str, expires: date) -> str:
    """An absolute link on this server to the customer's view of ``order_id``, signed and open until ``expires``."""
    workspace = current_workspace().id  # links name the workspace by id: a re-created name never opens them
    return page_url("tracking", {"workspace": workspace, "order": order_id, "expires": expires.isoformat(),
                                 "token": link_token(link_secret(), workspace, order_id, expires)})


def dispatcher_page() -> None:
    st.title("Delivery tracking")
    st.caption("Where each van is, when each remaining stop will be reached (with a likely range), and which "
               "customers risk a late delivery. Move the time slider to replay the day.")
    store = current_store()
    needs_data(store, ["deliveries", "orders", "customers", "vehicles", "sites"], "Tracking the vans")
    deliveries = table("deliveries")
    as_of = store.as_of()
    days = sorted((d for d in pd.to_datetime(deliveries["planned_date"]).dt.date.unique() if d <= as_of), reverse=True)
    if not days:
        st.info("There are no planned deliveries yet. Import deliveries on the Data page or plan routes first.")
        return
    key = cache_key()
    left, right = st.columns([1, 3])
    with left:
        day = st.selectbox("Day", days[:30], format_func=lambda d: f"{d:%a %d %b %Y}")
        plan_source = st.radio("Plan", ["Planned deliveries", "Route planner"], horizontal=True,
                               help="Planned deliveries: the deliveries table in planned-arrival order. Route "
                                    "planner: a fresh plan of the day's open orders (takes a few seconds).")
        recorded = _recorded_count(day)
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
    src = "planner" if plan_source == "Route planner" else "deliveries"
    try:
        with st.spinner("Preparing the day..."):
            plan = _planned(key, day, src, _plan_speed(src, speed))
    except ValueError as exc:
        st.warning(f"This day cannot be tracked: {md(exc)}.")
        return
    events = _events(key, day, "recorded" if feed.startswith("Recorded") else "simulated", speed, seed, traffic,
                     stretch, failed, src)
    with right:
        _replay(plan, events, speed, cv, day)
    _customer_links(plan, day, as_of)
    _add_events(events if feed == "Simulated driver feed" and not recorded else None)
    _accuracy_panel(speed, cv)


@page_fragment
def _replay(plan, events: pd.DataFrame, speed: float, cv: float, day: date) -> None:  # type: ignore[no-untyped-def]
    first = min(pd.Timestamp(plan.vans["planned_departure"].min()), pd.Timestamp(plan.stops["planned_arrival"].min()))
    last = max(pd.Timestamp(plan.stops["planned_arrival"].max()), pd.to_datetime(events["ts"]).max()
               if len(events) else pd.Timestamp(plan.stops["planned_arrival"].max())) + pd.Timedelta(minutes=30)
    lo, hi = first.floor("15min").to_pydatetime(), last.ceil("15min").to_pydatetime()
    start = min(max(datetime.combine(day, DEMO_TIME), lo), hi)
    now = st.slider("Replay time", lo, hi, start, step=pd.Timedelta(minutes=5).to_pytimedelta(), format="HH:mm")
    etas = eta_table(plan, events, now, TravelModel(default_speed_kmh=speed), EtaSettings(travel_cv=cv))
    risky = at_risk(etas)
    done = etas["status"].isin(["delivered", "failed"])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Stops done", f"{int(done.sum())} of {len(etas)}")
    c2.metric("Failed attempts", int((etas["status"] == "failed").sum()))
    c3.metric("Expected late", int((etas["risk"] == "late").sum()))
    c4.metric("At risk", int((etas["risk"] == "at risk").sum()))
    tiles = st.toggle("Street map background (needs internet)", value=False)
    st_folium(tracking_map(plan, etas, van_positions(plan, events, now), tiles=tiles, leaflet_base_url=_leaflet_url()),
              key="tracking_map", height=480, use_container_width=True, returned_objects=[])
    st.plotly_chart(timeline_figure(etas, now), width="stretch")
    st.subheader("Stops at risk of missing their window")
    if risky.empty:
        st.success("Every remaining stop is expected inside its delivery window.")
    else:
        st.dataframe(risky[["vehicle_id", "sequence", "order_id", "name", "eta", "window_end", "risk", "by_how_much"]]
                     .rename(columns={"vehicle_id": "Van", "sequence": "Stop", "order_id": "Order", "name": "Customer",
                                      "eta": "ETA", "window_end": "Window ends", "risk": "Risk",
                                      "by_how_much": "By how much"}),
                     hide_index=True, width="stretch",
                     column_config={"ETA": st.column_config.DatetimeColumn(format="HH:mm"),
                                    "Window ends": st.column_config.DatetimeColumn(format="HH:mm")})


def _customer_links(plan, day: date, as_of: date) -> None:  # type: ignore[no-untyped-def]
    with st.expander("Customer tracking links"):
        valid_days = link_valid_days()
        expires = link_expiry(day, as_of, date.today(), valid_days)
        after = f"{valid_days} day{'' if valid_days == 1 else 's'} after the delivery day"
        until = (f"It opens until {expires:%d %b %Y}, {after}" if expires >= date.today() else
                 f"Links for this day have expired: they opened until {expires:%d %b %Y}, {after}")
        st.caption("Send a customer this link: it shows their own order only (status, expected time, "
                   f"deliveries before theirs). {until} (set `link_valid_days` in secrets.toml or "
                   "OPSCORE_LINK_DAYS to change that).")
        order = st.selectbox("Order", list(plan.stops["order_id"]),
                             format_func=lambda o: f"{o} · {plan.stops.set_index('order_id').at[o, 'name']}")
        st.code(_share_link(order, expires), language=None)


def _add_events(simulated: pd.DataFrame | None) -> None:
    with st.expander("Record events (from the road or a CSV file)"):
        show_outcome()  # a copy of the sample made just below
        if sample_is_protected("record the day's events", "events"):
            return
        if simulated is not None and st.button("Save this simulated feed as the day's events",
                                               help="For a demonstration: the feed becomes 'Recorded' events."):
            try:
                written = append_events(current_store(), simulated, source="simulated")
            except ValueError as exc:
                st.warning(f"Nothing was added: {md(exc)}")
            else:
                st.success(f"Saved {len(written)} simulated event(s); choose 'Recorded' to replay them.")
        st.caption("Columns: vehicle_id, kind (departed, arrived, delivered, failed, ping), ts (2026-11-02 09:30), "
                   "order_id, lat, lon, reason, event_id (optional). Events are checked before anything is saved. "
                   "Drivers can also use `python -m opscore.tracking add-event`.")
        upload = st.file_uploader("Events CSV", type=["csv"], key="events_csv")
        if upload is not None and st.button("Check and add these events"):
            try:
                written = append_events(current_store(), read_events_csv(upload.getvalue()), source="csv")
            except ValueError as exc:
                st.warning(f"Nothing was added: {md(exc)}")
            else:
                st.success(f"Added {len(written)} event(s).")


def _accuracy_panel(speed: float, cv: float) -> None:
    with st.expander("How accurate are our ETAs? (past days)"):
        st.caption("The ETA engine re-run as it would have stood 15 minutes to 4 hours before each past arrival, "
                   "knowing only what had happened by then, compared with the actual arrival.")
        days = st.select_slider("Look back", [30, 60, 90, 180, 365], 60, format_func=lambda d: f"{d} days")
        if st.button("Measure ETA accuracy"):
            st.session_state["_eta_accuracy"] = days
        if st.session_state.get("_eta_accuracy"):
            try:
                summary = _accuracy(cache_key(), st.session_state["_eta_accuracy"], speed, cv)
            except ValueError as exc:
                st.warning(md(exc))
                return
            st.plotly_chart(accuracy_figure(summary), width="stretch")
            st.dataframe(summary.rename(columns={"horizon_minutes": "Minutes ahead", "attempts": "Arrivals",
                                                 "mean_abs_error_min": "Mean abs. error (min)",
                                                 "bias_min": "Bias (min, + = ETA too late)",
                                                 "share_within_window": "Inside ETA window"}),
                         hide_index=True, width="stretch")


order_param = st.query_params.get("order")
if order_param:
    customer_page(order_param)
else:
    dispatcher_page()
