"""Sustainability: the operations footprint by month and source, intensities, greener what-ifs, factors."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore import sustainability as su
from opscore.geo import DEFAULT_CIRCUITY
from opscore.scenarios import list_scenarios
from opscore.store.aggregates import monthly_revenue
from opscore.store.footprint_sums import received_by_supplier_day
from opscore.suppliers.eco import eco_scores
from opscore.viz import sustainability as vz
from ui.columns import columns
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, page_fragment, store_for, table
from ui.text import md
from ui.widgets import needs_data
from ui.workspace_actions import sample_is_protected, show_outcome

st.title("Sustainability")
st.caption("Greenhouse-gas emissions of running the business, in kg or tonnes of CO2e (carbon dioxide equivalent), "
           "worked out as activity x UK government conversion factor (2025). Try greener options below: each is "
           "compared with how things are over the same months.")


def _in_period(frame: pd.DataFrame, column: str, start: date, end: date) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` (datetimes) lies in [start, end]."""
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]


@st.cache_data(show_spinner=False, max_entries=8)
def _monthly_revenue(key: str) -> pd.Series:
    return monthly_revenue(current_store())


@st.cache_data(show_spinner=False, max_entries=8)
def _all_stops(key: str) -> pd.DataFrame:
    return su.delivery_stops(table("deliveries"), table("orders"), table("customers"), table("vehicles"),
                             table("sites"))


@st.cache_data(show_spinner=False, max_entries=8)
def _all_van_days(key: str, circuity: float) -> pd.DataFrame:
    return su.van_day_emissions({"vehicles": table("vehicles")}, su.factors_from(table("emission_factors")),
                                circuity, stops=_all_stops(key))


@st.cache_data(show_spinner=False, max_entries=8)
def _received(key: str) -> pd.DataFrame:
    """Received purchase orders summed per supplier and day in the store (the same whatever the road factor)."""
    return received_by_supplier_day(store_for(key))


@st.cache_data(show_spinner=False, max_entries=8)
def _all_inbound(key: str, circuity: float) -> pd.DataFrame:
    return su.inbound_by_supplier_day(_received(key), table("suppliers"), table("sites"), circuity)


@st.cache_data(show_spinner=False, max_entries=8)
def _all_volumes(key: str) -> pd.DataFrame:
    return su.packed_order_volumes(table("orders"), table("order_lines"), table("products"))


@st.cache_data(show_spinner=False, max_entries=8)
def _activities(key: str, circuity: float, chiller_kw: float, freezer_kw: float) -> pd.DataFrame:
    settings = su.FootprintSettings(circuity=circuity, kw_by_type={"chiller": chiller_kw, "freezer": freezer_kw})
    tables = {name: table(name) for name in ("cartons", "assets", "sensor_readings", "emission_factors")}
    return su.activities(tables, settings, _all_van_days(key, circuity), _all_inbound(key, circuity),
                         _all_volumes(key))


@st.cache_data(show_spinner=False, max_entries=8)
def _overview(key: str, circuity: float, chiller_kw: float, freezer_kw: float, start: date,
              end: date) -> tuple[pd.DataFrame, pd.DataFrame, su.FootprintSummary]:
    """Footprint by month and source, intensities by month and the period's totals."""
    monthly = su.monthly_footprint(_activities(key, circuity, chiller_kw, freezer_kw), start, end)
    intensity = su.monthly_intensity(monthly, table("orders"), None, _monthly_revenue(key))
    return monthly, intensity, su.summarise(monthly, intensity, start, end)


@st.cache_resource(show_spinner=False, max_entries=16)
def _overview_figures(key: str, circuity: float, chiller_kw: float, freezer_kw: float, start: date,
                      end: date) -> tuple[go.Figure, go.Figure]:
    """The footprint and intensity charts, built once per workspace version and assumptions (building plotly
    figures dominates a rerun); kept as shared objects, not copies, as charts are only read."""
    monthly, intensity, _ = _overview(key, circuity, chiller_kw, freezer_kw, start, end)
    return vz.footprint_figure(monthly), vz.intensity_figure(intensity)


