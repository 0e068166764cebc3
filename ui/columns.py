"""Column headings in words, with sensible precision, for every table a page shows.

``columns(frame, **overrides)`` gives a ``column_config`` for all of a frame's columns: a known field name gets
its label and number format from :data:`LABELS`, any other its name in words (underscores as spaces, units from
the suffix, first letter capitalised); ``overrides`` (column -> label or column config) win.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from opscore.scenarios.labels import show_value, words

LABELS: dict[str, tuple[str, str | None]] = {
    # items and stock
    "sku": ("Item code", None), "name": ("Name", None), "category": ("Category", None),
    "on_hand": ("On hand", "%.0f"), "on_order": ("On order", "%.0f"), "daily_demand": ("Sales per day", "%.1f"),
    "days_of_cover": ("Days of cover", "%.1f"), "lead_time_days": ("Delivery time (days)", "%.0f"),
    "last_sale": ("Last sale", None), "days_since_sale": ("Days since last sale", "%.0f"),
    "bin_id": ("Bin", None), "lot": ("Lot", None), "quantity": ("Quantity", "%.0f"),
    "expiry_date": ("Use by", None), "days_left": ("Days left", "%.0f"), "status": ("Status", None),
    "units": ("Units", "%.0f"), "capacity_units": ("Capacity (units)", "%.0f"), "zone": ("Zone", None),
    "aisle": ("Aisle", None), "bay": ("Bay", None), "level": ("Level", None), "class": ("Class", None),
    # purchasing
    "po_id": ("Purchase order", None), "supplier": ("Supplier", None), "supplier_id": ("Supplier", None),
    "order_date": ("Ordered", None), "promised_date": ("Promised", None), "qty_ordered": ("Quantity ordered", "%.0f"),
    "days_late": ("Days late", "%.0f"), "order_by": ("Order by", None), "arrives_by": ("Arrives by", None),
    "unit_cost": ("Unit cost (£)", "%.2f"), "why": ("Why", None),
    # deliveries and routes
    "vehicle": ("Van", None), "vehicle_id": ("Van", None), "planned_arrival": ("Planned arrival", None),
    "customer": ("Customer", None), "customer_id": ("Customer", None), "order_id": ("Order", None),
    "window_start": ("Window opens", None), "window_end": ("Window closes", None), "attempt": ("Attempt", None),
    "outcome": ("Outcome", None), "stop_no": ("Stop", None), "order": ("Order", None), "eta": ("Arrives", None),
    "unload_from": ("Unloading from", None), "leave": ("Leaves", None),
    "km_from_previous": ("km from the previous stop", "%.1f"), "load_on_board_kg": ("Load on board (kg)", "%.0f"),
    "km": ("km", "%.1f"),
    # warehouse
    "line_no": ("Line", None), "batch": ("Batch", None), "orders": ("Orders", None), "n_orders": ("Orders", "%.0f"),
    "lines": ("Lines", "%.0f"), "weight_kg": ("Weight (kg)", "%.1f"), "volume_l": ("Volume (litres)", "%.1f"),
    "distance_m": ("Walking distance (m)", "%.0f"), "wave": ("Wave", None), "trips": ("Trips", "%.0f"),
    "start": ("Start", None), "end": ("End", None), "order_ids": ("Order numbers", None), "picks": ("Picks", "%.0f"),
    "from_bin": ("From bin", None), "to_bin": ("To bin", None), "carton": ("Carton", None), "type": ("Type", None),
    "carton_id": ("Carton type", None), "items": ("Items", None), "contents_kg": ("Contents (kg)", "%.2f"),
    "fill_pct": ("Filled (%)", "%.0f"), "void_l": ("Empty space (litres)", "%.1f"), "material": ("Material", None),
    "material_kg": ("Packaging (kg)", "%.2f"), "kg_co2e": ("kg CO2e", "%.3f"), "cost": ("Cost (£)", "%.2f"),
    # compliance and emission factors
    "date": ("Date", None), "severity": ("Severity", None), "subject": ("Subject", None),
    "measured": ("Measured", None), "detail": ("Detail", None), "rule_id": ("Rule", None),
    "regulation": ("Regulation", None), "check": ("Check", None), "threshold": ("Limit", None), "unit": ("Unit", None),
    "enabled": ("On", None), "measures": ("Measures", None), "factor_id": ("Factor", None),
    "source": ("Source", None), "year": ("Year", None),
}
"""Field name -> (heading, number format or None)."""

def columns(frame: pd.DataFrame, **overrides: Any) -> dict[str, Any]:
    """``column_config`` naming every column of ``frame`` in words (see module docstring)."""
    config: dict[str, Any] = {}
    for col in frame.columns:
        name = str(col)
        if name in overrides:
            config[name] = overrides[name]
            continue
        label, fmt = LABELS.get(name, (words(name), None))
        if fmt and pd.api.types.is_numeric_dtype(frame[col]):
            config[name] = st.column_config.NumberColumn(label, format=fmt)
        else:
            config[name] = label
    return config


def record_table(record: Mapping[str, Any]) -> pd.DataFrame:
    """One stored record (a breach's facts) as a two-column table of headings and values in words."""
    return pd.DataFrame({"Field": [LABELS.get(str(k), (words(str(k)), None))[0] for k in record],
                         "Value": [show_value(v) for v in record.values()]})
