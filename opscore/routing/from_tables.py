"""Build a routing problem from workspace tables (orders, customers, vehicles, sites) or uploaded stops."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from opscore.emission_factors import van_kg_co2e_per_km
from opscore.routing.problem import Depot, RoutingProblem, Stop, TimeWindow, Vehicle
from opscore.routing.rush_hour import RushHour
from opscore.routing.travel import Travel, TravelModel, matrices_from_csv
from opscore.timeofday import parse_hhmm

STOP_COLUMNS = ["stop_id", "name", "lat", "lon", "demand_kg", "demand_m3", "service_minutes", "window_start",
                "window_end", "window2_start", "window2_end", "priority", "penalty"]
"""Columns of a stops table; only stop_id, lat, lon and demand_kg are required in an upload."""
OPEN_STATUSES = ("open", "planned")
GB_MAX_DUTY_HOURS = 11.0
"""GB domestic drivers' hours rules: at most 11 hours on duty a day (DVSA guidance GV262)."""


def minutes(text: object, where: str) -> float:
    """'HH:MM' -> minutes from midnight, 00:00 to 24:00; ValueError naming ``where`` otherwise."""
    try:
        value = parse_hhmm(str(text))
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a time like 09:30") from None
    if value > 24 * 60:
        raise ValueError(f"{where}: {text!r} is not a time of day")
    return value


def delivery_dates(orders: pd.DataFrame, as_of: date) -> list[date]:
    """Delivery dates on or after ``as_of`` that have open or planned orders, soonest first."""
    o = orders[orders["status"].isin(OPEN_STATUSES)]
    days = sorted({d.date() for d in pd.to_datetime(o["delivery_date"]) if d.date() >= as_of})
    return days


def stops_for_day(orders: pd.DataFrame, order_lines: pd.DataFrame, products: pd.DataFrame,
                  customers: pd.DataFrame, delivery_date: date) -> pd.DataFrame:
    """One stop per open/planned order due on ``delivery_date`` (kg and m3 from its lines), in STOP_COLUMNS."""
    o = orders[(pd.to_datetime(orders["delivery_date"]).dt.date == delivery_date)
               & orders["status"].isin(OPEN_STATUSES)]
    if o.empty:
        return pd.DataFrame(columns=STOP_COLUMNS)
    p = products.assign(m3=products["length_cm"] * products["width_cm"] * products["height_cm"] / 1e6)
    lines = order_lines[order_lines["order_id"].isin(o["order_id"])].merge(
        p[["sku", "weight_kg", "m3"]], on="sku", how="left")
    lines = lines.assign(kg=lines["quantity"] * lines["weight_kg"], vol=lines["quantity"] * lines["m3"])
    load = lines.groupby("order_id")[["kg", "vol"]].sum()
    df = o.merge(customers, on="customer_id", how="left").set_index("order_id").join(load).reset_index()
    return pd.DataFrame({
        "stop_id": df["order_id"], "name": df["name"], "lat": df["lat"], "lon": df["lon"],
        "demand_kg": df["kg"].fillna(0.0).round(1), "demand_m3": df["vol"].fillna(0.0).round(3),
        "service_minutes": df["service_minutes"], "window_start": df["window_start"],
        "window_end": df["window_end"], "window2_start": None, "window2_end": None, "priority": 2,
        "penalty": None})


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x).strip() in ("", "nan", "None", "<NA>")


def stops_from_frame(df: pd.DataFrame) -> tuple[Stop, ...]:
    """Stops from a table in STOP_COLUMNS (uploaded or built); precise errors for bad rows."""
    need = {"stop_id", "lat", "lon", "demand_kg"}
    if missing := need - set(df.columns):
        raise ValueError(f"stops table lacks column(s) {', '.join(sorted(missing))}; "
                         f"expected at least stop_id, lat, lon, demand_kg")
    out = []
    for n, row in enumerate(df.to_dict("records"), start=1):
        where = f"stops row {n} ({row.get('stop_id')})"
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            kg = float(row["demand_kg"])
            m3 = 0.0 if _blank(row.get("demand_m3")) else float(row["demand_m3"])
            service = 0.0 if _blank(row.get("service_minutes")) else float(row["service_minutes"])
            prio = 2 if _blank(row.get("priority")) else int(float(row["priority"]))
            penalty = None if _blank(row.get("penalty")) else float(row["penalty"])
        except (TypeError, ValueError):
            raise ValueError(f"{where}: lat, lon, demand, service, priority and penalty must be numbers") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            raise ValueError(f"{where}: position {lat}, {lon} is not a valid latitude/longitude")
        windows = []
        for a, b in (("window_start", "window_end"), ("window2_start", "window2_end")):
            if not _blank(row.get(a)) and not _blank(row.get(b)):
                windows.append(TimeWindow(minutes(row[a], f"{where} {a}"), minutes(row[b], f"{where} {b}")))
        name = str(row["stop_id"]) if _blank(row.get("name")) else str(row["name"])
        try:
            out.append(Stop(str(row["stop_id"]), name, lat, lon, kg, m3, service,
                            tuple(windows) or (TimeWindow(0.0, 24 * 60.0),), prio, penalty))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return tuple(out)


