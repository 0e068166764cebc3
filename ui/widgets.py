"""Small widgets shared by pages: downloads, links to pages that may not be installed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from opscore.io import export_csv, export_excel

ROOT = Path(__file__).resolve().parent.parent


def download_buttons(frame: pd.DataFrame, basename: str, key: str) -> None:
    """CSV and Excel download buttons for one table."""
    left, right = st.columns(2)
    left.download_button("Download CSV", export_csv(frame), f"{basename}.csv", "text/csv", key=f"{key}_csv")
    right.download_button("Download Excel", export_excel({basename: frame}), f"{basename}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def page_link(page: str, label: str, icon: str | None = None) -> None:
    """A link to another page of the app, shown only when that page is part of this install."""
    if (ROOT / page).exists():
        st.page_link(page, label=label, icon=icon)