@st.cache_data(show_spinner=False, max_entries=32)
def _switch(key: str, circuity: float, start: date, end: date, n_vans: int, ev_cost: float,
            ev_range: float, top_up: float) -> su.ElectricSwitch:
    return su.switch_to_electric(_in_period(_all_van_days(key, circuity), "date", start, end), table("vehicles"),
                                 su.factors_from(table("emission_factors")), n_vans=n_vans, ev_cost_per_km=ev_cost,
                                 ev_range_km=ev_range, top_up_km=top_up)


@st.cache_resource(show_spinner=False, max_entries=32)
def _range_figure(key: str, circuity: float, start: date, end: date, switched: tuple[str, ...],
                  ev_range: float) -> go.Figure:
    """The switched vans' daily km against the range (shared, only read; see :func:`_overview_figures`)."""
    return vz.range_figure(_in_period(_all_van_days(key, circuity), "date", start, end), switched, ev_range)


@st.cache_resource(show_spinner=False, max_entries=64)
def _whatif_figure(shown: tuple[su.WhatIf, ...]) -> go.Figure:
    """The what-ifs chart (shared, only read; see :func:`_overview_figures`)."""
    return vz.whatif_figure(shown)


@st.cache_data(show_spinner=False, max_entries=32)
def _consolidate(key: str, circuity: float, start: date, end: date, days_per_week: int) -> su.WhatIf:
    factors = su.factors_from(table("emission_factors"))
    return su.consolidate_delivery_days(_in_period(_all_stops(key), "date", start, end), table("vehicles"), factors,
                                        days_per_week, circuity)


@st.cache_data(show_spinner=False, max_entries=32)
def _packaging(key: str, start: date, end: date, allowed: tuple[str, ...], to_board: tuple[str, ...],
               returnable: tuple[str, ...], trips: int) -> su.WhatIf:
    policy = su.PackagingPolicy(carton_ids=allowed, materials={c: "board" for c in to_board},
                                reuse_trips={c: trips for c in returnable})
    volumes = _in_period(_all_volumes(key), "delivery_date", start, end)["litres"]
    return su.change_packaging(volumes, table("cartons"), su.factors_from(table("emission_factors")), policy)


@st.cache_data(show_spinner=False, max_entries=8)
def _eco_scores(key: str, circuity: float) -> pd.Series:
    scores = eco_scores(table("suppliers"), *su.warehouse_location(table("sites")),
                        su.factors_from(table("emission_factors")), circuity=circuity)
    return scores.set_index("supplier_id")["eco_score"]


@st.cache_data(show_spinner=False, max_entries=32)
def _shift(key: str, circuity: float, start: date, end: date, share: float) -> su.WhatIf:
    return su.shift_supplier_spend(_in_period(_all_inbound(key, circuity), "received_date", start, end),
                                   _eco_scores(key, circuity), su.factors_from(table("emission_factors")), share)


store = current_store()
needs_data(store, ["sites"], "Van and inbound distances are measured from your warehouse, so the footprint")
needs_data(store, ["deliveries", "vehicles", "purchase_orders", "orders", "order_lines", "cartons", "assets",
                   "sensor_readings"],
           "A complete footprint (van deliveries, inbound freight, packaging and chiller electricity)", stop=False)
key = cache_key()
factors = su.factors_from(table("emission_factors"))
preset = linked_params("sustainability")

with st.expander("Assumptions", icon=":material/tune:"):
    a1, a2, a3, a4 = st.columns(4)
    circuity = a1.number_input("Road km per straight-line km", 1.0, 2.0, preset.get("circuity", DEFAULT_CIRCUITY), 0.05,
                               help="Roads wind: 1.2-1.4 is typical in the UK.")
    chiller_kw = a2.number_input("Chiller power while running (kW)", 0.0, 50.0,
                                 preset.get("chiller_kw", su.DEFAULT_KW["chiller"]), 0.5)
    freezer_kw = a3.number_input("Freezer power while running (kW)", 0.0, 50.0,
                                 preset.get("freezer_kw", su.DEFAULT_KW["freezer"]), 0.5)
    months = a4.selectbox("Months shown", [3, 6, 12, 24], index=[3, 6, 12, 24].index(preset.get("months", 12)))
    st.caption("Van km: each van's day is rebuilt from the delivery history, depot -> stops in planned order -> "
               "depot, straight-line distance x the road factor. Inbound: received weight x supplier-to-warehouse "
               "road km (one way, lorry average laden factor). Packaging: one carton size per order, the smallest "
               "that holds the order's volume (several of the largest for big orders), every carton used once. "
               "Electricity: chillers and freezers draw the power above during the hours they run (from their "
               "daily sensor readings).")

