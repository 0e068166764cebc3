"""The Supplier page's cached work: a period's scorecard, the ranking and how sure its top spot is, the risk
register and the disruption what-if, each keyed by the workspace ``key`` (:func:`ui.state.cache_key`), the period
(days back from the as-of date) and its settings.

Charts and the disruption's prepared baseline are kept with ``st.cache_resource``: shared objects, not copies, as
they are only read (unpickling a copy per move would cost what caching saves).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.inventory import runs_for
from opscore.store.aggregates import received_kg, sales_totals
from opscore.suppliers import (
    Contingencies,
    Disruption,
    DisruptionBase,
    DisruptionResult,
    RankingSettings,
    RiskRegister,
    Scorecard,
    SensitivityResult,
    disruption_options,
    ordered_between,
    prepare_disruption,
    rank_with,
    ranking_sensitivity,
    risk_register,
    supplier_scorecard,
)
from opscore.viz import suppliers as viz
from ui.state import inventory_inputs_at, store_for, table_at

RUNS = 100
"""Simulated runs per option in the disruption what-if: on the sample, fill rates to ±0.4 points (95 % interval)
in about 0.1 s."""
SKU_RUNS = 6_000
"""SKUs x runs per option at most: a supplier of more SKUs gets fewer runs (its averages pool them)."""
MIN_RUNS = 10
"""Runs per option at least: 1,439 SKUs x 10 runs at 5,000 SKUs gives fill rates to ±0.13 points in about 0.2 s."""
RISK_DEMAND_DAYS = 56
"""Days of sales behind the risk register's units per day."""
RISK_LOOKBACK_DAYS = 365
"""Days of purchase orders behind the risk register."""


@st.cache_data(show_spinner=False, max_entries=16)
def scorecard(key: str, days: int) -> Scorecard:
    """KPIs, monthly trends and eco scores of the ``days`` up to the as-of date."""
    store = store_for(key)
    as_of = pd.Timestamp(store.as_of())
    start = as_of - pd.Timedelta(days=days)
    lines = ordered_between(store, start.date(), as_of.date())
    return supplier_scorecard(lines, table_at(key, "suppliers"), table_at(key, "sites"),
                              table_at(key, "emission_factors"), received_kg(store, start.date(), as_of.date()),
                              start, as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def ranking(key: str, days: int, settings: RankingSettings) -> pd.DataFrame:
    """``supplier_id``, ``score`` and ``rank`` over the period, best first."""
    return rank_with(scorecard(key, days).matrix, settings)


@st.cache_data(show_spinner=False, max_entries=64)
def sensitivity(key: str, days: int, settings: RankingSettings) -> SensitivityResult:
    """How far each weight can move before another supplier comes first."""
    return ranking_sensitivity(scorecard(key, days).matrix, settings)


@st.cache_data(show_spinner=False, max_entries=8)
def register(key: str) -> RiskRegister:
    """Spend concentration, single sourcing and stock cover against each supplier's recovery."""
    store = store_for(key)
    as_of = store.as_of()
    year = sales_totals(store, as_of - timedelta(days=365), as_of)  # summed in the store, not read row by row
    recent = sales_totals(store, as_of - timedelta(days=RISK_DEMAND_DAYS), as_of)
    lines = ordered_between(store, as_of - timedelta(days=RISK_LOOKBACK_DAYS), as_of)
    return risk_register(purchase_orders=lines, products=table_at(key, "products"),
                         suppliers=table_at(key, "suppliers"), sales=None, inventory=table_at(key, "inventory"),
                         as_of=as_of, lookback_days=RISK_LOOKBACK_DAYS,
                         demand_days=RISK_DEMAND_DAYS, revenue=year["revenue"],
                         units_per_day=recent["units"] / RISK_DEMAND_DAYS)


@st.cache_data(show_spinner=False, max_entries=16)
def main_suppliers(key: str) -> list[str]:
    """Suppliers that are the main supplier of at least one SKU (the ones a disruption what-if can hit)."""
    return sorted(inventory_inputs_at(key).products["supplier_id"].astype(str).unique())


@st.cache_data(show_spinner=False, max_entries=16)
def demand_source(key: str) -> str:
    """Where the simulated demand comes from (the latest forecast or past sales), in words."""
    return inventory_inputs_at(key).demand_source


@st.cache_resource(show_spinner=False, max_entries=16)
def disruption_base(key: str, supplier: str, rank: tuple[str, ...]) -> DisruptionBase:
    """The supplier's SKUs and their baseline, simulated once for every move of the what-if (``rank``: the order
    switching follows)."""
    inputs = inventory_inputs_at(key)
    skus = int((inputs.products["supplier_id"] == supplier).sum())
    return prepare_disruption(inputs, supplier, supplier_rank=list(rank),
                              replications=runs_for(skus, RUNS, MIN_RUNS, SKU_RUNS))


@st.cache_data(show_spinner=False, max_entries=64)
def disruption(key: str, event: Disruption, costs: Contingencies, rank: tuple[str, ...],
               target: float) -> DisruptionResult:
    """Every contingency option against the baseline, and the cheapest that meets ``target`` (share of demand)."""
    return disruption_options(disruption_base(key, event.supplier_id, rank), event, costs, target)


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(name: str, *args: object) -> go.Figure:
    """The chart :mod:`opscore.viz.suppliers` ``name`` draws of ``args``, built once per distinct data."""
    return getattr(viz, name)(*args)
