"""Ranked delivery options for an order: slots on the next days, express, and pick-up points.

Each option has a predicted first-attempt success p (:class:`SuccessModel`), a cost to serve and CO2e.
Cost to serve = extra km x the van's cost per km + extra hours x its driver cost per hour (the route
planner's cost objective, opscore.routing.plan.route_objective); extra km for a standard slot is the
cheapest insertion detour d(a,x) + d(x,b) - d(a,b) into a planned round (Rosenkrantz, Stearns & Lewis
1977, SIAM J. Computing 6(3), insertion heuristics) or, without a plan, the round trip to the nearest
other stop that day; express is a dedicated out-and-back trip from the depot. Road km and driving minutes
come from a :class:`opscore.routing.Travel`: straight line x circuity at a speed, or fastest routes on roads.
CO2e = extra km x the van's kg CO2e per km (UK GHG 2025 factors). Options are ranked by expected cost per
successful delivery, (cost + carbon price x CO2e) / p, since a failed attempt is repeated
(geometric number of attempts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.delivery_options.history import SLOT_HOURS, offered_slots, slot_start_hour
from opscore.delivery_options.success import SuccessModel
from opscore.emission_factors import van_kg_co2e_per_km
from opscore.routing import Travel, TravelModel
from opscore.timeofday import parse_hhmm

OPTION_COLUMNS = ["rank", "option", "kind", "day", "slot", "site_id", "success", "extra_km", "cost_gbp", "co2e_kg",
                  "expected_cost_gbp", "score", "reason"]
SOURCE_WORDS = {"customer": "from this customer's own deliveries", "segment slot": "from similar {seg}s at this time",
                "segment": "from similar {seg}s", "overall": "from all customers"}


@dataclass(frozen=True)
class OptionSettings:
    """Assumptions behind the ranking (all editable)."""

    days_ahead: int = 3
    """Working days (Mon-Sat) offered after today."""
    carbon_price_gbp_per_kg: float = 0.26
    """GBP per kg CO2e added to cost when ranking (about the UK central carbon value for appraisal, DESNZ 2021)."""
    pickup_radius_km: float = 8.0
    """Pick-up points further than this (road km) from the customer are not offered."""
    pickup_success: float = 0.97
    """Assumed first-time success of a collection (no history of collections)."""
    pickup_handling_gbp: float = 1.0
    """Handling fee per parcel at a pick-up point, GBP."""
    express: bool = True
    """Offer a same-day dedicated trip."""

    def __post_init__(self) -> None:
        if not 1 <= self.days_ahead <= 14:
            raise ValueError(f"days_ahead {self.days_ahead} must be 1-14")
        if self.carbon_price_gbp_per_kg < 0 or self.pickup_radius_km < 0 or self.pickup_handling_gbp < 0:
            raise ValueError("carbon price, pick-up radius and handling fee cannot be negative")
        if not 0 < self.pickup_success <= 1:
            raise ValueError(f"pickup_success {self.pickup_success} must be in (0, 1]")


def working_days(as_of: date, n: int) -> list[date]:
    """The next ``n`` days after ``as_of`` that are not Sundays."""
    out: list[date] = []
    d = as_of
    while len(out) < n:
        d += timedelta(days=1)
        if d.weekday() != 6:
            out.append(d)
    return out


def round_trip(travel: Travel, a: tuple[float, float], lat: npt.ArrayLike, lon: npt.ArrayLike,
               profile: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(km, minutes) from ``a`` to each point and back (each way its own route on roads)."""
    out_km, out_min = travel.legs(a[0], a[1], lat, lon, profile)
    back_km, back_min = travel.legs(lat, lon, a[0], a[1], profile)
    return out_km + back_km, out_min + back_min


def _insertion(lat: float, lon: float, rounds: pd.DataFrame, depot: tuple[float, float], travel: Travel,
               profiles: Mapping[str, str], default: str) -> tuple[float, float, str | None]:
    """(km, minutes, vehicle_id) of the cheapest insertion (by km); each van's legs at its profile in
    ``profiles`` (``default`` otherwise, and for the out-and-back trip when no round is shorter)."""
    km, minutes = _trip(travel, depot, lat, lon, default)
    van = None
    for vid, g in rounds.sort_values("sequence").groupby("vehicle_id"):
        la = np.r_[depot[0], g["lat"].to_numpy(float), depot[0]]
        lo = np.r_[depot[1], g["lon"].to_numpy(float), depot[1]]
        profile = profiles.get(str(vid), default)
        ax_km, ax_min = travel.legs(la[:-1], lo[:-1], lat, lon, profile)
        xb_km, xb_min = travel.legs(lat, lon, la[1:], lo[1:], profile)
        ab_km, ab_min = travel.legs(la[:-1], lo[:-1], la[1:], lo[1:], profile)
        detour = ax_km + xb_km - ab_km
        at = int(np.argmin(detour))
        if detour[at] < km:
            km, minutes, van = float(detour[at]), float(ax_min[at] + xb_min[at] - ab_min[at]), str(vid)
    return max(km, 0.0), max(minutes, 0.0), van


