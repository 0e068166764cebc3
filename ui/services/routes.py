"""Route map services: a day's stops, the routing problem, its plans and what-ifs, cached per workspace key.

Tracking and Delivery options plan a day through :func:`day_plan` here, so every page plans a day one way
(:func:`opscore.routing.plan_day`) and shares the cached plan when the settings are the same.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from opscore import compliance as co
from opscore.delivery_tables import DeliveryTables
from opscore.emission_factors import factors_from
from opscore.routing import (
    DayPlan,
    DayPlanSettings,
    RouteChange,
    RoutePlan,
    RoutingProblem,
    Travel,
    compare_change,
    day_problem,
    day_stops,
    plan_day,
    solve_day,
)
from opscore.routing.baseline import nearest_neighbour_plan
from opscore.routing.from_tables import delivery_dates
from ui.services.roads import travel_at
from ui.state import store_for, table_at


def tables_at(key: str) -> DeliveryTables:
    """The delivery tables of the workspace ``key`` names, from the cached table copies."""
    return DeliveryTables.read(partial(table_at, key))


def factors_at(key: str) -> pd.DataFrame:
    """The workspace's emission factors, else the UK 2025 defaults."""
    return factors_from(table_at(key, "emission_factors"))


@st.cache_data(show_spinner=False, max_entries=8)
def delivery_days(key: str) -> list[date]:
    """Days from the workspace's as-of date on with open or planned orders, soonest first."""
    return delivery_dates(table_at(key, "orders"), store_for(key).as_of())


@st.cache_data(show_spinner=False, max_entries=16)
def stops_of_day(key: str, day: date) -> pd.DataFrame:
    """One stop per open or planned order due on ``day`` (empty if none)."""
    return day_stops(tables_at(key), day)


def travel_of(key: str, settings: DayPlanSettings) -> Travel:
    """How far and how long: the workspace's roads (van types at most their ``type_speeds``), else the settings'
    straight-line model."""
    return travel_at(key, settings.type_speeds) or settings.travel


@st.cache_data(show_spinner=False, max_entries=32)
def _problem(key: str, stops: pd.DataFrame, settings: DayPlanSettings, matrix: pd.DataFrame | None) -> RoutingProblem:
    """:func:`problem` as cached: without its travel model (a road network is shared, never copied per entry)."""
    built = day_problem(tables_at(key), stops, settings, factors_at(key), matrix, travel=travel_of(key, settings))
    return replace(built, travel=None)


def problem(key: str, stops: pd.DataFrame, settings: DayPlanSettings,
            matrix: pd.DataFrame | None = None) -> RoutingProblem:
    """The routing problem of ``stops`` (a day's orders or an upload) with the workspace's vans under
    ``settings``, on the workspace's roads when it has a road network; ``matrix``: the user's own road km and
    minutes. ValueError says what cannot be planned."""
    cached = _problem(key, stops, settings, matrix)
    return cached if matrix is not None else replace(cached, travel=travel_of(key, settings))


@st.cache_data(show_spinner=False, max_entries=32)
def solved(key: str, _problem: RoutingProblem, problem_key: tuple[object, ...], settings: DayPlanSettings) -> RoutePlan:
    """The optimised plan of ``_problem`` (identified by the hashable ``problem_key``) under ``settings``."""
    return solve_day(_problem, settings)


@st.cache_data(show_spinner=False, max_entries=32)
def naive(key: str, _problem: RoutingProblem, problem_key: tuple[object, ...]) -> RoutePlan:
    """The nearest-neighbour plan of ``_problem``: the quick first plan and the yardstick of savings."""
    return nearest_neighbour_plan(_problem)


@st.cache_data(show_spinner=False, max_entries=32)
def planned_hours(key: str, stops: pd.DataFrame) -> pd.DataFrame:
    """Breaches of the enabled drivers' hours rules on a plan's stops (a rerun with the same plan reuses them)."""
    return co.check_planned_hours(co.rules_from(table_at(key, "compliance_rules")), stops, store_for(key).as_of())


@st.cache_data(show_spinner=False, max_entries=16)
def what_if(key: str, _problem: RoutingProblem, problem_key: tuple[object, ...], settings: DayPlanSettings,
            change: RouteChange) -> pd.DataFrame:
    """The optimised plan of ``_problem`` against its plan with ``change``, both under ``settings``
    (:func:`opscore.routing.compare_change`). ValueError when the change cannot be made."""
    return compare_change(_problem, solved(key, _problem, problem_key, settings), change, settings, factors_at(key))


@st.cache_data(show_spinner=False, max_entries=16)
def _day_plan(key: str, day: date, settings: DayPlanSettings) -> DayPlan:
    """:func:`day_plan` as cached: its problem without the travel model (shared, never copied per entry)."""
    planned = plan_day(tables_at(key), day, settings, factors_at(key), travel=travel_of(key, settings))
    return replace(planned, problem=replace(planned.problem, travel=None))


def day_plan(key: str, day: date, settings: DayPlanSettings) -> DayPlan:
    """The plan of ``day``'s open orders under ``settings`` (:func:`opscore.routing.plan_day`), shared by
    Tracking's route-planner plan and Delivery options' planned rounds, on the workspace's roads when it has a road
    network. NoOrdersError when nothing is due."""
    cached = _day_plan(key, day, settings)
    return replace(cached, problem=replace(cached.problem, travel=travel_of(key, settings)))
