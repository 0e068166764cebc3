"""Demand series from the store's ``sales`` table: per SKU, per category or in total, at a chosen
frequency, with promotion and bank-holiday markers (usable as regressors)."""

from __future__ import annotations

import holidays
import numpy as np
import pandas as pd

from opscore.forecast.series import FREQ_LABELS, MIN_PERIODS, aggregate, aggregate_days, future_index, normalise_freq

TOTAL = "All products"


def uk_bank_holidays(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """England and Wales bank holidays between two dates (``holidays`` package, GB/ENG)."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    return pd.DatetimeIndex(sorted(pd.Timestamp(d) for d in days if start <= pd.Timestamp(d) <= end))


def selection_skus(products: pd.DataFrame, level: str = "sku", key: str | None = None) -> list[str] | None:
    """The SKUs of one SKU (``level='sku'``), a category, or None for the total; unknown ones are refused."""
    if level == "sku":
        if key not in set(products["sku"]):
            raise ValueError(f"unknown SKU {key!r}; pick one from the products table")
        return [str(key)]
    if level == "category":
        skus = products.loc[products["category"] == key, "sku"]
        if skus.empty:
            raise ValueError(f"unknown category {key!r}; known: {', '.join(sorted(products['category'].unique()))}")
        chosen: list[str] = skus.astype(str).tolist()
        return chosen
    if level == "total":
        return None
    raise ValueError(f"level must be 'sku', 'category' or 'total', got {level!r}")


def daily_from_sums(by_day: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp,
                    key: str | None = None) -> pd.DataFrame:
    """Every day from ``start`` to ``stop`` with ``by_day``'s quantity (units) and promotion (share of the day's
    sales rows on promotion), 0 on days without sales. ``by_day`` is indexed by date (as :func:`daily_sales`
    or :func:`opscore.store.aggregates.sales_by_day` sum it)."""
    if by_day.empty:
        raise ValueError(f"no sales recorded for {key or TOTAL}")
    out = by_day[["quantity", "promotion"]].astype(float).reindex(pd.date_range(start, stop, freq="D"))
    out["quantity"] = out["quantity"].fillna(0.0)
    out["promotion"] = out["promotion"].fillna(0.0)
    return out


def daily_sales(sales: pd.DataFrame, products: pd.DataFrame, level: str = "sku", key: str | None = None,
                end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Daily units sold and promotion share for one SKU (``level='sku'``), a category or the total.

    Returns a frame indexed by every day from the first sale to ``end`` (default: last sale) with columns
    quantity (units, 0 on days without sales) and promotion (share of the selection's SKUs on promotion).
    """
    skus = selection_skus(products, level, key)
    part = sales if skus is None else sales[sales["sku"].isin(skus)]
    g = part.groupby("date")
    by_day = pd.DataFrame({"quantity": g["quantity"].sum(), "promotion": g["promotion"].mean()})
    stop = pd.Timestamp(end) if end is not None else pd.Timestamp(sales["date"].max())
    return daily_from_sums(by_day, pd.Timestamp(sales["date"].min()), stop, key)


def demand_series(daily: pd.DataFrame, freq: str) -> tuple[pd.Series, pd.DataFrame]:
    """Demand at ``freq`` (full periods only) and regressors per period: promotion (share of days on
    promotion, 0-1) and holidays (bank holidays in the period). A ValueError says how many days and full
    periods there are when fewer than ``MIN_PERIODS`` full periods remain."""
    y = aggregate(daily["quantity"], freq)
    alias = normalise_freq(freq)
    if len(y) < MIN_PERIODS:
        word = FREQ_LABELS[alias]
        raise ValueError(f"{len(daily)} day(s) of sales make {len(y)} full {word}(s); a forecast needs at least "
                         f"{MIN_PERIODS} full {word}s. Pick shorter periods or wait for more sales.")
    promo = daily["promotion"].resample(alias).mean().reindex(y.index).fillna(0.0)
    return y, pd.DataFrame({"promotion": promo, "holidays": future_holidays(y.index, freq)}, index=y.index)


