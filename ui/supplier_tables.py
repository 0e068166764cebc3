"""The Supplier page's tables with their headings in words: the scorecard, the ranking's weights and sensitivity,
the risk register and the disruption what-if's options and hit SKUs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from opscore.suppliers import CRITERIA, DisruptionResult, RiskRegister, Scorecard, SensitivityResult

number = st.column_config.NumberColumn

SCORECARD: dict[str, Any] = {
    "supplier_id": "Code", "name": "Supplier",
    "otif_rate": st.column_config.ProgressColumn("OTIF %", format="%.1f", min_value=0, max_value=100),
    "otif_trend": st.column_config.LineChartColumn("OTIF by month", y_min=0, y_max=100),
    "on_time_rate": number("On time %", format="%.1f"), "in_full_rate": number("In full %", format="%.1f"),
    "lead_time_mean_days": number("Lead time (days)", format="%.1f"),
    "lead_time_std_days": number("Lead time spread (days)", format="%.1f", help="Standard deviation of the lead time"),
    "lead_time_trend_days_per_month": number("Lead time trend (days/month)", format="%+.2f",
                                             help="Positive = getting slower"),
    "defect_ppm": number("Defects (per million)", format="%.0f"),
    "price_variance_pct": number("Price vs typical %", format="%+.2f",
                                 help="Paid above (+) or below (-) the median price of the same SKUs"),
    "orders": "Order lines", "spend_gbp": number("Spend (£)", format="%.0f"),
    "spend_share": number("Share of spend %", format="%.1f"), "eco_score": number("Eco score", format="%.0f"),
}
"""Headings of the scorecard, in the order shown."""
SENSITIVITY: dict[str, Any] = {
    "criterion": "Criterion", "weight": number("Weight %", format="%.0f"),
    "lowest_weight": number("Lowest %", format="%.1f"), "highest_weight": number("Highest %", format="%.1f"),
    "leader_below": "New leader below", "leader_above": "New leader above",
}
"""Headings of the sensitivity table, in the order shown."""
REGISTER: dict[str, Any] = {
    "supplier_id": "Code", "name": "Supplier", "city": "City",
    "spend_share": number("Share of spend %", format="%.1f"),
    "lead_time_mean_days": number("Lead time (days)", format="%.1f"),
    "lead_time_cv": number("Lead time variation", format="%.2f", help="Standard deviation / mean"),
    "volatile_lead_time": "Volatile (variation > 0.5)", "recovery_days": "Recovery (days)",
    "single_sourced_skus": "Single-sourced SKUs",
    "revenue_at_risk_gbp": number("Revenue at risk (£/year)", format="%.0f"),
}
"""Headings of the supplier risk register, in the order shown."""
RISK_SKUS: dict[str, Any] = {
    "sku": "SKU", "name": "Product", "supplier_id": "Main supplier", "suppliers": "Bought from",
    "revenue_at_risk_gbp": number("Revenue at risk (£/year)", format="%.0f"), "on_hand": "Sellable stock",
    "units_per_day": number("Sells per day", format="%.1f"),
    "time_to_survive_days": number("Survives (days)", format="%.1f", help="Stock cover; empty = no recent sales"),
    "time_to_recover_days": "Supplier recovers (days)", "survive_lt_recover": "Runs out first",
}
"""Headings of the SKU risk table, in the order shown."""
OPTIONS: dict[str, Any] = {
    "label": "Option", "fill_rate": number("Demand met %", format="%.1f"),
    "fill_range": st.column_config.TextColumn("95 % range",
                                              help="Confidence interval of the average over the simulated runs"),
    "stockout_sku_days": number("SKU-days out of stock", format="%.1f"),
    "lost_revenue_gbp": number("Lost revenue (£)", format="%.0f"),
    "contingency_cost_gbp": number("Contingency cost (£)", format="%.0f"),
    "lost_margin_gbp": number("Lost margin (£)", format="%.0f"),
    "total_cost_gbp": number("Total cost (£)", format="%.0f"), "meets_target": "Meets target",
}
"""Headings of the disruption options, in the order shown."""
HIT: dict[str, Any] = {
    "sku": "SKU", "name": "Product", "stockout_chance": number("Chance of running out %", format="%.0f"),
    "first_stockout_day": number("First day out", format="%.0f", help="In a typical (median) run"),
    "lost_units": number("Units lost", format="%.0f"), "lost_revenue_gbp": number("Lost revenue (£)", format="%.0f"),
    "alt_supplier_id": "Second-best supplier",
}
"""Headings of the SKUs that run out when nothing is done."""


def scorecard_table(card: Scorecard, names: pd.Series) -> None:
    """KPIs per supplier (rates in %) with its monthly OTIF trend and eco score."""
    kpis = card.kpis
    trend = card.monthly.groupby("supplier_id")["otif_rate"].apply(lambda s: (100 * s.dropna()).round(1).tolist())
    shown = kpis.assign(name=kpis["supplier_id"].map(names), otif_trend=kpis["supplier_id"].map(trend),
                        eco_score=kpis["supplier_id"].map(card.eco.set_index("supplier_id")["eco_score"]))
    pct = {c: shown[c] * 100 for c in ("on_time_rate", "in_full_rate", "otif_rate", "spend_share")}
    st.dataframe(shown.assign(**pct)[list(SCORECARD)], hide_index=True, width="stretch", column_config=SCORECARD)


def weights_frame(weights: Sequence[float]) -> pd.DataFrame:
    """Each criterion's weight (%) and its direction, as the ranking shows them."""
    return pd.DataFrame({"Criterion": [c.label for c in CRITERIA], "Weight %": (100 * np.asarray(weights)).round(1),
                         "Better when": ["higher" if c.benefit else "lower" for c in CRITERIA]})


