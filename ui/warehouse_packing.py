"""The Warehouse page's Packing tab: one order packed in cartons, then last month's packaging against always using
a standard box (saved as a scenario the Sustainability page picks up)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import streamlit as st

from opscore import warehouse as wh
from opscore.viz import warehouse as vz
from ui.columns import columns
from ui.scenarios import save_panel
from ui.services import warehouse as svc
from ui.state import current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

PACKAGING = "wh_packaging"
"""Session key: (the settings it ran with, :class:`opscore.warehouse.PackagingComparison`) of the last comparison."""
OBJECTIVE_LABELS = {"co2e": "Least packaging CO2e", "volume": "Least carton volume", "cost": "Least carton cost",
                    "material": "Least carton material"}


@page_fragment
def pack_view(key: str, first_day: date) -> None:
    """One order of a day packed in cartons, drawn in 3-D."""
    c = st.columns(3)
    day = c[0].date_input("Orders due on", first_day, key="pack_day")
    ids = sorted(svc.day_picks(key, day)["order_id"].unique())
    if not ids:
        st.info(f"No orders are due on {day:%d %b %Y}. Pick another day.")
        return
    order_id = c[1].selectbox("Order", ids, key="pack_order")
    objective = c[2].radio("Choose cartons for", list(OBJECTIVE_LABELS), format_func=OBJECTIVE_LABELS.get,
                           key="pack_objective")
    plan = svc.pack(key, order_id, objective)
    for _item, reason in plan.unpacked:
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


def packing(key: str, first_day: date, preset: Mapping[str, Any]) -> None:
    """One order packed into cartons, then last month's packaging against always using a standard box."""
    cartons = table("cartons")
    if not needs_data(current_store(), ["cartons"], "Packing", stop=False):
        return
    pack_view(key, first_day)

    st.subheader(f"Packaging over the last {wh.MONTH_DAYS} days")
    ids_std = cartons["carton_id"].tolist()
    c = st.columns(2)
    std_default = preset.get("standard_carton") if preset.get("standard_carton") in ids_std else \
        svc.standard_carton(key)
    standard = c[0].selectbox("Standard box", ids_std, index=ids_std.index(std_default),
                              format_func=lambda i: f"{i}: {cartons.set_index('carton_id').at[i, 'name']}",
                              key="wh_standard")
    objectives = list(OBJECTIVE_LABELS)
    objective = c[1].radio("Choose cartons for", objectives, format_func=OBJECTIVE_LABELS.get, key="month_objective",
                           index=objectives.index(preset["objective"]) if preset.get("objective") in objectives else 0)
    run_key = (key, standard, objective)
    saved = st.session_state.get(PACKAGING)
    # a scenario link shows its comparison at once (only for its own settings)
    reopened = ((standard, objective) == (preset.get("standard_carton"), preset.get("objective"))
                and not (saved and saved[0] == run_key))
    if st.button("Compare with always using the standard box", type="primary") or reopened:
        bar = st.progress(0.0, text="Packing last month's orders...")

        def advance(done: float) -> None:
            bar.progress(done, text="Packing orders...")

        try:
            st.session_state[PACKAGING] = (run_key, svc.compare_packaging(key, standard, objective, advance))
        except ValueError as exc:
            st.warning(f"Packing could not run: {md(exc)}")
        bar.empty()
    saved = st.session_state.get(PACKAGING)
    if saved and saved[0] == run_key:
        compared: wh.PackagingComparison = saved[1]
        summary = compared.summary
        st.plotly_chart(vz.packaging_figure(summary), width="stretch")
        number = st.column_config.NumberColumn
        st.dataframe(summary, column_config=columns(
            summary, n_cartons=number("Cartons", format="%.0f"),
            packaging_kg=number("Carton material (kg)", format="%.1f"),
            kg_co2e=number("Packaging CO2e (kg)", format="%.1f"), cost_gbp=number("Carton cost (£)", format="%.2f"),
            void_l=number("Empty space (litres)", format="%.0f"), fill_pct=number("Fill rate (%)", format="%.0f")))
        save_panel("warehouse", "warehouse",
                   {"standard_carton": standard, "objective": objective, "days": wh.MONTH_DAYS},
                   compared.scenario_results(), key=PACKAGING)
        st.caption("Saved packaging scenarios also appear among the Sustainability page's what-ifs.")
