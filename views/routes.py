"""Route map: plan a day's deliveries on a map that works offline, compare with a naive plan, try what-ifs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from opscore import compliance as co
from opscore.io import export_csv
from opscore.routing import solve, whatif
from opscore.routing.baseline import nearest_neighbour_plan
from opscore.routing.export import driver_sheet_html, plan_csv, plan_stops, plan_table
from opscore.routing.from_tables import STOP_COLUMNS, build_problem, delivery_dates, stops_for_day
from opscore.routing.metrics import compare_plans, vehicle_metrics
from opscore.routing.travel import TravelModel
from opscore.routing.violations import time_text
from opscore.emission_factors import factors_from
from opscore.viz.routing import comparison_chart, route_map
from ui.columns import columns
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, frame_digest, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

LEAFLET_JS = Path(__file__).resolve().parents[1] / "static" / "leaflet" / "leaflet.js"
OBJECTIVES = {"Lowest running cost (£)": "cost", "Shortest distance (km)": "distance",
              "Shortest time on the road": "time", "Lowest emissions (kg CO2e)": "co2e"}
UNITS = {"cost": "£", "distance": "km", "time": "minutes", "co2e": "kg CO2e"}
WHAT_IFS = ["Add a van", "Remove a van", "Switch a van to electric", "Widen delivery windows", "Raise demand"]


def _leaflet_url() -> str | None:
    """Where the app serves Leaflet (static folder), or None to inline it into the map."""
    if st.get_option("server.enableStaticServing") and LEAFLET_JS.exists():
        base = str(st.get_option("server.baseUrlPath") or "").strip("/")
        return f"/{base}/app/static/leaflet" if base else "/app/static/leaflet"
    return None


def _pounds(x: float) -> str:
    return f"{'+' if x >= 0 else '-'}£{abs(x):,.0f}"


@st.cache_data(show_spinner=False, max_entries=32)
def _problem(key: str, stops: pd.DataFrame, vans: tuple[str, ...], objective: str, circuity: float,
             speed: float, penalty: float, breaks: bool, type_speeds: tuple[tuple[str, float], ...] = (),
             matrix: pd.DataFrame | None = None):
    vehicles = table("vehicles")
    problem = build_problem(stops, vehicles[vehicles["vehicle_id"].isin(vans)], table("sites"), objective=objective,
                            travel=TravelModel(circuity=circuity, speed_kmh=dict(type_speeds), default_speed_kmh=speed),
                            factors=factors_from(table("emission_factors")),
                            default_penalty=penalty if penalty > 0 else None, matrix=matrix)
    return whatif.add_breaks(problem) if breaks else problem


@st.cache_data(show_spinner=False, max_entries=32)
def _solved(key: str, _problem_obj, problem_key: tuple, budget: float, engine: str = "auto"):
    return solve(_problem_obj, time_limit=budget, engine=engine, seed=0)


@st.cache_data(show_spinner=False, max_entries=32)
def _naive(key: str, _problem_obj, problem_key: tuple):
    return nearest_neighbour_plan(_problem_obj)


@st.cache_data(show_spinner=False, max_entries=32)
def _planned_hours(key: str, stops: pd.DataFrame) -> pd.DataFrame:
    """Breaches of the enabled drivers' hours rules on a plan's stops (a rerun with the same plan reuses them)."""
    return co.check_planned_hours(co.rules_from(table("compliance_rules")), stops, current_store().as_of())


@page_fragment
def _what_if(key: str, problem, problem_key: tuple, plan, optimised: bool, budget: float, factors) -> None:
    """Compare one change with the current plan; reruns only this part of the page."""
    st.subheader("What if?")
    st.caption("Change one thing and compare with the current plan (same thinking time).")
    w1, w2, w3 = st.columns([2, 2, 1])
    change = w1.selectbox("Change", WHAT_IFS)
    if change in ("Add a van", "Remove a van", "Switch a van to electric"):
        target = w2.selectbox("Van", list(problem.vehicles), format_func=lambda v: f"{v.vehicle_id} ({v.fuel})")
        amount = None
    elif change == "Widen delivery windows":
        amount = w2.slider("Minutes earlier and later", 15, 120, 30, 15)
    else:
        amount = w2.slider("More demand (%)", 5, 50, 10, 5)
    w3.write("")
    if w3.button("Compare"):
        try:
            if change == "Add a van":
                alt = whatif.add_vehicle(problem, target.vehicle_id)
            elif change == "Remove a van":
                alt = whatif.remove_vehicle(problem, target.vehicle_id)
            elif change == "Switch a van to electric":
                evs = [v for v in problem.vehicles if v.fuel == "electric"]
                alt = whatif.to_electric(problem, target.vehicle_id, factors,
                                         cost_per_km=min((v.cost_per_km for v in evs), default=None),
                                         range_km=min((v.range_km for v in evs), default=None))
            elif change == "Widen delivery windows":
                alt = whatif.widen_windows(problem, float(amount))
            else:
                alt = whatif.scale_demand(problem, 1 + amount / 100)
        except ValueError as exc:
            st.warning(f"{md(exc)}. Nothing has been changed.")
            return
        with st.spinner("Planning the what-if..."):
            base_plan = plan if optimised else _solved(key, problem, problem_key, budget)
            alt_plan = solve(alt, time_limit=budget, seed=0)
        table_ = compare_plans({"Current": (problem, base_plan), change: (alt, alt_plan)}, factors)
        st.dataframe(table_, hide_index=True, width="stretch",
                     column_config={"plan": "Plan", "km": st.column_config.NumberColumn("km", format="%.1f"),
                                    "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
                                    "cost_gbp": st.column_config.NumberColumn("Cost (£)", format="%.2f"),
                                    "kg_co2e": st.column_config.NumberColumn("kg CO2e", format="%.1f"),
                                    "vans": "Vans used", "planned": "Orders planned", "not_planned": "Not planned"})
        c1, c2 = st.columns(2)
        c1.plotly_chart(comparison_chart(table_, "cost_gbp", "£ per day"), width="stretch")
        c2.plotly_chart(comparison_chart(table_, "kg_co2e", "kg CO2e per day"), width="stretch")


st.title("Route map")
st.caption("Plan a day's deliveries: which van goes where, in what order, and when it arrives. "
           "Distances are estimated from map positions (straight line x a road factor), so no internet is needed.")
store = current_store()
needs_data(store, ["vehicles", "sites"], "Planning routes (vans leave from and return to a depot)")
orders = table("orders")
days = delivery_dates(orders, store.as_of())

preset = linked_params("routes")
headline = st.container()
left, right = st.columns([1, 2])
with left:
    source = st.radio("Stops", ["Orders for a day", "Upload stops (CSV)"], horizontal=True)
    if source == "Orders for a day":
        needs_data(store, ["customers", "orders", "order_lines"], "Planning a day's orders (or upload a list of stops)")
        if not days:
            st.info("There are no open or planned orders from today on. Import orders on the Data page, "
                    "or upload a list of stops.")
            st.stop()
        iso = [d.isoformat() for d in days]
        day = st.selectbox("Delivery day", days, format_func=lambda d: f"{d:%a %d %b %Y}",
                           index=iso.index(preset["day"]) if preset.get("day") in iso else 0)
        stops = stops_for_day(orders, table("order_lines"), table("products"), table("customers"), day)
    else:
        day = st.date_input("Delivery day", value=current_store().as_of(), format="DD/MM/YYYY")
        st.download_button("Download a blank stops template", export_csv(pd.DataFrame(columns=STOP_COLUMNS)),
                           "stops_template.csv", "text/csv")
        upload = st.file_uploader("Stops CSV (stop_id, name, lat, lon, demand_kg, window_start, window_end, ...)",
                                  type=["csv"])
        if upload is None:
            st.info("Upload a CSV of stops to plan them, or pick 'Orders for a day'.")
            st.stop()
        try:
            stops = pd.read_csv(upload)
        except (ValueError, UnicodeDecodeError) as exc:
            st.warning(f"That file could not be read as CSV: {md(exc)}")
            st.stop()
    vehicles = table("vehicles")
    vans = st.multiselect("Vans available", list(vehicles["vehicle_id"]),
                          default=[v for v in preset.get("vans", vehicles["vehicle_id"]) if v in set(vehicles["vehicle_id"])],
                          format_func=lambda v: f"{v} · {vehicles.set_index('vehicle_id').at[v, 'name']}")
    goal = st.selectbox("Plan for", list(OBJECTIVES), index=list(OBJECTIVES).index(preset["goal"])
                        if preset.get("goal") in OBJECTIVES else 0)
    budget = st.slider("Thinking time (seconds)", 1, 30, int(preset.get("time_limit_s", 3)),
                       help="Longer usually finds slightly better routes.")
    with st.expander("Assumptions"):
        circuity = st.slider("Road distance per straight-line km", 1.2, 1.4, float(preset.get("circuity", 1.3)), 0.05,
                             help="Roads wind: 1.2-1.4 is typical (Ballou et al. 2002).")
        speed = st.slider("Average van speed (km/h)", 15, 60, int(preset.get("speed_kmh", 30)),
                          help="Door to door, including town traffic.")
        van_types = sorted(table("vehicles")["type"].dropna().astype(str).unique())
        saved_speeds = dict(preset.get("type_speeds") or [])
        own_speeds = [(t, st.number_input(f"{md(t.capitalize())} speed (km/h; 0 = the average)", 0, 90,
                                          int(saved_speeds.get(t, 0)), key=f"type_speed_{t}",
                                          help="Set it when this type is slower or faster, e.g. a large van in town."))
                      for t in van_types] if len(van_types) > 1 else []
        type_speeds = tuple((t, float(v)) for t, v in own_speeds if v > 0)
        breaks = st.checkbox("Driver breaks (20 min, taken 3-6 h into the shift)", value=bool(preset.get("breaks")),
                             help="Working Time Regulations 1998: a 20-minute break when working more than 6 hours. "
                                  "Planned with the OR-Tools engine.")
        unit = UNITS[OBJECTIVES[goal]]
        penalty = st.number_input(f"Leave an order out when serving it costs more than ({unit}; 0 = deliver every "
                                  "order that fits)", min_value=0.0, value=float(preset.get("penalty", 0.0)),
                                  step=10.0)
        matrix_file = st.file_uploader("Your own road distances and times (CSV: from_id, to_id, km, minutes for every "
                                       "pair of depot and stop ids); replaces the straight-line estimate",
                                       type=["csv"], key="routes_matrix")
        tiles = st.toggle("Street map background (needs internet)", value=True)

if stops.empty:
    st.info("No stops to plan for this choice.")
    st.stop()
if not vans:
    st.warning("Pick at least one van.")
    st.stop()
key = cache_key()
stops_hash = frame_digest(stops)
matrix = None
if matrix_file is not None:
    try:
        matrix = pd.read_csv(matrix_file)
    except (ValueError, UnicodeDecodeError) as exc:
        st.warning(f"The distance file could not be read as CSV: {md(exc)}. Using straight-line estimates.")
matrix_hash = None if matrix is None else frame_digest(matrix)
problem_key = (stops_hash, tuple(vans), OBJECTIVES[goal], circuity, speed, penalty, breaks, type_speeds, matrix_hash)
try:
    problem = _problem(key, stops, tuple(vans), OBJECTIVES[goal], circuity, float(speed), penalty, breaks,
                       type_speeds, matrix)
except ValueError as exc:
    st.warning(f"These stops or vans cannot be planned: {md(exc)}. Nothing has been changed.")
    st.stop()
naive = _naive(key, problem, problem_key)
plan_id = (problem_key, budget)
if st.session_state.get("routes_plan_id") != plan_id:
    st.session_state.pop("routes_plan", None)
with left:
    if st.button("Plan routes", type="primary"):
        with st.spinner(f"Planning {len(problem.stops)} stops for {len(problem.vehicles)} vans..."):
            st.session_state["routes_plan"] = _solved(key, problem, problem_key, float(budget))
            st.session_state["routes_plan_id"] = plan_id
plan = st.session_state.get("routes_plan") or naive
factors = factors_from(table("emission_factors"))
compare = compare_plans({"Planned": (problem, plan), "Nearest neighbour": (problem, naive)}, factors)
optimised = plan is not naive

with headline:
    now, base = compare.iloc[0], compare.iloc[1]
    m = st.columns(5)
    m[0].metric("Distance", f"{now.km:,.0f} km", delta=f"{now.km - base.km:+,.0f} km" if optimised else None,
                delta_color="inverse")
    m[1].metric("Time on the road", f"{now.hours:,.1f} h",
                delta=f"{now.hours - base.hours:+,.1f} h" if optimised else None, delta_color="inverse")
    m[2].metric("Running cost", f"£{now.cost_gbp:,.0f}",
                delta=_pounds(now.cost_gbp - base.cost_gbp) if optimised else None, delta_color="inverse")
    m[3].metric("Emissions (CO2e)", f"{now.kg_co2e:,.0f} kg",
                delta=f"{now.kg_co2e - base.kg_co2e:+,.0f} kg" if optimised else None, delta_color="inverse")
    m[4].metric("Orders planned", f"{int(now.planned)} of {len(problem.stops)}")
    if optimised:
        st.caption("Changes are against the nearest-neighbour plan (one van at a time, nearest stop next).")
    if source == "Orders for a day":
        save_panel("routes", "routes",
                   {"day": day.isoformat(), "vans": list(vans), "goal": goal, "time_limit_s": int(budget),
                    "circuity": circuity, "speed_kmh": speed, "type_speeds": [list(t) for t in type_speeds],
                    "breaks": breaks, "penalty": penalty, "optimised": optimised, "seed": 0},
                   {"km": float(now.km), "cost_gbp": float(now.cost_gbp), "co2e_kg": float(now.kg_co2e),
                    "hours": float(now.hours), "orders_planned": float(now.planned)}, key="routes")
with right:
    if not optimised:
        st.info("Showing a quick first plan (each van goes to the nearest next stop). "
                "Press **Plan routes** to optimise it.")
    st_folium(route_map(problem, plan, tiles=tiles, leaflet_base_url=_leaflet_url()), key="route_map",
              height=520, use_container_width=True, returned_objects=[])

st.subheader("Vans")
per_van = vehicle_metrics(problem, plan, factors)
routes = plan.routes_frame()
summary = per_van.assign(leave=[time_text(t, problem.time_unit) for t in routes["start"]],
                         back=[time_text(t, problem.time_unit) for t in routes["end"]])
st.dataframe(summary[["vehicle_id", "name", "fuel", "stops", "leave", "back", "km", "hours", "load_kg", "fill_pct",
                      "cost_gbp", "kg_co2e"]],
             hide_index=True, width="stretch",
             column_config={"vehicle_id": "Van", "name": "Name", "fuel": "Fuel", "stops": "Stops",
                            "leave": "Leaves", "back": "Back", "km": st.column_config.NumberColumn("km", format="%.1f"),
                            "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
                            "load_kg": st.column_config.NumberColumn("Load (kg)", format="%.0f"),
                            "fill_pct": st.column_config.NumberColumn("Full (%)", format="%.0f"),
                            "cost_gbp": st.column_config.NumberColumn("Cost (£)", format="%.2f"),
                            "kg_co2e": st.column_config.NumberColumn("kg CO2e", format="%.1f")})
hours = _planned_hours(key, plan_stops(problem, plan, day))  # on the plan's own km and driving minutes
if hours.empty:
    st.caption("Drivers' hours: every van's day on this plan keeps to the hours rules enabled on the Compliance page.")
else:
    st.warning(f"Drivers' hours: {len(hours)} breach(es) on this plan of the rules enabled on the Compliance page. "
               "Add a van, allow breaks or shorten the day.")
    st.dataframe(hours[["subject", "name", "regulation", "detail"]].rename(columns={
        "subject": "Van", "name": "Rule", "regulation": "Regulation", "detail": "What"}), hide_index=True,
        width="stretch")
sheet = plan_table(problem, plan)
for vid in routes["vehicle_id"]:
    with st.expander(f"{md(vid)}: stops in order"):
        stops = sheet[sheet["vehicle"] == vid][["stop_no", "order", "customer", "eta", "unload_from", "leave",
                                                "km_from_previous", "load_on_board_kg"]]
        st.dataframe(stops, hide_index=True, width="stretch", column_config=columns(stops))
if plan.unassigned:
    st.subheader("Orders not planned")
    st.dataframe(plan.unassigned_frame()[["stop_id", "name", "reason"]].rename(
        columns={"stop_id": "Order", "name": "Customer", "reason": "Why"}), hide_index=True, width="stretch")
if not plan.feasible:
    st.warning("Some routes break a limit: " + md("; ".join(p for p in routes["problems"] if p)))
d1, d2 = st.columns(2)
d1.download_button("Download the plan (CSV)", plan_csv(problem, plan), "route_plan.csv", "text/csv")
d2.download_button("Download driver sheets (print from your browser)", driver_sheet_html(problem, plan),
                   "driver_sheets.html", "text/html")

_what_if(key, problem, problem_key, plan, optimised, float(budget), factors)
