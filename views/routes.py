"""Route map: plan a day's deliveries on a map that works offline, compare with a naive plan, try what-ifs."""

from __future__ import annotations

import streamlit as st

from opscore.routing import VAN_CHANGES, ChangeKind, DayPlanSettings, RouteChange, RoutingProblem, search_budget
from opscore.routing.export import plan_stops
from opscore.routing.metrics import compare_plans
from ui.map_background import TILES_HELP, TILES_LABEL, show_route_map
from ui.route_view import comparison, headline, plan_details, travel_inputs, uploaded_csv, uploaded_stops
from ui.rush_hour import rush_input, saved_rush, traffic_caption
from ui.scenarios import linked_params, save_panel
from ui.services import routes
from ui.state import cache_key, current_store, frame_digest, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

OBJECTIVES = {"Lowest running cost (£)": "cost", "Shortest distance (km)": "distance",
              "Shortest time on the road": "time", "Lowest emissions (kg CO2e)": "co2e"}
UNITS = {"cost": "£", "distance": "km", "time": "minutes", "co2e": "kg CO2e"}
PLAN = "routes_plan"  # session key: the optimised plan shown (until a setting changes)
PLAN_ID = "routes_plan_id"  # session key: the stops, settings and distance file the optimised plan was found for


@page_fragment
def _what_if(key: str, problem: RoutingProblem, problem_key: tuple[object, ...], settings: DayPlanSettings) -> None:
    """Compare one change with the current plan; reruns only this part of the page."""
    st.subheader("What if?")
    st.caption("Change one thing and compare with the current plan (same thinking time).")
    w1, w2, w3 = st.columns([2, 2, 1])
    kind = ChangeKind(w1.selectbox("Change", [k.value for k in ChangeKind]))
    fuels = {v.vehicle_id: v.fuel for v in problem.vehicles}
    van = w2.selectbox("Van", list(fuels), format_func=lambda v: f"{v} ({fuels[v]})") if kind in VAN_CHANGES else None
    amount = None if kind in VAN_CHANGES else float(w2.slider("Minutes earlier and later", 15, 120, 30, 15)
                                                    if kind is ChangeKind.WIDEN_WINDOWS else
                                                    w2.slider("More demand (%)", 5, 50, 10, 5))
    w3.write("")
    if w3.button("Compare"):
        try:
            with st.spinner("Planning the what-if..."):
                table_ = routes.what_if(key, problem, problem_key, settings, RouteChange(kind, van, amount))
        except ValueError as exc:
            st.warning(f"{md(exc)}. Nothing has been changed.")
            return
        comparison(table_)


st.title("Route map")
st.caption("Plan a day's deliveries: which van goes where, in what order, and when it arrives. Under the map: "
           "where distances come from and what the map is drawn on.")
store = current_store()
needs_data(store, ["vehicles", "sites"], "Planning routes (vans leave from and return to a depot)")
key = cache_key()
preset = linked_params("routes")
headline_box = st.container()
left, right = st.columns([1, 2])
with left:
    source = st.radio("Stops", ["Orders for a day", "Upload stops (CSV)"], horizontal=True)
    if source == "Orders for a day":
        needs_data(store, ["customers", "orders", "order_lines"], "Planning a day's orders (or upload a list of stops)")
        if not (days := routes.delivery_days(key)):
            st.info("There are no open or planned orders from today on. Import orders on the Data page, "
                    "or upload a list of stops.")
            st.stop()
        iso = [d.isoformat() for d in days]
        day = st.selectbox("Delivery day", days, format_func=lambda d: f"{d:%a %d %b %Y}",
                           index=iso.index(preset["day"]) if preset.get("day") in iso else 0)
        stops = routes.stops_of_day(key, day)
    else:
        day = st.date_input("Delivery day", value=store.as_of(), format="DD/MM/YYYY")
        stops = uploaded_stops()
    vehicles = table("vehicles")
    names = vehicles.set_index("vehicle_id")["name"]
    vans = st.multiselect("Vans available", list(vehicles["vehicle_id"]), format_func=lambda v: f"{v} · {names[v]}",
                          default=[v for v in preset.get("vans", vehicles["vehicle_id"]) if v in set(names.index)])
    goal = st.selectbox("Plan for", list(OBJECTIVES), index=list(OBJECTIVES).index(preset["goal"])
                        if preset.get("goal") in OBJECTIVES else 0)
    budget = st.slider("Thinking time (seconds)", 1, 30, int(preset.get("time_limit_s", 3)),
                       help="Longer usually finds slightly better routes. The search stops after a set amount of "
                            "work for this time, so the same settings give the same plan on any machine (often "
                            "sooner than the time given).")
    with st.expander("Assumptions"):
        circuity, speed, speeds = travel_inputs(key, sorted(vehicles["type"].dropna().astype(str).unique()), preset)
        breaks = st.checkbox("Driver breaks (20 min, taken 3-6 h into the shift)", value=bool(preset.get("breaks")),
                             help="Working Time Regulations 1998: a 20-minute break when working more than 6 hours. "
                                  "Planned with the OR-Tools engine.")
        penalty = st.number_input(f"Leave an order out when serving it costs more than ({UNITS[OBJECTIVES[goal]]}; "
                                  "0 = deliver every order that fits)", min_value=0.0,
                                  value=float(preset.get("penalty", 0.0)), step=10.0)
        matrix_file = st.file_uploader("Your own road distances and times (CSV: from_id, to_id, km, minutes for every "
                                       "pair of depot and stop ids); replaces the estimate",
                                       type=["csv"], key="routes_matrix")
        rush = rush_input(preset.get("rush"))
        tiles = st.toggle(TILES_LABEL, value=False, help=TILES_HELP)