start, end = su.last_full_months(store.as_of(), months)
monthly, intensity, summary = _overview(key, circuity, chiller_kw, freezer_kw, start, end)
if monthly.empty:
    st.warning(f"No deliveries, purchases, orders or readings between {start:%d %b %Y} and {end:%d %b %Y}: "
               "import them on the Data page to see a footprint.")
    st.stop()

st.subheader(f"Footprint, {start:%b %Y} to {end:%b %Y}")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Total", f"{summary.total_kg_co2e / 1000:,.1f} t CO2e")
m2.metric("Per delivered order", f"{summary.kg_per_order:,.2f} kg CO2e")
m3.metric("Per £ of revenue", f"{summary.g_per_gbp:,.1f} g CO2e")
biggest = max(summary.by_source_kg_co2e, key=summary.by_source_kg_co2e.get)
m4.metric(f"Biggest source: {vz.SOURCE_LABELS[biggest].lower()}",
          f"{100 * summary.by_source_kg_co2e[biggest] / summary.total_kg_co2e:.0f} % of the total")
left, right = st.columns([3, 2])
footprint_fig, intensity_fig = _overview_figures(key, circuity, chiller_kw, freezer_kw, start, end)
left.plotly_chart(footprint_fig, width="stretch")
right.plotly_chart(intensity_fig, width="stretch")


