"""Van loads per vehicle per day from the orders it carries: weight against payload, volume against load space.

Load = sum over the day's deliveries of quantity x unit weight (kg) and quantity x unit volume
(L x W x H, m3). Payload (``capacity_kg``) is the gross vehicle weight minus the unladen van,
so a load above payload means the van is over its gross weight (C&U Regulations 1986, reg. 80).
"""

from __future__ import annotations

import pandas as pd


def vehicle_loads(deliveries: pd.DataFrame, order_lines: pd.DataFrame, products: pd.DataFrame,
                  vehicles: pd.DataFrame) -> pd.DataFrame:
    """Columns: vehicle_id, date, orders, load_kg, load_m3, capacity_kg, capacity_m3, weight_pct, volume_pct."""
    lines = order_lines.merge(products[["sku", "weight_kg", "length_cm", "width_cm", "height_cm"]], on="sku",
                              how="left")
    lines["kg"] = lines["quantity"] * lines["weight_kg"]
    lines["m3"] = lines["quantity"] * lines["length_cm"] * lines["width_cm"] * lines["height_cm"] / 1e6
    per_order = lines.groupby("order_id")[["kg", "m3"]].sum()
    trips = deliveries[["vehicle_id", "planned_date", "order_id"]].join(per_order, on="order_id")
    loads = (trips.groupby(["vehicle_id", "planned_date"], as_index=False)
             .agg(orders=("order_id", "size"), load_kg=("kg", "sum"), load_m3=("m3", "sum"))
             .rename(columns={"planned_date": "date"}))
    loads = loads.merge(vehicles[["vehicle_id", "capacity_kg", "capacity_m3"]], on="vehicle_id", how="left")
    loads["weight_pct"] = 100 * loads["load_kg"] / loads["capacity_kg"].where(loads["capacity_kg"] > 0)
    loads["volume_pct"] = 100 * loads["load_m3"] / loads["capacity_m3"].where(loads["capacity_m3"] > 0)
    return loads