def insertion_km(lat: float, lon: float, rounds: pd.DataFrame, depot: tuple[float, float],
                 travel: Travel, profile: str = "default") -> tuple[float, str | None]:
    """Cheapest insertion detour (road km) of a point into planned rounds (vehicle_id, sequence, lat, lon)
    starting and ending at ``depot``; (km, vehicle_id). An empty plan gives the out-and-back trip."""
    km, _, van = _insertion(lat, lon, rounds, depot, travel, {}, profile)
    return km, van


def _van_rates(vehicles: pd.DataFrame, vid: str | None, factors: pd.DataFrame | None,
               pick: str = "mean") -> tuple[float, float, float, str]:
    """(GBP per km, GBP per hour, kg CO2e per km, profile) of a van, or the fleet average / cleanest van."""
    co2 = np.array([van_kg_co2e_per_km(f, factors) for f in vehicles["fuel"]])
    v = vehicles.assign(co2=co2)
    if vid is not None and vid in set(v["vehicle_id"]):
        r = v[v["vehicle_id"] == vid].iloc[0]
        return float(r["cost_per_km"]), float(r["cost_per_hour"]), float(r["co2"]), str(r["type"])
    if pick == "cheapest":
        r = v.sort_values(["cost_per_km", "co2"]).iloc[0]
        return float(r["cost_per_km"]), float(r["cost_per_hour"]), float(r["co2"]), str(r["type"])
    return (float(v["cost_per_km"].mean()), float(v["cost_per_hour"].mean()), float(v["co2"].mean()),
            str(v["type"].iloc[0]))


