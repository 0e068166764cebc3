"""Eco score of suppliers: certifications, inbound transport CO2e and packaging recyclability.

Transport: road km from the supplier to the receiving site = great-circle km x circuity
(:mod:`opscore.geo`), times the HGV average-laden factor ``hgv_average_laden_tkm`` (kg CO2e per
tonne-km, UK Government GHG Conversion Factors 2025, via :mod:`opscore.emission_factors`),
i.e. kg CO2e per tonne delivered (one laden leg; GHG Protocol Scope 3 category 4, distance-based
method). With PO history the yearly tonnes delivered give kg CO2e per year.

Eco score, 0-100 (higher is greener), a transparent weighted mean of three 0-1 sub-scores:

- certifications: recognised environmental schemes held (:data:`ENVIRONMENTAL_CERTIFICATIONS`),
  ``min(count / 2, 1)`` (two or more = full marks); food-safety and quality schemes (BRCGS, SALSA,
  ISO 9001) do not count;
- transport: ``max(0, 1 - kg CO2e per tonne / (factor x reference_km))`` (0 at ``reference_km`` road km);
- packaging: the recyclable share of packaging, 0-1 (missing = 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from opscore.emission_factors import factor, factors_from
from opscore.geo import DEFAULT_CIRCUITY, haversine_km
from opscore.suppliers.checks import require_columns

HGV_FACTOR_ID = "hgv_average_laden_tkm"
ENVIRONMENTAL_CERTIFICATIONS = ("ISO 14001", "EMAS", "LEAF Marque", "MSC", "ASC", "Red Tractor", "Soil Association",
                                "Organic", "Rainforest Alliance", "Fairtrade", "B Corp", "ISO 50001", "Carbon Trust")
"""Schemes counted as environmental (case-insensitive match of the semicolon-separated list)."""
DEFAULT_ECO_WEIGHTS: Mapping[str, float] = {"certifications": 1 / 3, "transport": 1 / 3, "packaging": 1 / 3}
DEFAULT_REFERENCE_KM = 500.0
"""Road km at which the transport sub-score reaches 0 (about the length of England)."""


class EcoOrigin(NamedTuple):
    """Where inbound goods are delivered to: the site every supplier's road distance (and so its eco score) is
    measured to."""

    lat: float
    """Latitude, degrees."""
    lon: float
    """Longitude, degrees."""
    site_id: str | None
    """The site's id; None for the suppliers' centre (no site on file)."""
    name: str
    """The site's name, for captions and maps."""


SUPPLIER_CENTRE = "Supplier centre (no site on file)"
"""Name of the origin used when the workspace has no site yet (the mean supplier location)."""


def eco_origin(sites: pd.DataFrame, suppliers: pd.DataFrame | None = None) -> EcoOrigin:
    """The one origin of supplier eco scores, for every page and notebook: the first site of kind ``warehouse``
    in ``sites`` (the first site if none is marked warehouse), the same site as
    :func:`opscore.sustainability.warehouse_location`.

    With no site on file: the mean location of ``suppliers`` (named :data:`SUPPLIER_CENTRE`) when given, else
    ``ValueError``."""
    if sites.empty:
        if suppliers is None or suppliers.empty:
            raise ValueError("the sites table is empty; add your warehouse with its latitude and longitude")
        require_columns(suppliers, ("lat", "lon"), "the supplier table")
        return EcoOrigin(float(suppliers["lat"].mean()), float(suppliers["lon"].mean()), None, SUPPLIER_CENTRE)
    require_columns(sites, ("lat", "lon"), "the sites table")
    warehouses = sites[sites["kind"] == "warehouse"] if "kind" in sites.columns else sites.iloc[:0]
    row = (warehouses if not warehouses.empty else sites).iloc[0]
    site_id = str(row["site_id"]) if "site_id" in sites.columns else None
    name = str(row["name"]) if "name" in sites.columns and pd.notna(row["name"]) else (site_id or "the warehouse")
    return EcoOrigin(float(row["lat"]), float(row["lon"]), site_id, name)


def environmental_certifications(text: object) -> list[str]:
    """The environmental schemes in a semicolon-separated certification list."""
    if not isinstance(text, str):
        return []
    known = {c.casefold(): c for c in ENVIRONMENTAL_CERTIFICATIONS}
    return [known[p.strip().casefold()] for p in text.split(";") if p.strip().casefold() in known]


