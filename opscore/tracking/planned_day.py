"""A planned day: each van's stops in order with planned arrival, window, service time and position.

Built either from a :class:`opscore.routing.RoutePlan` (the route planner's schedule, :func:`planner_day` plans
it as every page does, with :func:`opscore.routing.plan_day`) or from the workspace's ``deliveries`` table
(planned_arrival order per vehicle, :func:`deliveries_day`), so tracking works with or without a solved plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from opscore.delivery_tables import DeliveryTables
from opscore.routing import DayPlan, DayPlanSettings, RoutePlan, RoutingProblem, plan_day
from opscore.timeofday import parse_hhmm

STOP_COLUMNS = ["vehicle_id", "sequence", "order_id", "customer_id", "name", "lat", "lon", "planned_arrival",
                "service_minutes", "window_start", "window_end"]
VAN_COLUMNS = ["vehicle_id", "profile", "depot_lat", "depot_lon", "planned_departure"]


@dataclass(frozen=True)
class PlannedDay:
    """One day's plan, as two tables."""

    day: date
    stops: pd.DataFrame
    """One row per stop (STOP_COLUMNS): planned_arrival, window_start, window_end are Timestamps; service in minutes."""
    vans: pd.DataFrame
    """One row per van (VAN_COLUMNS): speed profile (van type), depot position (degrees), planned departure."""

    def stops_of(self, vehicle_id: str) -> pd.DataFrame:
        return self.stops[self.stops["vehicle_id"] == vehicle_id].sort_values("sequence")

    def van(self, vehicle_id: str) -> pd.Series:
        return self.vans.set_index("vehicle_id").loc[vehicle_id]


def _at(day: date, hhmm: object) -> pd.Timestamp:
    return pd.Timestamp(day) + pd.Timedelta(minutes=parse_hhmm(str(hhmm)))


def planned_day_from_deliveries(*, deliveries: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame,
                                vehicles: pd.DataFrame, sites: pd.DataFrame, day: date) -> PlannedDay:
    """The day's delivery attempts, ordered by planned arrival per vehicle (sequence 1, 2, ...).

    The van leaves its depot at its shift start. Raises ValueError if no attempt is planned that day.
    """
    d = deliveries[pd.to_datetime(deliveries["planned_date"]).dt.normalize() == pd.Timestamp(day)]
    if d.empty:
        raise ValueError(f"no deliveries are planned on {day:%Y-%m-%d}; pick another day or plan routes first")
    d = (d.merge(orders[["order_id", "customer_id"]], on="order_id", how="left")
          .merge(customers[["customer_id", "name", "lat", "lon", "service_minutes", "window_start", "window_end"]],
                 on="customer_id", how="left"))
    if d["lat"].isna().any():
        bad = d.loc[d["lat"].isna(), "order_id"].iloc[0]
        raise ValueError(f"order {bad} has no customer with a position; check the orders and customers tables")
    d = d.sort_values(["vehicle_id", "planned_arrival"])
    d["sequence"] = d.groupby("vehicle_id").cumcount() + 1
    d["window_start"] = [_at(day, w) for w in d["window_start"]]
    d["window_end"] = [_at(day, w) for w in d["window_end"]]
    d["planned_arrival"] = pd.to_datetime(d["planned_arrival"])
    stops = d[STOP_COLUMNS].reset_index(drop=True)
    return PlannedDay(day, stops, _vans(vehicles, sites, stops, day))


def _vans(vehicles: pd.DataFrame, sites: pd.DataFrame, stops: pd.DataFrame, day: date,
          departures: dict[str, pd.Timestamp] | None = None) -> pd.DataFrame:
    v = vehicles[vehicles["vehicle_id"].isin(stops["vehicle_id"])].merge(
        sites[["site_id", "lat", "lon"]], left_on="depot_id", right_on="site_id", how="left")
    if v["lat"].isna().any():
        raise ValueError(f"van {v.loc[v['lat'].isna(), 'vehicle_id'].iloc[0]} has a depot_id not in sites")
    dep = [(departures or {}).get(r.vehicle_id, _at(day, r.shift_start)) for r in v.itertuples()]
    return pd.DataFrame({"vehicle_id": v["vehicle_id"], "profile": v["type"], "depot_lat": v["lat"],
                         "depot_lon": v["lon"], "planned_departure": dep})[VAN_COLUMNS].reset_index(drop=True)


def planned_day_from_plan(plan: RoutePlan, problem: RoutingProblem, orders: pd.DataFrame, vehicles: pd.DataFrame,
                          sites: pd.DataFrame, day: date) -> PlannedDay:
    """The route planner's schedule (stop ids are order ids, times minutes from midnight) as a planned day."""
    if problem.time_unit != "min":
        raise ValueError("only plans in minutes from midnight (built from workspace tables) can be tracked")
    midnight = pd.Timestamp(day)
    rows = []
    for r in plan.routes:
        for v in r.visits:
            s = problem.stops[v.stop_index]
            w = s.windows[0]
            rows.append({"vehicle_id": r.vehicle_id, "sequence": v.sequence, "order_id": s.stop_id, "name": s.name,
                         "lat": s.lat, "lon": s.lon, "planned_arrival": midnight + pd.Timedelta(minutes=v.arrival),
                         "service_minutes": s.service_minutes,
                         "window_start": midnight + pd.Timedelta(minutes=w.start),
                         "window_end": midnight + pd.Timedelta(minutes=min(s.windows[-1].end, 24 * 60))})
    stops = pd.DataFrame(rows, columns=[c for c in STOP_COLUMNS if c != "customer_id"])
    stops = stops.merge(orders[["order_id", "customer_id"]], on="order_id", how="left")[STOP_COLUMNS]
    departures = {r.vehicle_id: midnight + pd.Timedelta(minutes=r.start_time) for r in plan.routes}
    return PlannedDay(day, stops, _vans(vehicles, sites, stops, day, departures))


def deliveries_day(tables: DeliveryTables, day: date) -> PlannedDay:
    """:func:`planned_day_from_deliveries` of the workspace's tables: the day's attempts in planned-arrival order."""
    return planned_day_from_deliveries(deliveries=tables.deliveries, orders=tables.orders,
                                       customers=tables.customers, vehicles=tables.vehicles, sites=tables.sites,
                                       day=day)


def planned_day_of(day_plan: DayPlan, tables: DeliveryTables) -> PlannedDay:
    """A day planned by :func:`opscore.routing.plan_day` as a planned day (its orders, vans and depots from
    ``tables``)."""
    if day_plan.day is None:
        raise ValueError("only a plan of a delivery day (from plan_day) can be tracked; this one has no day")
    return planned_day_from_plan(day_plan.plan, day_plan.problem, tables.orders, tables.vehicles, tables.sites,
                                 day_plan.day)


def planner_day(tables: DeliveryTables, day: date, settings: DayPlanSettings | None = None,
                factors: pd.DataFrame | None = None) -> PlannedDay:
    """The route planner's plan of ``day``'s open orders (:func:`opscore.routing.plan_day` under ``settings``,
    default the Route map's defaults) as a planned day. Raises ValueError when no order is due that day."""
    return planned_day_of(plan_day(tables, day, settings, factors), tables)