def vehicles_from_frame(vehicles: pd.DataFrame, depot_ids: list[str], factors: pd.DataFrame | None = None,
                        max_duty_hours: float = GB_MAX_DUTY_HOURS) -> tuple[Vehicle, ...]:
    """Vehicles from the workspace ``vehicles`` table; the speed profile is the van type."""
    out = []
    for row in vehicles.to_dict("records"):
        where = f"vehicle {row['vehicle_id']}"
        if row["depot_id"] not in depot_ids:
            raise ValueError(f"{where}: depot {row['depot_id']!r} is not among the sites")
        start = minutes(row["shift_start"], f"{where} shift start")
        end = minutes(row["shift_end"], f"{where} shift end")
        rng = row.get("range_km")
        out.append(Vehicle(
            str(row["vehicle_id"]), str(row["name"]), float(row["capacity_kg"]), float(row["capacity_m3"]),
            start, end, range_km=float("inf") if _blank(rng) else float(rng),
            max_shift_minutes=min(end - start, max_duty_hours * 60.0), cost_per_km=float(row["cost_per_km"]),
            cost_per_hour=float(row["cost_per_hour"]), fuel=str(row["fuel"]), profile=str(row["type"]),
            start_depot=depot_ids.index(row["depot_id"]), kg_co2e_per_km=van_kg_co2e_per_km(str(row["fuel"]), factors)))
    return tuple(out)


def build_problem(stops: pd.DataFrame, vehicles: pd.DataFrame, sites: pd.DataFrame, *, objective: str = "cost",
                  travel: Travel | None = None, factors: pd.DataFrame | None = None,
                  name: str = "delivery day", default_penalty: float | None = None,
                  matrix: pd.DataFrame | None = None, rush: RushHour | None = None) -> RoutingProblem:
    """A geographic problem: depots from ``sites``; km and minutes from ``travel`` (default: straight line x
    circuity at each van type's speed; or a :class:`opscore.routing.RoadNetwork`).

    ``default_penalty`` (objective units) makes every stop without a ``penalty`` of its own optional at that price.
    ``matrix``: the user's own road km and minutes between every depot and stop (columns from_id, to_id, km,
    minutes; see :func:`opscore.routing.travel.matrices_from_csv`) instead of the travel model, for every van.
    ``rush``: speed bands by time of day applied to the schedule (None = one speed all day).
    """
    if vehicles.empty:
        raise ValueError("no vans selected; pick at least one vehicle")
    if default_penalty is not None:
        own = stops["penalty"] if "penalty" in stops.columns else pd.Series(None, index=stops.index, dtype=float)
        stops = stops.assign(penalty=own.astype(object).where(own.notna(), default_penalty))
    travel = travel or TravelModel()
    used = [d for d in sites["site_id"] if d in set(vehicles["depot_id"])]
    site = sites.set_index("site_id").loc[used]
    depots = tuple(Depot(str(i), str(r["name"]), float(r["lat"]), float(r["lon"])) for i, r in site.iterrows())
    stop_objs = stops_from_frame(stops)
    vans = vehicles_from_frame(vehicles, used, factors)
    lat = [d.lat for d in depots] + [s.lat for s in stop_objs]
    lon = [d.lon for d in depots] + [s.lon for s in stop_objs]
    if matrix is None:
        km, durations = travel.matrices(lat, lon, [v.profile for v in vans])
        return RoutingProblem(name, depots, stop_objs, vans, km, durations, objective=objective, travel=travel,
                              rush=rush)
    km, minutes = matrices_from_csv(matrix, [d.depot_id for d in depots] + [s.stop_id for s in stop_objs])
    return RoutingProblem(name, depots, stop_objs, vans, km, {v.profile: minutes for v in vans}, objective=objective,
                          rush=rush)
