"""The Forecast page's demand plan: where the shown forecast comes from, and the section that makes the plan and
lists the days products were out of stock.

A plan is made for every product at once (:func:`opscore.forecast.runs.run_plan`) and stored as a forecast run;
while it is current it is what the page shows for a product, a category or the total, and what the inventory page
plans with.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opscore.forecast.explore import ForecastSettings, period_word
from opscore.forecast.registry import RECONCILED
from opscore.forecast.runs import StoredPlan, run_plan
from opscore.store import Store
from ui.progress import with_progress
from ui.services.forecast import demand_plan, plan_covers, stockouts
from ui.state import table
from ui.text import md

MADE = "_fc_plan_made"
"""Session key: the message of the plan just made, shown once after the page is drawn again."""
STOCKOUT_HEADINGS = {"sku": "SKU", "stockout_days": "Days out of stock", "longest_run": "Longest run (days)",
                     "days": "Days with stock records"}


def plan_note(key: str, settings: ForecastSettings) -> StoredPlan | None:
    """Say where the forecast shown comes from (the demand plan, or this selection alone and why); returns the
    latest plan at the settings' frequency."""
    plan = demand_plan(key, settings.freq)
    if plan is not None and plan_covers(plan, settings):
        st.caption(f"From the demand plan made {plan.created_at:%d %b %Y %H:%M}: the categories and the total add "
                   "up to their products, and the inventory page plans with these numbers.")
    elif plan is not None and not plan.current:
        st.warning(f"The demand plan of {plan.created_at:%d %b %Y %H:%M} was made before the sales, stock or "
                   "products last changed, so this forecast is of this selection alone. Make the plan again under "
                   "*Demand plan* below.")
    elif plan is None and settings.method == "auto" and not settings.drivers:
        st.caption("This forecast is of this selection alone. Make the demand plan under *Demand plan* below, so "
                   "categories add up to their products and the inventory page plans with the same numbers.")
    return plan


def plan_section(store: Store, key: str, products: pd.DataFrame, settings: ForecastSettings,
                 plan: StoredPlan | None) -> None:
    """Make the demand plan at the chosen frequency and horizon; show the latest one and the out-of-stock days."""
    word = period_word(settings.freq)
    st.subheader("Demand plan")
    st.caption("Forecasts every product at once: a model that learns from all products (LightGBM) joins each "
               "product's own models and is weighted by how well it did on past sales; days a product was out of "
               "stock are left out; the categories and the total are made to add up. The page and the inventory "
               "plan use it.")
    if st.button(f"Make the demand plan ({settings.freq}, {settings.horizon} {word}s ahead)", key="fc_run_all"):
        try:
            stored = with_progress(run_plan, store, table("sales"), products, settings.freq, settings.horizon,
                                   n_jobs=2)
        except ValueError as exc:
            st.error(f"No demand plan was made: {md(exc)}")
        else:
            st.session_state[MADE] = f"Made demand plan {stored.run_id} for {stored.series} products."
            st.rerun()
    if made := st.session_state.pop(MADE, None):
        st.success(made)
    if plan is not None:
        st.write(f"Latest {settings.freq} plan: made {plan.created_at:%d %b %Y %H:%M}, {plan.horizon} {word}s ahead; "
                 f"categories and total: {RECONCILED[plan.reconciliation].lower()}"
                 + ("." if plan.current else "; made before the data last changed."))
    counts = stockouts(key)
    if counts is None:
        st.write("No stock history in this workspace, so every day's sales count as demand. Import the "
                 "*stock_history* table (closing stock per product and day) on the Data page to leave out the days "
                 "a product was out of stock.")
    elif not counts["stockout_days"].any():
        st.write(f"Stock history covers {len(counts)} products and shows no day out of stock.")
    else:
        out = counts[counts["stockout_days"] > 0].sort_values(["stockout_days", "sku"], ascending=[False, True])
        st.write(f"Out-of-stock days: {int(out['stockout_days'].sum()):,} across {len(out)} of the {len(counts)} "
                 "products with stock history. They are left out of fitting and scoring (in weekly and monthly "
                 "plans, the weeks or months more than half out of stock).")
        st.dataframe(out[["sku", "stockout_days", "longest_run", "days"]].rename(columns=STOCKOUT_HEADINGS),
                     hide_index=True)
