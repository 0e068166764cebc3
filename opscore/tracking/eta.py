"""ETA engine: re-project every remaining stop from each van's latest event with the travel model.

Schedule rule as in the route planner (Solomon 1987, Operations Research 35(2)): arrival = departure
from the previous place + travel minutes; service starts at max(arrival, window start); departure =
service start + service minutes. Drivers keep to the plan, so a van is not expected before its planned
arrival (early slack absorbs delays), and never before "now" on a leg it has not finished.

Confidence window: leg times and service times are treated as independent with standard deviation
``travel_cv`` x leg minutes and ``service_cv`` x service minutes; variances add along the route (Bienaymé),
and the window is ETA +/- z x sd with z = 1.2816 for an 80% two-sided normal interval.

Rush hour (``EtaSettings.rush``): each remaining leg is travelled time-dependently from the time the van sets off
(:meth:`opscore.routing.RushHour.arrival`), so the same leg takes longer at 08:00 than at 10:00, and its spread
scales with the longer clock minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.routing import RushHour, Travel, TravelModel
from opscore.tracking.planned_day import PlannedDay

Z80 = 1.2816
"""Standard normal quantile for an 80% two-sided interval."""
ETA_COLUMNS = ["vehicle_id", "sequence", "order_id", "customer_id", "name", "lat", "lon", "planned_arrival",
               "window_start", "window_end", "status", "actual_arrival", "eta", "eta_low", "eta_high",
               "delay_minutes", "minutes_late", "risk"]


@dataclass(frozen=True)
class EtaSettings:
    """Uncertainty and behaviour assumptions of the ETA engine."""

    travel_cv: float = 0.5
    """Standard deviation of a leg's time as a share of its expected minutes (an assumption: 0.5 puts about 80%
    of the sample's past arrivals 1-4 h ahead inside the window; check yours with :func:`eta_errors`)."""
    service_cv: float = 0.3
    """Standard deviation of time on site as a share of the service minutes."""
    z: float = Z80
    """Normal quantile of the window (1.2816 = 80% interval)."""
    keep_to_plan: bool = True
    """Vans do not arrive before their planned arrival."""
    rush: RushHour | None = None
    """Speed bands by time of day applied to the remaining legs; None = the travel model's speed all day."""

    def __post_init__(self) -> None:
        for name in ("travel_cv", "service_cv", "z"):
            if not 0.0 <= getattr(self, name) <= 5.0:
                raise ValueError(f"ETA setting {name} = {getattr(self, name)} must lie between 0 and 5")
        if self.rush is not None and not isinstance(self.rush, RushHour):
            raise ValueError(f"ETA setting rush = {self.rush!r} must be a RushHour (speed bands) or None")


def _minutes(ts: object, midnight: pd.Timestamp) -> float:
    return float((pd.Timestamp(ts) - midnight).total_seconds()) / 60.0


