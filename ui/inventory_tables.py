"""The Inventory page's tables with their headings in words: the purchase plan, the ABC-XYZ classes and the reorder
levels."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from opscore.inventory import TunedPolicy
from ui.columns import columns

number = st.column_config.NumberColumn

CLASS_HEADINGS: dict[str, Any] = {"sku": "Item code", "abc": "Value class", "xyz": "Steadiness class", "cls": "Class",
                  "annual_value": number("Value per year (£)", format="%.0f"),
                  "value_share": number("Cumulative value share", format="%.3f"),
                  "cv": number("Week-to-week variation", format="%.2f"),
                  "target": number("Service target (%)", format="%.0f")}
"""Headings of the ABC-XYZ class table."""
LEVEL_HEADINGS: dict[str, Any] = {"sku": "Item code", "name": "Item", "cls": "Class",
                  "daily_demand": number("Sales per day", format="%.1f"),
                  "lead_days": number("Delivery time (days)", format="%.1f"),
                  "target": number("Target (%)", format="%.1f"),
                  "achieved": number("Achieved (%)", format="%.1f", help="Once the levels are in place, simulated"),
                  "safety_stock": number("Safety stock", format="%.0f"),
                  "formula_min": number("Min by formula", format="%.0f"),
                  "min_level": number("Min (reorder at)", format="%.0f"),
                  "max_level": number("Max", format="%.0f"),
                  "order_qty": number("Usual order", format="%.0f"),
                  "moq": number("Minimum order", format="%.0f"),
                  "order_multiple": number("Order in multiples of", format="%.0f")}
"""Headings of the reorder levels table, in the order shown."""


def plan_table(plan: pd.DataFrame) -> None:
    """Today's purchase plan, one line per item with why."""
    st.dataframe(plan, hide_index=True, width="stretch", column_config=columns(
        plan, value=number("Value (£)", format="%.2f"), volume_m3=number("Volume (m³)", format="%.3f"),
        reason=st.column_config.TextColumn("Why", width="large")))


def classes_table(cls: pd.DataFrame) -> None:
    """Every item's ABC-XYZ class and service target (%)."""
    st.dataframe(cls.assign(target=cls["target"] * 100), hide_index=True, width="stretch",
                 column_config=CLASS_HEADINGS)


def levels_table(tuned: TunedPolicy) -> None:
    """Every chosen item's levels: the formula's min beside the tuned min and max, target against achieved (%)."""
    shown = tuned.policy.assign(target=100 * tuned.policy["target"], achieved=100 * tuned.policy["achieved"])
    st.dataframe(shown[list(LEVEL_HEADINGS)], hide_index=True, width="stretch", column_config=LEVEL_HEADINGS)
