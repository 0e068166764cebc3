"""Maintenance risk: which assets may fail soon, how long they have left, and when to service them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.maintenance import (
    ConditionEvaluation,
    FleetAnalysis,
    analyse_fleet,
    asset_policy,
    calendar_jobs,
    cost_rate,
    cost_rate_curve,
    evaluate_time_split,
    fleet_table,
    plan_calendar,
    plotting_positions,
)
from opscore.viz.maintenance import (
    calendar_figure,
    cost_rate_figure,
    hazard_figure,
    sensor_trend_figure,
    weibull_probability_figure,
)
from opscore.viz.theme import plain
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

HORIZON_DAYS = 30
PLAN_DAYS = 90


@st.cache_data(show_spinner="Learning from the failure history and sensor readings...", max_entries=8)
def _analysis(key: str) -> FleetAnalysis:
    """Lifetime fits and the trained condition model for the workspace version ``key`` (its test: :func:`_quality`)."""
    return analyse_fleet(table("assets"), table("maintenance_events"), table("sensor_readings"),
                         current_store().as_of(), HORIZON_DAYS, evaluate=False)


@st.cache_data(show_spinner="Testing the breakdown warning on later months...", max_entries=8)
def _quality(key: str) -> ConditionEvaluation | str:
    """The condition model's out-of-time test (a second training, so only run when asked for), or why it could
    not run."""
    analysis = _analysis(key)
    try:
        return evaluate_time_split(analysis.features, analysis.labels, HORIZON_DAYS)
    except ValueError as exc:
        return f"The condition model could not be tested: {exc}"


@st.cache_resource(show_spinner=False, max_entries=64)
def _asset_figures(key: str, asset_id: str) -> tuple[go.Figure, go.Figure, go.Figure]:
    """One asset's sensor trend, lifetimes on Weibull paper and failure rate by age (two years of daily points are
    slow to validate, so they are built once, shared and only read)."""
    analysis = _analysis(key)
    row = _fleet(key).set_index("asset_id").loc[asset_id]
    fit, basis = analysis.fits[row["type"]]
    events = table("maintenance_events")
    failures = events[(events["asset_id"] == asset_id) & (events["kind"] == "failure")]["date"]
    daily, drift = analysis.daily, analysis.drift
    trend = sensor_trend_figure(daily[daily["asset_id"] == asset_id], drift[drift["asset_id"] == asset_id], failures,
                                f"{plain(row['name'])}: sensor readings, drift flags and breakdowns")
    own = basis == "this type"
    lives = analysis.lifetimes[analysis.lifetimes["type"] == row["type"]] if own else analysis.lifetimes
    title = f"Lifetimes of {plain(row['type'])}s" if own else "Lifetimes, all assets"
    life = weibull_probability_figure(plotting_positions(lives["duration_days"], lives["failed"]), fit, title)
    rate = hazard_figure(fit, float(row["age_days"]), "Failure rate by age", float(row["condition_multiplier"]))
    return trend, life, rate


@st.cache_resource(show_spinner=False, max_entries=64)
def _cost_figure(key: str, kind: str, preventive: float, failure: float, optimum: float, run_to_failure: float,
                 interval: int, chosen: float) -> go.Figure:
    """The what-if cost curve of one asset type, kept and shared: it is the same for any crew size, so moving the
    crew slider redraws only the calendar."""
    fit = _analysis(key).fits[kind][0]
    return cost_rate_figure(cost_rate_curve(fit, preventive, failure), optimum, run_to_failure, float(interval),
                            chosen, f"Long-run cost per day of a {plain(kind)}")


@st.cache_data(show_spinner=False, max_entries=8)
def _fleet(key: str) -> pd.DataFrame:
    return fleet_table(_analysis(key), table("assets"), plan_days=PLAN_DAYS)


@st.cache_data(show_spinner=False, max_entries=32)
def _jobs(key: str, kind: str, preventive: float, failure: float, downtime: float, interval: float) -> pd.DataFrame:
    """The 90-day jobs with one asset type's what-if costs and interval (the same for any crew size)."""
    analysis = _analysis(key)
    costs = {"preventive_cost": preventive, "failure_cost": failure, "downtime_cost_per_hour": downtime,
             "interval_days": interval}
    return calendar_jobs(fleet_table(analysis, table("assets"), {kind: costs}, plan_days=PLAN_DAYS), analysis, PLAN_DAYS)


st.title("Maintenance risk")
st.caption("How likely each machine is to break down in the next 30 days, how long it probably has left, and "
           "when a planned service saves money. Learned from your breakdown history and daily sensor readings.")

needs_data(current_store(), ["assets", "maintenance_events", "sensor_readings"],
           "Breakdown risk is learned from each asset's history and daily readings, so it")
assets = table("assets")
key = cache_key()
try:
    analysis = _analysis(key)
