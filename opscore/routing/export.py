"""Plan exports: a CSV of every stop and a printable HTML driver sheet per van (all text escaped)."""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd

from opscore.io import csv_text
from opscore.routing.plan import RoutePlan
from opscore.routing.problem import RoutingProblem
from opscore.routing.violations import time_text


def plan_table(problem: RoutingProblem, plan: RoutePlan) -> pd.DataFrame:
    """One row per visit with clock times (HH:MM), km and load; then the unassigned orders."""
    df = plan.stops_frame()
    out = pd.DataFrame({
        "vehicle": df["vehicle_id"], "stop_no": df["sequence"], "order": df["stop_id"], "customer": df["name"],
        "eta": [time_text(t, problem.time_unit) for t in df["arrival"]],
        "unload_from": [time_text(t, problem.time_unit) for t in df["service_start"]],
        "leave": [time_text(t, problem.time_unit) for t in df["departure"]],
        "km_from_previous": df["leg_distance"].round(2), "load_on_board_kg": df["load_kg_on_board"].round(1),
        "note": ""})
    left = plan.unassigned_frame()
    if not left.empty:
        out = pd.concat([out, pd.DataFrame({"vehicle": "not planned", "order": left["stop_id"],
                                            "customer": left["name"], "note": left["reason"]})], ignore_index=True)
    return out


def plan_csv(problem: RoutingProblem, plan: RoutePlan) -> str:
    """The plan table as CSV text, with text that starts like a formula written as text."""
    return csv_text(plan_table(problem, plan))


def driver_sheet_html(problem: RoutingProblem, plan: RoutePlan) -> str:
    """A printable page per van (page break between vans): stops in order, times, load, and a signature box."""
    table = plan_table(problem, plan)
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Driver sheets</title><style>"
             "body{font-family:sans-serif;font-size:12pt} table{border-collapse:collapse;width:100%}"
             "td,th{border:1px solid #999;padding:4px;text-align:left} section{page-break-after:always}"
             "</style></head><body>"]
    for r in plan.routes:
        v = problem.vehicles[r.vehicle_index]
        rows = table[table["vehicle"] == r.vehicle_id]
        depot = problem.depots[v.start_depot]
        parts.append(f"<section><h2>{escape(v.vehicle_id)} {escape(v.name)}</h2>"
                     f"<p>Leave {escape(depot.name)} at {time_text(r.start_time, problem.time_unit)}, back at "
                     f"{time_text(r.end_time, problem.time_unit)}. {len(r.visits)} stops, "
                     f"{r.distance:.1f} {problem.distance_unit}, "
                     f"load {r.load_kg:.0f} kg.</p><table><tr><th>#</th><th>Order</th><th>Customer</th>"
                     "<th>ETA</th><th>Unload from</th><th>Load on board (kg)</th><th>Signed</th></tr>")
        for row in rows.to_dict("records"):
            parts.append(f"<tr><td>{int(row['stop_no'])}</td><td>{escape(str(row['order']))}</td>"
                         f"<td>{escape(str(row['customer']))}</td><td>{row['eta']}</td><td>{row['unload_from']}</td>"
                         f"<td>{row['load_on_board_kg']:.1f}</td><td></td></tr>")
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "".join(parts)


def _clock_minutes(problem: RoutingProblem, arrival: float, free: float) -> float:
    """Minutes a leg of ``free`` base minutes that ended at ``arrival`` took on the clock (longer in rush hour)."""
    return free if problem.rush is None else arrival - problem.rush.departure(arrival, free)


def plan_stops(problem: RoutingProblem, plan: RoutePlan, day: date) -> pd.DataFrame:
    """The plan's visits on ``day`` as route stops (the form of :func:`opscore.sustainability.delivery_stops`:
    vehicle_id, date, arrival, delivery_id, order_id, customer_id, lat, lon, service_minutes, depot_lat, depot_lon),
    plus ``service_start`` (after any wait for the window) and the plan's own legs (``leg_km``, ``drive_minutes``
    from the previous point; ``return_km``, ``return_minutes`` back to the depot after the day's last stop, else 0),
    so drivers' hours rules check a planned day on the same distances and speeds it was planned with (drive minutes
    are clock minutes: longer in rush hour, as the schedule).
    Times: minutes from midnight."""
    if problem.time_unit != "min":
        raise ValueError(f"problem {problem.name!r} counts time in {problem.time_unit!r}, not minutes from midnight")
    midnight = pd.Timestamp(day)
    rows = []
    for route in plan.routes:
        van = problem.vehicles[route.vehicle_index]
        minutes = problem.durations[van.profile]
        depot = problem.depots[van.start_depot]
        here = van.start_depot
        for n, visit in enumerate(route.visits, start=1):
            at = problem.stop_location(visit.stop_index)
            stop = problem.stops[visit.stop_index]
            last = n == len(route.visits)
            back = float(minutes[at, van.return_depot]) if last else 0.0
            rows.append({"vehicle_id": route.vehicle_id, "date": midnight,
                         "arrival": midnight + pd.Timedelta(minutes=float(visit.arrival)),
                         "service_start": midnight + pd.Timedelta(minutes=float(visit.service_start)),
                         "delivery_id": None, "order_id": visit.stop_id, "customer_id": None, "lat": stop.lat,
                         "lon": stop.lon, "service_minutes": stop.service_minutes, "depot_lat": depot.lat,
                         "depot_lon": depot.lon, "leg_km": float(visit.leg_distance),
                         "drive_minutes": _clock_minutes(problem, visit.arrival, float(minutes[here, at])),
                         "return_km": float(problem.distance[at, van.return_depot]) if last else 0.0,
                         "return_minutes": _clock_minutes(problem, route.end_time, back) if last else 0.0})
            here = at
    return pd.DataFrame(rows, columns=["vehicle_id", "date", "arrival", "service_start", "delivery_id", "order_id",
                                       "customer_id", "lat", "lon", "service_minutes", "depot_lat", "depot_lon",
                                       "leg_km", "drive_minutes", "return_km", "return_minutes"])
