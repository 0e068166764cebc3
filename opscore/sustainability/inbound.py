"""Inbound transport from suppliers: received weight x supplier-to-warehouse road distance.

Activity in tonne-km (DESNZ 2025 conversion factors, "freighting goods": tonne-km = tonnes
carried x km travelled). One-way laden distance only, as the "average laden" HGV factor
already spreads empty running over laden km.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opscore.geo import DEFAULT_CIRCUITY, haversine_km


def warehouse_location(sites: pd.DataFrame) -> tuple[float, float]:
    """(lat, lon) of the first warehouse in ``sites`` (or the first site if none is marked warehouse)."""
    if sites.empty:
        raise ValueError("the sites table is empty; add your warehouse with its latitude and longitude")
    warehouses = sites[sites["kind"] == "warehouse"]
    row = (warehouses if not warehouses.empty else sites).iloc[0]
    return float(row["lat"]), float(row["lon"])


def _road_km(supplier_ids: pd.Series, suppliers: pd.DataFrame, warehouse: tuple[float, float],
             circuity: float) -> np.ndarray:
    """Road km from each of ``supplier_ids`` to ``warehouse`` (lat, lon): haversine x circuity; ValueError naming
    suppliers without a location."""
    lat, lon = warehouse
    where = suppliers.drop_duplicates("supplier_id").set_index("supplier_id")[["lat", "lon"]].reindex(supplier_ids)
    if where["lat"].isna().any():
        bad = sorted(where.index[where["lat"].isna().to_numpy()].unique())
        raise ValueError(f"supplier(s) {bad} have no location; add their latitude and longitude")
    return circuity * haversine_km(where["lat"].to_numpy(float), where["lon"].to_numpy(float), lat, lon)


def inbound_tonne_km(purchase_orders: pd.DataFrame, products: pd.DataFrame, suppliers: pd.DataFrame,
                     sites: pd.DataFrame, circuity: float = DEFAULT_CIRCUITY) -> pd.DataFrame:
    """Tonne-km per received purchase-order line.

    Columns: po_id, supplier_id, sku, received_date, tonnes, km, tonne_km, spend_gbp
    (qty_received x unit_price). Open lines (no received date) are left out.
    """
    warehouse = warehouse_location(sites)
    po = purchase_orders[purchase_orders["received_date"].notna()]
    po = po.merge(products[["sku", "weight_kg"]], on="sku", how="left")
    if po["weight_kg"].isna().any():
        bad = sorted(po.loc[po["weight_kg"].isna(), "sku"].unique())[:5]
        raise ValueError(f"purchase orders name SKU(s) {bad} that are not in products; import those products")
    km = _road_km(po["supplier_id"], suppliers, warehouse, circuity)
    qty = po["qty_received"].fillna(po["qty_ordered"]).astype(float)
    tonnes = qty * po["weight_kg"].astype(float) / 1000.0
    return pd.DataFrame({
        "po_id": po["po_id"], "supplier_id": po["supplier_id"], "sku": po["sku"],
        "received_date": pd.to_datetime(po["received_date"]), "tonnes": tonnes, "km": km,
        "tonne_km": tonnes * km, "spend_gbp": qty * po["unit_price"].astype(float),
    }).reset_index(drop=True)


def inbound_by_supplier_day(sums: pd.DataFrame, suppliers: pd.DataFrame, sites: pd.DataFrame,
                            circuity: float = DEFAULT_CIRCUITY) -> pd.DataFrame:
    """Tonne-km and spend per supplier per day received: :func:`inbound_tonne_km` summed by supplier and day.

    ``sums``: received tonnes and spend per supplier and day
    (:func:`opscore.store.footprint_sums.received_by_supplier_day`). Columns: supplier_id, received_date, tonnes,
    km, tonne_km, spend_gbp (GBP).
    """
    warehouse = warehouse_location(sites)
    unknown = sums["unknown_sku"].dropna()
    if not unknown.empty:
        raise ValueError(f"purchase orders name SKU(s) {sorted(unknown.unique())[:5]} that are not in products; "
                         "import those products")
    km = _road_km(sums["supplier_id"], suppliers, warehouse, circuity)
    tonnes = sums["tonnes"].to_numpy(float)
    return pd.DataFrame({
        "supplier_id": sums["supplier_id"].to_numpy(),
        "received_date": pd.to_datetime(sums["received_date"]).to_numpy(), "tonnes": tonnes, "km": km,
        "tonne_km": tonnes * km, "spend_gbp": sums["spend_gbp"].to_numpy(float),
    })
