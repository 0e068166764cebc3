"""Home: inventory visibility and today's work, each figure linking to the page that acts on it."""

from __future__ import annotations

import streamlit as st

from opscore import visibility as vis
from opscore.viz.visibility import ageing_figure, cover_figure, stock_value_figure
from ui.columns import columns
from ui.services.home import overview
from ui.state import cache_key, current_store
from ui.widgets import missing_tables, needs_data, page_link

UNKNOWN = "—"


def _figure(value: float | int | None, fmt: str = "{:,}") -> str:
    """A headline figure, or a dash when its source table has no rows (unknown, not zero)."""
    return UNKNOWN if value is None else fmt.format(value)


def _no_data(tables: tuple[str, ...]) -> str:
    return "No data: needs " + " and ".join(tables)


store = current_store()
st.title("Stock and today")
if store.count("products") == 0:
    st.info("This workspace has no products yet. "
            "Import your data on the **Data** page, or switch to the sample workspace.")
    page_link("views/data.py", "Import data", ":material/upload_file:")
    st.stop()

lacking = missing_tables(store, vis.SOURCE_TABLES)
d = overview(cache_key(), frozenset(vis.SOURCE_TABLES) - set(lacking))
s = d.summary
st.caption(f"As of {store.as_of():%A %d %B %Y}. Values at purchase cost; demand is the average of the last "
           f"{vis.DEMAND_WINDOW_DAYS} days.")
needs_data(store, lacking, "Part of this page (the figures shown as —)", stop=False)

c = st.columns(6)
c[0].metric("Stock value", _figure(s.stock_value, "£{:,.0f}"),
            help=_no_data(vis.SOURCES["stock_value"]) if s.stock_value is None else f"{s.stock_units:,} units on hand")
c[1].metric("SKUs at risk", _figure(s.skus_at_risk),
            help=_no_data(vis.SOURCES["skus_at_risk"]) if s.skus_at_risk is None
            else "Likely to run out before a new order can arrive")
c[2].metric("Dead stock", _figure(s.dead_stock_value, "£{:,.0f}"),
            help=_no_data(vis.SOURCES["dead_stock_value"]) if s.dead_stock_value is None
            else f"No sale in {vis.DEAD_AFTER_DAYS} days")
c[3].metric("Expired / expiring", UNKNOWN if s.expired_units is None else f"{s.expired_units:,} / {s.expiring_units:,}",
            help=_no_data(vis.SOURCES["expired_units"]) if s.expired_units is None
            else f"Units past use-by / within {vis.EXPIRY_WARNING_DAYS} days of it")
c[4].metric("Late purchase orders", _figure(s.late_purchase_orders),
            help=_no_data(vis.SOURCES["late_purchase_orders"]) if s.late_purchase_orders is None else None)
c[5].metric("Deliveries today", _figure(s.deliveries_today),
            help=_no_data(vis.SOURCES["deliveries_today"]) if s.deliveries_today is None else None)
with c[1]:
    page_link("views/inventory.py", "Plan purchases", ":material/inventory_2:")
with c[2]:
    page_link("views/warehouse.py", "See bins", ":material/warehouse:")
with c[3]:
    page_link("views/compliance.py", "Expiry checks", ":material/rule:")
with c[4]:
    page_link("views/suppliers.py", "Suppliers", ":material/local_shipping:")
with c[5]:
    page_link("views/routes.py", "Plan routes", ":material/route:")

if s.stock_value is not None:
    left, right = st.columns(2)
    left.plotly_chart(stock_value_figure(d.by_location), width="stretch")
    right.plotly_chart(cover_figure(d.position), width="stretch")

position = d.position
tabs = st.tabs(["At risk", "Dead and ageing stock", "Expiry", "Late purchase orders", "Today's deliveries"])
with tabs[0]:
    if s.skus_at_risk is None:
        st.caption(_no_data(vis.SOURCES["skus_at_risk"]))
    else:
        risk = position[position["at_risk"]].sort_values("days_of_cover")
        st.caption("Stock plus orders due within the lead time is less than the demand expected over the lead time.")
        shown = risk[["sku", "name", "on_hand", "daily_demand", "days_of_cover", "lead_time_days", "on_order"]]
        st.dataframe(shown, hide_index=True, width="stretch", column_config=columns(shown))
with tabs[1]:
    if s.dead_stock_value is None:
        st.caption(_no_data(vis.SOURCES["dead_stock_value"]))
    else:
        st.dataframe(d.dead, hide_index=True, width="stretch", column_config=columns(
            d.dead, value=st.column_config.NumberColumn("Value (£)", format="%.2f")))
        st.plotly_chart(ageing_figure(d.ageing), width="stretch")
for tab, figure, frame in ((tabs[2], "expired_units", "expiring"), (tabs[3], "late_purchase_orders", "late"),
                           (tabs[4], "deliveries_today", "today")):
    with tab:
        if getattr(s, figure) is None:
            st.caption(_no_data(vis.SOURCES[figure]))
        else:
            st.dataframe(getattr(d, frame), hide_index=True, width="stretch", column_config=columns(
                getattr(d, frame), value=st.column_config.NumberColumn("Value (£)", format="%.2f")))
