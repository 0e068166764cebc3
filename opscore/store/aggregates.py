"""Aggregates computed inside DuckDB, so pages never read a whole multi-million-row table into pandas.

Each function takes a :class:`Store` and returns a small DataFrame. Table and column names are written into the
SQL here, never taken from arguments; dates, SKUs and other values travel as parameters.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from opscore.store.database import Store


def sales_by_sku(store: Store, since: date, until: date) -> pd.DataFrame:
    """Per SKU with sales: ``units`` sold on days in ``[since, until)`` (0 if none) and ``last_sale``, the latest
    day it sold on at all."""
    frame = store._frame(
        "SELECT sku, CAST(coalesce(sum(quantity) FILTER (WHERE date >= ? AND date < ?), 0) AS BIGINT) AS units, "
        "max(date) AS last_sale FROM sales GROUP BY sku ORDER BY sku", [since, until])
    frame["last_sale"] = pd.to_datetime(frame["last_sale"])
    return frame


def first_sale(store: Store, since: date, until: date) -> pd.Timestamp | None:
    """The first day with a sale in ``[since, until]`` (None if there is none)."""
    value = store._frame("SELECT min(date) AS first FROM sales WHERE date >= ? AND date <= ?", [since, until])["first"]
    return None if value.isna().all() else pd.Timestamp(value.iloc[0])


def daily_sales(store: Store, skus: list[str], start: date, until: date) -> pd.DataFrame:
    """Units sold of ``skus`` on days in ``[start, until)``: one row per sale with ``row`` (the SKU's position in
    ``skus``), ``day`` (days since ``start``) and ``quantity``, all integers."""
    return store._frame(
        "SELECT k.row, CAST(date_diff('day', ?::DATE, s.date) AS BIGINT) AS day, s.quantity "
        "FROM sales AS s JOIN (SELECT unnest(?::VARCHAR[]) AS sku, unnest(?::BIGINT[]) AS row) AS k USING (sku) "
        "WHERE s.date >= ? AND s.date < ?",
        [start, skus, list(range(len(skus))), start, until])


def sales_totals(store: Store, since: date, until: date) -> pd.DataFrame:
    """Per SKU sold on days in ``[since, until)``: ``units`` and ``revenue`` (units x price), indexed by sku."""
    return store._frame(
        "SELECT sku, CAST(sum(quantity) AS BIGINT) AS units, sum(quantity * price) AS revenue FROM sales "
        "WHERE date >= ? AND date < ? GROUP BY sku ORDER BY sku", [since, until]).set_index("sku")


def monthly_revenue(store: Store) -> pd.Series:
    """Sales value (units x price, GBP) by month, indexed by the month's first day."""
    frame = store._frame("SELECT CAST(date_trunc('month', date) AS TIMESTAMP) AS month, "
                         "sum(quantity * price) AS revenue FROM sales GROUP BY 1 ORDER BY 1")
    return pd.Series(frame["revenue"].to_numpy(), index=pd.to_datetime(frame["month"]), name="revenue")


def sales_by_day(store: Store, skus: list[str] | None = None) -> tuple[pd.DataFrame, pd.Timestamp | None,
                                                                        pd.Timestamp | None]:
    """Per day with sales of ``skus`` (None: every SKU): ``quantity`` (units) and ``promotion`` (share of that
    day's sales rows on promotion), indexed by date; and the first and last day of any sale (None if none)."""
    first, last = store._frame("SELECT min(date) AS first, max(date) AS last FROM sales").iloc[0]
    where, params = ("", []) if skus is None else (" WHERE sku IN (SELECT unnest(?::VARCHAR[]))", [skus])
    frame = store._frame("SELECT date, sum(quantity) AS quantity, avg(CAST(promotion AS DOUBLE)) AS promotion "
                         f"FROM sales{where} GROUP BY date ORDER BY date", params)
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("date")), name=None)
    span = [None if pd.isna(d) else pd.Timestamp(d) for d in (first, last)]
    return frame, span[0], span[1]


def open_purchase_lines(store: Store) -> pd.DataFrame:
    """Purchase order lines not received yet, of SKUs in ``products``, in ``po_id`` order: sku, supplier_id,
    qty_ordered, promised_date."""
    frame = store._frame(
        "SELECT sku, supplier_id, qty_ordered, promised_date FROM purchase_orders "
        "WHERE received_date IS NULL AND sku IN (SELECT sku FROM products) ORDER BY po_id")
    frame["promised_date"] = pd.to_datetime(frame["promised_date"])
    return frame


def main_supplier_lead_days(store: Store, latest: int) -> pd.DataFrame:
    """supplier_id and lead_days (received minus ordered) of received lines bought from the SKU's main supplier:
    the ``latest`` per supplier by ``po_id``, in ``po_id`` order."""
    return store._frame(
        "SELECT supplier_id, lead_days FROM ("
        "SELECT o.po_id, o.supplier_id, CAST(date_diff('day', o.order_date, o.received_date) AS DOUBLE) AS lead_days, "
        "row_number() OVER (PARTITION BY o.supplier_id ORDER BY o.po_id DESC) AS back "
        "FROM purchase_orders AS o JOIN products AS p ON p.sku = o.sku AND p.supplier_id = o.supplier_id "
        "WHERE o.received_date IS NOT NULL) WHERE back <= ? ORDER BY po_id", [latest])


