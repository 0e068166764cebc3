"""The Warehouse page's picking tabs: one order's pick paths, and a day's orders grouped into cart trips and waves."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from opscore import warehouse as wh
from opscore.viz import warehouse as vz
from opscore.viz.theme import plain
from ui.columns import columns
from ui.services import warehouse as svc
from ui.state import page_fragment
from ui.text import md

LABELS = wh.METHOD_LABELS


@page_fragment
def paths_view(key: str, layout: wh.Layout, first_day: date) -> None:
    """One order of a day walked by S-shape, largest gap and the shortest route."""
    day = st.date_input("Orders due on", first_day, key="path_day")
    day_picks = svc.day_picks(key, day)
    if day_picks.empty:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    ids = sorted(day_picks["order_id"].unique())
    order_id = st.selectbox("Order", ids, index=ids.index(wh.widest_order(day_picks)), key="path_order",
                            help="Starts with the order spread over the most aisles")
    lines = day_picks[(day_picks["order_id"] == order_id)].dropna(subset=["aisle"])
    if lines.empty:
        st.info("None of this order's products has a bin, so there is nothing to walk to.")
        return
    routes = svc.routes(key, layout, tuple(lines["aisle"].astype(int)), tuple(lines["bay"].astype(int)))
    base = routes[0].distance_m
    c = st.columns(3)
    for col, r in zip(c, routes):
        delta = None if r.method == "s_shape" else f"{r.distance_m - base:+,.0f} m vs S-shape"
        label = LABELS[r.method] if r.proven_optimal else f"{LABELS[r.method]} (best found, not proven)"
        col.metric(label, f"{r.distance_m:,.0f} m", delta, delta_color="inverse")
    st.plotly_chart(vz.layout_figure(layout, svc.recent(key).cells, "picks", routes, picks=lines,
                                     title=f"Pick paths for {plain(order_id)} ({len(lines)} lines)"), width="stretch")
    exact = routes[-1]
    st.caption("S-shape walks every aisle with a pick end to end; largest gap enters aisles from both ends and "
               "skips the biggest empty stretch; " + (
                   "optimal is the shortest possible walk (proven by the solver)." if exact.proven_optimal else
                   "the third is the shortest walk the solver found in its time limit; it could not prove that "
                   "none is shorter for this many picks."))
    picked = lines[["line_no", "sku", "quantity", "bin_id"]]
    st.dataframe(picked, hide_index=True, column_config=columns(picked))


@page_fragment
def batch_view(key: str, layout: wh.Layout, first_day: date) -> None:
    """A day's orders grouped into cart trips, then released in waves."""
    c = st.columns(4)
    day = c[0].date_input("Orders due on", first_day, key="batch_day")
    kg = c[1].number_input("Cart load limit (kg)", 50.0, 5000.0, 800.0, 50.0, key="wh_kg")
    litres = c[2].number_input("Cart volume (litres)", 50.0, 5000.0, 1400.0, 50.0, key="wh_litres")
    per_trip = c[3].number_input("Orders per trip at most", 1, 20, 6, 1, key="wh_per_trip")
    routing = st.radio("Route each trip by", list(LABELS), format_func=LABELS.get, index=1, horizontal=True,
                       key="batch_routing")
    picks = svc.day_picks(key, day)
    if picks.empty:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    cart = wh.Cart(kg, litres, int(per_trip))
    plans = svc.batches(key, layout, day, cart, routing)
    best = plans["savings"]
    m = st.columns(3)
    m[0].metric("Orders", picks["order_id"].nunique())
    m[1].metric("Cart trips (savings method)", len(best.batches))
    m[2].metric("Walking saved vs one order at a time", f"{best.saving_m:,.0f} m",
                f"{100 * best.saving_m / max(best.single_order_distance_m, 1e-9):.0f}%")
    if best.too_big:
        st.warning(f"Too big for one cart, pick over several trips: {md(', '.join(best.too_big))}.")
    st.plotly_chart(vz.batching_figure({"Savings batches": plans["savings"], "Seed batches": plans["seed"]}),
                    width="stretch")
    batches = best.table()
    st.dataframe(batches, hide_index=True, column_config=columns(batches, orders="Order numbers"))

    st.subheader("Waves")
    st.caption("Orders for customers who open earliest are picked first. Each wave holds about as much work as "
               "the pickers can do in the wave length.")
    w = st.columns(4)
    start = w[0].time_input("Picking starts", value=pd.Timestamp("2000-01-01 03:00").time(), key="wh_start")
    ready = w[1].time_input("Vans leave", value=pd.Timestamp("2000-01-01 06:00").time(), key="wh_ready")
    pickers = w[2].number_input("Pickers", 1, 50, 2, 1, key="wh_pickers")
    wave_min = w[3].number_input("Wave length (min)", 10, 480, 60, 10, key="wh_wave_min")
    shift = wh.WaveSettings(start.strftime("%H:%M"), ready.strftime("%H:%M"), int(pickers), float(wave_min))
    waves = svc.waves(key, layout, day, cart, routing, shift)
    late = waves[~waves["on_time"]]
    if not late.empty:
        st.warning(f"{len(late)} wave(s) finish after the vans leave: start earlier or add pickers.")
    st.plotly_chart(vz.waves_figure(waves, shift.ready_by), width="stretch")
    st.dataframe(waves, hide_index=True, column_config=columns(
        waves, first_window="Earliest customer window", on_time="Done before the vans leave",
        work_min=st.column_config.NumberColumn("Picker minutes", format="%.0f")))
