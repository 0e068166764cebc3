"""Cartonization: choose cartons from the catalogue so an order's items fit, with the least carton
volume, cost, material or material emissions, and report fill, void space and packaging emissions.

Greedy ratio rule for covering problems (Chvatal, 1979, "A greedy heuristic for the set-covering
problem", Math. Oper. Res. 4(3)). Objectives: carton volume, cost, material weight or material
emissions. While items remain, if one carton type takes them all, use the
smallest such (by the objective); otherwise open the carton type packing the largest share of the
remaining load per unit of objective, where the share is the mean of the weight and volume shares.
Each carton is then shrunk to the smallest type that still takes its contents. Placement in a carton
is the extreme-point heuristic (:mod:`packing`); every carton is re-checked independently.

Packaging emissions: carton tare weight x the material's kg CO2e per kg (UK GHG conversion factors,
:func:`opscore.emission_factors.packaging_kg_co2e_per_kg`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from opscore.emission_factors import default_factors, packaging_kg_co2e_per_kg
from opscore.warehouse.packing import Item, Placement, pack_carton, packing_violations

Objective = Literal["volume", "cost", "material", "co2e"]
OBJECTIVES: tuple[Objective, ...] = ("volume", "cost", "material", "co2e")
CARTON_COLUMNS = ["carton_id", "name", "length_cm", "width_cm", "height_cm", "max_weight_kg",
                  "tare_weight_kg", "material", "cost"]


@dataclass(frozen=True)
class CartonType:
    """A catalogue carton (inside dimensions, cm)."""

    carton_id: str
    name: str
    length_cm: float
    width_cm: float
    height_cm: float
    max_weight_kg: float
    """Heaviest contents allowed, kg."""
    tare_weight_kg: float
    """Empty carton, kg."""
    material: str
    cost: float
    """GBP per carton."""

    @property
    def volume_l(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm / 1000.0

    def objective(self, objective: Objective, factors: pd.DataFrame) -> float:
        """Carton volume (l), cost (GBP), material (kg) or material emissions (kg CO2e)."""
        if objective == "co2e":
            return self.tare_weight_kg * packaging_kg_co2e_per_kg(self.material, factors)
        return {"volume": self.volume_l, "cost": self.cost, "material": self.tare_weight_kg}[objective]


@dataclass(frozen=True)
class PackedCarton:
    """One filled carton."""

    carton: CartonType
    placements: tuple[Placement, ...]
    kg_co2e: float
    """Packaging emissions of the carton material, kg CO2e."""

    @property
    def content_weight_kg(self) -> float:
        return float(sum(p.item.weight_kg for p in self.placements))

    @property
    def content_volume_l(self) -> float:
        return float(sum(p.item.volume_l for p in self.placements))

    @property
    def fill_rate(self) -> float:
        """Share of the carton volume taken by items, 0-1."""
        return self.content_volume_l / self.carton.volume_l

    @property
    def void_l(self) -> float:
        """Empty space to fill or waste, litres."""
        return self.carton.volume_l - self.content_volume_l


@dataclass(frozen=True)
class CartonPlan:
    """The cartons for one order and any item no carton can take."""

    objective: Objective
    cartons: tuple[PackedCarton, ...]
    unpacked: tuple[tuple[Item, str], ...]
    """Items that fit no carton, each with the reason in plain words."""

    @property
    def material_kg(self) -> float:
        return float(sum(c.carton.tare_weight_kg for c in self.cartons))

    @property
    def cost(self) -> float:
        return float(sum(c.carton.cost for c in self.cartons))

    @property
    def kg_co2e(self) -> float:
        return float(sum(c.kg_co2e for c in self.cartons))

    @property
    def carton_volume_l(self) -> float:
        return float(sum(c.carton.volume_l for c in self.cartons))

    @property
    def void_l(self) -> float:
        return float(sum(c.void_l for c in self.cartons))

    @property
    def fill_rate(self) -> float:
        v = self.carton_volume_l
        return (v - self.void_l) / v if v > 0 else 0.0

    def table(self) -> pd.DataFrame:
        """One row per carton."""
        return pd.DataFrame([{"carton": k + 1, "type": c.carton.name, "carton_id": c.carton.carton_id,
                              "items": len(c.placements), "contents_kg": round(c.content_weight_kg, 2),
                              "fill_pct": round(100 * c.fill_rate, 1), "void_l": round(c.void_l, 1),
                              "material": c.carton.material, "material_kg": c.carton.tare_weight_kg,
                              "kg_co2e": round(c.kg_co2e, 3), "cost": c.carton.cost}
                             for k, c in enumerate(self.cartons)])


def carton_types(cartons: pd.DataFrame) -> list[CartonType]:
    """The carton catalogue as :class:`CartonType` values."""
    if missing := set(CARTON_COLUMNS) - set(cartons.columns):
        raise ValueError(f"the cartons table lacks column(s) {', '.join(sorted(missing))}")
    if cartons.empty:
        raise ValueError("the carton catalogue is empty; import cartons on the Data page")
    return [CartonType(str(r.carton_id), str(r.name), float(r.length_cm), float(r.width_cm), float(r.height_cm),
                       float(r.max_weight_kg), float(r.tare_weight_kg), str(r.material), float(r.cost))
            for r in cartons[CARTON_COLUMNS].itertuples(index=False)]


def order_items(picks: pd.DataFrame, products: pd.DataFrame) -> list[Item]:
    """One :class:`Item` per unit on the pick lines (columns ``sku``, ``quantity``)."""
    dims = products.set_index("sku")
    items = []
    for sku, qty in zip(picks["sku"], picks["quantity"]):
        if sku not in dims.index:
            raise ValueError(f"SKU {sku!r} is not in the products table; import the product first")
        p = dims.loc[sku]
        unit = Item(str(sku), float(p.length_cm), float(p.width_cm), float(p.height_cm), float(p.weight_kg))
        items += [unit] * int(qty)
    return items


def _why_not(item: Item, types: list[CartonType]) -> str | None:
    """Why no carton can take ``item`` alone, or None if one can."""
    dims = sorted((item.length_cm, item.width_cm, item.height_cm))
    fits_size = [c for c in types
                 if all(a <= b + 1e-6 for a, b in zip(dims, sorted((c.length_cm, c.width_cm, c.height_cm))))]
    if not fits_size:
        big = max(types, key=lambda c: c.volume_l)
        return (f"{item.sku} ({item.length_cm:g} x {item.width_cm:g} x {item.height_cm:g} cm) is larger than every "
                f"carton, even turned: the largest, {big.name} ({big.carton_id}), is {big.length_cm:g} x "
                f"{big.width_cm:g} x {big.height_cm:g} cm. Ship it unboxed or add a bigger carton.")
    if not any(item.weight_kg <= c.max_weight_kg + 1e-6 for c in fits_size):
        top = max(c.max_weight_kg for c in fits_size)
        return (f"{item.sku} weighs {item.weight_kg:g} kg, more than any carton it fits in can carry "
                f"({top:g} kg). Ship it unboxed or add a stronger carton.")
    return None


def cartonize(items: list[Item], types: list[CartonType], objective: Objective = "volume",
              factors: pd.DataFrame | None = None) -> CartonPlan:
    """Pack ``items`` into cartons of ``types`` (see module doc); items no carton can hold are reported."""
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    if not types:
        raise ValueError("no carton types to choose from; import cartons on the Data page")
    table = factors if factors is not None else default_factors()
    unpacked, todo = [], []
    for it in items:
        reason = _why_not(it, types)
        (unpacked.append((it, reason)) if reason else todo.append(it))
    todo.sort(key=lambda i: (-i.volume_l, -max(i.length_cm, i.width_cm, i.height_cm), i.sku))
    value = {c.carton_id: c.objective(objective, table) for c in types}
    by_obj = _distinct(sorted(types, key=lambda c: (value[c.carton_id], c.volume_l, c.carton_id)))
    chosen: list[tuple[CartonType, list[Placement]]] = []
    while todo:
        w_left, v_left = sum(i.weight_kg for i in todo), sum(i.volume_l for i in todo)
        best, best_score = None, -1.0
        tried = {}
        for c in by_obj:
            if c.max_weight_kg + 1e-6 >= w_left and c.volume_l + 1e-6 >= v_left:
                tried[c.carton_id] = placed, rest = _pack(todo, c)
                if not rest:  # the cheapest carton that takes everything left
                    best, best_score = (c, placed, rest), float("inf")
                    break
        if best is None:  # best share per unit objective; skip types whose upper bound cannot win
            bound = {c.carton_id: (0.5 * min(1.0, c.max_weight_kg / w_left) + 0.5 * min(1.0, c.volume_l / v_left))
                     / max(value[c.carton_id], 1e-9) for c in by_obj}
            for c in sorted(by_obj, key=lambda c: -bound[c.carton_id]):
                if bound[c.carton_id] <= best_score + 1e-12:
                    break
                placed, rest = tried[c.carton_id] if c.carton_id in tried else _pack(todo, c)
                if not placed:
                    continue
                share = (0.5 * sum(p.item.weight_kg for p in placed) / w_left
                         + 0.5 * sum(p.item.volume_l for p in placed) / v_left)
                score = share / max(value[c.carton_id], 1e-9)
                if score > best_score + 1e-12:
                    best, best_score = (c, placed, rest), score
        c, placed, todo = best  # type: ignore[misc]
        chosen.append((c, placed))
    chosen = [_shrink(c, placed, by_obj, value) for c, placed in chosen]
    packed = []
    for c, placed in chosen:
        bad = packing_violations(placed, c.length_cm, c.width_cm, c.height_cm, c.max_weight_kg)
        if bad:  # the heuristic must never hand back an infeasible carton
            raise RuntimeError(f"packing check failed for {c.carton_id}: {'; '.join(bad)}")
        packed.append(PackedCarton(c, tuple(placed), c.tare_weight_kg * packaging_kg_co2e_per_kg(c.material, table)))
    return CartonPlan(objective, tuple(packed), tuple(unpacked))


def _distinct(types: list[CartonType]) -> list[CartonType]:
    """Drop a carton type packing exactly like an earlier (no worse) one: same size and weight limit."""
    seen, out = set(), []
    for c in types:
        key = (tuple(sorted((c.length_cm, c.width_cm, c.height_cm))), c.max_weight_kg)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _pack(items: list[Item], c: CartonType) -> tuple[list[Placement], list[Item]]:
    return pack_carton(items, c.length_cm, c.width_cm, c.height_cm, c.max_weight_kg)


def _shrink(c: CartonType, placed: list[Placement], by_obj: list[CartonType],
            value: dict[str, float]) -> tuple[CartonType, list[Placement]]:
    """The smallest carton (by objective ``value``) that takes the same contents."""
    items = sorted((p.item for p in placed), key=lambda i: (-i.volume_l, i.sku))
    for d in by_obj:
        if value[d.carton_id] >= value[c.carton_id]:
            break
        new, rest = _pack(items, d)
        if not rest:
            return d, new
    return c, placed


def compare_packaging(picks: pd.DataFrame, products: pd.DataFrame, cartons: pd.DataFrame, standard_id: str,
                      objective: Objective = "volume", factors: pd.DataFrame | None = None,
                      progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Right-sized cartons against always using the ``standard_id`` box, order by order.

    Items the standard box cannot take go, in both ways, into cartons chosen from the whole catalogue.

    Returns one row per order and way of packing (``way`` = 'right-sized' or 'standard'): n_cartons,
    packaging_kg (carton material), kg_co2e, cost_gbp, void_l and carton_l (litres), unpacked (items no
    carton takes). Column names match the sustainability footprint's per-order packaging table.
    """
    types = carton_types(cartons)
    factors = factors if factors is not None else default_factors()
    std = [t for t in types if t.carton_id == standard_id]
    if not std:
        raise ValueError(f"standard carton {standard_id!r} is not in the catalogue "
                         f"({', '.join(t.carton_id for t in types)})")
    rows = []
    groups = list(picks.groupby("order_id"))
    for k, (oid, g) in enumerate(groups):
        items = order_items(g, products)
        in_std = [i for i in items if _why_not(i, std) is None]
        odd = [i for i in items if _why_not(i, std) is not None]
        plans = {"right-sized": [cartonize(items, types, objective, factors)],
                 "standard": [cartonize(in_std, std, objective, factors), cartonize(odd, types, objective, factors)]}
        for way, parts in plans.items():
            cartons = [c for p in parts for c in p.cartons]
            volume = sum(c.carton.volume_l for c in cartons)
            void = sum(c.void_l for c in cartons)
            rows.append({"order_id": oid, "way": way, "n_cartons": len(cartons),
                         "packaging_kg": sum(p.material_kg for p in parts), "kg_co2e": sum(p.kg_co2e for p in parts),
                         "cost_gbp": sum(p.cost for p in parts), "void_l": void, "carton_l": volume,
                         "unpacked": len(parts[-1].unpacked)})
        if progress is not None:
            progress((k + 1) / len(groups))
    return pd.DataFrame(rows)


def summarise_packaging(per_order: pd.DataFrame) -> pd.DataFrame:
    """Totals per way of packing from :func:`compare_packaging` (fill rate volume-weighted, percent)."""
    out = per_order.groupby("way").agg(orders=("order_id", "nunique"), n_cartons=("n_cartons", "sum"),
                               packaging_kg=("packaging_kg", "sum"), kg_co2e=("kg_co2e", "sum"),
                               cost_gbp=("cost_gbp", "sum"), void_l=("void_l", "sum"), carton_l=("carton_l", "sum"))
    out["fill_pct"] = 100 * (1 - out["void_l"] / out["carton_l"])
    return out.drop(columns="carton_l").round(2)
