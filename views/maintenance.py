"""Maintenance risk: which assets may fail soon, how long they have left, and when to service them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from opscore.maintenance import ServiceCosts
from opscore.viz.maintenance import calendar_figure
from ui.maintenance_quality import model_quality
from ui.scenarios import linked_params, save_panel
from ui.services import maintenance as svc
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

st.title("Maintenance risk")
st.caption("How likely each machine is to break down in the next 30 days, how long it probably has left, and "
           "when a planned service saves money. Learned from your breakdown history and daily sensor readings.")

needs_data(current_store(), ["assets", "maintenance_events", "sensor_readings"],
           "Breakdown risk is learned from each asset's history and daily readings, so it")
assets = table("assets")
key = cache_key()
try:
    analysis = svc.analysis(key)
except ValueError as exc:
    st.warning(f"The maintenance analysis could not run: {md(exc)}")
    st.stop()
for note in analysis.notes:
    st.info(md(note))

fleet = svc.fleet(key)

# ---------------------------------------------------------------- fleet table
st.subheader("Fleet")
left, right = st.columns(2)
types = left.multiselect("Asset types", sorted(fleet["type"].unique()), placeholder="All types")
actions = right.multiselect("Recommended action", sorted(fleet["action"].unique()), placeholder="All actions")
shown = fleet[fleet["type"].isin(types or fleet["type"]) & fleet["action"].isin(actions or fleet["action"])]
summary = svc.fleet_summary(key)
c1, c2, c3 = st.columns(3)
c1.metric("Assets needing action now", summary.needing_action)
c2.metric("Breakdown cost expected (30 days)", f"£{summary.expected_breakdown_cost_gbp:,.0f}",
          help="Chance of a breakdown in the next 30 days × its cost (repair + downtime), summed over all assets")
c3.metric("Yearly saving from planned service", f"£{summary.yearly_saving_gbp:,.0f}",
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
trend, life, rate = svc.asset_figures(key, names[name])
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
    costs = ServiceCosts(prev, fail, down)
    plan, offered = svc.service_plan(key, kind, costs)
    interval = st.slider("Service every (days since install or last repair)", min_value=offered.low_days,
                         max_value=offered.high_days, key=f"wi_interval_{kind}",
                         value=offered.clamp(linked.get("interval_days", offered.best_days)))
    chosen = svc.chosen_interval(key, kind, costs, interval)
    m1, m2, m3 = st.columns(3)
    m1.metric("Cheapest interval",
              f"{plan.interval_days:.0f} days" if np.isfinite(plan.interval_days) else "run to failure")
    m2.metric("Your interval: cost per asset a year", f"£{chosen.cost_per_year:,.0f}")
    m3.metric("Saving per asset per year", f"£{chosen.saving_per_year:,.0f}",
              help="Against running to failure (repair only after a breakdown)")
    st.plotly_chart(svc.cost_figure(key, kind, costs, interval), width="stretch")
    save_panel("maintenance", "maintenance",
               {"asset_type": kind, **costs.overrides(), "crew_hours": crew, "interval_days": int(interval)},
               {"cost_gbp": chosen.cost_per_year, "saving_gbp": chosen.saving_per_year}, key="maintenance")
    if svc.jobs(key, kind, costs, interval).empty:
        st.info("No service or inspection falls due in the next 90 days.")
        return
    calendar = svc.calendar(key, kind, costs, interval, crew)
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
model_quality(key)
