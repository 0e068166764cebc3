"""Sustainability: the operations footprint by month and source, intensities, greener what-ifs, factors."""

from __future__ import annotations

import streamlit as st

from opscore import sustainability as su
from opscore.geo import DEFAULT_CIRCUITY
from opscore.viz import sustainability as vz
from ui.columns import columns
from ui.scenarios import linked_params
from ui.services import sustainability as svc
from ui.state import cache_key, current_store
from ui.sustainability_whatifs import what_ifs
from ui.text import md
from ui.widgets import needs_data
from ui.workspace_actions import sample_is_protected, show_outcome

st.title("Sustainability")
st.caption("Greenhouse-gas emissions of running the business, in kg or tonnes of CO2e (carbon dioxide equivalent), "
           "worked out as activity x UK government conversion factor (2025). Try greener options below: each is "
           "compared with how things are over the same months.")

store = current_store()
needs_data(store, ["sites"], "Van and inbound distances are measured from your warehouse, so the footprint")
needs_data(store, ["deliveries", "vehicles", "purchase_orders", "orders", "order_lines", "cartons", "assets",
                   "sensor_readings"],
           "A complete footprint (van deliveries, inbound freight, packaging and chiller electricity)", stop=False)
key = cache_key()
factors = svc.emission_factors(key)
preset = linked_params("sustainability")

with st.expander("Assumptions", icon=":material/tune:"):
    a1, a2, a3, a4 = st.columns(4)
    circuity = a1.number_input("Road km per straight-line km", 1.0, 2.0, preset.get("circuity", DEFAULT_CIRCUITY), 0.05,
                               help="Roads wind: 1.2-1.4 is typical in the UK.")
    chiller_kw = a2.number_input("Chiller power while running (kW)", 0.0, 50.0,
                                 preset.get("chiller_kw", su.DEFAULT_KW["chiller"]), 0.5)
    freezer_kw = a3.number_input("Freezer power while running (kW)", 0.0, 50.0,
                                 preset.get("freezer_kw", su.DEFAULT_KW["freezer"]), 0.5)
    months = a4.selectbox("Months shown", su.REPORT_MONTHS, index=su.REPORT_MONTHS.index(preset.get("months", 12)))
    st.caption("Van km: each van's day is rebuilt from the delivery history, depot -> stops in planned order -> "
               "depot, straight-line distance x the road factor. Inbound: received weight x supplier-to-warehouse "
               "road km (one way, lorry average laden factor). Packaging: one carton size per order, the smallest "
               "that holds the order's volume (several of the largest for big orders), every carton used once. "
               "Electricity: chillers and freezers draw the power above during the hours they run (from their "
               "daily sensor readings).")

settings = su.FootprintSettings(circuity=circuity, kw_by_type={"chiller": chiller_kw, "freezer": freezer_kw})
period = su.reporting_period(store.as_of(), months)
start, end = period.start, period.end
footprint = svc.overview(key, settings, period)
if footprint.monthly.empty:
    st.warning(f"No deliveries, purchases, orders or readings between {start:%d %b %Y} and {end:%d %b %Y}: "
               "import them on the Data page to see a footprint.")
    st.stop()

st.subheader(f"Footprint, {start:%b %Y} to {end:%b %Y}")
summary = footprint.summary
m1, m2, m3, m4 = st.columns(4)
m1.metric("Total", f"{summary.total_kg_co2e / 1000:,.1f} t CO2e")
m2.metric("Per delivered order", f"{summary.kg_per_order:,.2f} kg CO2e")
m3.metric("Per £ of revenue", f"{summary.g_per_gbp:,.1f} g CO2e")
biggest = max(summary.by_source_kg_co2e, key=summary.by_source_kg_co2e.get)
m4.metric(f"Biggest source: {vz.SOURCE_LABELS[biggest].lower()}",
          f"{100 * summary.by_source_kg_co2e[biggest] / summary.total_kg_co2e:.0f} % of the total")
left, right = st.columns([3, 2])
footprint_fig, intensity_fig = svc.overview_figures(key, settings, period)
left.plotly_chart(footprint_fig, width="stretch")
right.plotly_chart(intensity_fig, width="stretch")

what_ifs(key, settings, period, preset,
         {"circuity": circuity, "chiller_kw": chiller_kw, "freezer_kw": freezer_kw, "months": months})

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
