"""Where each SKU stands today: expected daily demand, sellable stock on hand, revenue and open POs."""

from __future__ import annotations

import pandas as pd

from opscore.suppliers.checks import require_columns


def daily_demand(sales: pd.DataFrame, as_of: object, days: int = 56) -> pd.Series:
    """Mean units sold per calendar day over the ``days`` days before ``as_of`` (days without a sales
    row count as zero), by sku."""
    require_columns(sales, ("date", "sku", "quantity"), "the sales table")
    if days < 1:
        raise ValueError(f"the demand window must be at least 1 day; got {days}")
    end = pd.Timestamp(as_of)
    dates = pd.to_datetime(sales["date"])
    window = sales[(dates >= end - pd.Timedelta(days=days)) & (dates < end)]
    return (window.groupby("sku")["quantity"].sum() / days).rename("units_per_day")


def annual_revenue(sales: pd.DataFrame, as_of: object) -> pd.Series:
    """Sales value (units x price, GBP) over the 365 days before ``as_of``, by sku."""
    require_columns(sales, ("date", "sku", "quantity", "price"), "the sales table")
    end = pd.Timestamp(as_of)
    dates = pd.to_datetime(sales["date"])
    window = sales[(dates >= end - pd.Timedelta(days=365)) & (dates < end)]
    return (window["quantity"] * window["price"]).groupby(window["sku"]).sum().rename("revenue_gbp")


def stock_on_hand(inventory: pd.DataFrame, as_of: object) -> pd.Series:
    """Sellable units per sku in the latest snapshot on or before ``as_of``; lots past their use-by
    date are left out."""
    require_columns(inventory, ("snapshot_date", "sku", "quantity"), "the inventory table")
    day = pd.Timestamp(as_of)
    snaps = pd.to_datetime(inventory["snapshot_date"])
    if not (snaps <= day).any():
        return pd.Series(dtype=float, name="on_hand")
    latest = inventory[snaps == snaps[snaps <= day].max()]
    if "expiry_date" in latest.columns:
        expiry = pd.to_datetime(latest["expiry_date"])
        latest = latest[expiry.isna() | (expiry >= day)]
    return latest.groupby("sku")["quantity"].sum().astype(float).rename("on_hand")


def open_purchase_orders(purchase_orders: pd.DataFrame) -> pd.DataFrame:
    """PO lines not yet received: ``supplier_id``, ``sku``, ``promised_date``, ``qty_ordered``."""
    require_columns(purchase_orders, ("supplier_id", "sku", "promised_date", "received_date", "qty_ordered"),
                    "the purchase order table")
    open_lines = purchase_orders[purchase_orders["received_date"].isna()]
    out = open_lines[["supplier_id", "sku", "promised_date", "qty_ordered"]].copy()
    out["promised_date"] = pd.to_datetime(out["promised_date"])
    return out.reset_index(drop=True)
