"""OpsCore Workbench: the router. Run with ``make run`` (or ``streamlit run app.py``)."""

from __future__ import annotations

import plotly.io as pio
import streamlit as st

from opscore.viz.theme import TEMPLATE
from ui.access import access_gate, has_access
from ui.layout import show, show_customer

st.set_page_config(page_title="OpsCore Workbench", page_icon="assets/favicon.png", layout="wide")
if pio.templates.default != TEMPLATE:  # the charts' look, once for the app's process (see opscore.viz.theme);
    pio.templates.default = TEMPLATE  # plotly validates the template on every assignment, about 18 ms

PAGES = {
    "Overview": [
        st.Page("views/home.py", title="Stock and today", icon=":material/dashboard:", default=True, url_path="home"),
    ],
    "Planning": [
        st.Page("views/forecast.py", title="Forecast explorer", icon=":material/trending_up:", url_path="forecast"),
        st.Page("views/inventory.py", title="Inventory simulator", icon=":material/inventory_2:", url_path="inventory"),
    ],
    "Delivery": [
        st.Page("views/routes.py", title="Route map", icon=":material/route:", url_path="routes"),
        st.Page("views/tracking.py", title="Tracking", icon=":material/local_shipping:", url_path="tracking"),
        st.Page("views/delivery_options.py", title="Delivery options", icon=":material/event_available:",
                url_path="delivery-options"),
    ],
    "Supply": [
        st.Page("views/suppliers.py", title="Supplier scoring", icon=":material/handshake:", url_path="suppliers"),
    ],
    "Warehouse": [
        st.Page("views/warehouse.py", title="Warehouse", icon=":material/warehouse:", url_path="warehouse"),
    ],
    "Assets": [
        st.Page("views/maintenance.py", title="Maintenance risk", icon=":material/build:", url_path="maintenance"),
    ],
    "Responsibility": [
        st.Page("views/sustainability.py", title="Sustainability", icon=":material/eco:", url_path="sustainability"),
        st.Page("views/compliance.py", title="Compliance", icon=":material/gavel:", url_path="compliance"),
    ],
    "Workshop": [
        st.Page("views/scenarios.py", title="Scenarios", icon=":material/compare_arrows:", url_path="scenarios"),
    ],
    "Workspace": [
        st.Page("views/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
        st.Page("views/about_data.py", title="About the data", icon=":material/table_chart:", url_path="about-data"),
        st.Page("views/workspaces.py", title="Workspaces", icon=":material/folder_shared:", url_path="workspaces"),
    ],
}

CUSTOMER_PAGES = [
    # A customer's tracking link: only their order's view, no navigation, no workspace controls. The link's signed,
    # expiring token (checked on the page) stands in for the workshop password. Registered at the root and at
    # /tracking (where links point), so neither shows Streamlit's "Page not found" over the delivery.
    st.Page("views/tracking.py", title="Your delivery", url_path="your-delivery", default=True),
    st.Page("views/tracking.py", title="Your delivery", url_path="tracking"),
]

# Each render reads one snapshot of its workspace (see ui.state.page_session).
if st.query_params.get("order"):
    show_customer(st.navigation(CUSTOMER_PAGES, position="hidden"))
else:
    allowed = has_access()
    page = st.navigation(PAGES, position="sidebar" if allowed else "hidden", expanded=True)  # every page listed
    if not allowed:
        access_gate()
    show(page)
