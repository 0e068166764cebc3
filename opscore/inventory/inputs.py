"""Turn workspace tables into the arrays the policies and the simulator need (one row per SKU).

Demand comes from the latest forecast run in ``forecast_values`` when it covers the SKUs, else from
sales history (a missing sales day after the first sale counts as 0 sold). Lead times are the supplier's observed ones
(received minus ordered, from ``purchase_orders``), or the quoted ``lead_time_days`` when there is no history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.forecast import FREQ_ALIASES
from opscore.store import Store
from opscore.store.aggregates import (
    daily_sales,
    first_sale,
    main_supplier_lead_days,
    open_purchase_lines,
    purchase_terms,
)

HISTORY_DAYS = 364
"""Days of sales history used (52 whole weeks), or the whole weeks since the first sale when the record is shorter."""
LEAD_SAMPLES = 200
"""Observed lead times kept per supplier (its latest ones), and at least 5 to use them rather than the quote."""
MIN_LEAD_SAMPLES = 5


@dataclass(frozen=True)
class InventoryInputs:
    """Everything about today's stock and demand, aligned on ``products`` row order."""

    products: pd.DataFrame
    """The products table, one row per SKU, in the order of every array below."""
    as_of: date
    """The workspace's today (day 0 of any simulation)."""
    history: np.ndarray
    """Units sold per day, shape (SKUs, days), ending yesterday: :data:`HISTORY_DAYS`, or the whole weeks since the
    first sale when the record is shorter (at least 7)."""
    on_hand: np.ndarray
    """Usable units on hand today (expired lots excluded)."""
    expired_today: np.ndarray
    """Units on hand already past their use-by date."""
    lots: np.ndarray
    """Units per usable lot, shape (SKUs, j), zero-padded."""
    lot_expiry_day: np.ndarray
    """Last usable day of each lot counted from today (inf = does not expire)."""
    open_orders: np.ndarray
    """Units on open purchase orders, shape (SKUs, j)."""
    open_order_day: np.ndarray
    """Day each open order is promised, from today (0 if overdue)."""
    lead_time_samples: np.ndarray
    """Observed lead times in days, shape (SKUs, k) (quoted lead time repeated when no history)."""
    suppliers: pd.DataFrame
    """Per (sku, supplier_id): orders, mean lead days, mean unit price, on-time share (from PO history)."""
    forecast_mean: np.ndarray | None = None
    """Forecast units per day, shape (SKUs, horizon), from the latest run; None if absent."""
    forecast_sd: np.ndarray | None = None
    """Forecast standard deviation per day (from the 80 % interval), same shape."""
    forecast_run: str | None = None
    """The forecast run used, or None when demand comes from history."""
    open_order_supplier: np.ndarray | None = None
    """Supplier id of each open order, shape and order of ``open_orders`` ('' = padding); None if unknown."""

    @property
    def demand_source(self) -> str:
        """Where simulated demand comes from, in words: the stored forecast run or the weeks of sales history."""
        if self.forecast_run:
            return f"the latest forecast (run {self.forecast_run})"
        return f"the last {self.history.shape[1] // 7} weeks of sales"

    @property
    def usable_on_hand(self) -> np.ndarray:
        """Units on hand today per SKU, lots past their use-by date left out."""
        units: npt.NDArray[np.float64] = np.where(self.lot_expiry_day >= 0, self.lots, 0.0).sum(axis=1)
        return units

    @property
    def skus(self) -> list[str]:
        skus: list[str] = self.products["sku"].tolist()
        return skus

    def select(self, rows: np.ndarray | list[int]) -> InventoryInputs:
        """The same inputs for a subset of SKUs (row positions), e.g. one ABC class."""
        rows = np.asarray(rows, dtype=int)
        if rows.size == 0:
            raise ValueError("InventoryInputs.select: no SKUs selected; choose at least one item")
        sku_set = set(self.products["sku"].iloc[rows])

        def pick(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[rows]

        return replace(
            self, products=self.products.iloc[rows].reset_index(drop=True), history=self.history[rows],
            on_hand=self.on_hand[rows], expired_today=self.expired_today[rows], lots=self.lots[rows],
            lot_expiry_day=self.lot_expiry_day[rows], open_orders=self.open_orders[rows],
            open_order_day=self.open_order_day[rows], lead_time_samples=self.lead_time_samples[rows],
            suppliers=self.suppliers[self.suppliers["sku"].isin(sku_set)].reset_index(drop=True),
            forecast_mean=pick(self.forecast_mean), forecast_sd=pick(self.forecast_sd),
            open_order_supplier=pick(self.open_order_supplier))


@dataclass(frozen=True)
class PurchaseRecord:
    """What the inputs take from ``purchase_orders``: lines of SKUs in ``products``, in ``po_id`` order."""

    open_lines: pd.DataFrame
    """Lines not received yet: sku, supplier_id, qty_ordered, promised_date."""
    main_lead_days: pd.DataFrame
    """supplier_id, lead_days (received minus ordered) of received lines bought from the SKU's main supplier: the
    latest :data:`LEAD_SAMPLES` per supplier."""
    terms: pd.DataFrame
    """Per (sku, supplier_id) over received lines: orders, lead_days (mean), unit_price (mean GBP), on_time (share
    received by the promised date)."""


def purchase_record(purchase_orders: pd.DataFrame, products: pd.DataFrame) -> PurchaseRecord:
    """The :class:`PurchaseRecord` of whole tables (:mod:`opscore.store.aggregates` sums the same in the store)."""
    po = purchase_orders[purchase_orders["sku"].isin(products["sku"])]
    open_lines = po.loc[po["received_date"].isna(), ["sku", "supplier_id", "qty_ordered", "promised_date"]]
    done = po[po["received_date"].notna()]
    done = done.assign(lead_days=(done["received_date"] - done["order_date"]).dt.days.astype(float),
                       on_time=(done["received_date"] <= done["promised_date"]).astype(float))
    main = products.set_index("sku")["supplier_id"]
    own = done[done["supplier_id"].to_numpy() == main.reindex(done["sku"]).to_numpy()]
    terms = (done.groupby(["sku", "supplier_id"])
             .agg(orders=("po_id", "count"), lead_days=("lead_days", "mean"), unit_price=("unit_price", "mean"),
                  on_time=("on_time", "mean"))
             .reset_index())
    return PurchaseRecord(open_lines.reset_index(drop=True),
                          own.groupby("supplier_id").tail(LEAD_SAMPLES)[["supplier_id", "lead_days"]]
                          .reset_index(drop=True), terms)


def _lead_samples(products: pd.DataFrame, main_lead_days: pd.DataFrame) -> np.ndarray:
    """Observed lead times of each product's main supplier, shape (SKUs, k), each row its supplier's latest ones
    repeated to width k; the product's quoted ``lead_time_days`` when its supplier has fewer than
    :data:`MIN_LEAD_SAMPLES`."""
    observed = {s: v.to_numpy(float) for s, v in main_lead_days.groupby("supplier_id")["lead_days"]
                if len(v) >= MIN_LEAD_SAMPLES}
    width = max((len(v) for v in observed.values()), default=1)
    lead = np.repeat(products["lead_time_days"].to_numpy(float)[:, None], width, axis=1)
    suppliers = products["supplier_id"].to_numpy(object)
    for supplier, values in observed.items():
        lead[suppliers == supplier] = np.resize(values, width)
    return lead


def _pad(rows: np.ndarray, values: np.ndarray, n: int, fill: object, dtype: npt.DTypeLike = float) -> np.ndarray:
    """Shape (n, width): row ``r`` holds the ``values`` whose ``rows`` entry is r, in their order, then ``fill``."""
    rank = pd.Series(rows).groupby(rows).cumcount().to_numpy()
    out = np.full((n, max(int(rank.max(initial=-1)) + 1, 1)), fill, dtype=dtype)
    out[rows, rank] = values
    return out


def _rows(skus: pd.Series, order: list[str]) -> np.ndarray:
    """Position in ``order`` of each SKU (all must be in it)."""
    codes: npt.NDArray[np.int64] = pd.Categorical(skus, categories=order).codes.astype(np.int64)
    return codes


def history_length(first_sale: pd.Timestamp | None, today: pd.Timestamp, history_days: int = HISTORY_DAYS) -> int:
    """Days of history to use: ``history_days``, or the whole weeks since the first sale (at least 7) when the
    record is shorter (the days before a client's first sale are unknown, not days of no sales)."""
    first_sale = today if first_sale is None else first_sale
    if first_sale > today - pd.Timedelta(days=history_days):
        return max(7, int((today - first_sale).days) // 7 * 7)
    return history_days


def sales_history(rows: np.ndarray, days: np.ndarray, quantity: np.ndarray, n_skus: int, n_days: int) -> np.ndarray:
    """Units sold per (SKU row, day), shape (n_skus, n_days), from one entry per sale row."""
    hist = np.zeros((n_skus, n_days))
    np.add.at(hist, (rows, days), quantity)
    return hist


def _products(products: pd.DataFrame) -> pd.DataFrame:
    if products.empty:
        raise ValueError("build_inputs: the products table is empty; import products first (Data page)")
    return products.reset_index(drop=True)


def build_inputs(*, products: pd.DataFrame, sales: pd.DataFrame, inventory: pd.DataFrame,
                 purchase_orders: pd.DataFrame, as_of: date, forecast_values: pd.DataFrame | None = None,
                 history_days: int = HISTORY_DAYS) -> InventoryInputs:
    """Align the tables on ``products`` order (pure: DataFrames in, arrays out)."""
    products = _products(products)
    skus = products["sku"].tolist()
    today = pd.Timestamp(as_of)
    n_days = history_length(sales["date"].min() if not sales.empty else None, today, history_days)
    start = today - pd.Timedelta(days=n_days)
    recent = sales[(sales["date"] >= start) & (sales["date"] < today) & sales["sku"].isin(skus)]
    hist = sales_history(_rows(recent["sku"], skus), ((recent["date"] - start).dt.days).to_numpy(),
                         recent["quantity"].to_numpy(float), len(skus), n_days)
    return inputs_from_history(products, hist, inventory, purchase_record(purchase_orders, products), as_of,
                               forecast_values)


def inputs_from_history(products: pd.DataFrame, hist: np.ndarray, inventory: pd.DataFrame,
                        purchases: PurchaseRecord, as_of: date,
                        forecast_values: pd.DataFrame | None = None) -> InventoryInputs:
    """:func:`build_inputs` from the :func:`sales_history` of ``products`` (in their order) and the
    :class:`PurchaseRecord` instead of sales and purchase order rows."""
    products = _products(products)
    skus = products["sku"].tolist()
    pos = {s: i for i, s in enumerate(skus)}
    today = pd.Timestamp(as_of)

    inv = inventory
    if not inv.empty:
        inv = inv[inv["snapshot_date"] == inv["snapshot_date"].max()]
    inv = inv[inv["sku"].isin(pos)].copy()
    expiry_day = ((inv["expiry_date"] - today).dt.days).astype(float).fillna(np.inf).to_numpy()
    inv["expiry_day"] = expiry_day
    usable = inv[inv["expiry_day"] >= 0]
    expired = inv[inv["expiry_day"] < 0]
    on_hand = np.zeros(len(skus))
    usable_rows = _rows(usable["sku"], skus)
    np.add.at(on_hand, usable_rows, usable["quantity"].to_numpy(float))
    gone = np.zeros(len(skus))
    np.add.at(gone, _rows(expired["sku"], skus), expired["quantity"].to_numpy(float))
    lots = _pad(usable_rows, usable["quantity"].to_numpy(float), len(skus), 0.0)
    lot_days = _pad(usable_rows, usable["expiry_day"].to_numpy(float), len(skus), np.inf)

    open_po = purchases.open_lines
    open_rows = _rows(open_po["sku"], skus)
    open_qty = _pad(open_rows, open_po["qty_ordered"].to_numpy(float), len(skus), 0.0)
    due = ((open_po["promised_date"] - today).dt.days).clip(lower=0)
    open_day = _pad(open_rows, due.to_numpy(float), len(skus), 0.0)
    open_supplier = _pad(open_rows, open_po["supplier_id"].to_numpy(object), len(skus), "", object)
    lead = _lead_samples(products, purchases.main_lead_days)

    f_mean = f_sd = None
    run = None
    if forecast_values is not None and not forecast_values.empty:
        fv = forecast_values[forecast_values["unique_id"].isin(pos)]
        first_day, length = _period_days(fv)
        keep = (first_day + pd.to_timedelta(length - 1, unit="D") >= today).to_numpy()
        fv, first_day, length = fv[keep], first_day[keep], length[keep]
        if fv["unique_id"].nunique() >= 0.5 * len(skus):
            c0 = (first_day - today).dt.days.to_numpy()
            horizon = int((c0 + length).max())
            f_mean = np.tile(hist[:, -7:], (1, horizon // 7 + 1))[:, :horizon].astype(float)
            f_sd = np.tile(hist.std(axis=1, keepdims=True), (1, horizon))
            r = fv["unique_id"].map(pos).to_numpy()
            mean = np.maximum(fv["mean"].to_numpy(float), 0) / length
            sd80 = ((fv["hi80"] - fv["lo80"]).to_numpy(float) / (2 * 1.2816) / np.sqrt(length)
                    if "hi80" in fv else np.full(len(fv), np.nan))
            ok = np.isfinite(sd80)
            for k in range(int(length.max(initial=1))):  # days inside one forecast period (1 for daily forecasts)
                day = c0 + k
                ahead = (day >= 0) & (k < length)  # a period that began before today gives its remaining days
                f_mean[r[ahead], day[ahead]] = mean[ahead]
                f_sd[r[ok & ahead], day[ok & ahead]] = sd80[ok & ahead]
            run = str(fv["run_id"].iloc[0]) if "run_id" in fv else None
    return InventoryInputs(products=products, as_of=as_of, history=hist, on_hand=on_hand, expired_today=gone,
                           lots=lots, lot_expiry_day=lot_days, open_orders=open_qty, open_order_day=open_day,
                           lead_time_samples=lead, suppliers=purchases.terms, forecast_mean=f_mean, forecast_sd=f_sd,
                           forecast_run=run, open_order_supplier=open_supplier)


def _period_days(values: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """First day and length in days of each forecast value's period.

    The period is the ``freq`` column ('D', 'W-SUN' or 'MS', as :mod:`opscore.forecast` labels them: weeks
    by their last day, Sunday; days and months by their first), else inferred from the spacing of the dates.
    """
    if "freq" in values:
        alias = FREQ_ALIASES.get(str(values["freq"].iloc[0]), "D")
    else:
        stamps = np.sort(values["ds"].unique())
        gap = int(np.median(np.diff(stamps)) / np.timedelta64(1, "D")) if len(stamps) > 1 else 1
        alias = "MS" if gap >= 28 else "W-SUN" if gap == 7 else "D"
    ds = pd.to_datetime(values["ds"])
    if alias == "W-SUN":
        return ds - pd.Timedelta(days=6), np.full(len(ds), 7)
    if alias == "MS":
        return ds, ds.dt.days_in_month.to_numpy()
    return ds, np.ones(len(ds), dtype=int)


def latest_forecast(store: Store) -> pd.DataFrame | None:
    """The values of the most recent forecast run, with its ``freq`` when the run recorded one; None when
    no run is stored."""
    runs = store.table("forecast_runs", columns=["run_id", "created_at", "params_json"])
    if runs.empty:
        return None
    last = runs.sort_values("created_at").iloc[-1]
    values = store.table("forecast_values", where={"run_id": last["run_id"]})
    values = values[values["level"].isna() | (values["level"] == "sku")].drop(columns="level")
    freq = json.loads(last["params_json"] or "{}").get("freq")
    if values.empty:
        return None
    return values.assign(freq=freq) if freq else values


def load_inputs(store: Store, history_days: int = HISTORY_DAYS) -> InventoryInputs:
    """Read the workspace tables and build :class:`InventoryInputs` (uses the latest forecast run if any); the
    sales history is summed inside the store."""
    as_of = store.as_of()
    today = pd.Timestamp(as_of)
    products = _products(store.table("products"))
    n_days = history_length(first_sale(store, (today - pd.Timedelta(days=history_days)).date(), as_of), today,
                            history_days)
    daily = daily_sales(store, products["sku"].tolist(), (today - pd.Timedelta(days=n_days)).date(), as_of)
    hist = sales_history(daily["row"].to_numpy(), daily["day"].to_numpy(), daily["quantity"].to_numpy(float),
                         len(products), n_days)
    purchases = PurchaseRecord(open_purchase_lines(store), main_supplier_lead_days(store, LEAD_SAMPLES),
                               purchase_terms(store))
    return inputs_from_history(products, hist, store.table("inventory"), purchases, as_of, latest_forecast(store))
