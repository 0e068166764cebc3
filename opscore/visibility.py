"""Inventory visibility: stock on hand, value, cover, risks and today's work, from the workspace tables.

All functions are pure: they take the tables as DataFrames and the workspace's
as-of date, and return DataFrames or a :class:`VisibilitySummary`. A figure whose source table
has no rows is unknown (None or NA), never 0: an empty stock snapshot does not mean an empty warehouse.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import numpy as np
import pandas as pd

DEMAND_WINDOW_DAYS = 28
"""Average daily demand is taken over this many days before the as-of date."""
DEAD_AFTER_DAYS = 90
"""Stock of a SKU with no sale in this many days is 'dead'."""
EXPIRY_WARNING_DAYS = 3
"""Lots whose use-by date falls within this many days are 'expiring'."""


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def latest_snapshot(inventory: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """The rows of the most recent inventory snapshot (taken on or before ``as_of``: a count dated later is the
    future to a workspace looked at as of an earlier day)."""
    if as_of is not None:
        inventory = inventory[inventory["snapshot_date"] <= _ts(as_of)]
    if inventory.empty:
        return inventory
    return inventory[inventory["snapshot_date"] == inventory["snapshot_date"].max()]


def demand_window(as_of: date) -> tuple[date, date]:
    """The days ``[first, as_of)`` whose sales make the average daily demand."""
    return as_of - timedelta(days=DEMAND_WINDOW_DAYS), as_of


def sales_summary(sales: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per SKU with sales: ``units`` sold in the :func:`demand_window` and ``last_sale``, its latest sale day."""
    first, _ = demand_window(as_of)
    recent = sales[(sales["date"] >= _ts(first)) & (sales["date"] < _ts(as_of))]
    last = sales.groupby("sku")["date"].max()
    units = recent.groupby("sku")["quantity"].sum().reindex(last.index, fill_value=0)
    return pd.DataFrame({"sku": last.index, "units": units.to_numpy(), "last_sale": last.to_numpy()})


