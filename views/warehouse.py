"""Warehouse: stock and picks by bin, shorter pick paths, batched picking and waves, slotting, right-sized cartons."""

from __future__ import annotations

import streamlit as st

from opscore import warehouse as wh
from opscore.viz import warehouse as vz
from ui.columns import columns
from ui.scenarios import linked_params
from ui.services import warehouse as svc
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.warehouse_packing import packing
from ui.warehouse_picking import batch_view, paths_view
from ui.widgets import needs_data, open_tab_only

MONTH_DAYS = wh.MONTH_DAYS
LABELS = wh.METHOD_LABELS
# widgets in tabs that run only while open: their values are kept while another tab is open
KEEP = ("wh_colour", "wh_zones", "path_day", "path_order", "batch_day", "wh_kg", "wh_litres", "wh_per_trip",
        "batch_routing", "wh_start", "wh_ready", "wh_pickers", "wh_wave_min", "wh_top_n", "slot_routing", "pack_day",
        "pack_order", "pack_objective", "pack_show", "wh_standard", "month_objective")
TAB = "wh_tab"  # session key: the open tab

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

key = cache_key()
month = svc.recent(key)
preset = linked_params("warehouse")
first_day = svc.first_day(key)


# ---------------------------------------------------------------- stock by bin
@page_fragment
def stock_view() -> None:
    cells = month.cells
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
        contents = svc.bin_contents(key)
        zones = st.multiselect("Zones", sorted(contents["zone"].unique()), placeholder="All zones", key="wh_zones")
        held = contents[contents["zone"].isin(zones or contents["zone"])]
        st.dataframe(held, hide_index=True, column_config=columns(
            held, bin_full_pct=st.column_config.NumberColumn("Bin full (%)", format="%.0f")))
    missing = month.picks["bin_id"].isna().sum()
    if missing:
        st.info(f"{missing} order lines in the last {MONTH_DAYS} days are for products with no stock in any bin; "
                "they are left out of walking distances.")


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
    plan = svc.slotting(key, layout, int(top_n), routing)
    m = st.columns(3)
    m[0].metric("Moves suggested", len(plan.moves))
    m[1].metric(f"Walking, last {MONTH_DAYS} days", f"{plan.distance_after_m / 1000:,.1f} km",
                f"{-plan.saving_m / 1000:,.1f} km ({-plan.saving_pct:.0f}%)", delta_color="inverse")
    m[2].metric("Orders re-walked", plan.n_orders)
    st.plotly_chart(vz.slotting_figure(layout, month.cells, plan.moves, table("bins")), width="stretch")
    st.dataframe(plan.moves, hide_index=True, column_config=columns(
        plan.moves, from_m=st.column_config.NumberColumn("Walk to the old bin and back (m)", format="%.0f"),
        to_m=st.column_config.NumberColumn("Walk to the new bin and back (m)", format="%.0f")))


open_tab_only({"Stock by bin": stock_view, "Pick paths": lambda: paths_view(key, layout, first_day),
               "Batches and waves": lambda: batch_view(key, layout, first_day), "Slotting": slot_view,
               "Packing": lambda: packing(key, first_day, preset)}, key=TAB, keep=KEEP,
              default="Packing" if preset else None)