except ValueError as exc:
    st.warning(f"The maintenance analysis could not run: {md(exc)}")
    st.stop()
for note in analysis.notes:
    st.info(md(note))

fleet = _fleet(key)

# ---------------------------------------------------------------- fleet table
st.subheader("Fleet")
left, right = st.columns(2)
types = left.multiselect("Asset types", sorted(fleet["type"].unique()), placeholder="All types")
actions = right.multiselect("Recommended action", sorted(fleet["action"].unique()), placeholder="All actions")
shown = fleet[fleet["type"].isin(types or fleet["type"]) & fleet["action"].isin(actions or fleet["action"])]
c1, c2, c3 = st.columns(3)
c1.metric("Assets needing action now", int(fleet["action"].str.startswith(("Service now", "Inspect")).sum()))
c2.metric("Breakdown cost expected (30 days)", f"£{(fleet['p_fail'] * fleet['failure_total']).sum():,.0f}",
          help="Chance of a breakdown in the next 30 days × its cost (repair + downtime), summed over all assets")
c3.metric("Yearly saving from planned service", f"£{fleet['savings_per_year'].sum():,.0f}",
          help="Servicing each asset at its cheapest age instead of waiting for breakdowns, long-run average")
st.dataframe(
    shown[["name", "type", "age_days", "p_fail", "rul_days", "rul_low_days", "rul_high_days", "action", "action_date",
           "expected_cost_avoided", "sensor_status"]],
    hide_index=True, width="stretch",
    column_config={
        "name": "Asset", "type": "Type",
        "age_days": st.column_config.NumberColumn("Age (days)", help="Days since install or the last repair",
                                                  format="%d"),
        "p_fail": st.column_config.ProgressColumn("Chance of failure, 30 days", min_value=0.0, max_value=1.0,
                                                  format="percent", help="Age and sensor condition combined"),
        "rul_days": st.column_config.NumberColumn("Remaining life (days)", format="%d", help="Median estimate"),
        "rul_low_days": st.column_config.NumberColumn("At least (days)", format="%d", help="80% range, low end"),
        "rul_high_days": st.column_config.NumberColumn("At most (days)", format="%d", help="80% range, high end"),
        "action": "Recommended action",
        "action_date": st.column_config.DateColumn("By", format="D MMM YYYY"),
        "expected_cost_avoided": st.column_config.NumberColumn(
            "Expected cost avoided (£)", format="£%.0f",
            help="Chance of a breakdown in 30 days × (breakdown cost − service cost), downtime included"),
        "sensor_status": "Sensors",
    },
)

# ---------------------------------------------------------------- asset detail
st.subheader("Asset detail")
names = dict(zip(fleet["name"], fleet["asset_id"], strict=True))
name = st.selectbox("Asset", list(names))
row = fleet.set_index("asset_id").loc[names[name]]
fit, basis = analysis.fits[row["type"]]
trend, life, rate = _asset_figures(key, names[name])
st.plotly_chart(trend, width="stretch")
a, b = st.columns(2)
a.plotly_chart(life, width="stretch")
b.plotly_chart(rate, width="stretch")
st.caption(f"Weibull fit ({basis}): shape {fit.shape:.2f} (95% range {fit.shape_ci[0]:.2f}–{fit.shape_ci[1]:.2f}; "
           f"above 1 means wear-out), typical life {fit.scale:.0f} days "
           f"({fit.scale_ci[0]:.0f}–{fit.scale_ci[1]:.0f}), "
           f"from {fit.n_failed} breakdowns in {fit.n} lifetimes.")

# ---------------------------------------------------------------- what-if


