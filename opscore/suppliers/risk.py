"""Supply-risk register: concentration, single sourcing, lead-time volatility, survive vs recover.

- Herfindahl-Hirschman index ``HHI = sum_i (100 s_i)^2`` on spend shares ``s_i`` (0-10,000 points;
  Rhoades 1993, "The Herfindahl-Hirschman index", Federal Reserve Bulletin 79, 188-189), banded as in
  the US DOJ/FTC Horizontal Merger Guidelines 1992, section 1.51: above 1,800 highly concentrated,
  1,000-1,800 moderately, below 1,000 unconcentrated.
- Geographic concentration: the HHI of spend by city, and the largest share of spend whose suppliers
  all lie within ``radius_km`` of one supplier (one regional event could hit it all).
- Lead-time volatility: coefficient of variation (std / mean) of received-order lead times.
- Time to survive (TTS, days of stock cover = sellable stock / daily demand) against time to recover
  (TTR, the main supplier's ``recovery_days``), after Simchi-Levi, Schmidt and Wei (2014), "From
  superstorms to factory fires", Harvard Business Review 92(1/2); a SKU is flagged when TTS < TTR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.geo import haversine_km
from opscore.suppliers.checks import require_columns
from opscore.suppliers.kpis import prepare_lines
from opscore.suppliers.position import annual_revenue, daily_demand, stock_on_hand

HHI_BANDS = ((1800.0, "highly concentrated"), (1000.0, "moderately concentrated"), (0.0, "unconcentrated"))


def hhi(values: npt.ArrayLike) -> float:
    """Herfindahl-Hirschman index in points (0-10,000) of amounts or shares (they are rescaled to shares)."""
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0) or v.sum() <= 0:
        raise ValueError("the HHI needs at least one non-negative amount with a positive total "
                         "(e.g. spend per supplier)")
    shares = 100.0 * v / v.sum()
    return float((shares ** 2).sum())


def hhi_band(points: float) -> str:
    """'highly concentrated', 'moderately concentrated' or 'unconcentrated' (DOJ/FTC 1992 thresholds)."""
    return next(label for limit, label in HHI_BANDS if points > limit or limit == 0.0)


def largest_cluster_share(lat: npt.ArrayLike, lon: npt.ArrayLike, spend: npt.ArrayLike,
                          radius_km: float = 50.0) -> tuple[float, np.ndarray]:
    """The largest spend share (0-1) within ``radius_km`` great-circle km of one supplier, and the mask
    of the suppliers in that cluster."""
    la, lo, s = (np.asarray(a, dtype=float) for a in (lat, lon, spend))
    if radius_km < 0:
        raise ValueError(f"radius_km must be 0 or more; got {radius_km}")
    near = haversine_km(la[:, None], lo[:, None], la[None, :], lo[None, :]) <= radius_km
    cluster_spend = near @ s
    k = int(np.argmax(cluster_spend))
    return float(cluster_spend[k] / s.sum()), near[k]


@dataclass(frozen=True)
class RiskRegister:
    """The supply-risk register and its headline figures."""

    skus: pd.DataFrame
    """Per SKU: ``sku``, ``name``, ``supplier_id`` (main), ``suppliers`` (used in the period), ``n_suppliers``,
    ``single_sourced``, ``revenue_gbp`` (last 365 days), ``revenue_at_risk_gbp`` (revenue if single-sourced),
    ``units_per_day``, ``on_hand``, ``time_to_survive_days``, ``time_to_recover_days``, ``survive_lt_recover``."""
    suppliers: pd.DataFrame
    """Per supplier: ``supplier_id``, ``name``, ``city``, ``lat``, ``lon``, ``spend_gbp``, ``spend_share`` (0-1),
    ``lead_time_mean_days``, ``lead_time_std_days``, ``lead_time_cv``, ``volatile_lead_time``, ``recovery_days``,
    ``single_sourced_skus``, ``revenue_at_risk_gbp``, ``in_largest_cluster``."""
    spend_hhi: float
    """HHI of spend by supplier, points (0-10,000)."""
    spend_hhi_band: str
    city_hhi: float
    """HHI of spend by supplier city, points."""
    largest_cluster_share: float
    """Largest share of spend (0-1) within ``radius_km`` of one supplier."""
    radius_km: float
    revenue_at_risk_gbp: float
    """Yearly revenue of single-sourced SKUs, GBP."""


def risk_register(*, purchase_orders: pd.DataFrame, products: pd.DataFrame, suppliers: pd.DataFrame,
                  sales: pd.DataFrame | None, inventory: pd.DataFrame, as_of: object, lookback_days: int = 365,
                  demand_days: int = 56, radius_km: float = 50.0, volatility_cv: float = 0.5,
                  revenue: pd.Series | None = None, units_per_day: pd.Series | None = None) -> RiskRegister:
    """Build the register from POs ordered in the ``lookback_days`` before ``as_of`` (see module docstring).

    ``revenue`` and ``units_per_day`` by sku (as :func:`annual_revenue` and :func:`daily_demand` compute them, e.g.
    summed in the store) are used instead of reading ``sales`` when given."""
    require_columns(products, ("sku", "name", "supplier_id"), "the product table")
    require_columns(suppliers, ("supplier_id", "name", "city", "lat", "lon"), "the supplier table")
    if lookback_days < 30:
        raise ValueError(f"lookback_days={lookback_days} is too short for a risk view; use at least 30 days")
    day = pd.Timestamp(as_of)
    lines = prepare_lines(purchase_orders, day - pd.Timedelta(days=lookback_days), day)
    if lines.empty:
        raise ValueError(f"no purchase orders in the {lookback_days} days before {day:%d %b %Y}; "
                         "import purchase orders")

    pairs = lines[["sku", "supplier_id"]].drop_duplicates().sort_values(["sku", "supplier_id"])
    used = pairs.groupby("sku")["supplier_id"].agg(list)  # each SKU's suppliers in the period, sorted
    skus = products[["sku", "name", "supplier_id"]].copy()
    skus["suppliers"] = skus["sku"].map(used).map(lambda v: v if isinstance(v, list) else [])
    skus["suppliers"] = [sorted(set(v) | {main}) for v, main in zip(skus["suppliers"], skus["supplier_id"])]
    skus["n_suppliers"] = skus["suppliers"].map(len)
    skus["single_sourced"] = skus["n_suppliers"] == 1
    revenue = annual_revenue(sales, day) if revenue is None else revenue
    units_per_day = daily_demand(sales, day, demand_days) if units_per_day is None else units_per_day
    skus["revenue_gbp"] = skus["sku"].map(revenue).fillna(0.0)
    skus["revenue_at_risk_gbp"] = np.where(skus["single_sourced"], skus["revenue_gbp"], 0.0)
    skus["units_per_day"] = skus["sku"].map(units_per_day).fillna(0.0)
    skus["on_hand"] = skus["sku"].map(stock_on_hand(inventory, day)).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        skus["time_to_survive_days"] = np.where(skus["units_per_day"] > 0,
                                                skus["on_hand"] / skus["units_per_day"], np.inf)
    recovery = suppliers.set_index("supplier_id").get("recovery_days", pd.Series(dtype=float))
    skus["time_to_recover_days"] = skus["supplier_id"].map(recovery).astype(float)
    skus["survive_lt_recover"] = skus["time_to_survive_days"] < skus["time_to_recover_days"]
    skus["suppliers"] = skus["suppliers"].map(", ".join)

    rec = lines[lines["received"]]
    sup = suppliers[["supplier_id", "name", "city", "lat", "lon"]].copy()
    spend = lines.groupby("supplier_id")["spend"].sum()
    sup["spend_gbp"] = sup["supplier_id"].map(spend).fillna(0.0)
    sup["spend_share"] = sup["spend_gbp"] / sup["spend_gbp"].sum()
    lead = rec.groupby("supplier_id")["lead_time_days"]
    sup["lead_time_mean_days"] = sup["supplier_id"].map(lead.mean())
    sup["lead_time_std_days"] = sup["supplier_id"].map(lead.std())
    sup["lead_time_cv"] = sup["lead_time_std_days"] / sup["lead_time_mean_days"].where(sup["lead_time_mean_days"] > 0)
    sup["volatile_lead_time"] = sup["lead_time_cv"] > volatility_cv
    sup["recovery_days"] = sup["supplier_id"].map(recovery)
    single = skus[skus["single_sourced"]].groupby("supplier_id")
    sup["single_sourced_skus"] = sup["supplier_id"].map(single.size()).fillna(0).astype(int)
    sup["revenue_at_risk_gbp"] = sup["supplier_id"].map(single["revenue_at_risk_gbp"].sum()).fillna(0.0)
    share, members = largest_cluster_share(sup["lat"], sup["lon"], sup["spend_gbp"], radius_km)
    sup["in_largest_cluster"] = members
    points = hhi(sup["spend_gbp"])
    return RiskRegister(
        skus=skus.reset_index(drop=True), suppliers=sup.reset_index(drop=True), spend_hhi=points,
        spend_hhi_band=hhi_band(points), city_hhi=hhi(sup.groupby("city")["spend_gbp"].sum()),
        largest_cluster_share=share, radius_km=radius_km,
        revenue_at_risk_gbp=float(skus["revenue_at_risk_gbp"].sum()),
    )
