"""Small widgets shared by pages: downloads, links to pages that may not be installed, missing-data notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from opscore.io import export_csv, export_excel
from opscore.store import Store, get_table

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


TABLE_WORDS: dict[str, str] = {
    "sites": "warehouses and depots", "suppliers": "supplier list", "products": "your SKUs",
    "bins": "storage locations", "inventory": "stock snapshot", "sales": "daily units sold",
    "stock_history": "daily closing stock",
    "customers": "delivery customers", "vehicles": "your vans", "orders": "customer orders",
    "order_lines": "what each order holds", "deliveries": "delivery attempts",
    "delivery_events": "events from the road", "purchase_orders": "purchase history",
    "assets": "equipment register", "maintenance_events": "breakdowns and services",
    "sensor_readings": "daily condition readings", "cartons": "carton catalogue",
    "emission_factors": "conversion factors", "compliance_rules": "compliance rules",
}
"""A few plain words per table, shown after its schema name when a page lacks it."""


def missing_tables(store: Store, tables: Sequence[str]) -> list[str]:
    """Those of ``tables`` with no rows in the workspace, in the order given."""
    return [name for name in tables if store.count(name) == 0]


def table_words(name: str) -> str:
    """A table as the schema names it, with what it holds: '`inventory` (stock snapshot)'."""
    words = TABLE_WORDS.get(name)
    return f"`{name}` ({words})" if words else f"`{name}`"


def needs_data(store: Store, tables: Sequence[str], what: str, *, stop: bool = True) -> bool:
    """True when every one of ``tables`` has rows. Otherwise say which are missing and what they light up
    (``what``, e.g. "The purchase plan"), link to the Data page, and stop the page (or return False with
    ``stop=False``, for a page that shows what it can without them)."""
    missing = missing_tables(store, tables)
    if not missing:
        return True
    names = [table_words(n) for n in missing]
    listing = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    own_page = [f" (`{n}` on the **{p}** page)" for n in missing if (p := get_table(n).import_page)]
    st.info(f"{what} needs {listing}, which this workspace does not have yet. "
            f"Import {'it' if len(missing) == 1 else 'them'} on the **Data** page{''.join(own_page)}.",
            icon=":material/database:")
    page_link("views/data.py", "Import data on the Data page", ":material/upload_file:")
    if stop:
        st.stop()
    return False


def open_tab_only(tabs: Mapping[str, Callable[[], None]], key: str, keep: Sequence[str] = (),
                  default: str | None = None) -> None:
    """Tabs of which only the open one runs (switching tabs reruns the page), so a page opens at the cost of its
    first tab. The widgets keyed in ``keep`` keep their values while their tab is closed (Streamlit forgets the state
    of a widget not drawn in a run). ``default``: the tab opened first."""
    for name in keep:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]
    for tab, body in zip(st.tabs(list(tabs), key=key, on_change="rerun", default=default), tabs.values()):
        with tab:
            if tab.open:
                body()
