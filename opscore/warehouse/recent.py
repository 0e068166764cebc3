"""The period the Warehouse page looks back on and forward to: last month's pick lines, the first delivery day
from today, and the order of a day that spreads over the most aisles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from opscore.warehouse.picks import location_summary, orders_between, pick_bins, pick_lines

MONTH_DAYS = 30
"""Days of orders looked back on for pick counts, slotting and packaging (the days before today)."""


@dataclass(frozen=True)
class RecentPicks:
    """The pick lines of the orders due in the ``days`` days before today, with where stock sits today."""

    start: date
    """First delivery day looked back on (today minus ``days``)."""
    end: date
    """Last delivery day looked back on (yesterday)."""
    picks: pd.DataFrame
    """Their order lines with pick bin, weight (kg) and volume (litres): :func:`~opscore.warehouse.pick_lines`."""
    bins: pd.DataFrame
    """Each SKU's pick bin today: :func:`~opscore.warehouse.pick_bins`."""
    cells: pd.DataFrame
    """Stock units and pick visits per aisle and bay: :func:`~opscore.warehouse.location_summary`."""

    @property
    def days(self) -> int:
        """Days looked back on, start and end included."""
        return (self.end - self.start).days + 1


def recent_picks(*, orders: pd.DataFrame, order_lines: pd.DataFrame, products: pd.DataFrame,
                 inventory: pd.DataFrame, bins: pd.DataFrame, as_of: date, days: int = MONTH_DAYS) -> RecentPicks:
    """The pick lines of the orders due from ``as_of - days`` to the day before ``as_of`` (not cancelled)."""
    if days < 1:
        raise ValueError(f"days {days} must be 1 or more (days of orders looked back on)")
    start, end = as_of - timedelta(days=days), as_of - timedelta(days=1)
    picks = pick_lines(order_lines, products, inventory, bins, orders_between(orders, start, end))
    return RecentPicks(start, end, picks, pick_bins(inventory, bins), location_summary(bins, inventory, picks))


def first_delivery_day(orders: pd.DataFrame, as_of: date) -> date:
    """The first delivery date of any order on or after ``as_of`` (``as_of`` itself when none is due)."""
    due = pd.to_datetime(orders["delivery_date"]).dt.date
    return min((d for d in due if d >= as_of), default=as_of)


def widest_order(picks: pd.DataFrame) -> str:
    """The order whose lines lie in the most aisles (the first by order id on a tie): the one whose pick path
    differs most between routing methods. ``picks``: :func:`~opscore.warehouse.pick_lines` rows, not empty."""
    if picks.empty:
        raise ValueError("there are no pick lines to choose an order from; pick a day with orders due")
    return str(picks.groupby("order_id")["aisle"].nunique().idxmax())
