"""Sums for the sustainability footprint computed inside DuckDB, so its page never reads every purchase-order
line into pandas.

Table and column names are written into the SQL here, never taken from arguments.
"""

from __future__ import annotations

import pandas as pd

from opscore.store.database import Store


def received_by_supplier_day(store: Store) -> pd.DataFrame:
    """Received purchase-order lines summed per supplier and day received (open lines, without a received date,
    left out), ordered by supplier and day.

    Columns: ``supplier_id``, ``received_date``, ``tonnes`` (units x ``products.weight_kg`` / 1000, units being
    ``qty_received``, else ``qty_ordered``), ``spend_gbp`` (units x ``unit_price``) and ``unknown_sku`` (the first
    SKU of the group that is not in products or has no weight; None when every SKU has one).
    """
    frame = store._frame(
        "SELECT po.supplier_id, po.received_date, "
        "sum(coalesce(po.qty_received, po.qty_ordered) * p.weight_kg / 1000.0) AS tonnes, "
        "sum(coalesce(po.qty_received, po.qty_ordered) * po.unit_price) AS spend_gbp, "
        "min(po.sku) FILTER (WHERE p.weight_kg IS NULL) AS unknown_sku "
        "FROM purchase_orders AS po LEFT JOIN products AS p ON p.sku = po.sku "
        "WHERE po.received_date IS NOT NULL "
        "GROUP BY po.supplier_id, po.received_date ORDER BY po.supplier_id, po.received_date")
    frame["received_date"] = pd.to_datetime(frame["received_date"])
    return frame