def rank_options(order_id: str, model: SuccessModel, orders: pd.DataFrame, customers: pd.DataFrame,
                 vehicles: pd.DataFrame, sites: pd.DataFrame, as_of: date, *,
                 rounds: Mapping[date, pd.DataFrame] | None = None, slots: Sequence[str] | None = None,
                 travel: Travel | None = None, factors: pd.DataFrame | None = None,
                 settings: OptionSettings | None = None) -> pd.DataFrame:
    """Delivery options for ``order_id`` ranked best first (OPTION_COLUMNS), each with a one-sentence reason.

    Standard slots are those of ``slots`` (default: the vans' shift hours) that overlap the customer's window.

    ``rounds``: planned stops per day (vehicle_id, sequence, lat, lon, optional order_id; e.g. ``PlannedDay.stops``)
    for the marginal cost of a standard slot (the order's own stop is left out); days without one use the other
    orders due that day. ``travel``: road km and minutes (default: :class:`TravelModel`'s straight line).
    """
    settings = settings or OptionSettings()
    road: Travel = travel or TravelModel()
    o = orders[orders["order_id"] == order_id]
    if o.empty:
        raise ValueError(f"order {order_id!r} is not in the orders table; pick an existing order reference")
    c = customers[customers["customer_id"] == o["customer_id"].iloc[0]]
    if c.empty:
        raise ValueError(f"order {order_id} belongs to customer {o['customer_id'].iloc[0]!r}, who is not in customers")
    cust = c.iloc[0]
    slots = list(slots) if slots is not None else offered_slots(vehicles)
    ws, we = (parse_hhmm(t) for t in (cust["window_start"], cust["window_end"]))
    slots = [s for s in slots if slot_start_hour(s) * 60 < we and (slot_start_hour(s) + SLOT_HOURS) * 60 > ws]
    if not slots:
        raise ValueError(f"no offered slot overlaps {cust['name']}'s window "
                         f"{cust['window_start']}-{cust['window_end']}; "
                         "offer a slot in that window or widen the customer's window")
    depots = sites[sites["site_id"].isin(vehicles["depot_id"])]
    if depots.empty:
        raise ValueError("the vans' depot is not in the sites table; add it (kind 'depot' or 'warehouse')")
    depot = (float(depots["lat"].iloc[0]), float(depots["lon"].iloc[0]))
    service_h = float(cust["service_minutes"]) / 60.0
    days = working_days(as_of, settings.days_ahead)
    profiles = dict(zip(vehicles["vehicle_id"].astype(str), vehicles["type"].astype(str)))
    fleet = _van_rates(vehicles, None, factors)[3]  # the profile of options priced at the fleet's average van
    rows: list[dict[str, object]] = []

    def add(kind: str, day: date, slot: str, trip: tuple[float, float], vid: str | None, p: float, source: str,
            extra: str, site_id: str | None = None, fee: float = 0.0, pick: str = "mean",
            on_site_h: float = service_h) -> None:
        per_km, per_h, co2_km, _ = _van_rates(vehicles, vid, factors, pick)
        km, minutes = trip
        hours = minutes / 60.0 + on_site_h
        cost = km * per_km + hours * per_h + fee
        co2 = km * co2_km
        rows.append({"kind": kind, "day": day, "slot": slot, "site_id": site_id, "success": p, "extra_km": km,
                     "cost_gbp": cost, "co2e_kg": co2, "expected_cost_gbp": cost / p,
                     "score": (cost + settings.carbon_price_gbp_per_kg * co2) / p, "src": source, "where": extra})

    def predict(day: date, slot_list: Sequence[str]) -> tuple[npt.NDArray[np.float64], list[str]]:
        grid = pd.DataFrame({"customer_id": cust["customer_id"], "segment": cust["segment"],
                             "weekday": day.weekday(), "slot": list(slot_list)})
        return model.predict(grid), model.source(grid)

    day_orders = orders.merge(customers[["customer_id", "lat", "lon"]], on="customer_id")
    day_orders = day_orders[day_orders["order_id"] != order_id]
    for day in days:
        plan = (rounds or {}).get(day)
        if plan is not None and "order_id" in plan.columns:
            plan = plan[plan["order_id"] != order_id]
        vid: str | None = None
        if plan is not None and len(plan):
            km, minutes, vid = _insertion(cust["lat"], cust["lon"], plan, depot, road, profiles, fleet)
            trip, where = (km, minutes), f"van {vid}'s planned round" if vid else "a trip from the depot"
        else:
            others = day_orders[pd.to_datetime(day_orders["delivery_date"]).dt.date == day]
            if len(others):
                kms, mins = round_trip(road, (cust["lat"], cust["lon"]), others["lat"], others["lon"], fleet)
                near = int(np.argmin(kms))
                trip, where = (float(kms[near]), float(mins[near])), "the deliveries already due nearby"
            else:
                trip, where = _trip(road, depot, cust["lat"], cust["lon"], fleet), "a trip from the depot"
        ps, sources = predict(day, slots)
        for slot, p, src in zip(slots, ps, sources):
            add("standard", day, slot, trip, vid, float(p), src, where)
        for site in sites[sites["kind"] == "pickup"].itertuples():
            dist = float(road.legs(cust["lat"], cust["lon"], site.lat, site.lon, fleet)[0])
            if dist <= settings.pickup_radius_km:
                ptrip = _insertion(site.lat, site.lon, plan, depot, road, {}, fleet)[:2] \
                    if plan is not None and len(plan) else _trip(road, depot, site.lat, site.lon, fleet)
                add("pickup", day, "any time", ptrip, None, settings.pickup_success, "pickup",
                    f"{site.name} ({dist:.1f} km from you)", site.site_id, settings.pickup_handling_gbp, on_site_h=0.1)
    if settings.express:
        late = slots[-1]
        p_late, src_late = predict(as_of, [late])
        cheapest = _van_rates(vehicles, None, factors, "cheapest")[3]
        add("express", as_of, late, _trip(road, depot, cust["lat"], cust["lon"], cheapest),
            None, float(p_late[0]), src_late[0], "a dedicated van", pick="cheapest")
    out = pd.DataFrame(rows).sort_values(["score", "day"], kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["option"] = [_label(r) for r in out.itertuples()]
    out["reason"] = [_reason(r, str(cust["segment"])) for r in out.itertuples()]
    return out[OPTION_COLUMNS]


def _trip(travel: Travel, a: tuple[float, float], lat: float, lon: float, profile: str) -> tuple[float, float]:
    """(km, minutes) of the out-and-back trip from ``a`` to one point."""
    km, minutes = round_trip(travel, a, lat, lon, profile)
    return float(km), float(minutes)


class _OptionRow(Protocol):
    """One row of the options table as ``DataFrame.itertuples`` gives it (before rank/option/reason)."""

    @property
    def kind(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def slot(self) -> str: ...
    @property
    def site_id(self) -> str | None: ...
    @property
    def success(self) -> float: ...
    @property
    def extra_km(self) -> float: ...
    @property
    def cost_gbp(self) -> float: ...
    @property
    def co2e_kg(self) -> float: ...
    @property
    def src(self) -> str: ...
    @property
    def where(self) -> str: ...


def _label(r: _OptionRow) -> str:
    when = f"{r.day:%a %d %b}"
    return {"standard": f"{when} {r.slot}", "express": f"Express today {r.slot}",
            "pickup": f"Collect {when} from {r.site_id}"}[r.kind]


def _reason(r: _OptionRow, segment: str) -> str:
    money = f"£{r.cost_gbp:.2f}, {r.co2e_kg:.1f} kg CO2e"
    if r.kind == "express":
        return (f"Soonest option with a {r.success:.0%} chance of first-time delivery, but {r.where} makes a "
                f"{r.extra_km:.1f} km special trip ({money}).")
    if r.kind == "pickup":
        return (f"Collect from {r.where}: about {r.success:.0%} success assumed for collections, and the van adds "
                f"only {r.extra_km:.1f} km ({money}).")
    source = SOURCE_WORDS.get(r.src, "").format(seg=segment)
    return (f"{r.success:.0%} chance of delivering first time {source}; adds about {r.extra_km:.1f} km to "
            f"{r.where} ({money}).")