@page_fragment
def what_if() -> None:
    st.subheader("What if: service interval, costs and crew")
    st.caption("Try other costs or a different service interval for one type of asset and see the cost per day and "
               "the 90-day calendar change. Changes apply to every asset of that type, on this page only; your data "
               "is not changed.")
    kinds = sorted(fleet["type"].unique())
    kind = st.selectbox("Asset type", kinds, key="wi_type",
                        index=kinds.index(preset["asset_type"]) if preset.get("asset_type") in kinds else 0)
    first = assets[assets["type"] == kind].iloc[0]
    linked = preset if preset.get("asset_type") == kind else {}
    c1, c2, c3, c4 = st.columns(4)
    prev = c1.number_input("Planned service (£)", min_value=1.0, step=10.0, key=f"wi_prev_{kind}",
                           value=float(linked.get("preventive_cost", first["preventive_cost"])))
    fail = c2.number_input("Breakdown repair (£)", min_value=1.0, step=50.0, key=f"wi_fail_{kind}",
                           value=float(linked.get("failure_cost", first["failure_cost"])))
    down = c3.number_input("Downtime (£ per hour)", min_value=0.0, step=5.0, key=f"wi_down_{kind}",
                           value=float(linked.get("downtime_cost_per_hour", first["downtime_cost_per_hour"])))
    crew = c4.slider("Crew hours per week", min_value=2, max_value=40, value=int(preset.get("crew_hours", 10)),
                     key="wi_crew")
    costs = {"preventive_cost": prev, "failure_cost": fail, "downtime_cost_per_hour": down}
    plan = asset_policy(analysis, first, costs)
    fit_k = analysis.fits[kind][0]
    top = int(max(60, fit_k.quantile(0.99)))
    best = int(round(plan.interval_days)) if np.isfinite(plan.interval_days) else top
    interval = st.slider("Service every (days since install or last repair)", min_value=14, max_value=top,
                         value=min(max(int(linked.get("interval_days", best)), 14), top), key=f"wi_interval_{kind}")
    chosen = float(cost_rate(fit_k, plan.preventive_cost, plan.failure_cost, interval))
    m1, m2, m3 = st.columns(3)
    m1.metric("Cheapest interval",
              f"{plan.interval_days:.0f} days" if np.isfinite(plan.interval_days) else "run to failure")
    m2.metric("Your interval: cost per asset a year", f"£{chosen * 365:,.0f}")
    m3.metric("Saving per asset per year", help="Against running to failure (repair only after a breakdown)",
              value=
              f"£{(plan.run_to_failure_cost_per_day - chosen) * 365:,.0f}")
    st.plotly_chart(_cost_figure(key, kind, plan.preventive_cost, plan.failure_cost, plan.interval_days,
                                 plan.run_to_failure_cost_per_day, interval, chosen), width="stretch")
    save_panel("maintenance", "maintenance",
               {"asset_type": kind, **costs, "crew_hours": crew, "interval_days": int(interval)},
               {"cost_gbp": chosen * 365, "saving_gbp": (plan.run_to_failure_cost_per_day - chosen) * 365},
               key="maintenance")
    jobs = _jobs(key, kind, prev, fail, down, float(interval))
    if jobs.empty:
        st.info("No service or inspection falls due in the next 90 days.")
        return
    calendar = plan_calendar(jobs, analysis.as_of + pd.Timedelta(days=1), crew, PLAN_DAYS)
    st.plotly_chart(calendar_figure(calendar.jobs, calendar.weeks, "Maintenance calendar, next 90 days"),
                    width="stretch")
    unplanned = calendar.jobs[calendar.jobs["planned_date"].isna()]
    if len(unplanned):
        st.warning(f"{len(unplanned)} job(s) do not fit within {crew} crew hours a week: "
                   + md(", ".join(unplanned["name"])) + ". Add crew hours or accept the extra breakdown risk.")
    st.dataframe(calendar.jobs[["name", "action", "due_date", "planned_date", "hours", "status"]], hide_index=True,
                 width="stretch", column_config={
                     "name": "Asset", "action": "Why", "due_date": st.column_config.DateColumn("Due", format="D MMM"),
                     "planned_date": st.column_config.DateColumn("Planned", format="ddd D MMM"),
                     "hours": st.column_config.NumberColumn("Crew hours", format="%.1f"), "status": "Status"})


preset = linked_params("maintenance")
what_if()

# ---------------------------------------------------------------- model quality
quality = st.expander("How good is the breakdown warning? (tested on later months it never saw)",
                      key="maintenance_quality", on_change="rerun")  # runs the test only when opened
with quality:
    ev = _quality(key) if quality.open else None
    if isinstance(ev, str):
        st.write(md(ev))
    elif ev is not None:
        st.caption(f"Trained on days up to {ev.train_end:%d %b %Y}, tested on {ev.test_start:%d %b %Y} onwards "
                   f"({ev.n_test:,} asset-days, {ev.base_rate:.0%} of them followed by a breakdown within "
                   f"{ev.horizon_days} days).")
        q1, q2, q3, q4 = st.columns(4)
        q1.metric("Right warnings", f"{ev.precision:.0%}",
                  help=f"Precision: of the days flagged (chance above {ev.threshold:.0%}), the share followed "
                  "by a breakdown")
        q2.metric("Breakdowns caught", f"{ev.recall:.0%}", help="Recall: share of pre-breakdown days that were flagged")
        q3.metric("ROC AUC", f"{ev.roc_auc:.2f}", help="Ranking quality: 0.5 is a coin toss, 1 is perfect")
        q4.metric("Brier score", f"{ev.brier:.3f}", help="Mean squared error of the probabilities; lower is better")
        st.caption("Calibration: test days grouped by predicted chance. Where the two columns are close, the "
                   "chances can be taken at face value.")
        st.dataframe(ev.calibration.rename(columns={"predicted": "Predicted chance", "observed": "What happened"}),
                     hide_index=True, column_config={
                         "Predicted chance": st.column_config.NumberColumn(format="percent"),
                         "What happened": st.column_config.NumberColumn(format="percent")})
