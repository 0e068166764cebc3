"""OpsCore Workbench: the router. Run with ``make run`` (or ``streamlit run app.py``)."""

from __future__ import annotations

import streamlit as st

from ui.layout import run_page, sidebar

st.set_page_config(page_title="OpsCore Workbench", layout="wide")

PAGES = {
    "Overview": [
        st.Page("pages/home.py", title="Stock and today", icon=":material/dashboard:", default=True, url_path="home"),
    ],
    # Topic pages: one st.Page line each, grouped by topic.
    "Workspace": [
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
        st.Page("pages/about_data.py", title="About the data", icon=":material/table_chart:", url_path="about-data"),
        st.Page("pages/workspaces.py", title="Workspaces", icon=":material/folder_shared:", url_path="workspaces"),
    ],
}

page = st.navigation(PAGES)
sidebar()
run_page(page)
