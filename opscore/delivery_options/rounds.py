"""Planned rounds for pricing a delivery option: the route planner's plan of each offered day's open orders.

Every day is planned by :func:`opscore.routing.plan_day`, the plan the Route map shows on the same settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from opscore.delivery_tables import DeliveryTables
from opscore.routing import DayPlan, DayPlanSettings, NoOrdersError, plan_day

ROUND_COLUMNS = ["vehicle_id", "sequence", "order_id", "name", "arrival", "service_start", "departure",
                 "leg_distance", "load_kg_on_board", "lat", "lon"]
"""A planned round: the plan's stops (times in minutes after midnight, leg km, kg on board) with their position."""


def planned_round(day_plan: DayPlan) -> pd.DataFrame:
    """The stops of a planned day in visiting order per van (ROUND_COLUMNS), for :func:`rank_options`' ``rounds``."""
    stops = day_plan.stops[["stop_id", "lat", "lon"]].rename(columns={"stop_id": "order_id"})
    return day_plan.plan.stops_frame().rename(columns={"stop_id": "order_id"}).merge(stops, on="order_id")


def planned_rounds(tables: DeliveryTables, days: Iterable[date], settings: DayPlanSettings | None = None,
                   factors: pd.DataFrame | None = None) -> dict[date, pd.DataFrame]:
    """:func:`planned_round` of each of ``days`` that has open or planned orders (days without any are left out)."""
    rounds = {}
    for day in days:
        try:
            rounds[day] = planned_round(plan_day(tables, day, settings, factors))
        except NoOrdersError:
            continue
    return rounds