def future_holidays(index: pd.DatetimeIndex, freq: str) -> pd.Series:
    """Bank holidays falling in each period of ``index`` (labels as from ``forecast``: weeks by their last
    day, days and months by their first)."""
    alias = normalise_freq(freq)
    if index.empty:
        return pd.Series(0.0, index)
    first = index[0] - pd.Timedelta(days=6) if alias == "W-SUN" else index[0]
    last = index[-1] + pd.offsets.MonthEnd(0) if alias == "MS" else index[-1]
    hols = pd.Series(1.0, pd.DatetimeIndex(uk_bank_holidays(first, last)))
    return hols.resample(alias).sum().reindex(index, fill_value=0.0).astype(float)


def future_regressors(index: pd.DatetimeIndex, freq: str, horizon: int) -> pd.DataFrame:
    """Regressors for the ``horizon`` periods after ``index``: no promotion planned (what-ifs add them),
    and the bank holidays falling in each period."""
    future = pd.DatetimeIndex(future_index(index, normalise_freq(freq), horizon, len(index)))
    return pd.DataFrame({"promotion": 0.0, "holidays": future_holidays(future, freq).to_numpy()}, index=future)


def sales_long(sales: pd.DataFrame, freq: str, skus: list[str] | None = None) -> pd.DataFrame:
    """Long frame unique_id, ds, y of every SKU at ``freq`` (0 for periods without sales), for
    ``forecast_many``. Periods run over the whole sales history so all SKUs share one calendar."""
    part = sales if skus is None else sales[sales["sku"].isin(skus)]
    if part.empty:
        raise ValueError("no sales to forecast")
    start, stop = pd.Timestamp(sales["date"].min()), pd.Timestamp(sales["date"].max())
    wide = part.pivot_table(index="date", columns="sku", values="quantity", aggfunc="sum")
    wide = aggregate_days(wide.reindex(pd.date_range(start, stop, freq="D")).fillna(0.0), freq)
    values = wide.to_numpy(float)
    return pd.DataFrame({"unique_id": np.repeat(wide.columns.to_numpy(), len(wide)),
                         "ds": np.tile(wide.index.to_numpy(), wide.shape[1]), "y": values.T.ravel()})


def drivers_long(sales: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Per SKU and period at ``freq``: promotion (share of its sales rows on promotion, 0-1) and price (mean
    selling price weighted by units, NaN when nothing sold), as ``unique_id, ds, promotion, price`` for the global
    model (:func:`opscore.forecast.panel.forecast_panel`). Periods are labelled as :func:`sales_long` labels them."""
    alias = normalise_freq(freq)
    frame = pd.DataFrame({"unique_id": sales["sku"].astype(str), "date": pd.to_datetime(sales["date"]),
                          "promotion": sales["promotion"].astype(float),
                          "revenue": sales["price"].astype(float) * sales["quantity"].astype(float),
                          "quantity": sales["quantity"].astype(float)})
    period = frame["date"].dt.to_period("M").dt.to_timestamp() if alias == "MS" else (
        frame["date"] + pd.to_timedelta((6 - frame["date"].dt.dayofweek) % 7, unit="D") if alias == "W-SUN"
        else frame["date"])
    g = frame.assign(ds=period).groupby(["unique_id", "ds"], sort=True)
    out = g.agg(promotion=("promotion", "mean"), revenue=("revenue", "sum"), quantity=("quantity", "sum"))
    out["price"] = out["revenue"] / out["quantity"].where(out["quantity"] > 0)
    return out[["promotion", "price"]].reset_index()


def promotion_lift(daily: pd.DataFrame) -> float:
    """Average sales on promotion days divided by average sales on other days (1 = no visible effect)."""
    on = daily["promotion"] > 0
    if not on.any() or (~on).sum() == 0:
        return 1.0
    base = float(daily.loc[~on, "quantity"].mean())
    return float(daily.loc[on, "quantity"].mean()) / base if base > 0 else 1.0