def stock_position(products: pd.DataFrame, inventory: pd.DataFrame, sales: pd.DataFrame,
                   purchase_orders: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """:func:`position_from` the daily sales rows."""
    return position_from(products, inventory, sales_summary(sales, as_of), purchase_orders, as_of)


def position_from(products: pd.DataFrame, inventory: pd.DataFrame, sold: pd.DataFrame,
                  purchase_orders: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per SKU: on hand (units), value at cost (GBP), daily demand, days of cover and open orders.

    ``sold`` is the :func:`sales_summary`; only the open (unreceived) rows of ``purchase_orders`` are used.
    ``at_risk`` is True when stock plus what is due within the lead time cannot cover the
    expected demand over the lead time (a stock-out is likely before a new order arrives). With no
    inventory snapshot, on hand, value and days of cover are NA and no SKU is flagged: the stock is unknown.
    """
    snap = latest_snapshot(inventory, as_of)
    on_hand = snap.groupby("sku")["quantity"].sum()
    sold = sold.set_index("sku")
    demand = sold["units"] / DEMAND_WINDOW_DAYS
    last_sale = sold["last_sale"]
    open_po = purchase_orders[purchase_orders["received_date"].isna()]
    frame = products[["sku", "name", "category", "temperature_class", "unit_cost", "unit_price",
                      "lead_time_days", "supplier_id"]].copy()
    known = not snap.empty
    frame["on_hand"] = (frame["sku"].map(on_hand).fillna(0) if known else pd.Series(pd.NA, frame.index)).astype("Int64")
    frame["value"] = (frame["on_hand"] * frame["unit_cost"]).astype(float)
    frame["daily_demand"] = frame["sku"].map(demand).fillna(0.0)
    stock = frame["on_hand"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["days_of_cover"] = np.where(frame["daily_demand"] > 0, stock / frame["daily_demand"], np.inf)
    frame.loc[frame["on_hand"].isna(), "days_of_cover"] = np.nan
    frame["on_order"] = frame["sku"].map(open_po.groupby("sku")["qty_ordered"].sum()).fillna(0).astype(int)
    due = open_po.merge(frame[["sku", "lead_time_days"]], on="sku")
    due = due[due["promised_date"] <= _ts(as_of) + pd.to_timedelta(due["lead_time_days"], unit="D")]
    frame["due_within_lead_time"] = frame["sku"].map(due.groupby("sku")["qty_ordered"].sum()).fillna(0).astype(int)
    frame["demand_over_lead_time"] = frame["daily_demand"] * frame["lead_time_days"].clip(lower=1)
    frame["at_risk"] = known & (frame["daily_demand"] > 0) & (
        stock + frame["due_within_lead_time"] < frame["demand_over_lead_time"])
    frame["last_sale"] = pd.to_datetime(frame["sku"].map(last_sale.to_dict()))
    frame["days_since_sale"] = (_ts(as_of) - frame["last_sale"]).dt.days
    return frame


def stock_by_location(products: pd.DataFrame, inventory: pd.DataFrame, bins: pd.DataFrame,
                      as_of: date | None = None) -> pd.DataFrame:
    """Units and value at cost (GBP) by category and storage zone, from the latest snapshot (on or before ``as_of``)."""
    snap = latest_snapshot(inventory, as_of).merge(bins[["bin_id", "zone"]], on="bin_id", how="left")
    snap = snap.merge(products[["sku", "category", "unit_cost"]], on="sku", how="left")
    snap["value"] = snap["quantity"] * snap["unit_cost"]
    out = snap.groupby(["category", "zone"], as_index=False).agg(units=("quantity", "sum"), value=("value", "sum"))
    return out.sort_values("value", ascending=False, ignore_index=True)


def dead_stock(position: pd.DataFrame) -> pd.DataFrame:
    """SKUs holding stock with no sale in :data:`DEAD_AFTER_DAYS` days (or never sold)."""
    idle = position["days_since_sale"].isna() | (position["days_since_sale"] >= DEAD_AFTER_DAYS)
    out = position[idle & (position["on_hand"].fillna(0) > 0).to_numpy(bool)]
    return out[["sku", "name", "category", "on_hand", "value", "last_sale", "days_since_sale"]].sort_values(
        "value", ascending=False, ignore_index=True)


def expiring_lots(products: pd.DataFrame, inventory: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Lots past their use-by date or within :data:`EXPIRY_WARNING_DAYS` of it, most urgent first."""
    snap = latest_snapshot(inventory, as_of)
    snap = snap[snap["expiry_date"].notna()]
    days_left = (snap["expiry_date"] - _ts(as_of)).dt.days
    out = snap.assign(days_left=days_left)[days_left <= EXPIRY_WARNING_DAYS]
    out = out.merge(products[["sku", "name", "unit_cost"]], on="sku", how="left")
    out["value"] = out["quantity"] * out["unit_cost"]
    out["status"] = np.where(out["days_left"] < 0, "expired", "expiring")
    return out[["sku", "name", "bin_id", "lot", "quantity", "value", "expiry_date", "days_left", "status"]].sort_values(
        ["days_left", "value"], ascending=[True, False], ignore_index=True)


def ageing_stock(inventory: pd.DataFrame, as_of: date, bands: tuple[int, ...] = (30, 60, 90)) -> pd.DataFrame:
    """Units by age band (days since receipt) of the latest snapshot: '0-30', '31-60', '61-90', '>90'."""
    snap = latest_snapshot(inventory, as_of)
    age = (_ts(as_of) - snap["received_date"]).dt.days
    edges = [-1, *bands, np.inf]
    labels = [f"{lo + 1}-{hi}" for lo, hi in zip([-1, *bands[:-1]], bands)] + [f">{bands[-1]}"]
    labels[0] = f"0-{bands[0]}"
    band = pd.cut(age, edges, labels=labels)
    units = snap.groupby(band, observed=False)["quantity"].sum()
    return pd.DataFrame({"age_days": units.index.astype(str), "units": units.to_numpy()})


def late_purchase_orders(purchase_orders: pd.DataFrame, suppliers: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Open purchase orders whose promised date has passed, with days late."""
    late = purchase_orders[purchase_orders["received_date"].isna() & (purchase_orders["promised_date"] < _ts(as_of))]
    late = late.merge(suppliers[["supplier_id", "name"]].rename(columns={"name": "supplier"}),
                      on="supplier_id", how="left")
    late = late.assign(days_late=(_ts(as_of) - late["promised_date"]).dt.days)
    return late[["po_id", "supplier", "sku", "order_date", "promised_date", "qty_ordered", "days_late"]].sort_values(
        "days_late", ascending=False, ignore_index=True)


def todays_deliveries(deliveries: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame,
                      vehicles: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Delivery attempts planned for the as-of date, in planned order per vehicle."""
    today = deliveries[deliveries["planned_date"] == _ts(as_of)]
    today = today.merge(orders[["order_id", "customer_id"]], on="order_id", how="left")
    today = today.merge(customers[["customer_id", "name", "window_start", "window_end"]], on="customer_id", how="left")
    today = today.merge(vehicles[["vehicle_id", "name"]].rename(columns={"name": "vehicle"}),
                        on="vehicle_id", how="left")
    cols = ["vehicle", "planned_arrival", "name", "order_id", "window_start", "window_end", "attempt", "outcome"]
    return (today.sort_values(["vehicle", "planned_arrival"])[cols].rename(columns={"name": "customer"})
            .reset_index(drop=True))


SOURCES: dict[str, tuple[str, ...]] = {
    "stock_value": ("inventory",), "stock_units": ("inventory",), "skus_at_risk": ("inventory", "sales"),
    "dead_stock_value": ("inventory", "sales"), "expired_units": ("inventory",), "expiring_units": ("inventory",),
    "late_purchase_orders": ("purchase_orders",), "deliveries_today": ("deliveries",),
}
"""The tables each headline figure is computed from; with any of them empty the figure is unknown."""
SOURCE_TABLES: tuple[str, ...] = tuple(dict.fromkeys(t for tables in SOURCES.values() for t in tables))
"""Every table a headline figure needs, each once."""


@dataclass(frozen=True)
class VisibilitySummary:
    """Headline figures for the home page; None where a source table (see :data:`SOURCES`) has no rows."""

    stock_value: float | None
    """Stock on hand valued at unit cost, GBP."""
    stock_units: int | None
    skus_at_risk: int | None
    """SKUs likely to run out before a new order can arrive."""
    dead_stock_value: float | None
    """GBP at cost held in SKUs with no sale for 90 days."""
    expired_units: int | None
    expiring_units: int | None
    late_purchase_orders: int | None
    deliveries_today: int | None

    @property
    def unknown(self) -> tuple[str, ...]:
        """The figures not known for want of data."""
        return tuple(name for name in SOURCES if getattr(self, name) is None)


def missing_sources(have: Collection[str]) -> tuple[str, ...]:
    """The source tables of the headline figures that are not among ``have`` (tables with rows)."""
    return tuple(t for t in SOURCE_TABLES if t not in have)


_Figure = TypeVar("_Figure", int, float)


def summarise(*, position: pd.DataFrame, dead: pd.DataFrame, expiring: pd.DataFrame, late: pd.DataFrame,
              today: pd.DataFrame, have: Collection[str] | None = None) -> VisibilitySummary:
    """Roll the detail tables up into the home page's headline figures.

    ``have``: the tables with rows (None: all of them); a figure with a source table missing is None.
    """
    lacking = set(missing_sources(have)) if have is not None else set()
    if position["on_hand"].isna().all():  # no snapshot on or before the as-of date: the stock is unknown
        lacking.add("inventory")

    def known(name: str, value: _Figure) -> _Figure | None:
        return None if lacking & set(SOURCES[name]) else value

    return VisibilitySummary(
        stock_value=known("stock_value", float(position["value"].sum())),
        stock_units=known("stock_units", int(position["on_hand"].sum())),
        skus_at_risk=known("skus_at_risk", int(position["at_risk"].sum())),
        dead_stock_value=known("dead_stock_value", float(dead["value"].sum())),
        expired_units=known("expired_units", int(expiring.loc[expiring["status"] == "expired", "quantity"].sum())),
        expiring_units=known("expiring_units", int(expiring.loc[expiring["status"] == "expiring", "quantity"].sum())),
        late_purchase_orders=known("late_purchase_orders", len(late)),
        deliveries_today=known("deliveries_today", len(today)),
    )
