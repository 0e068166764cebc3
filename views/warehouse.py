"""Warehouse: stock and picks by bin, shorter pick paths, batched picking and waves, slotting, right-sized cartons."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from opscore import warehouse as wh
from opscore.emission_factors import factors_from
from opscore.viz import warehouse as vz
from opscore.viz.theme import plain
from ui.columns import columns
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data, open_tab_only

MONTH_DAYS = 30
LABELS = wh.METHOD_LABELS
# widgets in tabs that run only while open: their values are kept while another tab is open
KEEP = ("wh_colour", "wh_zones", "path_day", "path_order", "batch_day", "wh_kg", "wh_litres", "wh_per_trip",
        "batch_routing", "wh_start", "wh_ready", "wh_pickers", "wh_wave_min", "wh_top_n", "slot_routing", "pack_day",
        "pack_order", "pack_objective", "pack_show", "wh_standard", "month_objective")
OBJECTIVE_LABELS = {"co2e": "Least packaging CO2e", "volume": "Least carton volume", "cost": "Least carton cost",
                    "material": "Least carton material"}

st.title("Warehouse")
st.caption("Where stock sits, how far pickers walk, how to group orders into cart trips, which products to move "
           "nearer the packing station, and which cartons to pack each order in. Walking is measured along the "
           "aisles only, from and back to the packing station.")

needs_data(current_store(), ["bins", "inventory", "orders", "order_lines", "products"],
           "Walking, picking and slotting are measured from where stock sits and what orders hold, so this page")

with st.expander("Warehouse dimensions (change them to match your building)"):
    d = st.columns(5)
    bay_m = d[0].number_input("Bay length (m)", 0.5, 5.0, 1.2, 0.1, help="Width of one bay along the aisle")
    spacing_m = d[1].number_input("Aisle spacing (m)", 1.5, 10.0, 3.0, 0.1,
                                  help="Aisle centre to aisle centre: aisle width plus two rack depths")
    cross_m = d[2].number_input("Cross-aisle width (m)", 1.0, 6.0, 2.0, 0.1)
    n_bays = int(table("bins")["bay"].max())
    middle = d[3].number_input("Middle cross aisle after bay (0 = none)", 0, max(n_bays - 1, 0), 0, 1)
    n_aisles = int(table("bins")["aisle"].max())
    depot_aisle = d[4].number_input("Packing station in front of aisle", 1.0, float(n_aisles),
                                    float((n_aisles + 1) / 2), 0.5)
try:
    layout = wh.Layout.from_bins(table("bins"), bay_length_m=bay_m, aisle_spacing_m=spacing_m,
                                 cross_aisle_width_m=cross_m, middle_after_bay=int(middle) or None,
                                 depot_aisle=depot_aisle)
except ValueError as exc:
    st.warning(f"These dimensions do not describe a warehouse: {md(exc)}")
    st.stop()

as_of = current_store().as_of()


@st.cache_data(show_spinner=False, max_entries=8)
def _month(key: str) -> dict[str, pd.DataFrame]:
    """The last month's pick lines, each SKU's bin, and stock/picks per aisle and bay."""
    orders = table("orders")
    ids = wh.orders_between(orders, as_of - timedelta(days=MONTH_DAYS), as_of - timedelta(days=1))
    picks = wh.pick_lines(table("order_lines"), table("products"), table("inventory"), table("bins"), ids)
    return {"picks": picks, "bins": wh.pick_bins(table("inventory"), table("bins")),
            "cells": wh.location_summary(table("bins"), table("inventory"), picks)}


@st.cache_data(show_spinner=False, max_entries=16)
def _day_picks(key: str, day: date) -> pd.DataFrame:
    ids = wh.orders_due(table("orders"), day)
    return wh.pick_lines(table("order_lines"), table("products"), table("inventory"), table("bins"), ids)


@st.cache_data(show_spinner=False, max_entries=32)
def _routes(key: str, layout: wh.Layout, aisles: tuple[int, ...], bays: tuple[int, ...]) -> list[wh.Route]:
    return [wh.route(layout, list(aisles), list(bays), m) for m in wh.METHODS]


@st.cache_data(show_spinner="Grouping orders into cart trips...", max_entries=32)
def _batches(key: str, layout: wh.Layout, day: date, cart: wh.Cart, routing: str) -> dict[str, wh.BatchPlan]:
    picks = _day_picks(key, day)
    return {m: wh.batch_orders(layout, picks, cart, m, routing) for m in ("savings", "seed")}


@st.cache_data(show_spinner="Planning waves...", max_entries=32)
def _waves(key: str, layout: wh.Layout, day: date, cart: wh.Cart, routing: str, start: str, ready: str, pickers: int,
           wave_min: float) -> pd.DataFrame:
    customers = table("customers").set_index("customer_id")["window_start"]
    priority = table("orders").set_index("order_id")["customer_id"].map(customers)
    return wh.plan_waves(layout, _day_picks(key, day), priority, start, ready, pickers, wave_min, cart, routing)


@st.cache_data(show_spinner="Re-walking last month's orders...", max_entries=16)
def _slotting(key: str, layout: wh.Layout, top_n: int, routing: str) -> wh.SlottingPlan:
    m = _month(key)
    return wh.suggest_slotting(layout, m["picks"], m["bins"], table("bins"), top_n, routing,
                               before=_walks(key, layout, routing))


@st.cache_data(show_spinner=False, max_entries=16)
def _walks(key: str, layout: wh.Layout, routing: str) -> pd.Series:
    """Last month's orders walked with today's bins: the same for every number of products moved."""
    m = _month(key)
    return wh.order_distances(layout, m["picks"], m["bins"], routing)


@st.cache_data(show_spinner=False, max_entries=32)
def _pack(key: str, order_id: str, objective: str) -> wh.CartonPlan:
    picks = table("order_lines")
    items = wh.order_items(picks[picks["order_id"] == order_id], table("products"))
    return wh.cartonize(items, wh.carton_types(table("cartons")), objective, factors_from(table("emission_factors")))


key = cache_key()
month = _month(key)
preset = linked_params("warehouse")
day_default = min((d for d in pd.to_datetime(table("orders")["delivery_date"]).dt.date if d >= as_of), default=as_of)


# ---------------------------------------------------------------- stock by bin
@page_fragment
def stock_view() -> None:
    cells = month["cells"]
    colour = st.radio("Colour bins by", ["Stock on hand (units)", f"Picks in the last {MONTH_DAYS} days"],
                      horizontal=True, key="wh_colour")
    c = st.columns(3)
    c[0].metric("Bays holding stock", f"{int((cells['units'] > 0).sum())} of {len(cells)}")
    c[1].metric("Units on hand", f"{int(cells['units'].sum()):,}")
    c[2].metric(f"Pick visits, last {MONTH_DAYS} days", f"{int(cells['picks'].sum()):,}")
    st.plotly_chart(vz.layout_figure(layout, cells, "units" if colour.startswith("Stock") else "picks",
                                     title="Warehouse layout (each square: one bay, all levels)"),
                    width="stretch")
    with st.expander("What each bin holds"):
        contents = wh.bin_contents(table("bins"), table("inventory"), table("products"))
        zones = st.multiselect("Zones", sorted(contents["zone"].unique()), placeholder="All zones", key="wh_zones")
        held = contents[contents["zone"].isin(zones or contents["zone"])]
        st.dataframe(held, hide_index=True, column_config=columns(
            held, bin_full_pct=st.column_config.NumberColumn("Bin full (%)", format="%.0f")))
    missing = month["picks"]["bin_id"].isna().sum()
    if missing:
        st.info(f"{missing} order lines in the last {MONTH_DAYS} days are for products with no stock in any bin; "
                "they are left out of walking distances.")


# ---------------------------------------------------------------- pick paths
@page_fragment
def paths_view() -> None:
    day = st.date_input("Orders due on", day_default, key="path_day")
    day_picks = _day_picks(key, day)
    if day_picks.empty:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    ids = sorted(day_picks["order_id"].unique())
    spread = day_picks.groupby("order_id")["aisle"].nunique()
    order_id = st.selectbox("Order", ids, index=ids.index(spread.idxmax()), key="path_order",
                            help="Starts with the order spread over the most aisles")
    lines = day_picks[(day_picks["order_id"] == order_id)].dropna(subset=["aisle"])
    if lines.empty:
        st.info("None of this order's products has a bin, so there is nothing to walk to.")
        return
    routes = _routes(key, layout, tuple(lines["aisle"].astype(int)), tuple(lines["bay"].astype(int)))
    base = routes[0].distance_m
    c = st.columns(3)
    for col, r in zip(c, routes):
        delta = None if r.method == "s_shape" else f"{r.distance_m - base:+,.0f} m vs S-shape"
        label = LABELS[r.method] if r.proven_optimal else f"{LABELS[r.method]} (best found, not proven)"
        col.metric(label, f"{r.distance_m:,.0f} m", delta, delta_color="inverse")
    st.plotly_chart(vz.layout_figure(layout, month["cells"], "picks", routes, picks=lines,
                                     title=f"Pick paths for {plain(order_id)} ({len(lines)} lines)"), width="stretch")
    exact = routes[-1]
    st.caption("S-shape walks every aisle with a pick end to end; largest gap enters aisles from both ends and "
               "skips the biggest empty stretch; " + (
                   "optimal is the shortest possible walk (proven by the solver)." if exact.proven_optimal else
                   "the third is the shortest walk the solver found in its time limit; it could not prove that "
                   "none is shorter for this many picks."))
    picked = lines[["line_no", "sku", "quantity", "bin_id"]]
    st.dataframe(picked, hide_index=True, column_config=columns(picked))


# ---------------------------------------------------------------- batches and waves
@page_fragment
def batch_view() -> None:
    c = st.columns(4)
    day = c[0].date_input("Orders due on", day_default, key="batch_day")
    kg = c[1].number_input("Cart load limit (kg)", 50.0, 5000.0, 800.0, 50.0, key="wh_kg")
    litres = c[2].number_input("Cart volume (litres)", 50.0, 5000.0, 1400.0, 50.0, key="wh_litres")
    per_trip = c[3].number_input("Orders per trip at most", 1, 20, 6, 1, key="wh_per_trip")
    routing = st.radio("Route each trip by", list(LABELS), format_func=LABELS.get, index=1, horizontal=True,
                       key="batch_routing")
    picks = _day_picks(key, day)
    if picks.empty:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    cart = wh.Cart(kg, litres, int(per_trip))
    plans = _batches(key, layout, day, cart, routing)
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
    waves = _waves(key, layout, day, cart, routing, start.strftime("%H:%M"), ready.strftime("%H:%M"),
                   int(pickers), float(wave_min))
    late = waves[~waves["on_time"]]
    if not late.empty:
        st.warning(f"{len(late)} wave(s) finish after the vans leave: start earlier or add pickers.")
    st.plotly_chart(vz.waves_figure(waves, ready.strftime("%H:%M")), width="stretch")
    st.dataframe(waves, hide_index=True, column_config=columns(
        waves, first_window="Earliest customer window", on_time="Done before the vans leave",
        work_min=st.column_config.NumberColumn("Picker minutes", format="%.0f")))


# ---------------------------------------------------------------- slotting
@page_fragment
def slot_view() -> None:
    st.caption(f"Fast movers (most picked in the last {MONTH_DAYS} days) move to free bins nearest the packing "
               "station in their own temperature zone. The saving is worked out by re-walking last month's "
               "orders with the new bins.")
    c = st.columns(2)
    top_n = c[0].slider("Products to move", 1, 60, 20, key="wh_top_n")
    routing = c[1].radio("Re-walk orders by", list(LABELS), format_func=LABELS.get, index=1, horizontal=True,
                         key="slot_routing")
    plan = _slotting(key, layout, int(top_n), routing)
    m = st.columns(3)
    m[0].metric("Moves suggested", len(plan.moves))
    m[1].metric(f"Walking, last {MONTH_DAYS} days", f"{plan.distance_after_m / 1000:,.1f} km",
                f"{-plan.saving_m / 1000:,.1f} km ({-plan.saving_pct:.0f}%)", delta_color="inverse")
    m[2].metric("Orders re-walked", plan.n_orders)
    st.plotly_chart(vz.slotting_figure(layout, month["cells"], plan.moves, table("bins")), width="stretch")
    st.dataframe(plan.moves, hide_index=True, column_config=columns(
        plan.moves, from_m=st.column_config.NumberColumn("Walk to the old bin and back (m)", format="%.0f"),
        to_m=st.column_config.NumberColumn("Walk to the new bin and back (m)", format="%.0f")))


# ---------------------------------------------------------------- packing
@page_fragment
def pack_view() -> None:
    c = st.columns(3)
    day = c[0].date_input("Orders due on", day_default, key="pack_day")
    ids = sorted(_day_picks(key, day)["order_id"].unique())
    if not ids:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    order_id = c[1].selectbox("Order", ids, key="pack_order")
    objective = c[2].radio("Choose cartons for", list(OBJECTIVE_LABELS), format_func=OBJECTIVE_LABELS.get,
                           key="pack_objective")
    plan = _pack(key, order_id, objective)
    for item, reason in plan.unpacked:
        st.warning(md(reason))
    if not plan.cartons:
        return
    m = st.columns(4)
    m[0].metric("Cartons", len(plan.cartons))
    m[1].metric("Fill rate", f"{100 * plan.fill_rate:.0f}%", help="Share of carton space taken by goods")
    m[2].metric("Carton material", f"{plan.material_kg:.2f} kg", help=f"Empty space {plan.void_l:,.0f} litres")
    m[3].metric("Packaging CO2e", f"{plan.kg_co2e:.2f} kg")
    shown = st.selectbox("Show carton", range(len(plan.cartons)),
                         format_func=lambda k: f"{k + 1}: {plan.cartons[k].carton.name}", key="pack_show")
    st.plotly_chart(vz.carton_figure(plan.cartons[shown]), width="stretch")
    packed = plan.table()
    st.dataframe(packed, hide_index=True, column_config=columns(packed))


def packing() -> None:
    """One order packed into cartons, then last month's packaging against always using a standard box."""
    cartons = table("cartons")
    if not needs_data(current_store(), ["cartons"], "Packing", stop=False):
        return
    pack_view()

    st.subheader(f"Packaging over the last {MONTH_DAYS} days")
    ids_std = cartons["carton_id"].tolist()
    std_guess = next((i for i, n in zip(cartons["carton_id"], cartons["name"]) if "standard" in str(n).lower()),
                     ids_std[0])
    c = st.columns(2)
    std_default = preset.get("standard_carton") if preset.get("standard_carton") in ids_std else std_guess
    standard = c[0].selectbox("Standard box", ids_std, index=ids_std.index(std_default),
                              format_func=lambda i: f"{i}: {cartons.set_index('carton_id').at[i, 'name']}",
                              key="wh_standard")
    objectives = list(OBJECTIVE_LABELS)
    objective = c[1].radio("Choose cartons for", objectives, format_func=OBJECTIVE_LABELS.get, key="month_objective",
                           index=objectives.index(preset["objective"]) if preset.get("objective") in objectives else 0)
    run_key = (key, standard, objective)
    saved = st.session_state.get("wh_packaging")
    # a scenario link shows its comparison at once (only for its own settings)
    reopened = ((standard, objective) == (preset.get("standard_carton"), preset.get("objective"))
                and not (saved and saved[0] == run_key))
    if st.button("Compare with always using the standard box", type="primary") or reopened:
        bar = st.progress(0.0, text="Packing last month's orders...")
        try:
            per_order = wh.compare_packaging(month["picks"], table("products"), cartons, standard, objective,
                                             factors_from(table("emission_factors")),
                                             progress=lambda f: bar.progress(f, text="Packing orders..."))
            st.session_state["wh_packaging"] = (run_key, wh.summarise_packaging(per_order))
        except ValueError as exc:
            st.warning(f"Packing could not run: {md(exc)}")
        bar.empty()
    saved = st.session_state.get("wh_packaging")
    if saved and saved[0] == run_key:
        summary = saved[1]
        st.plotly_chart(vz.packaging_figure(summary), width="stretch")
        number = st.column_config.NumberColumn
        st.dataframe(summary, column_config=columns(
            summary, n_cartons=number("Cartons", format="%.0f"),
            packaging_kg=number("Carton material (kg)", format="%.1f"),
            kg_co2e=number("Packaging CO2e (kg)", format="%.1f"), cost_gbp=number("Carton cost (£)", format="%.2f"),
            void_l=number("Empty space (litres)", format="%.0f"), fill_pct=number("Fill rate (%)", format="%.0f")))
        right, std = summary.loc["right-sized"], summary.loc["standard"]
        save_panel("warehouse", "warehouse",
                   {"standard_carton": standard, "objective": objective, "days": MONTH_DAYS},
                   {"packaging_kg": float(right["packaging_kg"]), "co2e_kg": float(right["kg_co2e"]),
                    "cost_gbp": float(right["cost_gbp"]), "void_litres": float(right["void_l"]),
                    "standard_packaging_kg_co2e": float(std["kg_co2e"]), "standard_cost_gbp": float(std["cost_gbp"])},
                   key="wh_packaging")
        st.caption("Saved packaging scenarios also appear among the Sustainability page's what-ifs.")


open_tab_only({"Stock by bin": stock_view, "Pick paths": paths_view, "Batches and waves": batch_view,
               "Slotting": slot_view, "Packing": packing}, key="wh_tab", keep=KEEP,
              default="Packing" if preset else None)
