"""Parts of the Route map page: headline figures against the nearest-neighbour plan, the plan van by van (leave
and return times printed by :func:`opscore.routing.violations.time_text`), what-if comparisons and the speed inputs
per van type."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from opscore.geo import DEFAULT_CIRCUITY
from opscore.io import export_csv
from opscore.routing import RoutePlan, RoutingProblem, time_text
from opscore.routing.export import driver_sheet_html, plan_csv, plan_table
from opscore.routing.from_tables import STOP_COLUMNS
from opscore.routing.metrics import vehicle_metrics
from opscore.routing.travel import DEFAULT_SPEED_KMH
from opscore.viz.routing import comparison_chart
from ui.columns import columns
from ui.services import roads
from ui.text import md

COMPARISON_COLUMNS: dict[str, Any] = {
    "plan": "Plan", "km": st.column_config.NumberColumn("km", format="%.1f"),
    "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
    "cost_gbp": st.column_config.NumberColumn("Cost (£)", format="%.2f"),
    "kg_co2e": st.column_config.NumberColumn("kg CO2e", format="%.1f"),
    "vans": "Vans used", "planned": "Orders planned", "not_planned": "Not planned"}
"""Headings of a plan comparison (:func:`opscore.routing.metrics.compare_plans`)."""
VAN_COLUMNS: dict[str, Any] = {
    "vehicle_id": "Van", "name": "Name", "fuel": "Fuel", "stops": "Stops", "leave": "Leaves", "back": "Back",
    "km": st.column_config.NumberColumn("km", format="%.1f"),
    "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
    "load_kg": st.column_config.NumberColumn("Load (kg)", format="%.0f"),
    "fill_pct": st.column_config.NumberColumn("Full (%)", format="%.0f"),
    "cost_gbp": st.column_config.NumberColumn("Cost (£)", format="%.2f"),
    "kg_co2e": st.column_config.NumberColumn("kg CO2e", format="%.1f")}
"""The vans table: its columns in order, with their headings."""


def pounds(x: float) -> str:
    """A signed whole-pound change: '+£12', '-£3'."""
    return f"{'+' if x >= 0 else '-'}£{abs(x):,.0f}"


def headline(compare: pd.DataFrame, optimised: bool, n_stops: int) -> None:
    """Distance, time, cost, emissions and orders planned of the plan (``compare``'s first row), with the change
    against the nearest-neighbour plan (second row) once it is optimised."""
    now, base = compare.iloc[0], compare.iloc[1]

    def delta(text: str) -> str | None:
        return text if optimised else None

    m = st.columns(5)
    m[0].metric("Distance", f"{now.km:,.0f} km", delta=delta(f"{now.km - base.km:+,.0f} km"), delta_color="inverse")
    m[1].metric("Time on the road", f"{now.hours:,.1f} h", delta=delta(f"{now.hours - base.hours:+,.1f} h"),
                delta_color="inverse")
    m[2].metric("Running cost", f"£{now.cost_gbp:,.0f}", delta=delta(pounds(now.cost_gbp - base.cost_gbp)),
                delta_color="inverse")
    m[3].metric("Emissions (CO2e)", f"{now.kg_co2e:,.0f} kg", delta=delta(f"{now.kg_co2e - base.kg_co2e:+,.0f} kg"),
                delta_color="inverse")
    m[4].metric("Orders planned", f"{int(now.planned)} of {n_stops}")
    if optimised:
        st.caption("Changes are against the nearest-neighbour plan (one van at a time, nearest stop next).")


def vans_table(problem: RoutingProblem, plan: RoutePlan, factors: pd.DataFrame | None) -> pd.DataFrame:
    """One row per van used (:data:`VAN_COLUMNS`): stops, when it leaves and is back, km, hours, load, cost, CO2e."""
    routes = plan.routes_frame()
    per_van = vehicle_metrics(problem, plan, factors)
    return per_van.assign(leave=[time_text(t, problem.time_unit) for t in routes["start"]],
                          back=[time_text(t, problem.time_unit) for t in routes["end"]])[list(VAN_COLUMNS)]


def comparison(table: pd.DataFrame) -> None:
    """A plan comparison as a table and two bar charts (cost and emissions per day)."""
    st.dataframe(table, hide_index=True, width="stretch", column_config=COMPARISON_COLUMNS)
    c1, c2 = st.columns(2)
    c1.plotly_chart(comparison_chart(table, "cost_gbp", "£ per day"), width="stretch")
    c2.plotly_chart(comparison_chart(table, "kg_co2e", "kg CO2e per day"), width="stretch")


def plan_details(problem: RoutingProblem, plan: RoutePlan, factors: pd.DataFrame | None, hours: pd.DataFrame) -> None:
    """The plan van by van: the vans table, drivers' hours breaches (``hours``), each van's stops in order, the
    orders left out with why, broken limits, and the plan and driver sheets to download."""
    st.subheader("Vans")
    st.dataframe(vans_table(problem, plan, factors), hide_index=True, width="stretch", column_config=VAN_COLUMNS)
    if hours.empty:
        st.caption("Drivers' hours: every van's day on this plan keeps to the hours rules enabled on the Compliance "
                   "page.")
    else:
        st.warning(f"Drivers' hours: {len(hours)} breach(es) on this plan of the rules enabled on the Compliance "
                   "page. Add a van, allow breaks or shorten the day.")
        st.dataframe(hours[["subject", "name", "regulation", "detail"]].rename(columns={
            "subject": "Van", "name": "Rule", "regulation": "Regulation", "detail": "What"}), hide_index=True,
            width="stretch")
    sheet = plan_table(problem, plan)
    for vid in (r.vehicle_id for r in plan.routes):
        with st.expander(f"{md(vid)}: stops in order"):
            stops = sheet[sheet["vehicle"] == vid][["stop_no", "order", "customer", "eta", "unload_from", "leave",
                                                    "km_from_previous", "load_on_board_kg"]]
            st.dataframe(stops, hide_index=True, width="stretch", column_config=columns(stops))
    if plan.unassigned:
        st.subheader("Orders not planned")
        st.dataframe(plan.unassigned_frame()[["stop_id", "name", "reason"]].rename(
            columns={"stop_id": "Order", "name": "Customer", "reason": "Why"}), hide_index=True, width="stretch")
    if not plan.feasible:
        st.warning("Some routes break a limit: " + md("; ".join(v.message for r in plan.routes for v in r.violations)))
    d1, d2 = st.columns(2)
    d1.download_button("Download the plan (CSV)", plan_csv(problem, plan), "route_plan.csv", "text/csv")
    d2.download_button("Download driver sheets (print from your browser)", driver_sheet_html(problem, plan),
                       "driver_sheets.html", "text/html")


def type_speeds(van_types: list[str], saved: dict[str, float], on_roads: bool) -> tuple[tuple[str, float], ...]:
    """A speed input per van type when the fleet has more than one (0 = the average speed, or on roads the road's
    speed; ``saved``: a linked scenario's); the (type, km/h) pairs set."""
    if len(van_types) < 2 and not on_roads:
        return ()
    label, hint = (("top speed (km/h; 0 = the road's speed)", "Set it when this type drives slower than the roads "
                    "allow, e.g. a 7.5 t lorry.") if on_roads else
                   ("speed (km/h; 0 = the average)", "Set it when this type is slower or faster, e.g. a large van in "
                    "town."))
    low = 5 if on_roads else 1  # a top speed under 5 km/h is taken as 5
    own = [(t, st.number_input(f"{md(t.capitalize())} {label}", 0, 90, int(saved.get(t, 0)), key=f"type_speed_{t}",
                               help=hint)) for t in van_types]
    return tuple((t, float(max(v, low))) for t, v in own if v > 0)


def travel_inputs(key: str, van_types: list[str], preset: dict[str, Any]) -> tuple[float, int, tuple[tuple[str, float],
                                                                                                     ...]]:
    """(circuity, average km/h, type speeds): straight-line assumptions, or on the workspace's roads only the van
    types' top speeds (roads bring their own distances and speeds)."""
    circuity, speed = float(preset.get("circuity", DEFAULT_CIRCUITY)), int(preset.get("speed_kmh", DEFAULT_SPEED_KMH))
    saved = dict(preset.get("type_speeds") or [])
    network = roads.network_at(key)
    if network is None:
        circuity = st.slider("Road distance per straight-line km", 1.2, 1.4, circuity, 0.05,
                             help="Roads wind: 1.2-1.4 is typical (Ballou et al. 2002).")
        speed = st.slider("Average van speed (km/h)", 15, 60, speed, help="Door to door, including town traffic.")
        return circuity, speed, type_speeds(van_types, saved, on_roads=False)
    measured = roads.measured_circuity(key)
    shown = "" if measured is None or math.isnan(measured) else (
        f" Measured circuity between your customers: {measured:.2f} road km per straight-line km (the straight-line "
        f"estimate assumes {DEFAULT_CIRCUITY:g}).")
    st.caption(f"Distances and times follow the {md(network.describe())}, at the road speeds set on the Data page "
               f"(Road network).{shown}")
    return circuity, speed, type_speeds(van_types, saved, on_roads=True)


def uploaded_csv(upload: UploadedFile, what: str) -> pd.DataFrame | None:
    """The uploaded CSV, or None after the warning ``what`` (its ``{}`` is the reader's complaint)."""
    try:
        return pd.read_csv(upload)
    except (ValueError, UnicodeDecodeError) as exc:
        st.warning(what.format(md(exc)))
        return None


def uploaded_stops() -> pd.DataFrame:
    """A list of stops the user uploads (with a blank template to download); stops the page until there is one."""
    st.download_button("Download a blank stops template", export_csv(pd.DataFrame(columns=STOP_COLUMNS)),
                       "stops_template.csv", "text/csv")
    upload = st.file_uploader("Stops CSV (stop_id, name, lat, lon, demand_kg, window_start, window_end, ...)",
                              type=["csv"])
    if upload is None:
        st.info("Upload a CSV of stops to plan them, or pick 'Orders for a day'.")
        st.stop()
    stops = uploaded_csv(upload, "That file could not be read as CSV: {}")
    if stops is None:
        st.stop()
    return stops