def eco_scores(suppliers: pd.DataFrame, site_lat: float, site_lon: float, factors: pd.DataFrame | None = None,
               tonnes_per_year: pd.Series | None = None, weights: Mapping[str, float] | None = None,
               circuity: float = DEFAULT_CIRCUITY, reference_km: float = DEFAULT_REFERENCE_KM) -> pd.DataFrame:
    """Per supplier: ``road_km``, ``kg_co2e_per_tonne``, ``tonnes_per_year``, ``kg_co2e_per_year``,
    ``environmental_certifications`` (text), the sub-scores ``certification_score``, ``transport_score``,
    ``packaging_score`` (0-1) and ``eco_score`` (0-100).

    ``factors``: the workspace's ``emission_factors`` table (defaults to the UK 2025 table);
    ``tonnes_per_year``: tonnes received per year by supplier_id (see :func:`tonnes_per_year`).
    """
    require_columns(suppliers, ("supplier_id", "lat", "lon"), "the supplier table")
    if not (-90 <= site_lat <= 90 and -180 <= site_lon <= 180):
        raise ValueError(f"site location ({site_lat}, {site_lon}) is not a latitude/longitude in degrees")
    if not 1.0 <= circuity <= 2.0:
        raise ValueError(f"circuity {circuity} is outside 1.0-2.0; road networks are about 1.2-1.4")
    if reference_km <= 0:
        raise ValueError(f"reference_km must be positive; got {reference_km}")
    w = dict(DEFAULT_ECO_WEIGHTS if weights is None else weights)
    if set(w) != set(DEFAULT_ECO_WEIGHTS) or any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise ValueError(f"eco weights must give a non-negative weight to each of {', '.join(DEFAULT_ECO_WEIGHTS)}")
    total_w = sum(w.values())
    hgv = factor(factors_from(factors), HGV_FACTOR_ID)
    out = suppliers[["supplier_id"]].copy()
    out["road_km"] = circuity * haversine_km(suppliers["lat"].to_numpy(float), suppliers["lon"].to_numpy(float),
                                             site_lat, site_lon)
    out["kg_co2e_per_tonne"] = out["road_km"] * hgv
    tonnes = (tonnes_per_year if tonnes_per_year is not None else pd.Series(dtype=float))
    out["tonnes_per_year"] = out["supplier_id"].map(tonnes).fillna(0.0).astype(float)
    out["kg_co2e_per_year"] = out["tonnes_per_year"] * out["kg_co2e_per_tonne"]
    certs = suppliers.get("certifications", pd.Series(None, index=suppliers.index)).map(environmental_certifications)
    out["environmental_certifications"] = certs.map("; ".join)
    out["certification_score"] = np.minimum(certs.map(len).to_numpy(float) / 2.0, 1.0)
    out["transport_score"] = np.clip(1.0 - out["road_km"] / reference_km, 0.0, 1.0)
    packaging = suppliers.get("recyclable_packaging_share", pd.Series(np.nan, index=suppliers.index))
    out["packaging_score"] = packaging.astype(float).fillna(0.0).clip(0.0, 1.0).to_numpy()
    out["eco_score"] = 100.0 * (w["certifications"] * out["certification_score"]
                                + w["transport"] * out["transport_score"]
                                + w["packaging"] * out["packaging_score"]) / total_w
    return out.reset_index(drop=True)


def tonnes_per_year(purchase_orders: pd.DataFrame, products: pd.DataFrame, start: object, end: object) -> pd.Series:
    """Tonnes received per year by supplier_id from PO lines received in ``[start, end]`` (qty x unit weight)."""
    require_columns(purchase_orders, ("supplier_id", "sku", "received_date", "qty_received"),
                    "the purchase order table")
    require_columns(products, ("sku", "weight_kg"), "the product table")
    received = pd.to_datetime(purchase_orders["received_date"])
    lines = purchase_orders[(received >= pd.Timestamp(start)) & (received <= pd.Timestamp(end))]
    kg = lines["qty_received"].fillna(0) * lines["sku"].map(products.set_index("sku")["weight_kg"]).fillna(0.0)
    return annual_tonnes(kg.groupby(lines["supplier_id"]).sum(), start, end)


def annual_tonnes(kg: pd.Series, start: object, end: object) -> pd.Series:
    """Kilograms received in ``[start, end]`` (by supplier_id, e.g. summed in the store) as tonnes per year."""
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    days = (end_ts - start_ts).days + 1
    if days <= 0:
        raise ValueError(f"the period {start_ts:%d %b %Y} - {end_ts:%d %b %Y} is empty; the start must come first")
    return (kg / 1000.0 * 365.0 / days).rename("tonnes_per_year")
