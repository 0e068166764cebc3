"""Planned rounds for pricing options are the one day plan (issue 18): plan_day's stops, with their positions."""

from __future__ import annotations

from datetime import timedelta

from opscore.delivery_options import (
    ROUND_COLUMNS,
    SuccessModel,
    first_attempts,
    planned_round,
    planned_rounds,
    rank_options,
    working_days,
)
from opscore.delivery_tables import DeliveryTables
from opscore.routing import DayPlanSettings, plan_day
from opscore.routing.from_tables import delivery_dates

FAST = DayPlanSettings(max_iterations=200)


def test_a_planned_round_is_the_day_plans_stops_with_their_positions(sample_store) -> None:  # type: ignore[no-untyped-def]
    """One row per planned stop in visiting order per van, positioned at its customer; days without orders are
    left out of the rounds."""
    tables = DeliveryTables.from_store(sample_store)
    days = delivery_dates(tables.orders, sample_store.as_of())
    planned = plan_day(tables, days[0], FAST)
    rnd = planned_round(planned)
    assert list(rnd.columns) == ROUND_COLUMNS
    got = {v: tuple(g.sort_values("sequence")["order_id"]) for v, g in rnd.groupby("vehicle_id")}
    assert got == planned.sequences()
    where = planned.stops.set_index("stop_id")
    assert (rnd["lat"].to_numpy() == where.loc[rnd["order_id"], "lat"].to_numpy()).all()
    empty = days[-1] + timedelta(days=400)
    rounds = planned_rounds(tables, [days[0], empty], FAST)
    assert list(rounds) == [days[0]]
    assert rounds[days[0]].equals(rnd)


def test_rank_options_prices_a_standard_slot_on_a_planned_round(sample_store) -> None:  # type: ignore[no-untyped-def]
    """With rounds from planned_rounds, a standard option on a planned day names the van whose round it joins."""
    tables = DeliveryTables.from_store(sample_store)
    as_of = sample_store.as_of()
    model = SuccessModel().fit(first_attempts(tables.deliveries, tables.orders, tables.customers))
    order = tables.orders[tables.orders["status"] == "open"]["order_id"].iloc[0]
    rounds = planned_rounds(tables, working_days(as_of, 3), FAST)
    assert rounds
    options = rank_options(order, model, tables.orders, tables.customers, tables.vehicles, tables.sites, as_of,
                           rounds=rounds)
    assert options["reason"].str.contains(r"to van V\d's planned round").any()
