"""About the data: what each table holds, its columns and its row count."""

import streamlit as st

from opscore.store import TABLES
from opscore.store.schema import Table
from ui.state import current_store

st.title("About the data")
store = current_store()
counts = store.row_counts()
st.caption(f"Schema version {store.schema_version()} · data version {store.data_version()}. "
           "Tables marked *app* are written by the workbench itself (scenarios, forecast runs).")


def _columns_frame(table: Table) -> list[dict[str, object]]:
    return [{"Column": c.name, "Kind": c.kind, "Required": c.required, "Refers to": c.references or "",
             "Meaning": c.description} for c in table.columns]


st.dataframe(
    [{"Table": t.name, "Rows": counts[t.name], "Source": "yours" if t.user_data else "app",
      "Holds": t.description} for t in TABLES],
    hide_index=True, width="stretch",
)
choice = st.selectbox("Show the columns of", [t.name for t in TABLES], index=[t.name for t in TABLES].index("products"))
st.dataframe(_columns_frame(next(t for t in TABLES if t.name == choice)), hide_index=True, width="stretch")
