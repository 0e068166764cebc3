"""Drivers' hours per vehicle per day, from route stops (delivery history or a planned route).

Driving time of each leg = road km / average speed (great-circle km x circuity), or the fastest route's km and
minutes on roads when a :class:`opscore.routing.Travel` is given; duty runs from a pre-trip vehicle check
before leaving the depot to the return to the depot (DVSA guidance: daily walkaround check).
A break is a gap between stops, beyond the drive and the service time, of at least
:data:`EU_BREAK_MINUTES` (Regulation (EC) No 561/2006, Article 7; the 15 + 30 minute split is
not modelled). GB domestic limits: 10 h driving, 11 h duty a day (Transport Act 1968, s.96).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from opscore.fleet_history import route_legs
from opscore.geo import DEFAULT_CIRCUITY

if TYPE_CHECKING:  # only for annotations: importing the router's face would load its solvers
    from opscore.routing import Travel

DEFAULT_SPEED_KMH = 40.0
"""Average van speed on local roads including urban stretches, km/h (an assumption; edit it)."""
DEFAULT_PRE_TRIP_MINUTES = 15.0
EU_BREAK_MINUTES = 45.0
PLANNED_LEGS = {"leg_km", "drive_minutes", "return_km", "return_minutes"}
"""Stop columns of a planned route (:func:`opscore.routing.export.plan_stops`) used instead of estimating legs."""


def travel_legs(stops: pd.DataFrame, travel: Travel, profiles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``stops`` (sorted by vehicle, date, arrival) plus each leg from the previous point (or the depot) and, on each
    day's last stop, back to the depot (0 elsewhere), from ``travel``: columns leg_km, drive_minutes, return_km,
    return_minutes (:data:`PLANNED_LEGS`). Each van drives at its profile in ``profiles`` (vehicle_id -> vehicle
    type), else "default"."""
    out = stops.copy()
    group = out.groupby(["vehicle_id", "date"], sort=False)
    lat, lon = out["lat"].to_numpy(float), out["lon"].to_numpy(float)
    depot_lat, depot_lon = out["depot_lat"].to_numpy(float), out["depot_lon"].to_numpy(float)
    prev_lat = group["lat"].shift(1).fillna(out["depot_lat"]).to_numpy(float)
    prev_lon = group["lon"].shift(1).fillna(out["depot_lon"]).to_numpy(float)
    last = group.cumcount(ascending=False).to_numpy() == 0
    profile = out["vehicle_id"].astype(str).map(dict(profiles or {})).fillna("default").to_numpy(str)
    leg_km, leg_min, back_km, back_min = (np.zeros(len(out)) for _ in range(4))
    for name in np.unique(profile):
        at = np.flatnonzero(profile == name)
        leg_km[at], leg_min[at] = travel.legs(prev_lat[at], prev_lon[at], lat[at], lon[at], str(name))
        end = at[last[at]]
        back_km[end], back_min[end] = travel.legs(lat[end], lon[end], depot_lat[end], depot_lon[end], str(name))
    return out.assign(leg_km=leg_km, drive_minutes=leg_min, return_km=back_km, return_minutes=back_min)


def driver_days(stops: pd.DataFrame, *, speed_kmh: float = DEFAULT_SPEED_KMH, circuity: float = DEFAULT_CIRCUITY,
                pre_trip_minutes: float = DEFAULT_PRE_TRIP_MINUTES, travel: Travel | None = None,
                profiles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Hours per vehicle-day from ``stops`` (see :func:`opscore.sustainability.delivery_stops`). Legs are
    great-circle km x ``circuity`` at ``speed_kmh`` or, given ``travel``, its km and minutes
    (:func:`travel_legs`, each van at its profile in ``profiles``), unless the stops carry a plan's own
    (:data:`PLANNED_LEGS`). A ``service_start`` column (a plan waiting for a delivery window)
    counts the wait as time on duty.

    Columns: vehicle_id, date, stops, km, start, end, driving_hours, duty_hours,
    longest_spell_hours (driving between breaks of 45 minutes or more).
    """
    if speed_kmh <= 0:
        raise ValueError(f"average speed {speed_kmh} km/h must be above 0")
    if pre_trip_minutes < 0:
        raise ValueError(f"pre-trip minutes {pre_trip_minutes} must be 0 or more")
    if stops.empty:
        return pd.DataFrame(columns=["vehicle_id", "date", "stops", "km", "start", "end", "driving_hours",
                                     "duty_hours", "longest_spell_hours"])
    ordered = stops.sort_values(["vehicle_id", "date", "arrival"], kind="stable")
    if PLANNED_LEGS <= set(ordered.columns):  # a planned route brings its own km and driving minutes
        legs = ordered
        drive_h, back_h = legs["drive_minutes"] / 60, legs["return_minutes"] / 60
    elif travel is not None:  # km and minutes of each leg on the travel model (roads)
        legs = travel_legs(ordered, travel, profiles)
        drive_h, back_h = legs["drive_minutes"] / 60, legs["return_minutes"] / 60
    else:
        legs = route_legs(ordered, circuity)
        drive_h, back_h = legs["leg_km"] / speed_kmh, legs["return_km"] / speed_kmh
    arrival = pd.to_datetime(legs["arrival"])
    unload = pd.to_datetime(legs["service_start"]) if "service_start" in legs else arrival
    service = pd.to_timedelta(legs["service_minutes"].astype(float), unit="min")
    group = legs.groupby(["vehicle_id", "date"], sort=False)
    first = group.cumcount() == 0
    prev_free = (unload + service).groupby([legs["vehicle_id"], legs["date"]], sort=False).shift(1)
    idle_min = ((arrival - prev_free).dt.total_seconds() / 60 - drive_h * 60).where(~first, 0.0)
    spell = (idle_min >= EU_BREAK_MINUTES).groupby([legs["vehicle_id"], legs["date"]], sort=False).cumsum()
    legs = legs.assign(drive_h=drive_h + back_h, spell=spell.to_numpy(),
                       leave=arrival - pd.to_timedelta(drive_h * 60 + pre_trip_minutes, unit="min"),
                       back=unload + service + pd.to_timedelta(back_h * 60, unit="min"),
                       km=legs["leg_km"] + legs["return_km"])
    spells = legs.groupby(["vehicle_id", "date", "spell"], sort=False)["drive_h"].sum()
    days = legs.groupby(["vehicle_id", "date"], sort=False).agg(
        stops=("km", "size"), km=("km", "sum"), start=("leave", "first"), end=("back", "last"),
        driving_hours=("drive_h", "sum"))
    days["duty_hours"] = (days["end"] - days["start"]).dt.total_seconds() / 3600
    days["longest_spell_hours"] = spells.groupby(level=["vehicle_id", "date"], sort=False).max()
    return days.reset_index()


def hours_breaches(days: pd.DataFrame, column: str, limit_hours: float) -> pd.DataFrame:
    """Vehicle-days whose ``column`` (driving_hours, duty_hours or longest_spell_hours) exceeds ``limit_hours``."""
    return days[days[column] > limit_hours + 1e-9]


__all__ = ["DEFAULT_PRE_TRIP_MINUTES", "DEFAULT_SPEED_KMH", "EU_BREAK_MINUTES", "driver_days", "hours_breaches",
           "travel_legs"]
