"""Pick lists: each order line with the bin it is picked from and its weight and volume."""

from __future__ import annotations

from datetime import date

import pandas as pd

PICK_COLUMNS = ["order_id", "line_no", "sku", "quantity", "bin_id", "aisle", "bay", "level", "zone",
                "weight_kg", "volume_l"]


def pick_bins(inventory: pd.DataFrame, bins: pd.DataFrame) -> pd.DataFrame:
    """Each SKU's pick bin: the bin holding most of its units at the latest stock snapshot.

    Returns one row per SKU with ``sku, bin_id, aisle, bay, level, zone, quantity`` (units in that bin).
    """
    need = {"snapshot_date", "bin_id", "sku", "quantity"}
    if missing := need - set(inventory.columns):
        raise ValueError(f"the inventory table lacks column(s) {', '.join(sorted(missing))}")
    cols = ["sku", "bin_id", "aisle", "bay", "level", "zone", "quantity"]
    if inventory.empty:
        return pd.DataFrame(columns=cols)
    latest = inventory[inventory["snapshot_date"] == inventory["snapshot_date"].max()]
    per_bin = latest.groupby(["sku", "bin_id"], as_index=False)["quantity"].sum()
    per_bin = per_bin.sort_values(["sku", "quantity", "bin_id"], ascending=[True, False, True])
    main = per_bin.drop_duplicates("sku").merge(bins[["bin_id", "aisle", "bay", "level", "zone"]], on="bin_id")
    return main[cols].reset_index(drop=True)


def pick_lines(order_lines: pd.DataFrame, products: pd.DataFrame, inventory: pd.DataFrame,
               bins: pd.DataFrame, order_ids: list[str] | pd.Series | None = None) -> pd.DataFrame:
    """Order lines with their pick bin, line weight (kg) and line volume (litres).

    Lines whose SKU has no stock in any bin keep ``bin_id`` empty (``aisle``/``bay`` NaN); routing
    skips them and pages report them.
    """
    lines = order_lines if order_ids is None else order_lines[order_lines["order_id"].isin(list(order_ids))]
    dims = products[["sku", "weight_kg", "length_cm", "width_cm", "height_cm"]]
    out = lines[["order_id", "line_no", "sku", "quantity"]].merge(dims, on="sku", how="left")
    unknown = out["weight_kg"].isna()
    if unknown.any():
        raise ValueError(f"order line SKU {out.loc[unknown, 'sku'].iloc[0]!r} is not in the products table; "
                         "import the product first")
    out["weight_kg"] = out["quantity"] * out["weight_kg"]
    out["volume_l"] = out["quantity"] * out["length_cm"] * out["width_cm"] * out["height_cm"] / 1000.0
    locs = pick_bins(inventory, bins).drop(columns="quantity")
    out = out.merge(locs, on="sku", how="left")
    return out[PICK_COLUMNS].sort_values(["order_id", "line_no"]).reset_index(drop=True)


def orders_due(orders: pd.DataFrame, day: date) -> list[str]:
    """Ids of the orders due for delivery on ``day`` (not cancelled): the day's picking work."""
    due = pd.to_datetime(orders["delivery_date"]).dt.date == day
    return sorted(orders.loc[due & (orders["status"] != "cancelled"), "order_id"])


def orders_between(orders: pd.DataFrame, start: date, end: date) -> list[str]:
    """Ids of the orders due from ``start`` to ``end`` inclusive (not cancelled)."""
    d = pd.to_datetime(orders["delivery_date"]).dt.date
    return sorted(orders.loc[(d >= start) & (d <= end) & (orders["status"] != "cancelled"), "order_id"])


def location_summary(bins: pd.DataFrame, inventory: pd.DataFrame, picks: pd.DataFrame) -> pd.DataFrame:
    """One row per aisle and bay: stock units (latest snapshot), picks (lines in ``picks``) and a hover
    label listing each bin's SKUs (plain text, one bin a line)."""
    inventory_by_bin = inventory[inventory["snapshot_date"] == inventory["snapshot_date"].max()]
    picks_by_bin = picks.groupby("bin_id").size()
    units = inventory_by_bin.groupby("bin_id")["quantity"].sum()
    skus = inventory_by_bin.groupby("bin_id")["sku"].agg(lambda s: ", ".join(sorted(set(s))))
    b = bins.assign(units=bins["bin_id"].map(units).fillna(0), picks=bins["bin_id"].map(picks_by_bin).fillna(0),
                    skus=bins["bin_id"].map(skus).fillna("empty"))
    b["line"] = b["bin_id"] + ": " + b["skus"]
    out = b.groupby(["aisle", "bay"], as_index=False).agg(units=("units", "sum"), picks=("picks", "sum"),
                                                         zone=("zone", "first"), label=("line", "\n".join))
    return out


def bin_contents(bins: pd.DataFrame, inventory: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Every bin with what it holds at the latest snapshot: SKU, name, units and share of capacity (%).

    Empty bins appear once with no SKU and 0 units.
    """
    latest = inventory[inventory["snapshot_date"] == inventory["snapshot_date"].max()]
    held = latest.groupby(["bin_id", "sku"], as_index=False)["quantity"].sum()
    out = bins[["bin_id", "zone", "aisle", "bay", "level", "capacity_units"]].merge(held, on="bin_id", how="left")
    out = out.merge(products[["sku", "name"]], on="sku", how="left")
    out["units"] = out["quantity"].fillna(0).astype(int)
    bin_units = out.groupby("bin_id")["units"].transform("sum")
    out["bin_full_pct"] = (100 * bin_units / out["capacity_units"].where(out["capacity_units"] > 0)).round(1)
    cols = ["bin_id", "zone", "aisle", "bay", "level", "sku", "name", "units", "capacity_units", "bin_full_pct"]
    return out[cols].sort_values(["aisle", "bay", "level", "sku"], ignore_index=True)
