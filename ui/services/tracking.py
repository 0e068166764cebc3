"""Tracking services: the day's plan, its events (recorded or simulated) and the ETA accuracy, cached per workspace
key. A route-planner plan is the Route map's plan of the day (:func:`ui.services.routes.day_plan`)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from opscore.routing import DayPlanSettings, RushHour, Travel, TravelModel
from opscore.tracking import (
    EtaSettings,
    PlannedDay,
    accuracy_by_horizon,
    deliveries_day,
    eta_errors,
    planned_day_of,
    simulate_feed,
)
from ui.services.roads import travel_at
from ui.services.routes import day_plan, tables_at
from ui.state import store_for, table_at

PLANNER = "planner"
"""Plan source: a fresh route-planner plan of the day's open orders."""
DELIVERIES = "deliveries"
"""Plan source: the deliveries table in planned-arrival order."""


def plan_speed(source: str, speed: float) -> float:
    """The speed (km/h) a plan from ``source`` depends on: 0 for the deliveries' own plan, which moving it then
    reuses."""
    return speed if source == PLANNER else 0.0


def travel_for(key: str, speed: float) -> Travel:
    """How ETAs time the legs: the workspace's roads when it has a road network, else straight lines at ``speed``
    km/h."""
    return travel_at(key) or TravelModel(default_speed_kmh=speed)


def days_tracked(key: str) -> list[date]:
    """Days with planned deliveries up to the workspace's as-of date, latest first."""
    planned = pd.to_datetime(table_at(key, "deliveries")["planned_date"]).dt.date.unique()
    as_of = store_for(key).as_of()
    return sorted((d for d in planned if d <= as_of), reverse=True)


@st.cache_data(show_spinner=False, max_entries=16)
def planned(key: str, day: date, source: str, speed: float, rush: RushHour | None = None) -> PlannedDay:
    """The day's plan from ``source`` (:data:`PLANNER` or :data:`DELIVERIES`); ``speed`` (km/h) and ``rush`` (speed
    bands, as the Route map's "Rush hour") only matter to a route-planner plan (pass :func:`plan_speed`). ValueError
    when the day cannot be tracked."""
    if source == PLANNER:
        settings = DayPlanSettings(default_speed_kmh=speed, rush=rush)
        return planned_day_of(day_plan(key, day, settings), tables_at(key))
    return deliveries_day(tables_at(key), day)


def order_days(key: str, order_ref: str) -> list[date]:
    """The days an order (its reference in capitals) is planned for delivery, soonest first; empty if unknown."""
    deliveries = table_at(key, "deliveries")
    mine = deliveries[deliveries["order_id"].str.upper() == order_ref]
    return sorted(set(pd.to_datetime(mine["planned_date"]).dt.date))


def recorded_count(key: str, day: date) -> int:
    """Events recorded from the road on ``day``."""
    ev = table_at(key, "delivery_events")
    return int((pd.to_datetime(ev["ts"]).dt.date == day).sum())


@st.cache_data(show_spinner=False, max_entries=16)
def events(key: str, day: date, recorded: bool, speed: float, seed: int, traffic: float, stretch: float,
           failed: int, plan_source: str, rush: RushHour | None = None) -> pd.DataFrame:
    """The day's recorded events, or a simulated driver feed of the plan from ``plan_source`` (planned with
    ``rush``; traffic noise, stops up to ``stretch`` times longer, ``failed`` failed attempts, at ``speed`` km/h,
    seeded)."""
    if recorded:
        ev = table_at(key, "delivery_events")
        return ev[pd.to_datetime(ev["ts"]).dt.date == day]
    return simulate_feed(planned(key, day, plan_source, plan_speed(plan_source, speed), rush),
                         travel_for(key, speed), seed=seed, traffic_sd=traffic,
                         service_stretch=stretch, n_failed=failed)


@st.cache_data(show_spinner=False, max_entries=8)
def accuracy(key: str, days: int, speed: float, cv: float) -> pd.DataFrame:
    """ETA accuracy per horizon over the ``days`` before the as-of date, at ``speed`` km/h and travel spread ``cv``."""
    end = store_for(key).as_of()
    t = tables_at(key)
    errors = eta_errors(deliveries=t.deliveries, orders=t.orders, customers=t.customers, vehicles=t.vehicles,
                        sites=t.sites, travel=travel_for(key, speed), settings=EtaSettings(travel_cv=cv),
                        start=end - pd.Timedelta(days=days), end=end)
    return accuracy_by_horizon(errors)