if stops.empty:
    st.info("No stops to plan for this choice.")
    st.stop()
if not vans:
    st.warning("Pick at least one van.")
    st.stop()
matrix = None if matrix_file is None else uploaded_csv(matrix_file, "The distance file could not be read as CSV: "
                                                                    "{}. Using straight-line estimates.")
time_limit, iterations = search_budget(float(budget), breaks)
settings = DayPlanSettings(vans=tuple(vans), objective=OBJECTIVES[goal], circuity=circuity, default_speed_kmh=speed,
                           type_speeds=speeds, penalty=penalty or None, breaks=breaks, time_limit_s=time_limit,
                           max_iterations=iterations, rush=rush)
problem_key = (frame_digest(stops), settings, None if matrix is None else frame_digest(matrix))
try:
    problem = routes.problem(key, stops, settings, matrix)
except ValueError as exc:
    st.warning(f"These stops or vans cannot be planned: {md(exc)}. Nothing has been changed.")
    st.stop()
naive = routes.naive(key, problem, problem_key)
if st.session_state.get(PLAN_ID) != problem_key:
    st.session_state.pop(PLAN, None)
with left:
    if st.button("Plan routes", type="primary"):
        with st.spinner(f"Planning {len(problem.stops)} stops for {len(problem.vehicles)} vans..."):
            st.session_state[PLAN] = routes.solved(key, problem, problem_key, settings)
            st.session_state[PLAN_ID] = problem_key
plan = st.session_state.get(PLAN) or naive
factors = routes.factors_at(key)
compare = compare_plans({"Planned": (problem, plan), "Nearest neighbour": (problem, naive)}, factors)
optimised = plan is not naive
now = compare.iloc[0]
with headline_box:
    headline(compare, optimised, len(problem.stops))
    traffic_caption(plan, rush)
    if source == "Orders for a day":
        save_panel("routes", "routes",
                   {"day": day.isoformat(), "vans": list(vans), "goal": goal, "time_limit_s": int(budget),
                    "circuity": circuity, "speed_kmh": speed, "type_speeds": [list(t) for t in speeds],
                    "breaks": breaks, "penalty": penalty, "optimised": optimised, "seed": settings.seed,
                    "rush": saved_rush(rush)},
                   {"km": float(now.km), "cost_gbp": float(now.cost_gbp), "co2e_kg": float(now.kg_co2e),
                    "hours": float(now.hours), "orders_planned": float(now.planned)}, key="routes")
with right:
    if not optimised:
        st.info("Showing a quick first plan (each van goes to the nearest next stop). "
                "Press **Plan routes** to optimise it.")
    show_route_map(key, problem, plan, tiles)

plan_details(problem, plan, factors, routes.planned_hours(key, plan_stops(problem, plan, day)))

_what_if(key, problem, problem_key, settings)