def purchase_terms(store: Store) -> pd.DataFrame:
    """Per (sku, supplier_id) over received lines of SKUs in ``products``: orders (lines), lead_days (mean days),
    unit_price (mean GBP) and on_time (share received by the promised date)."""
    return store._frame(
        "SELECT sku, supplier_id, count(po_id) AS orders, "
        "avg(CAST(date_diff('day', order_date, received_date) AS DOUBLE)) AS lead_days, "
        "avg(unit_price) AS unit_price, "
        "avg(CAST(coalesce(received_date <= promised_date, false) AS DOUBLE)) AS on_time "
        "FROM purchase_orders WHERE received_date IS NOT NULL AND sku IN (SELECT sku FROM products) "
        "GROUP BY sku, supplier_id ORDER BY sku, supplier_id")


def received_kg(store: Store, start: date, end: date) -> pd.Series:
    """Kilograms received (qty_received x the product's weight_kg; unknown = 0) per supplier_id from purchase order
    lines received in ``[start, end]``."""
    frame = store._frame(
        "SELECT o.supplier_id, sum(coalesce(o.qty_received, 0) * coalesce(p.weight_kg, 0.0)) AS kg "
        "FROM purchase_orders AS o LEFT JOIN products AS p USING (sku) "
        "WHERE o.received_date >= ? AND o.received_date <= ? GROUP BY o.supplier_id ORDER BY o.supplier_id",
        [start, end])
    return pd.Series(frame["kg"].to_numpy(float), index=pd.Index(frame["supplier_id"], name="supplier_id"), name="kg")


STOCKOUT_RULE = "closing stock (stock_history.on_hand) of 0 or less"
"""When a day counts as a stock-out (censored): see :mod:`opscore.forecast.censor` for the definition and sources."""


def _has_stock_history(store: Store, skus: list[str] | None) -> bool:
    """Whether the workspace holds stock history for any of ``skus`` (None: any SKU). False for a workspace file
    made before the table existed and opened read-only (its schema is not migrated)."""
    exists = store._frame("SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() "
                          "AND schema_name = current_schema() AND table_name = 'stock_history'")["n"].iloc[0]
    if not exists:
        return False
    where, params = ("", []) if skus is None else (" WHERE sku IN (SELECT unnest(?::VARCHAR[]))", [skus])
    return bool(store._frame(f"SELECT EXISTS (SELECT 1 FROM stock_history{where}) AS known", params)["known"].iloc[0])


def stockout_days(store: Store, skus: list[str] | None = None) -> pd.DataFrame | None:
    """Every censored day of ``skus`` (None: every SKU): a day whose stock_history row shows a closing stock of 0 or
    less, when sales show less than the demand. Columns ``sku`` and ``date`` (datetime64), ordered by both.

    Returns None when the workspace has no stock history for these SKUs (no rows, or no table): stock-outs are then
    unknown, which is not the same as none (an empty frame). A day without a stock_history row is not known to be
    censored and is not listed."""
    if not _has_stock_history(store, skus):
        return None
    where, params = ("", []) if skus is None else (" AND sku IN (SELECT unnest(?::VARCHAR[]))", [skus])
    frame = store._frame(f"SELECT sku, date FROM stock_history WHERE on_hand <= 0{where} ORDER BY sku, date", params)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def stockout_counts(store: Store, skus: list[str] | None = None) -> pd.DataFrame | None:
    """Per SKU of ``skus`` (None: every SKU) with stock history, ordered by sku: ``first`` and ``last`` day recorded,
    ``days`` recorded, ``stockout_days`` (censored days, see :func:`stockout_days`) and ``longest_run`` (most
    consecutive censored days). A SKU without stock history has no row (unknown, not 0); None when none of them has
    any (or the workspace has no stock_history table)."""
    if not _has_stock_history(store, skus):
        return None
    where, params = ("", []) if skus is None else (" WHERE sku IN (SELECT unnest(?::VARCHAR[]))", [skus])
    frame = store._frame(
        f"WITH h AS (SELECT sku, date, on_hand <= 0 AS out FROM stock_history{where}), "
        "runs AS (SELECT sku, count(*) AS n FROM (SELECT sku, date - CAST(row_number() OVER (PARTITION BY sku "
        "ORDER BY date) AS INTEGER) AS run FROM h WHERE out) GROUP BY sku, run), "
        "longest AS (SELECT sku, max(n) AS longest_run FROM runs GROUP BY sku) "
        "SELECT h.sku, min(h.date) AS first, max(h.date) AS last, CAST(count(*) AS BIGINT) AS days, "
        "CAST(count(*) FILTER (WHERE h.out) AS BIGINT) AS stockout_days, "
        "CAST(coalesce(any_value(l.longest_run), 0) AS BIGINT) AS longest_run "
        "FROM h LEFT JOIN longest AS l USING (sku) GROUP BY h.sku ORDER BY h.sku", params)
    for col in ("first", "last"):
        frame[col] = pd.to_datetime(frame[col])
    return frame
