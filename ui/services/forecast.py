"""The Forecast explorer's cached work: one selection's forecast, and the accuracy of the stored runs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opscore.forecast import ForecastResult
from opscore.forecast.demand import daily_from_sums, selection_skus
from opscore.forecast.explore import ForecastSettings, forecast_daily
from opscore.forecast.runs import RunAccuracy, stored_accuracy
from opscore.store.aggregates import sales_by_day
from ui.state import store_for, table_at


@st.cache_data(show_spinner=False, max_entries=256)
def selection_forecast(key: str, settings: ForecastSettings) -> tuple[ForecastResult, pd.DataFrame]:
    """The forecast of the selection ``settings`` names in the workspace ``key`` names, and that selection's daily
    sales (quantity, promotion share) for the what-if and the chart. A ValueError says why there is none."""
    skus = selection_skus(table_at(key, "products"), settings.level, settings.item)
    by_day, first, last = sales_by_day(store_for(key), skus)
    daily = daily_from_sums(by_day, first, last, settings.item)
    return forecast_daily(daily, settings), daily


@st.cache_data(show_spinner=False, max_entries=8)
def run_accuracy(key: str) -> RunAccuracy:
    """The stored forecast runs of the workspace ``key`` names, scored against the sales that arrived after them."""
    return stored_accuracy(store_for(key), table_at(key, "sales"))
