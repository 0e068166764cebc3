"""Maintenance risk: Weibull lifetimes, condition-based failure risk, remaining life and a cost-optimal plan.

Typical use (the page and notebook 05 do exactly this)::

    from opscore.maintenance import analyse_fleet, fleet_table, calendar_jobs, plan_calendar
    analysis = analyse_fleet(assets, events, readings, store.as_of())
    table = fleet_table(analysis, assets)
    calendar = plan_calendar(calendar_jobs(table, analysis), store.as_of(), crew_hours_per_week=8)
"""

from opscore.maintenance.anomaly import drift_flags, drift_from_daily, recent_drift
from opscore.maintenance.condition import (
    ConditionEvaluation,
    FailureRiskModel,
    TimeSplit,
    evaluate_time_split,
    latest_risk,
    time_split,
)
from opscore.maintenance.crew_calendar import MaintenanceCalendar, plan_calendar
from opscore.maintenance.features import (
    FEATURES,
    daily_readings,
    failure_labels,
    features_from_daily,
    rolling_features,
    sensor_gaps,
)
from opscore.maintenance.fleet import (
    FleetAnalysis,
    FleetSummary,
    analyse_fleet,
    asset_policy,
    calendar_jobs,
    fleet_table,
    summarise_fleet,
)
from opscore.maintenance.lifetimes import current_ages, extract_lifetimes, fit_by_type, mean_failure_downtime
from opscore.maintenance.policy import (
    AgeReplacementPlan,
    cost_rate,
    cost_rate_curve,
    optimal_age_replacement,
    total_costs,
)
from opscore.maintenance.rul import RemainingLife, remaining_life
from opscore.maintenance.weibull import WeibullFit, fit_weibull, plotting_positions
from opscore.maintenance.what_if import (
    IntervalCost,
    IntervalRange,
    ServiceCosts,
    interval_cost,
    interval_range,
    plan_start,
)

__all__ = [
    "FEATURES", "AgeReplacementPlan", "ConditionEvaluation", "FailureRiskModel", "FleetAnalysis", "FleetSummary",
    "IntervalCost", "IntervalRange", "MaintenanceCalendar", "RemainingLife", "ServiceCosts", "TimeSplit",
    "WeibullFit", "analyse_fleet", "asset_policy",
    "calendar_jobs", "cost_rate", "cost_rate_curve", "current_ages", "daily_readings", "drift_flags",
    "drift_from_daily", "evaluate_time_split", "extract_lifetimes", "failure_labels", "features_from_daily",
    "fit_by_type", "fit_weibull", "fleet_table", "interval_cost", "interval_range",
    "latest_risk", "mean_failure_downtime", "optimal_age_replacement", "plan_calendar", "plan_start",
    "plotting_positions", "recent_drift", "remaining_life", "rolling_features", "sensor_gaps", "summarise_fleet",
    "time_split", "total_costs",
]
