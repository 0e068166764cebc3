"""The Forecast explorer's cached work: one selection's forecast (from the demand plan when a current one covers
it), the latest demand plan, the out-of-stock days per SKU, and the accuracy of the stored runs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opscore.forecast import ForecastResult
from opscore.forecast.demand import daily_from_sums, selection_skus
from opscore.forecast.explore import ForecastSettings, forecast_daily, from_plan
from opscore.forecast.runs import RunAccuracy, StoredPlan, latest_plan, plan_rows, stored_accuracy
from opscore.store.aggregates import sales_by_day, stockout_counts, stockout_days
from ui.state import store_for, table_at


@st.cache_data(show_spinner=False, max_entries=64)
def demand_plan(key: str, freq: str) -> StoredPlan | None:
    """The latest demand plan at ``freq`` of the workspace ``key`` names (None: none made yet)."""
    return latest_plan(store_for(key), freq)


def plan_covers(plan: StoredPlan | None, settings: ForecastSettings) -> bool:
    """Whether the page shows ``settings``'s selection from ``plan``: a current plan, far enough ahead, for the
    automatic method without drivers (the plan's own settings)."""
    return (plan is not None and plan.current and plan.horizon >= settings.horizon and settings.method == "auto"
            and not settings.drivers)


@st.cache_data(show_spinner=False, max_entries=256)
def selection_forecast(key: str, settings: ForecastSettings) -> tuple[ForecastResult, pd.DataFrame]:
    """The forecast of the selection ``settings`` names in the workspace ``key`` names, and that selection's daily
    sales (quantity, promotion share) for the what-if and the chart. From the current demand plan when it covers
    the selection (:func:`plan_covers`); else made for this selection alone, a SKU's out-of-stock days left out.
    A ValueError says why there is none."""
    store = store_for(key)
    skus = selection_skus(table_at(key, "products"), settings.level, settings.item)
    by_day, first, last = sales_by_day(store, skus)
    daily = daily_from_sums(by_day, first, last, settings.item)
    plan = demand_plan(key, settings.freq)
    if plan is not None and plan_covers(plan, settings):
        values, series = plan_rows(store, plan.run_id, settings.name)
        if not values.empty:
            return from_plan(values, series, daily, settings, plan.created_at), daily
    days = stockout_days(store, skus) if settings.level == "sku" else None
    return forecast_daily(daily, settings, days), daily


@st.cache_data(show_spinner=False, max_entries=32)
def stockouts(key: str) -> pd.DataFrame | None:
    """Out-of-stock days per SKU of the workspace ``key`` names (None: no stock history)."""
    return stockout_counts(store_for(key))


@st.cache_data(show_spinner=False, max_entries=8)
def run_accuracy(key: str) -> RunAccuracy:
    """The stored forecast runs of the workspace ``key`` names, scored against the sales that arrived after them."""
    return stored_accuracy(store_for(key))
