"""Packaging per order: one carton size per order, chosen by volume from the carton catalogue.

Assumption (stated on the page): each order is packed in the smallest carton whose usable
volume (carton volume x ``fill_share``) holds the order's total product volume; an order larger
than the biggest carton takes as many of the biggest as needed. Carton weight limits are not
checked. Emissions = carton tare weight x material factor (DESNZ 2025 material-use factors,
kg CO2e per tonne / 1000), divided by the trips a returnable carton makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opscore.emission_factors import packaging_kg_co2e_per_kg


@dataclass(frozen=True)
class PackagingPolicy:
    """How orders are packed."""

    carton_ids: tuple[str, ...] | None = None
    """Cartons allowed; None = the whole catalogue."""
    materials: Mapping[str, str] = field(default_factory=dict)
    """Carton id -> material it is switched to (same tare weight), e.g. {'C6': 'board'}."""
    reuse_trips: Mapping[str, int] = field(default_factory=dict)
    """Carton id -> trips a returnable carton makes before it is scrapped (default 1 = single use)."""
    fill_share: float = 1.0
    """Usable share of a carton's volume, 0-1."""


def order_volumes(order_lines: pd.DataFrame, products: pd.DataFrame) -> pd.Series:
    """Total product volume per order, litres (quantity x length x width x height cm / 1000)."""
    lines = order_lines.merge(products[["sku", "length_cm", "width_cm", "height_cm"]], on="sku", how="left")
    if lines["length_cm"].isna().any():
        bad = sorted(lines.loc[lines["length_cm"].isna(), "sku"].unique())[:5]
        raise ValueError(f"order lines name SKU(s) {bad} that are not in products; import those products")
    litres = lines["quantity"] * lines["length_cm"] * lines["width_cm"] * lines["height_cm"] / 1000.0
    return litres.groupby(lines["order_id"]).sum().rename("litres")


def cartons_for_orders(volumes: pd.Series, cartons: pd.DataFrame, factors: pd.DataFrame,
                       policy: PackagingPolicy = PackagingPolicy()) -> pd.DataFrame:
    """Carton, count, packaging kg, kg CO2e and cost per order (index: order_id).

    Columns: carton_id, material, n_cartons, packaging_kg, kg_co2e, cost_gbp.
    """
    if not 0 < policy.fill_share <= 1:
        raise ValueError(f"fill share {policy.fill_share} must be above 0 and at most 1")
    allowed = cartons if policy.carton_ids is None else cartons[cartons["carton_id"].isin(policy.carton_ids)]
    if allowed.empty:
        raise ValueError("no carton is allowed; pick at least one carton from the catalogue")
    unknown = set(policy.materials) | set(policy.reuse_trips)
    unknown -= set(cartons["carton_id"])
    if unknown:
        raise ValueError(f"carton(s) {sorted(unknown)} are not in the carton catalogue")
    bad_trips = {k: v for k, v in policy.reuse_trips.items() if int(v) < 1}
    if bad_trips:
        raise ValueError(f"reuse trips {bad_trips} must be 1 or more")
    table = allowed.assign(litres=allowed["length_cm"] * allowed["width_cm"] * allowed["height_cm"] / 1000.0
                           * policy.fill_share)
    table = table.sort_values(["litres", "carton_id"], kind="stable").reset_index(drop=True)
    table["material"] = [policy.materials.get(c, m) for c, m in zip(table["carton_id"], table["material"])]
    trips = np.array([float(policy.reuse_trips.get(c, 1)) for c in table["carton_id"]])
    per_kg = np.array([packaging_kg_co2e_per_kg(m, factors) for m in table["material"]])
    v = volumes.to_numpy(float)
    cap = table["litres"].to_numpy(float)
    idx = np.searchsorted(cap, v, side="left")
    too_big = idx >= len(cap)
    idx = np.where(too_big, len(cap) - 1, idx)
    n = np.where(too_big, np.ceil(v / cap[-1]), 1.0)
    tare = table["tare_weight_kg"].to_numpy(float)[idx] * n / trips[idx]
    return pd.DataFrame({
        "carton_id": table["carton_id"].to_numpy()[idx], "material": table["material"].to_numpy()[idx],
        "n_cartons": n, "packaging_kg": tare, "kg_co2e": tare * per_kg[idx],
        "cost_gbp": table["cost"].to_numpy(float)[idx] * n / trips[idx],
    }, index=volumes.index)
