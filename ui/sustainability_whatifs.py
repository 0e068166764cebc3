"""The Sustainability page's greener what-ifs: electric vans, fewer delivery days, packaging and greener suppliers
(plus the Warehouse page's newest carton plan), each against the same months as things are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from opscore import sustainability as su
from opscore.scenarios import list_scenarios
from ui.scenarios import save_panel
from ui.services import sustainability as svc
from ui.state import current_store, page_fragment, table

TONNES = ("As things are (t CO2e)", "With the change (t CO2e)", "Saving (t CO2e)")
"""Columns of the what-ifs table in tonnes CO2e."""


def carton_plan(period: su.ReportingPeriod) -> su.WhatIf | None:
    """The newest carton plan saved on the Warehouse page, scaled to the period (None when there is none)."""
    plan = next((s for s in list_scenarios(current_store(), page="warehouse")
                 if {"standard_packaging_kg_co2e", "standard_cost_gbp"} <= set(s.results)), None)
    if plan is None:
        return None
    r = plan.results
    return su.right_sized_cartons(f"Right-sized cartons ({plan.name})", r["standard_packaging_kg_co2e"],
                                  r["co2e_kg"], r["standard_cost_gbp"], r["cost_gbp"],
                                  int(plan.params.get("days", 30)), period.days)


def what_if_table(shown: list[su.WhatIf]) -> pd.DataFrame:
    """One row per what-if: tonnes CO2e as things are, with the change and saved, running cost change (GBP)."""
    return pd.DataFrame([{
        "What-if": w.name, TONNES[0]: w.baseline_kg_co2e / 1000, TONNES[1]: w.scenario_kg_co2e / 1000,
        TONNES[2]: w.saving_kg_co2e / 1000, "Running cost change (£)": w.cost_change_gbp, "Notes": w.note}
        for w in shown])


@page_fragment
def what_ifs(key: str, settings: su.FootprintSettings, period: su.ReportingPeriod, preset: Mapping[str, Any],
             assumptions: Mapping[str, Any]) -> None:
    """The four what-ifs' settings, their chart and table, and a form saving them (with ``assumptions``)."""
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
        st.caption("Eco score as on the Suppliers page: environmental certifications, distance to the warehouse "
                   "and recyclable packaging.")
    if not allowed:
        st.warning("Pick at least one carton to pack in.")
        return
    circuity = settings.circuity
    policy = su.PackagingPolicy(carton_ids=tuple(allowed), materials={c: "board" for c in plastic} if to_board else {},
                                reuse_trips={c: int(trips) for c in returnable})
    options = su.GreenerOptions(svc.electric_switch(key, circuity, period, n_vans, ev_cost, ev_range, top_up),
                                svc.fewer_days(key, circuity, period, days), svc.packaging(key, period, policy),
                                svc.greener_suppliers(key, circuity, period, share_pct / 100))
    plan = carton_plan(period)
    shown = [*options.what_ifs, *([plan] if plan is not None else [])]
    st.plotly_chart(svc.whatif_figure(tuple(shown)), width="stretch")
    st.dataframe(what_if_table(shown), hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in TONNES}
                 | {"Running cost change (£)": st.column_config.NumberColumn(format="%.0f")})
    switch = options.electric
    if switch.switched:
        st.plotly_chart(svc.range_figure(key, circuity, period, switch.switched, ev_range), width="stretch")
        litres = su.fuel_litres_equivalent(switch.what_if.saving_kg_co2e, "diesel", svc.emission_factors(key))
        st.caption(f"{switch.electric_share:.0%} of the switched vans' km run on electricity; the switch saves as "
                   f"much CO2e as burning {litres:,.0f} litres of diesel.")
    params = {**assumptions, "n_vans": n_vans, "ev_cost_per_km": ev_cost, "ev_range_km": ev_range,
              "top_up_km": top_up, "days_per_week": days, "cartons": allowed, "to_board": to_board,
              "returnable": returnable, "trips": int(trips), "share_pct": share_pct}
    save_panel("sustainability", "sustainability", params, options.scenario_results(), key="sustainability")