def sensitivity_table(sens: SensitivityResult) -> None:
    """Each weight's range (%) within which the leader stays first, and who leads beyond it."""
    shown = sens.table.assign(**{c: 100 * sens.table[c] for c in ("weight", "lowest_weight", "highest_weight")})
    st.dataframe(shown[list(SENSITIVITY)], hide_index=True, width="stretch", column_config=SENSITIVITY)


def register_table(reg: RiskRegister) -> None:
    """The supplier risk register (spend share in %)."""
    st.dataframe(reg.suppliers[list(REGISTER)].assign(spend_share=lambda f: 100 * f["spend_share"]),
                 hide_index=True, width="stretch", column_config=REGISTER)


def risk_skus_table(skus: pd.DataFrame) -> None:
    """SKUs with their sourcing, stock cover and the main supplier's recovery (no recent sales: empty cover)."""
    st.dataframe(skus[list(RISK_SKUS)].replace([np.inf], np.nan), hide_index=True, width="stretch",
                 column_config=RISK_SKUS)


def options_table(result: DisruptionResult) -> None:
    """Every option's demand met (%) with its 95 % range, stock-outs and costs."""
    opts = result.options.assign(fill_rate=lambda f: 100 * f["fill_rate"],
                                 fill_range=lambda f: [f"{100 * lo:.1f}-{100 * hi:.1f}"
                                                       for lo, hi in zip(f["fill_rate_low"], f["fill_rate_high"])])
    st.dataframe(opts[list(OPTIONS)], hide_index=True, width="stretch", column_config=OPTIONS)


def hit_table(result: DisruptionResult) -> None:
    """The SKUs that run out if nothing is done, most lost revenue first (nothing when none does)."""
    hit = result.skus[result.skus["lost_units"] > 0].sort_values("lost_revenue_gbp", ascending=False)
    if not hit.empty:
        st.caption("SKUs that run out if nothing is done:")
        st.dataframe(hit.assign(stockout_chance=100 * hit["stockout_chance"]), hide_index=True, width="stretch",
                     column_config=HIT)
