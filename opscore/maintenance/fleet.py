"""The whole-fleet view: lifetimes, condition model, risk, remaining life, policy and calendar jobs per asset.

:func:`analyse_fleet` does the heavy part once (fits and the classifier); :func:`fleet_table` and
:func:`calendar_jobs` are cheap and take what-if overrides of costs and service intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from opscore.maintenance.anomaly import drift_from_daily, recent_drift
from opscore.maintenance.condition import ConditionEvaluation, FailureRiskModel, evaluate_time_split, latest_risk
from opscore.maintenance.features import daily_readings, failure_labels, features_from_daily
from opscore.maintenance.lifetimes import current_ages, extract_lifetimes, fit_by_type, mean_failure_downtime
from opscore.maintenance.policy import AgeReplacementPlan, optimal_age_replacement, total_costs
from opscore.maintenance.rul import remaining_life
from opscore.maintenance.weibull import WeibullFit

COST_FIELDS = ("preventive_cost", "failure_cost", "downtime_cost_per_hour", "service_hours")


@dataclass(frozen=True)
class FleetAnalysis:
    """Everything learned from the history, as of one date."""

    as_of: date
    """The workspace's today."""
    horizon_days: int
    """Days ahead the failure probability refers to."""
    lifetimes: pd.DataFrame
    """Lifetimes per asset (see :func:`extract_lifetimes`)."""
    fits: dict[str, tuple[WeibullFit, str]]
    """Weibull fit per asset type and its basis ("this type" / "all assets pooled"); days."""
    daily: pd.DataFrame
    """Sensor readings per asset on a complete daily calendar (see :func:`daily_readings`)."""
    features: pd.DataFrame
    """Daily condition features per asset (see :func:`rolling_features`)."""
    labels: pd.Series
    """Failure within the horizon per feature row (NaN = not known yet)."""
    drift: pd.DataFrame
    """Daily drift flags per asset (see :func:`drift_flags`)."""
    risk: pd.DataFrame
    """Latest condition score per asset (see :func:`latest_risk`); NaN scores if there is no model."""
    failure_downtime_hours: pd.Series
    """Mean downtime hours per failure, per asset type."""
    evaluation: ConditionEvaluation | None
    """Out-of-time quality of the classifier; None if not asked for or the history is too short to test it."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    """Plain-language remarks on what could not be done and why."""


def analyse_fleet(assets: pd.DataFrame, events: pd.DataFrame, readings: pd.DataFrame, as_of: date,
                  horizon_days: int = 30, seed: int = 0, evaluate: bool = True) -> FleetAnalysis:
    """Fit lifetimes per type, build condition features, train the classifier, score today; with ``evaluate``
    also test the classifier on a time split first (:func:`evaluate_time_split`: a second training)."""
    if assets.empty:
        raise ValueError("The asset register is empty: add assets (with install dates and costs) first.")
    lifetimes = extract_lifetimes(assets, events, as_of)
    fits = fit_by_type(lifetimes)
    notes: list[str] = []
    daily = daily_readings(readings)
    features = features_from_daily(daily, lifetimes)
    labels = failure_labels(features, events, as_of, horizon_days)
    evaluation = None
    if evaluate:
        try:
            evaluation = evaluate_time_split(features, labels, horizon_days, seed=seed)
        except ValueError as exc:
            notes.append(f"The condition model could not be tested: {exc}")
    try:
        model = FailureRiskModel(horizon_days=horizon_days, seed=seed).fit(features, labels)
        risk = latest_risk(model, features, as_of)
    except ValueError as exc:
        notes.append(f"Risk uses age only: {exc}")
        risk = pd.DataFrame({"asset_id": assets["asset_id"], "scored_on": pd.NaT, "p_condition": np.nan,
                             "sensor_status": "no condition model"})
    return FleetAnalysis(as_of=as_of, horizon_days=horizon_days, lifetimes=lifetimes, fits=fits, daily=daily,
                         features=features, labels=labels,
                         drift=drift_from_daily(daily, events[events["kind"] == "failure"]), risk=risk,
                         failure_downtime_hours=mean_failure_downtime(events, assets), evaluation=evaluation,
                         notes=tuple(notes))


def _total_costs(analysis: FleetAnalysis, asset: Mapping[str, Any], overrides: dict[str, float]) -> tuple[float, float]:
    """``(Cp, Cf)`` of one asset row of the register with ``overrides`` of its :data:`COST_FIELDS`."""
    o = {**{k: float(asset[k]) for k in COST_FIELDS}, **overrides}
    return total_costs(o["preventive_cost"], o["failure_cost"], o["downtime_cost_per_hour"], o["service_hours"],
                       float(analysis.failure_downtime_hours.get(asset["type"], 24.0)))


def asset_policy(analysis: FleetAnalysis, asset: pd.Series,
                 overrides: dict[str, float] | None = None) -> AgeReplacementPlan:
    """The age-replacement plan for one asset row of the register, with optional cost overrides."""
    return optimal_age_replacement(analysis.fits[asset["type"]][0], *_total_costs(analysis, asset, overrides or {}))


def fleet_table(analysis: FleetAnalysis, assets: pd.DataFrame, overrides: dict[str, dict[str, float]] | None = None,
                act_above: float = 0.3, plan_days: int = 90) -> pd.DataFrame:
    """One row per asset: age, P(failure within the horizon), remaining life, recommended action and date.

    ``overrides`` maps an asset type to replacement values for any of :data:`COST_FIELDS` and
    ``interval_days`` (a chosen service age instead of the cost-optimal one). An asset whose combined
    probability reaches ``act_above`` is due for service now; otherwise it is due at the service age.
    ``expected_cost_avoided`` = P(failure within the horizon) x (Cf - Cp): the expected cost of a breakdown
    in that window, net of the planned service that prevents it (GBP).
    """
    overrides = overrides or {}
    ages = current_ages(analysis.lifetimes).set_index("asset_id")
    age_of, renewed_on = ages["age_days"].to_dict(), ages["renewed_on"].to_dict()
    risk = analysis.risk.set_index("asset_id")
    p_condition, sensor_status = risk["p_condition"].to_dict(), risk["sensor_status"].to_dict()
    drifting = recent_drift(analysis.drift, analysis.as_of).set_index("asset_id")["sensors"].to_dict()
    today = pd.Timestamp(analysis.as_of)
    plans: dict[tuple[str, float, float], AgeReplacementPlan] = {}  # assets of a type often share their costs
    rows = []
    for asset in assets.to_dict("records"):
        asset_id, kind = asset["asset_id"], asset["type"]
        fit, basis = analysis.fits[kind]
        extra = dict(overrides.get(kind, {}))
        chosen_interval = extra.pop("interval_days", None)
        costs = _total_costs(analysis, asset, extra)
        plan = plans.get((kind, *costs)) or plans.setdefault((kind, *costs), optimal_age_replacement(fit, *costs))
        interval = float(chosen_interval) if chosen_interval else plan.interval_days
        age = float(age_of[asset_id])
        p_cond = float(p_condition.get(asset_id, np.nan))
        life = remaining_life(fit, age, p_cond, analysis.horizon_days)
        due = renewed_on[asset_id] + pd.Timedelta(days=round(interval)) if np.isfinite(interval) else pd.NaT
        if life.p_fail_horizon >= act_above:
            action, when = "Service now: high failure risk", today + pd.Timedelta(days=1)
        elif not pd.isna(due) and due <= today:
            action, when = "Service now: past its best service age", today + pd.Timedelta(days=1)
        elif asset_id in drifting:
            action, when = f"Inspect this week: {drifting[asset_id]} drifting", today + pd.Timedelta(days=7)
        elif pd.isna(due):
            action, when = "Run to failure (planned service does not pay)", pd.NaT
        elif due <= today + pd.Timedelta(days=plan_days):
            action, when = "Plan a service", due
        else:
            action, when = "No action needed yet", due
        rows.append({
            "asset_id": asset_id, "name": asset.get("name", asset_id), "type": kind,
            "age_days": age, "p_fail": life.p_fail_horizon,
            "p_age": float(fit.conditional_failure(age, analysis.horizon_days)), "p_condition": p_cond,
            "rul_days": life.median_days, "rul_low_days": life.low_days, "rul_high_days": life.high_days,
            "service_interval_days": interval, "action": action, "action_date": when,
            "expected_cost_avoided": life.p_fail_horizon * max(plan.failure_cost - plan.preventive_cost, 0.0),
            "savings_per_year": plan.savings_per_year,
            "sensor_status": sensor_status.get(asset_id, "no sensor data"),
            "fit_basis": basis, "service_hours": float(extra.get("service_hours", asset["service_hours"])),
            "preventive_total": plan.preventive_cost, "failure_total": plan.failure_cost,
            "condition_multiplier": life.condition_multiplier,
        })
    return pd.DataFrame(rows)


ACT_NOW = ("Service now", "Inspect")
"""Starts of the :func:`fleet_table` actions that ask for work now or this week."""


@dataclass(frozen=True)
class FleetSummary:
    """The fleet at a glance, from :func:`fleet_table`."""

    needing_action: int
    """Assets to service now or inspect this week."""
    expected_breakdown_cost_gbp: float
    """Chance of a breakdown within the horizon x its total cost (repair and downtime), summed over assets, GBP."""
    yearly_saving_gbp: float
    """Long-run saving a year of servicing every asset at its cheapest age against running to failure, GBP."""


def summarise_fleet(table: pd.DataFrame) -> FleetSummary:
    """Totals of a :func:`fleet_table` (columns ``action``, ``p_fail``, ``failure_total``, ``savings_per_year``)."""
    return FleetSummary(int(table["action"].str.startswith(ACT_NOW).sum()),
                        float((table["p_fail"] * table["failure_total"]).sum()),
                        float(table["savings_per_year"].sum()))


def calendar_jobs(table: pd.DataFrame, analysis: FleetAnalysis, plan_days: int = 90) -> pd.DataFrame:
    """Jobs for :func:`plan_calendar` from the fleet table: assets with an action date within ``plan_days``.

    Late cost per day = k h(age at due) (Cf - Cp), the extra expected failure cost of one more day
    unserviced; early cost per day = Cp / service interval, the service life given up (GBP/day).
    """
    end = pd.Timestamp(analysis.as_of) + pd.Timedelta(days=plan_days)
    due = table[table["action_date"].notna() & (table["action_date"] <= end)]
    rows = []
    for r in due.to_dict("records"):
        fit = analysis.fits[r["type"]][0]
        age_at_due = r["age_days"] + max((r["action_date"] - pd.Timestamp(analysis.as_of)).days, 0)
        late = r["condition_multiplier"] * float(fit.hazard(max(age_at_due, 1.0))) * max(
            r["failure_total"] - r["preventive_total"], 0.0)
        interval = r["service_interval_days"]
        early = r["preventive_total"] / interval if np.isfinite(interval) and r["action"] == "Plan a service" else 0.0
        rows.append({"asset_id": r["asset_id"], "name": r["name"], "action": r["action"], "due_date": r["action_date"],
                     "hours": r["service_hours"], "late_cost_per_day": late, "early_cost_per_day": early})
    return pd.DataFrame(rows, columns=["asset_id", "name", "action", "due_date", "hours", "late_cost_per_day",
                                       "early_cost_per_day"])
