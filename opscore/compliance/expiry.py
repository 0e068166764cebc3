"""Use-by dates of the stock on hand: expired lots, lots near use-by, and older lots left to expire.

Lots are the rows of the latest inventory snapshot on or before the as-of date with units on
hand and a use-by date. FEFO (first expired, first out; e.g. Frazelle, *World-Class Warehousing
and Material Handling*, ch. 7) is judged from stock, as picks are not recorded: an expired lot
still on hand while a fresher lot of the same SKU arrived before that use-by date, and units of
the SKU were sold in between, shows the fresher lot was picked while the older one waited.
"""

from __future__ import annotations

from datetime import date

import pandas as pd


def lots_on_hand(inventory: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The latest snapshot's lots with units and a use-by date, plus ``days_left`` (use-by minus as-of, days)."""
    snap = inventory[pd.to_datetime(inventory["snapshot_date"]) <= pd.Timestamp(as_of)]
    if snap.empty:
        return snap.assign(days_left=pd.Series(dtype=int))
    snap = snap[pd.to_datetime(snap["snapshot_date"]) == pd.to_datetime(snap["snapshot_date"]).max()]
    lots = snap[(snap["quantity"] > 0) & snap["expiry_date"].notna()].copy()
    lots["days_left"] = (pd.to_datetime(lots["expiry_date"]) - pd.Timestamp(as_of)).dt.days
    return lots.reset_index(drop=True)


def past_use_by(lots: pd.DataFrame, max_days_past: float) -> pd.DataFrame:
    """Lots more than ``max_days_past`` days past use-by (0: any lot after its use-by day), with ``days_past``."""
    out = lots.assign(days_past=-lots["days_left"])
    return out[out["days_past"] > max_days_past]


def near_use_by(lots: pd.DataFrame, within_days: float) -> pd.DataFrame:
    """Lots not yet past use-by with at most ``within_days`` days left."""
    return lots[(lots["days_left"] >= 0) & (lots["days_left"] <= within_days)]


def fefo_sales_scope(inventory: pd.DataFrame, as_of: object) -> tuple[list[str], pd.Timestamp | None,
                                                                      pd.Timestamp | None]:
    """The SKUs and first and last day of the sales :func:`stranded_lots` can read for ``inventory``'s lots: SKUs
    with a lot past use-by on ``as_of``, from the earliest receipt to the latest use-by (None: no lots)."""
    expiry = pd.to_datetime(inventory["expiry_date"])
    skus = sorted(inventory.loc[expiry.notna() & (expiry <= pd.Timestamp(as_of)), "sku"].unique().tolist())
    if inventory.empty:
        return skus, None, None
    return skus, pd.to_datetime(inventory["received_date"]).min(), expiry.max()


def stranded_lots(lots: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    """Expired lots left while a fresher lot of the same SKU was on hand before their use-by and the SKU sold.

    Columns: the older lot's row plus fresher_lot, overlap_start, sold_in_overlap and units (the units
    FEFO would have taken from the older lot: min(sold in the overlap, units left)).
    """
    old = lots[lots["days_left"] < 0]
    pairs = old.merge(lots[["sku", "lot", "received_date", "expiry_date"]], on="sku", suffixes=("", "_new"))
    pairs = pairs[(pd.to_datetime(pairs["expiry_date_new"]) > pd.to_datetime(pairs["expiry_date"]))
                  & (pd.to_datetime(pairs["received_date_new"]) <= pd.to_datetime(pairs["expiry_date"]))]
    if pairs.empty:
        return pairs.assign(fresher_lot=[], overlap_start=[], sold_in_overlap=[], units=[])
    pairs = pairs.sort_values("received_date_new").drop_duplicates(["bin_id", "sku", "lot"])
    start = pd.to_datetime(pairs["received_date_new"]).where(
        pd.to_datetime(pairs["received_date_new"]) > pd.to_datetime(pairs["received_date"]),
        pd.to_datetime(pairs["received_date"]))
    sold = []
    by_sku = {k: g for k, g in sales[sales["sku"].isin(pairs["sku"])].groupby("sku")}
    for sku, lo, hi in zip(pairs["sku"], start, pd.to_datetime(pairs["expiry_date"])):
        g = by_sku.get(sku)
        sold.append(0 if g is None else int(g.loc[(g["date"] >= lo) & (g["date"] <= hi), "quantity"].sum()))
    out = pairs.drop(columns=["received_date_new", "expiry_date_new"]).rename(columns={"lot_new": "fresher_lot"})
    out["overlap_start"] = start
    out["sold_in_overlap"] = sold
    out["units"] = out[["sold_in_overlap", "quantity"]].min(axis=1)
    return out.reset_index(drop=True)
