"""The Maintenance page's cached work: the fleet analysis and its test, the fleet table, one asset's charts and the
service-interval what-if of one asset type, each keyed by the workspace ``key`` (:func:`ui.state.cache_key`).

Charts are kept with ``st.cache_resource``: two years of daily points are slow to validate, so they are built
once, shared and only read.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.maintenance import (
    AgeReplacementPlan,
    ConditionEvaluation,
    FleetAnalysis,
    FleetSummary,
    IntervalCost,
    IntervalRange,
    MaintenanceCalendar,
    ServiceCosts,
    analyse_fleet,
    asset_policy,
    calendar_jobs,
    cost_rate_curve,
    evaluate_time_split,
    fleet_table,
    interval_cost,
    interval_range,
    plan_calendar,
    plan_start,
    plotting_positions,
    summarise_fleet,
)
from opscore.viz.maintenance import cost_rate_figure, hazard_figure, sensor_trend_figure, weibull_probability_figure
from opscore.viz.theme import plain
from ui.state import store_for, table_at

HORIZON_DAYS = 30
"""Days ahead the chance of a breakdown refers to."""
PLAN_DAYS = 90
"""Days the maintenance calendar plans."""


@st.cache_data(show_spinner="Learning from the failure history and sensor readings...", max_entries=8)
def analysis(key: str) -> FleetAnalysis:
    """Lifetime fits and the trained condition model (its out-of-time test: :func:`quality`)."""
    return analyse_fleet(table_at(key, "assets"), table_at(key, "maintenance_events"),
                         table_at(key, "sensor_readings"), store_for(key).as_of(), HORIZON_DAYS, evaluate=False)


@st.cache_data(show_spinner="Testing the breakdown warning on later months...", max_entries=8)
def quality(key: str) -> ConditionEvaluation | str:
    """The condition model's out-of-time test (a second training, so only run when asked for), or why it could
    not run."""
    fleet = analysis(key)
    try:
        return evaluate_time_split(fleet.features, fleet.labels, HORIZON_DAYS)
    except ValueError as exc:
        return f"The condition model could not be tested: {exc}"


@st.cache_data(show_spinner=False, max_entries=8)
def fleet(key: str) -> pd.DataFrame:
    """One row per asset: risk, remaining life and the recommended action."""
    return fleet_table(analysis(key), table_at(key, "assets"), plan_days=PLAN_DAYS)


@st.cache_data(show_spinner=False, max_entries=8)
def fleet_summary(key: str) -> FleetSummary:
    """Assets needing action, breakdown cost expected and the yearly saving of planned service."""
    return summarise_fleet(fleet(key))


@st.cache_resource(show_spinner=False, max_entries=64)
def asset_figures(key: str, asset_id: str) -> tuple[go.Figure, go.Figure, go.Figure]:
    """One asset's sensor trend, lifetimes on Weibull paper and failure rate by age."""
    learned = analysis(key)
    row = fleet(key).set_index("asset_id").loc[asset_id]
    fit, basis = learned.fits[row["type"]]
    events = table_at(key, "maintenance_events")
    failures = events[(events["asset_id"] == asset_id) & (events["kind"] == "failure")]["date"]
    daily, drift = learned.daily, learned.drift
    trend = sensor_trend_figure(daily[daily["asset_id"] == asset_id], drift[drift["asset_id"] == asset_id], failures,
                                f"{plain(row['name'])}: sensor readings, drift flags and breakdowns")
    own = basis == "this type"
    lives = learned.lifetimes[learned.lifetimes["type"] == row["type"]] if own else learned.lifetimes
    title = f"Lifetimes of {plain(row['type'])}s" if own else "Lifetimes, all assets"
    life = weibull_probability_figure(plotting_positions(lives["duration_days"], lives["failed"]), fit, title)
    rate = hazard_figure(fit, float(row["age_days"]), "Failure rate by age", float(row["condition_multiplier"]))
    return trend, life, rate


@st.cache_data(show_spinner=False, max_entries=32)
def service_plan(key: str, kind: str, costs: ServiceCosts) -> tuple[AgeReplacementPlan, IntervalRange]:
    """The cost-optimal service age of an asset type at ``costs`` (its first asset's downtime hours) and the
    intervals worth trying."""
    assets = table_at(key, "assets")
    learned = analysis(key)
    plan = asset_policy(learned, assets[assets["type"] == kind].iloc[0], costs.overrides())
    return plan, interval_range(learned.fits[kind][0], plan)


@st.cache_data(show_spinner=False, max_entries=64)
def chosen_interval(key: str, kind: str, costs: ServiceCosts, interval: int) -> IntervalCost:
    """The long-run cost of servicing an asset type every ``interval`` days at ``costs``."""
    return interval_cost(analysis(key).fits[kind][0], service_plan(key, kind, costs)[0], interval)


@st.cache_resource(show_spinner=False, max_entries=64)
def cost_figure(key: str, kind: str, costs: ServiceCosts, interval: int) -> go.Figure:
    """The what-if cost curve of one asset type, kept and shared: it is the same for any crew size, so moving the
    crew slider redraws only the calendar."""
    fit = analysis(key).fits[kind][0]
    plan = service_plan(key, kind, costs)[0]
    chosen = chosen_interval(key, kind, costs, interval)
    return cost_rate_figure(cost_rate_curve(fit, plan.preventive_cost, plan.failure_cost), plan.interval_days,
                            plan.run_to_failure_cost_per_day, float(interval), chosen.cost_per_day,
                            f"Long-run cost per day of a {plain(kind)}")


@st.cache_data(show_spinner=False, max_entries=32)
def jobs(key: str, kind: str, costs: ServiceCosts, interval: int) -> pd.DataFrame:
    """The 90-day jobs with one asset type's what-if costs and interval (the same for any crew size)."""
    learned = analysis(key)
    overrides = {kind: {**costs.overrides(), "interval_days": float(interval)}}
    return calendar_jobs(fleet_table(learned, table_at(key, "assets"), overrides, plan_days=PLAN_DAYS), learned,
                         PLAN_DAYS)


@st.cache_data(show_spinner=False, max_entries=32)
def calendar(key: str, kind: str, costs: ServiceCosts, interval: int, crew_hours: int) -> MaintenanceCalendar:
    """The jobs of :func:`jobs` placed on working days within ``crew_hours`` a week."""
    return plan_calendar(jobs(key, kind, costs, interval), plan_start(analysis(key).as_of), crew_hours, PLAN_DAYS)
