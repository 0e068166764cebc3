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
    frame = store._frame("SELECT CAST(date_trunc('month', date) AS TIMESTAMP) AS month, sum(quantity * price) AS revenue "
                         "FROM sales GROUP BY 1 ORDER BY 1")
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
