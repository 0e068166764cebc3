"""Tracking builds on the one day plan (issue 18): the route planner's day is plan_day's, the deliveries' day is
read from the bundle, and the replay spans the day."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd
import pytest

from opscore.delivery_tables import DeliveryTables
from opscore.routing import DayPlanSettings, plan_day
from opscore.routing.from_tables import delivery_dates
from opscore.tracking import (
    deliveries_day,
    planned_day_from_deliveries,
    planned_day_from_plan,
    planned_day_of,
    planner_day,
    replay_window,
)

FAST = DayPlanSettings(max_iterations=200)


@pytest.fixture
def tables(sample_store) -> DeliveryTables:  # type: ignore[no-untyped-def]
    return DeliveryTables.from_store(sample_store)


def test_the_route_planners_day_is_plan_days_plan(tables: DeliveryTables, sample_store) -> None:  # type: ignore[no-untyped-def]
    """planner_day = planned_day_from_plan of plan_day's plan on the same settings: same vans, stops, order and
    planned arrivals."""
    day = delivery_dates(tables.orders, sample_store.as_of())[0]
    planned = plan_day(tables, day, FAST)
    by_hand = planned_day_from_plan(planned.plan, planned.problem, tables.orders, tables.vehicles, tables.sites, day)
    tracked = planner_day(tables, day, FAST)
    pd.testing.assert_frame_equal(tracked.stops, by_hand.stops)
    pd.testing.assert_frame_equal(tracked.vans, by_hand.vans)
    got = {v: tuple(g.sort_values("sequence")["order_id"]) for v, g in tracked.stops.groupby("vehicle_id")}
    assert got == planned.sequences()
    with pytest.raises(ValueError, match="no open or planned orders"):
        planner_day(tables, day.replace(year=day.year + 2), FAST)
    with pytest.raises(ValueError, match="has no day"):
        planned_day_of(dataclasses.replace(planned, day=None), tables)


def test_the_deliveries_day_reads_the_bundle(tables: DeliveryTables, sample_store) -> None:  # type: ignore[no-untyped-def]
    day = sample_store.as_of()
    by_hand = planned_day_from_deliveries(deliveries=tables.deliveries, orders=tables.orders,
                                          customers=tables.customers, vehicles=tables.vehicles, sites=tables.sites,
                                          day=day)
    pd.testing.assert_frame_equal(deliveries_day(tables, day).stops, by_hand.stops)


def test_the_replay_runs_from_the_first_departure_to_half_an_hour_after_the_last_event(tables: DeliveryTables,
                                                                                        sample_store) -> None:  # type: ignore[no-untyped-def]
    """Ends rounded out to quarter hours; the moment asked for is moved inside the span."""
    day = deliveries_day(tables, sample_store.as_of())
    no_events = pd.DataFrame({"ts": pd.Series([], dtype="datetime64[ns]")})
    span = replay_window(day, no_events, datetime.combine(day.day, datetime.min.time()))
    first = min(day.vans["planned_departure"].min(), day.stops["planned_arrival"].min())
    last = day.stops["planned_arrival"].max() + pd.Timedelta(minutes=30)
    assert span.first == first.floor("15min") and span.last == last.ceil("15min") and span.start == span.first
    late = pd.DataFrame({"ts": [last + pd.Timedelta(hours=2)]})
    later = replay_window(day, late, datetime.combine(day.day, datetime.max.time()))
    assert later.last == (last + pd.Timedelta(hours=2, minutes=30)).ceil("15min") and later.start == later.last
