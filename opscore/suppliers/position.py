"""Where each SKU stands today: expected daily demand, sellable stock on hand and revenue."""

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

