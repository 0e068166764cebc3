"""Delivery options services: the success model learned from the history, ranked options per order (priced on the
workspace's roads when it has a road network, and on the Route map's plans of the offered days when asked), the
history views, the new-slot what-if and the backtest, cached per workspace key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from opscore.delivery_options import (
    BacktestResult,
    OptionSettings,
    SuccessModel,
    backtest,
    customers_failing_most,
    failure_reasons,
    first_attempts,
    new_slot_whatif,
    offered_slots,
    planned_round,
    preferred_windows,
    rank_options,
    segment_failure_grid,
    working_days,
)
from opscore.routing import DayPlanSettings, NoOrdersError, Travel, TravelModel
from ui.services.roads import travel_at
from ui.services.routes import day_plan, factors_at
from ui.state import store_for, table_at

NEW_ORDER = "NEW"
"""The order id options are ranked for when a customer has no open order."""


@dataclass(frozen=True)
class History:
    """What the delivery history says, the same whichever order or assumptions are chosen."""

    prefs: pd.DataFrame
    """Per customer: stated window, usual days and slot, first-time success so far."""
    grid: pd.DataFrame
    """Expected failure rate per segment and slot."""
    reasons: pd.DataFrame
    """Failed attempts per reason."""
    failing: pd.DataFrame
    """The customers failing most."""


@st.cache_data(show_spinner=False, max_entries=8)
def learned(key: str) -> tuple[pd.DataFrame, SuccessModel]:
    """(first attempts, the success model fitted on them). ValueError when there is no history to learn from."""
    attempts = first_attempts(table_at(key, "deliveries"), table_at(key, "orders"), table_at(key, "customers"))
    return attempts, SuccessModel().fit(attempts)


@st.cache_data(show_spinner=False, max_entries=8)
def upcoming(key: str) -> pd.DataFrame:
    """Open and planned orders due from the as-of date on."""
    orders = table_at(key, "orders")
    due = pd.to_datetime(orders["delivery_date"]).dt.date >= store_for(key).as_of()
    return orders[orders["status"].isin(["open", "planned"]) & due]


@st.cache_data(show_spinner=False, max_entries=16)
def planned_stops(key: str, day: date) -> pd.DataFrame | None:
    """The Route map's plan of ``day``'s open orders on its default settings, as planned stops (None if nothing is
    due that day)."""
    try:
        return planned_round(day_plan(key, day, DayPlanSettings()))
    except NoOrdersError:
        return None


def travel(key: str) -> Travel:
    """What options are priced on: the workspace's roads, else straight line x circuity at the default speed."""
    return travel_at(key) or TravelModel()


@st.cache_data(show_spinner=False, max_entries=32)
def options(key: str, order_id: str, customer_id: str, settings: OptionSettings, planned: bool) -> pd.DataFrame:
    """Ranked options for ``order_id`` (a new order of ``customer_id`` when it is :data:`NEW_ORDER`); with
    ``planned``, standard slots are priced as a detour from each offered day's planned round."""
    _, model = learned(key)
    orders = table_at(key, "orders")
    if order_id == NEW_ORDER:
        orders = pd.concat([orders, pd.DataFrame([{"order_id": NEW_ORDER, "customer_id": customer_id,
                                                   "status": "open"}])], ignore_index=True)
    as_of = store_for(key).as_of()
    rounds = {d: r for d in working_days(as_of, settings.days_ahead) if (r := planned_stops(key, d)) is not None} \
        if planned else None
    return rank_options(order_id, model, orders, table_at(key, "customers"), table_at(key, "vehicles"),
                        table_at(key, "sites"), as_of, rounds=rounds, travel=travel(key), factors=factors_at(key),
                        settings=settings)


@st.cache_data(show_spinner=False, max_entries=8)
def history(key: str) -> History:
    """What the delivery history says (:class:`History`)."""
    attempts, model = learned(key)
    customers = table_at(key, "customers")
    return History(prefs=preferred_windows(attempts, customers, model), grid=segment_failure_grid(attempts, model),
                   reasons=failure_reasons(attempts), failing=customers_failing_most(attempts, customers, model))


def main_failure_reason(key: str, customer_id: str) -> str | None:
    """The commonest reason for a failed first attempt of the customer's, or None if none failed."""
    attempts, _ = learned(key)
    reasons = failure_reasons(attempts[attempts["customer_id"] == customer_id], by="customer_id")
    return str(reasons["failure_reason"].iloc[0]) if len(reasons) else None


def slots(key: str) -> list[str]:
    """The delivery slots offered today (the vans' shift hours)."""
    return offered_slots(table_at(key, "vehicles"))


@st.cache_data(show_spinner=False, max_entries=32)
def new_slot(key: str, slot: str, rate: float | None) -> pd.DataFrame:
    """Per customer: their best slot today against ``slot`` (its success the model's, or ``rate``)."""
    attempts, model = learned(key)
    return new_slot_whatif(model, attempts, table_at(key, "customers"), slot, slots(key), rate)


@st.cache_data(show_spinner=False, max_entries=4)
def backtested(key: str, folds: int) -> BacktestResult:
    """The recommendation backtest over the last ``folds`` months of 30 days."""
    attempts, _ = learned(key)
    return backtest(attempts, slots(key), folds=folds, fold_days=30)