@page_fragment
def what_ifs() -> None:
    st.subheader("Greener what-ifs")
    st.caption("Each option changes one source; the chart compares that source as things are with the option, "
               "over the same months.")
    vehicles = table("vehicles")
    fuel_vans = vehicles[vehicles["fuel"] != "electric"]
    ev = vehicles[vehicles["fuel"] == "electric"]
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.markdown("**Electric vans**")
        n_vans = st.slider("Diesel/petrol vans to switch", 0, len(fuel_vans),
                           min(preset.get("n_vans", 1), len(fuel_vans)),
                           help="The vans whose days one charge covers best are switched first.")
        ev_cost = st.number_input("Electric running cost (£/km)", 0.0, 5.0, preset.get(
            "ev_cost_per_km", float(ev["cost_per_km"].mean()) if not ev.empty else 0.12), 0.01)
        ev_range = st.number_input("Electric range (km)", 10.0, 1000.0, preset.get(
            "ev_range_km", float(ev["range_km"].min()) if not ev["range_km"].dropna().empty else 200.0), 10.0)
        top_up = st.number_input("Top-up charge during the day (km)", 0.0, 500.0, preset.get("top_up_km", 0.0), 10.0,
                                 help="Km a charge at the depot during the day adds (0 = overnight charging only). "
                                      "Km beyond what a day's charge reaches stay on a diesel or petrol van.")
    with c2:
        st.markdown("**Fewer delivery days**")
        days = st.slider("Delivery days a week per customer", 1, 6, preset.get("days_per_week", 3),
                         help="Each customer's deliveries in a week are moved to the nearest of these fixed days.")
    cartons = table("cartons")
    with c3:
        st.markdown("**Packaging**")
        names = dict(zip(cartons["carton_id"], cartons["name"]))
        allowed = st.multiselect("Cartons you pack in", list(names), preset.get("cartons", list(names)),
                                 format_func=lambda c: f"{c} {names[c]}")
        plastic = cartons.loc[cartons["material"] != "board", "carton_id"].tolist()
        to_board = st.checkbox("Board, not plastic", value=preset.get("to_board", bool(plastic)),
                               help="Make the plastic cartons from board instead.")
        returnable = st.multiselect("Returnable (reused) cartons", cartons["carton_id"].tolist(), preset.get(
            "returnable", cartons.loc[cartons["name"].str.contains("eturnable"), "carton_id"].tolist()))
        trips = st.number_input("Trips per returnable carton", 1, 500, preset.get("trips", 50))
    with c4:
        st.markdown("**Greener suppliers**")
        share_pct = st.slider("Share of spend moved (%)", 0, 100, preset.get("share_pct", 30), 5,
                          help="From suppliers with a below-median eco score to those above it that bring goods "
                               "in with less CO2e per £ (a further-away supplier takes none).")
        share = share_pct / 100
        st.caption("Eco score as on the Suppliers page: environmental certifications, distance to the warehouse "
                   "and recyclable packaging.")
    if not allowed:
        st.warning("Pick at least one carton to pack in.")
        return
    switch = _switch(key, circuity, start, end, n_vans, ev_cost, ev_range, top_up)
    results = [switch.what_if, _consolidate(key, circuity, start, end, days),
               _packaging(key, start, end, tuple(allowed), tuple(plastic) if to_board else (), tuple(returnable),
                          int(trips)),
               _shift(key, circuity, start, end, share)]
    shown = list(results)
    plan = next((s for s in list_scenarios(current_store(), page="warehouse")  # newest saved carton plan
                 if {"standard_packaging_kg_co2e", "standard_cost_gbp"} <= set(s.results)), None)
    if plan is not None:
        r = plan.results
        shown.append(su.right_sized_cartons(f"Right-sized cartons ({plan.name})", r["standard_packaging_kg_co2e"],
                                            r["co2e_kg"], r["standard_cost_gbp"], r["cost_gbp"],
                                            int(plan.params.get("days", 30)), (end - start).days + 1))
    st.plotly_chart(_whatif_figure(tuple(shown)), width="stretch")
    st.dataframe(pd.DataFrame([{
        "What-if": w.name, "As things are (t CO2e)": w.baseline_kg_co2e / 1000,
        "With the change (t CO2e)": w.scenario_kg_co2e / 1000, "Saving (t CO2e)": w.saving_kg_co2e / 1000,
        "Running cost change (£)": (w.scenario_cost_gbp - w.baseline_cost_gbp) if w.baseline_cost_gbp is not None
        else None, "Notes": w.note} for w in shown]),
        hide_index=True, width="stretch",
        column_config={c: st.column_config.NumberColumn(format="%.2f") for c in
                       ("As things are (t CO2e)", "With the change (t CO2e)", "Saving (t CO2e)")}
        | {"Running cost change (£)": st.column_config.NumberColumn(format="%.0f")})
    if switch.switched:
        st.plotly_chart(_range_figure(key, circuity, start, end, switch.switched, ev_range), width="stretch")
        litres = su.fuel_litres_equivalent(switch.what_if.saving_kg_co2e, "diesel", factors)
        st.caption(f"{switch.electric_share:.0%} of the switched vans' km run on electricity; the switch saves as "
                   f"much CO2e as burning {litres:,.0f} litres of diesel.")
    params = {"circuity": circuity, "chiller_kw": chiller_kw, "freezer_kw": freezer_kw, "months": months,
              "n_vans": n_vans, "ev_cost_per_km": ev_cost, "ev_range_km": ev_range, "top_up_km": top_up,
              "days_per_week": days,
              "cartons": allowed, "to_board": to_board, "returnable": returnable, "trips": int(trips),
              "share_pct": share_pct}
    kpis = {f"co2e_saving_{slug}_kg": w.saving_kg_co2e for slug, w in
            zip(("electric_vans", "fewer_days", "packaging", "greener_suppliers"), results)}
    kpis["co2e_saving_kg"] = sum(w.saving_kg_co2e for w in results)
    if switch.what_if.baseline_cost_gbp is not None:
        kpis["electric_running_cost_change_gbp"] = switch.what_if.scenario_cost_gbp - switch.what_if.baseline_cost_gbp
    save_panel("sustainability", "sustainability", params, kpis, key="sustainability")


what_ifs()

st.subheader("Emission factors")
st.caption("kg CO2e per unit of activity, with their source. Edit a value (for example with your energy "
           "supplier's own figure) and save: the whole page is worked out again.")
edited = st.data_editor(factors, hide_index=True, width="stretch", num_rows="dynamic", key="factor_editor",
                        column_config=columns(factors, kg_co2e=st.column_config.NumberColumn("kg CO2e",
                                                                                             format="%.5g")))
show_outcome()  # a copy of the sample made just below
if not sample_is_protected("save changed factors", "factors") and st.button("Save factors", icon=":material/save:"):
    try:
        su.save_factors(store, edited)
    except ValueError as exc:
        st.warning(f"Not saved: {md(exc)}")
    else:
        st.success("Factors saved to this workspace.")
        st.rerun()