def leg_minutes(travel: Travel, profile: str, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike,
                lon2: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Free-flow travel minutes from each point 1 to its point 2 for the van ``profile``: straight line x circuity at
    the profile's speed, or the fastest road route (see :class:`opscore.routing.Travel`)."""
    return np.asarray(travel.legs(lat1, lon1, lat2, lon2, profile)[1], dtype=float)


def project(t0: float, first_leg: float, legs: list[float], planned: list[float], window_start: list[float],
            service: list[float], now: float, settings: EtaSettings,
            at_first: bool = False) -> tuple[list[float], list[float]]:
    """ETAs and their sd (minutes from midnight / minutes) for the remaining stops of one van.

    ``t0``: time of the van's latest known state; ``first_leg``: minutes from there to the first remaining
    stop (ignored when ``at_first``: the van is at that stop since ``t0``); ``legs[i]``: minutes from stop i-1 to i
    at the travel model's speed (stretched by ``settings.rush`` at the time each leg starts).
    """
    etas, sds = [], []
    t, var = t0, 0.0
    for i in range(len(planned)):
        if i == 0 and at_first:
            eta = t0
        else:
            free = first_leg if i == 0 else legs[i]
            travel = free if settings.rush is None else settings.rush.travel_minutes(t, free)
            eta = t + travel
            if settings.keep_to_plan:
                eta = max(eta, planned[i])
            if i == 0:
                eta = max(eta, now)
            var += (settings.travel_cv * travel) ** 2
        etas.append(eta)
        sds.append(math.sqrt(var))
        t = max(eta, window_start[i]) + service[i]
        if i == 0 and at_first:
            t = max(t, now)
        var += (settings.service_cv * service[i]) ** 2
    return etas, sds


class _VanState(TypedDict):
    done: dict[str, tuple[str, pd.Timestamp]]
    """Completed stops: order_id -> (kind 'delivered' or 'failed', time)."""
    arrived: dict[str, pd.Timestamp]
    """Arrival time per order_id."""
    last: pd.Series | None
    """The van's latest event, None before its first."""


def _van_state(evs: pd.DataFrame) -> _VanState:
    done = {r.order_id: (r.kind, r.ts) for r in evs.itertuples() if r.kind in ("delivered", "failed")}
    arrived = {r.order_id: r.ts for r in evs.itertuples() if r.kind == "arrived"}
    return {"done": done, "arrived": arrived, "last": evs.iloc[-1] if len(evs) else None}


def eta_table(day: PlannedDay, events: pd.DataFrame, now: datetime | pd.Timestamp, travel: Travel | None = None,
              settings: EtaSettings | None = None) -> pd.DataFrame:
    """One row per planned stop (ETA_COLUMNS): done stops with their actual times, remaining ones with ETA,
    80% window, delay against plan and minutes past the window end (positive = late).

    ``events``: delivery events (any days; only this day's up to ``now`` are used).
    """
    travel, settings = travel or TravelModel(), settings or EtaSettings()
    midnight, now_ts = pd.Timestamp(day.day), pd.Timestamp(now)
    now_m = _minutes(now_ts, midnight)
    ev = events[(pd.to_datetime(events["ts"]) <= now_ts) & (pd.to_datetime(events["ts"]) >= midnight)]
    ev = ev.assign(ts=pd.to_datetime(ev["ts"])).sort_values("ts", kind="stable")
    out = []
    for van in day.vans.itertuples():
        stops = day.stops_of(van.vehicle_id)
        if stops.empty:
            continue
        state = _van_state(ev[ev["vehicle_id"] == van.vehicle_id])
        done = state["done"]
        rem = stops[~stops["order_id"].isin(list(done))]
        last = state["last"]
        at_first = False
        if last is None:
            t0, pos = max(_minutes(van.planned_departure, midnight), now_m), (van.depot_lat, van.depot_lon)
        elif last["kind"] == "departed":
            t0, pos = _minutes(last["ts"], midnight), (van.depot_lat, van.depot_lon)
        elif last["kind"] == "ping":
            t0, pos = _minutes(last["ts"], midnight), (last["lat"], last["lon"])
        else:
            where = stops[stops["order_id"] == last["order_id"]]
            t0 = _minutes(last["ts"], midnight)
            pos = ((where["lat"].iloc[0], where["lon"].iloc[0]) if len(where)
                   else (last["lat"], last["lon"]) if pd.notna(last["lat"]) else (van.depot_lat, van.depot_lon))
            if last["kind"] == "arrived" and last["order_id"] in set(rem["order_id"]):
                # at that stop now (even if out of sequence): it comes first, the rest keep their order
                rem = pd.concat([rem[rem["order_id"] == last["order_id"]], rem[rem["order_id"] != last["order_id"]]])
                at_first = True
        etas: list[float] = []
        sds: list[float] = []
        if len(rem):
            lat, lon = rem["lat"].to_numpy(float), rem["lon"].to_numpy(float)
            legs = [0.0, *leg_minutes(travel, van.profile, lat[:-1], lon[:-1], lat[1:], lon[1:]).tolist()]
            first = float(leg_minutes(travel, van.profile, pos[0], pos[1], lat[0], lon[0]))
            etas, sds = project(t0, first, legs, [_minutes(x, midnight) for x in rem["planned_arrival"]],
                                [_minutes(x, midnight) for x in rem["window_start"]],
                                rem["service_minutes"].astype(float).tolist(), now_m, settings, at_first)
        eta_of = {o: (e, s) for o, e, s in zip(rem["order_id"], etas, sds)}
        for r in stops.itertuples():
            row = {c: getattr(r, c) for c in ("vehicle_id", "sequence", "order_id", "customer_id", "name", "lat", "lon",
                                              "planned_arrival", "window_start", "window_end")}
            if r.order_id in done:
                kind, ts = done[r.order_id]
                row.update(status=kind, actual_arrival=state["arrived"].get(r.order_id, ts), eta=pd.NaT,
                           eta_low=pd.NaT, eta_high=pd.NaT, risk="")
                row["delay_minutes"] = _minutes(row["actual_arrival"], r.planned_arrival)
                row["minutes_late"] = _minutes(row["actual_arrival"], r.window_end)
            else:
                e, s = eta_of[r.order_id]
                eta = midnight + pd.Timedelta(minutes=e)
                low = midnight + pd.Timedelta(minutes=min(e, max(e - settings.z * s, now_m)))
                high = midnight + pd.Timedelta(minutes=e + settings.z * s)
                late, late_high = _minutes(eta, r.window_end), _minutes(high, r.window_end)
                at_stop = at_first and r.order_id == rem["order_id"].iloc[0]
                row.update(status="at the stop" if at_stop else ("not started" if last is None else "to come"),
                           actual_arrival=state["arrived"].get(r.order_id, pd.NaT), eta=eta, eta_low=low,
                           eta_high=high, delay_minutes=_minutes(eta, r.planned_arrival), minutes_late=late,
                           risk="late" if late > 0 else ("at risk" if late_high > 0 else "on time"))
            out.append(row)
    frame = pd.DataFrame(out, columns=ETA_COLUMNS)
    for c in ("actual_arrival", "eta", "eta_low", "eta_high"):
        frame[c] = pd.to_datetime(frame[c]).dt.round("s")
    return frame.sort_values(["vehicle_id", "sequence"]).reset_index(drop=True)


def at_risk(etas: pd.DataFrame) -> pd.DataFrame:
    """Remaining stops expected late or at risk, worst first, with plain 'by how much' text."""
    r = etas[etas["risk"].isin(["late", "at risk"])].sort_values("minutes_late", ascending=False).copy()
    planned_late = (r["planned_arrival"] - r["window_end"]).dt.total_seconds() / 60.0
    r["by_how_much"] = [(f"expected {m:.0f} min after the window closes" if m > 0 else
                         f"{-m:.0f} min to spare, but the late end of the ETA window is past the window")
                        + (f" (the plan itself was {p:.0f} min late)" if p > 0 else "")
                        for m, p in zip(r["minutes_late"], planned_late)]
    return r


def van_positions(day: PlannedDay, events: pd.DataFrame, now: datetime | pd.Timestamp) -> pd.DataFrame:
    """Last known position of each van at ``now``: lat, lon, time, what it last did, stops done of planned."""
    midnight, now_ts = pd.Timestamp(day.day), pd.Timestamp(now)
    ev = events[(pd.to_datetime(events["ts"]) <= now_ts) & (pd.to_datetime(events["ts"]) >= midnight)]
    ev = ev.assign(ts=pd.to_datetime(ev["ts"])).sort_values("ts", kind="stable")
    where = day.stops.set_index("order_id")[["lat", "lon"]]
    rows = []
    for van in day.vans.itertuples():
        e = ev[ev["vehicle_id"] == van.vehicle_id]
        n_planned = int((day.stops["vehicle_id"] == van.vehicle_id).sum())
        n_done = int(e["kind"].isin(["delivered", "failed"]).sum())
        lat, lon, ts, doing = van.depot_lat, van.depot_lon, pd.NaT, "at the depot"
        if len(e):
            last = e.iloc[-1]
            ts = last["ts"]
            if last["kind"] == "ping" or (pd.notna(last["lat"]) and pd.notna(last["lon"])):
                lat, lon = float(last["lat"]), float(last["lon"])
            elif last["order_id"] in where.index:
                lat, lon = (float(x) for x in where.loc[last["order_id"]])
            doing = {"departed": "left the depot", "ping": "on the road", "arrived": "at a stop",
                     "delivered": "just delivered", "failed": "just missed a delivery"}[last["kind"]]
        if n_done == n_planned and n_planned:
            doing = "all stops done"
        rows.append({"vehicle_id": van.vehicle_id, "lat": lat, "lon": lon, "last_seen": ts, "doing": doing,
                     "stops_done": n_done, "stops_planned": n_planned})
    return pd.DataFrame(rows, columns=["vehicle_id", "lat", "lon", "last_seen", "doing", "stops_done", "stops_planned"])
