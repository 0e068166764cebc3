"""The Inventory page's cached work: ABC-XYZ classes, reorder levels (by formula and tuned by simulation), the
six-month simulation and its waste, the stock fan of one item, today's purchase plan and the cost/service curve.

Every function takes the workspace ``key`` (:func:`ui.state.cache_key`), the baseline's
:class:`opscore.inventory.Settings` and the chosen items as ``rows`` (positions in the workspace's items); the items'
stock, demand and supply come from :func:`ui.state.inventory_inputs_at`. Charts are kept with
``st.cache_resource``: shared objects, not copies, as charts are only read.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.inventory import (
    Settings,
    TunedPolicy,
    WasteReport,
    classes,
    design,
    explain_waste,
    frontier,
    purchase_plan,
    retarget,
    run,
    runs_for,
    tune,
)
from opscore.viz.inventory import abc_xyz_matrix, comparison_figure, frontier_figure, on_hand_fan
from ui.state import inventory_inputs_at

DAYS, REPS, SEED = 182, 60, 7
"""Simulated horizon (days), runs and seed: enough for stable averages, fast enough for sliders."""
ITEM_RUNS, MIN_REPS = 20_000, 20
"""Items x runs simulated at most: a selection of more items gets fewer runs (at least MIN_REPS), its averages
pooling more items (650 items: 30 runs, about 0.2 s a move at 5,000 SKUs)."""
FAN_RUNS = 200
"""Runs behind one item's stock-on-hand bands."""
FRONTIER_TARGETS = (0.8, 0.9, 0.95, 0.98, 0.99)
"""One service target for every item per point of the cost/service curve."""
FRONTIER_DAYS, FRONTIER_RUNS = 120, 30
"""Days and runs simulated per point of the cost/service curve."""


def runs(items: int) -> int:
    """Runs of the six-month simulation of ``items`` chosen items."""
    return runs_for(items, REPS, MIN_REPS, ITEM_RUNS)


@st.cache_data(show_spinner=False, max_entries=32)
def item_classes(key: str) -> pd.DataFrame:
    """ABC-XYZ class and service target of every item."""
    return classes(inventory_inputs_at(key))


@st.cache_data(show_spinner=False, max_entries=64)
def formula_levels(key: str, settings: Settings) -> pd.DataFrame:
    """Reorder levels of every item by the textbook formulas."""
    return design(inventory_inputs_at(key), settings)


@st.cache_data(show_spinner=False, max_entries=32)
def tuned(key: str, settings: Settings, rows: tuple[int, ...]) -> TunedPolicy:
    """Levels of the chosen rows tuned by simulation until each item meets its target. Other costs than the
    defaults start from the tuning at the default costs (cached), so a cost change re-tunes few items."""
    sub = list(rows)
    reference = settings.at_default_costs()
    start = None if settings == reference else tuned(key, reference, rows)
    return tune(inventory_inputs_at(key).select(sub), settings,
                formula_levels(key, settings).iloc[sub].reset_index(drop=True), start=start)


def levels(key: str, settings: Settings, base: Settings, rows: tuple[int, ...]) -> pd.DataFrame:
    """The chosen rows' levels: tuned for the baseline ``base``; for a what-if, its formula levels plus what
    tuning added to the baseline's."""
    policy = tuned(key, base, rows)
    if settings == base:
        return policy.policy
    return retarget(policy, formula_levels(key, settings).iloc[list(rows)])


@st.cache_data(show_spinner=False, max_entries=64)
def simulate(key: str, settings: Settings, policy_settings: Settings, base: Settings,
             rows: tuple[int, ...]) -> tuple[pd.DataFrame, WasteReport]:
    """Totals and waste of the next six months from today's stock for the chosen rows, run under ``settings`` with
    the levels of ``policy_settings`` (see :func:`levels`)."""
    policy = levels(key, policy_settings, base, rows)
    sub = inventory_inputs_at(key).select(list(rows))
    result = run(sub, settings, policy, days=DAYS, replications=runs(len(rows)), seed=SEED)
    return result.total, explain_waste(policy, sub.products, result.per_sku, sub.usable_on_hand)


@st.cache_data(show_spinner=False, max_entries=64)
def fan(key: str, settings: Settings, policy_settings: Settings, base: Settings, rows: tuple[int, ...],
        at: int) -> pd.DataFrame:
    """Stock-on-hand bands of the ``at``-th chosen row."""
    policy = levels(key, policy_settings, base, rows).iloc[[at]].reset_index(drop=True)
    res = run(inventory_inputs_at(key).select([rows[at]]), settings, policy, days=DAYS, replications=FAN_RUNS,
              track=(0,))
    return res.on_hand_bands


@st.cache_data(show_spinner=False, max_entries=32)
def plan(key: str, settings: Settings, rows: tuple[int, ...], window: int, budget: float | None,
         space: float | None) -> pd.DataFrame:
    """Today's purchase plan of the chosen rows at their tuned levels: orders due in ``window`` days within the
    ``budget`` (GBP) and the free ``space`` (m³), None = no limit."""
    return purchase_plan(inventory_inputs_at(key).select(list(rows)), tuned(key, settings, rows).policy,
                         window_days=window, budget=budget, volume_cap_m3=space)


@st.cache_data(show_spinner=False, max_entries=16)
def tradeoff(key: str, settings: Settings, rows: tuple[int, ...]) -> pd.DataFrame:
    """Cost against service of the chosen rows at one target for every item, and the current setting."""
    return frontier(inventory_inputs_at(key).select(list(rows)), settings, targets=FRONTIER_TARGETS,
                    days=FRONTIER_DAYS, replications=FRONTIER_RUNS, include_current=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(kind: str, first: pd.DataFrame, second: pd.DataFrame | None = None, marks: tuple[float, ...] = (),
           title: str = "") -> go.Figure:
    """A chart built once per distinct data (plotly figure building dominates a warm rerun): 'compare' (baseline
    ``first`` against what-if ``second``), 'fan' (bands ``first`` with min/max ``marks``), 'frontier' (points
    ``first``, star at ``marks``) or 'matrix' (classes ``first``)."""
    if kind == "compare":
        return comparison_figure(first, second)
    if kind == "fan":
        return on_hand_fan(first, marks[0], marks[1], title)
    if kind == "frontier":
        return frontier_figure(first, marks)
    return abc_xyz_matrix(first)
