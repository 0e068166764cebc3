"""Van routes rebuilt from delivery history: one route per vehicle per day.

Each route starts at the vehicle's depot (``sites``), visits its stops in arrival order and
returns to the depot. Leg distances are great-circle km x circuity (:mod:`opscore.geo`,
Ballou, Rahardja and Sakai 2002). Failed attempts count (the van drove there); pending
deliveries (not driven yet) are left out unless asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opscore.geo import DEFAULT_CIRCUITY, haversine_km

STOP_COLUMNS = ["vehicle_id", "date", "arrival", "delivery_id", "order_id", "customer_id", "lat", "lon",
                "service_minutes", "depot_lat", "depot_lon"]


def delivery_stops(*, deliveries: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame,
                   vehicles: pd.DataFrame, sites: pd.DataFrame, use_actual_times: bool = False,
                   include_pending: bool = False) -> pd.DataFrame:
    """One row per delivery stop with customer and depot coordinates, ordered by vehicle, day and arrival.

    ``use_actual_times`` orders (and times) stops by ``actual_arrival`` where known, else by
    ``planned_arrival``. Columns: :data:`STOP_COLUMNS`.
    """
    frame = deliveries if include_pending else deliveries[deliveries["outcome"] != "pending"]
    frame = frame.merge(orders[["order_id", "customer_id"]], on="order_id", how="left")
    missing = frame.loc[frame["customer_id"].isna(), "delivery_id"].tolist()
    if missing:
        raise ValueError(f"deliveries {missing[:5]} refer to orders that are not in the orders table; import them")
    frame = frame.merge(customers[["customer_id", "lat", "lon", "service_minutes"]], on="customer_id", how="left")
    depots = vehicles[["vehicle_id", "depot_id"]].merge(
        sites[["site_id", "lat", "lon"]].rename(
            columns={"site_id": "depot_id", "lat": "depot_lat", "lon": "depot_lon"}),
        on="depot_id", how="left")
    frame = frame.merge(depots[["vehicle_id", "depot_lat", "depot_lon"]], on="vehicle_id", how="left")
    if frame["depot_lat"].isna().any():
        bad = sorted(frame.loc[frame["depot_lat"].isna(), "vehicle_id"].unique())
        raise ValueError(f"vehicle(s) {bad} have no depot in the sites table; set their depot_id to a site")
    arrival = frame["planned_arrival"]
    if use_actual_times:
        arrival = frame["actual_arrival"].fillna(arrival)
    frame = frame.assign(arrival=pd.to_datetime(arrival), date=pd.to_datetime(frame["planned_date"]))
    return frame.sort_values(["vehicle_id", "date", "arrival"], kind="stable")[STOP_COLUMNS].reset_index(drop=True)


def route_legs(stops: pd.DataFrame, circuity: float = DEFAULT_CIRCUITY) -> pd.DataFrame:
    """``stops`` (sorted by vehicle, date, arrival) plus ``leg_km`` from the previous point (or the depot)
    and ``return_km`` back to the depot on each day's last stop (0 elsewhere); road km = haversine x circuity."""
    if not 1.0 <= circuity <= 2.0:
        raise ValueError(f"circuity {circuity} is outside 1.0-2.0; road networks are about 1.2-1.4")
    out = stops.copy()
    group = out.groupby(["vehicle_id", "date"], sort=False)
    prev_lat = group["lat"].shift(1).fillna(out["depot_lat"])
    prev_lon = group["lon"].shift(1).fillna(out["depot_lon"])
    out["leg_km"] = circuity * haversine_km(prev_lat.to_numpy(float), prev_lon.to_numpy(float),
                                            out["lat"].to_numpy(float), out["lon"].to_numpy(float))
    last = group.cumcount(ascending=False).to_numpy() == 0
    back = circuity * haversine_km(out["lat"].to_numpy(float), out["lon"].to_numpy(float),
                                   out["depot_lat"].to_numpy(float), out["depot_lon"].to_numpy(float))
    out["return_km"] = np.where(last, back, 0.0)
    return out


def vehicle_day_km(stops: pd.DataFrame, circuity: float = DEFAULT_CIRCUITY) -> pd.DataFrame:
    """Road km per vehicle per day: depot -> stops in order -> depot.

    Columns: vehicle_id, date, stops (count), km.
    """
    legs = route_legs(stops, circuity)
    day = (legs["leg_km"] + legs["return_km"]).groupby([legs["vehicle_id"], legs["date"]])
    return pd.DataFrame({"stops": day.size(), "km": day.sum()}).reset_index()
