"""The Home page's cached work: the stock position and today's work of one workspace, with their headline figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from opscore import visibility as vis
from opscore.store.aggregates import sales_by_sku
from ui.state import store_for, table_at


@dataclass(frozen=True)
class Overview:
    """What the Home page shows (money at purchase cost in £, quantities in units, as of the workspace's date)."""

    summary: vis.VisibilitySummary
    """The headline figures (None where their source tables are empty)."""
    position: pd.DataFrame
    """Stock position per SKU: on hand, on order, demand per day, days of cover, at risk."""
    by_location: pd.DataFrame
    """Stock value per site and zone."""
    dead: pd.DataFrame
    """SKUs with stock and no sale in :data:`opscore.visibility.DEAD_AFTER_DAYS` days."""
    expiring: pd.DataFrame
    """Lots past or near their use-by date."""
    ageing: pd.DataFrame
    """Stock by age band."""
    late: pd.DataFrame
    """Open purchase orders past their promised date."""
    today: pd.DataFrame
    """Deliveries planned for the as-of date."""


@st.cache_data(show_spinner=False, max_entries=16)
def overview(key: str, have: frozenset[str]) -> Overview:
    """The overview of the workspace ``key`` names; ``have``: its source tables that hold rows."""
    store = store_for(key)
    as_of = store.as_of()
    products, inventory = table_at(key, "products"), table_at(key, "inventory")
    orders = table_at(key, "purchase_orders")
    open_po = orders[orders["received_date"].isna()].reset_index(drop=True)  # the page needs no received lines
    position = vis.position_from(products, inventory, sales_by_sku(store, *vis.demand_window(as_of)), open_po, as_of)
    dead, expiring = vis.dead_stock(position), vis.expiring_lots(products, inventory, as_of)
    late = vis.late_purchase_orders(open_po, table_at(key, "suppliers"), as_of)
    today = vis.todays_deliveries(table_at(key, "deliveries"), table_at(key, "orders"), table_at(key, "customers"),
                                  table_at(key, "vehicles"), as_of)
    return Overview(vis.summarise(position=position, dead=dead, expiring=expiring, late=late, today=today,
                                  have=have), position,
                    vis.stock_by_location(products, inventory, table_at(key, "bins"), as_of), dead, expiring,
                    vis.ageing_stock(inventory, as_of), late, today)
