"""Supplier scorecard KPIs from purchase-order lines, over a period and as monthly trends.

Definitions (per PO line; a line still open, i.e. without ``received_date``, counts in orders and
spend but not in the delivery KPIs):

- on time: ``received_date <= promised_date``;
- in full: ``qty_received >= qty_ordered``;
- OTIF: on time and in full, judged per PO line; rates are shares of the received lines;
- lead time: ``received_date - order_date`` in days; its trend is the least-squares slope against the
  order date, in days per 30 days (positive = getting slower);
- defect rate: parts per million, ``1e6 * sum(qty_defective) / sum(qty_received)``;
- price variance: spend-weighted, ``sum((price - ref) * qty) / sum(ref * qty)`` in percent, where the
  reference is the contract price of the SKU when given, else the median price paid for that SKU by
  all suppliers in the period; the price index is ``100 + price variance`` (a ratio scale, as TOPSIS's
  vector normalisation needs);
- spend: ``qty_ordered * unit_price``; spend share is the supplier's share of all spend in the period.

Lines are selected by ``order_date`` inside the period (both ends included).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from opscore.store import Store
from opscore.suppliers.checks import check_period, require_columns

PO_COLUMNS = ("po_id", "supplier_id", "sku", "order_date", "promised_date", "received_date",
              "qty_ordered", "qty_received", "qty_defective", "unit_price")
KPI_COLUMNS: dict[str, str] = {
    "supplier_id": "Supplier code",
    "orders": "PO lines ordered in the period",
    "received": "PO lines received (the base of the delivery rates)",
    "on_time_rate": "Share of received lines that arrived on or before the promised date, 0-1",
    "in_full_rate": "Share of received lines with at least the ordered quantity, 0-1",
    "otif_rate": "Share of received lines both on time and in full, 0-1",
    "lead_time_mean_days": "Mean days from order to receipt",
    "lead_time_std_days": "Standard deviation of the lead time, days",
    "lead_time_trend_days_per_month": "Change of lead time per 30 days of order date (positive = slower)",
    "defect_ppm": "Defective units per million received",
    "price_variance_pct": "Price paid above (+) or below (-) the reference price, percent of spend",
    "price_index": "Price paid as a percent of the reference price (100 = at reference)",
    "spend_gbp": "Value ordered in the period, GBP",
    "spend_share": "Share of all spend in the period, 0-1",
}
"""The columns of :func:`supplier_kpis` with their units."""


def ordered_between(store: Store, start: date, end: date) -> pd.DataFrame:
    """The workspace's purchase-order lines ordered from ``start`` to ``end`` (both included), read in the store
    rather than filtered after reading every line."""
    return store.table("purchase_orders", between=("order_date", start, end))


def prepare_lines(purchase_orders: pd.DataFrame, start: object = None, end: object = None) -> pd.DataFrame:
    """PO lines ordered in ``[start, end]`` with the flags ``received``, ``on_time``, ``in_full``,
    ``otif``, the ``lead_time_days`` and the ``spend`` (GBP) of each line."""
    require_columns(purchase_orders, PO_COLUMNS, "the purchase order table")
    start_ts = pd.Timestamp(start) if start is not None else None
    end_ts = pd.Timestamp(end) if end is not None else None
    check_period(start_ts, end_ts)
    lines = purchase_orders.loc[:, list(PO_COLUMNS)].copy()
    for col in ("order_date", "promised_date", "received_date"):
        lines[col] = pd.to_datetime(lines[col])
    if start_ts is not None:
        lines = lines[lines["order_date"] >= start_ts]
    if end_ts is not None:
        lines = lines[lines["order_date"] <= end_ts]
    bad = lines["qty_ordered"] <= 0
    if bad.any():
        raise ValueError(f"purchase order line {lines.loc[bad, 'po_id'].iloc[0]} has qty_ordered <= 0; "
                         "every line must order at least one unit")
    received = lines["received_date"].notna()
    lines["received"] = received
    lines["on_time"] = received & (lines["received_date"] <= lines["promised_date"])
    lines["in_full"] = received & (lines["qty_received"].fillna(0) >= lines["qty_ordered"])
    lines["otif"] = lines["on_time"] & lines["in_full"]
    lines["lead_time_days"] = (lines["received_date"] - lines["order_date"]).dt.days.astype(float)
    lines["spend"] = lines["qty_ordered"] * lines["unit_price"]
    return lines


def _reference_prices(lines: pd.DataFrame, contract_prices: pd.Series | None) -> pd.Series:
    median = lines.groupby("sku")["unit_price"].median()
    if contract_prices is None:
        return lines["sku"].map(median)
    return lines["sku"].map(contract_prices).fillna(lines["sku"].map(median))


def _slope_per_30_days(days: pd.Series, lead: pd.Series) -> float:
    ok = lead.notna()
    x, y = days[ok].to_numpy(float), lead[ok].to_numpy(float)
    if len(x) < 3 or np.ptp(x) == 0:
        return float("nan")
    return float(np.polyfit(x, y, 1)[0] * 30.0)


def supplier_kpis(purchase_orders: pd.DataFrame, start: object = None, end: object = None,
                  contract_prices: pd.Series | None = None) -> pd.DataFrame:
    """One row per supplier with the KPIs of :data:`KPI_COLUMNS` for lines ordered in ``[start, end]``.

    ``contract_prices``: optional contract price per SKU (GBP, indexed by sku) for the price variance.
    """
    lines = prepare_lines(purchase_orders, start, end)
    if lines.empty:
        raise ValueError("no purchase order lines in the chosen period; widen the period or import purchase orders")
    lines["ref_spend"] = _reference_prices(lines, contract_prices) * lines["qty_ordered"]
    lines["day"] = (lines["order_date"] - lines["order_date"].min()).dt.days
    rec = lines[lines["received"]]
    grouped = lines.groupby("supplier_id")
    out = pd.DataFrame({
        "orders": grouped.size(),
        "received": rec.groupby("supplier_id").size(),
        "on_time_rate": rec.groupby("supplier_id")["on_time"].mean(),
        "in_full_rate": rec.groupby("supplier_id")["in_full"].mean(),
        "otif_rate": rec.groupby("supplier_id")["otif"].mean(),
        "lead_time_mean_days": rec.groupby("supplier_id")["lead_time_days"].mean(),
        "lead_time_std_days": rec.groupby("supplier_id")["lead_time_days"].std(),
        "lead_time_trend_days_per_month": pd.Series(
            {s: _slope_per_30_days(g["day"], g["lead_time_days"]) for s, g in rec.groupby("supplier_id")},
            dtype=float),
        "defect_ppm": 1e6 * rec.groupby("supplier_id")["qty_defective"].sum()
        / rec.groupby("supplier_id")["qty_received"].sum().replace(0, np.nan),
        "price_variance_pct": 100.0 * (grouped["spend"].sum() - grouped["ref_spend"].sum())
        / grouped["ref_spend"].sum(),
        "price_index": 100.0 * grouped["spend"].sum() / grouped["ref_spend"].sum(),
        "spend_gbp": grouped["spend"].sum(),
    })
    out["received"] = out["received"].fillna(0).astype(int)
    out["spend_share"] = out["spend_gbp"] / out["spend_gbp"].sum()
    return out.rename_axis("supplier_id").reset_index()[list(KPI_COLUMNS)]


def monthly_kpis(purchase_orders: pd.DataFrame, start: object = None, end: object = None) -> pd.DataFrame:
    """Per supplier and calendar month of order: ``orders``, ``on_time_rate``, ``in_full_rate``,
    ``otif_rate`` (0-1, of received lines), ``lead_time_mean_days``, ``defect_ppm``, ``spend_gbp``."""
    lines = prepare_lines(purchase_orders, start, end)
    lines["month"] = lines["order_date"].dt.to_period("M").dt.to_timestamp()
    rec = lines[lines["received"]]
    keys = ["supplier_id", "month"]
    g_rec = rec.groupby(keys)
    out = pd.DataFrame({
        "orders": lines.groupby(keys).size(),
        "on_time_rate": g_rec["on_time"].mean(),
        "in_full_rate": g_rec["in_full"].mean(),
        "otif_rate": g_rec["otif"].mean(),
        "lead_time_mean_days": g_rec["lead_time_days"].mean(),
        "defect_ppm": 1e6 * g_rec["qty_defective"].sum() / g_rec["qty_received"].sum().replace(0, np.nan),
        "spend_gbp": lines.groupby(keys)["spend"].sum(),
    })
    return out.reset_index().sort_values(keys, ignore_index=True)
