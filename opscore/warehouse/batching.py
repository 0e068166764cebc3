"""Order batching under a cart capacity: Clarke-Wright savings and seed algorithms.

De Koster, van der Poort & Wolters (1999), "Efficient orderbatching methods in warehouses",
IJPR 37(7): savings ``s_ij = d(i) + d(j) - d(i u j)`` with d the route length of the routing method
(their C&W(ii): savings are recomputed after each merge); seed: start a batch with the order whose
own route is longest, add the order that lengthens the batch route least, while the cart has room.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from opscore.warehouse.layout import Layout
from opscore.warehouse.routing import Method, route_distance

BatchMethod = Literal["savings", "seed", "single"]
BATCH_METHODS: tuple[BatchMethod, ...] = ("savings", "seed", "single")


@dataclass(frozen=True)
class Cart:
    """What one picking trip can carry."""

    max_weight_kg: float = 800.0
    """Load limit, kg (a pallet truck with one Euro pallet)."""
    max_volume_l: float = 1400.0
    """Load volume, litres (a 1.2 x 0.8 m pallet stacked 1.45 m high)."""
    max_orders: int = 6
    """Orders kept apart on one trip (separate roll cages or pallet sections)."""

    def __post_init__(self) -> None:
        if not (self.max_weight_kg > 0 and self.max_volume_l > 0 and self.max_orders >= 1):
            raise ValueError(f"cart limits must be positive, got {self.max_weight_kg} kg, "
                             f"{self.max_volume_l} l, {self.max_orders} orders")

    def fits(self, weight_kg: float, volume_l: float, n_orders: int) -> bool:
        return weight_kg <= self.max_weight_kg + 1e-9 and volume_l <= self.max_volume_l + 1e-9 \
            and n_orders <= self.max_orders


@dataclass(frozen=True)
class Batch:
    """Orders picked together on one trip."""

    batch_no: int
    order_ids: tuple[str, ...]
    weight_kg: float
    """Load, kg."""
    volume_l: float
    """Load, litres."""
    distance_m: float
    """Route length for the whole batch, m."""
    n_lines: int


@dataclass(frozen=True)
class BatchPlan:
    """Batches for a set of orders and the distance against picking each order alone."""

    method: BatchMethod
    routing: Method
    cart: Cart
    batches: tuple[Batch, ...]
    single_order_distance_m: float
    """Sum of one-order-at-a-time routes for the same orders, m."""
    too_big: tuple[str, ...]
    """Orders heavier or bulkier than one cart: not batched, pick them over several trips."""
    unlocated_lines: int
    """Order lines skipped because their SKU has no bin."""

    @property
    def distance_m(self) -> float:
        """Total batched route length, m."""
        return float(sum(b.distance_m for b in self.batches))

    @property
    def saving_m(self) -> float:
        return self.single_order_distance_m - self.distance_m

    def table(self) -> pd.DataFrame:
        """One row per batch: orders, load and distance."""
        return pd.DataFrame([{"batch": b.batch_no, "orders": ", ".join(b.order_ids), "n_orders": len(b.order_ids),
                              "lines": b.n_lines, "weight_kg": round(b.weight_kg, 1),
                              "volume_l": round(b.volume_l, 1), "distance_m": round(b.distance_m, 1)}
                             for b in self.batches])


class _Orders:
    """Per-order pick locations and loads, with a cached route length for any set of orders."""

    def __init__(self, layout: Layout, picks: pd.DataFrame, routing: Method) -> None:
        self.layout, self.routing = layout, routing
        located = picks.dropna(subset=["aisle", "bay"])
        self.locs = {o: (g["aisle"].to_numpy(int), g["bay"].to_numpy(int)) for o, g in located.groupby("order_id")}
        load = picks.groupby("order_id")[["weight_kg", "volume_l"]].sum()
        self.weight, self.volume = load["weight_kg"].to_dict(), load["volume_l"].to_dict()
        self.lines = picks.groupby("order_id").size().to_dict()
        self._cache: dict[frozenset[str], float] = {}

    def distance(self, orders: frozenset[str]) -> float:
        if orders not in self._cache:
            parts = [self.locs[o] for o in orders if o in self.locs]
            a = np.concatenate([p[0] for p in parts]) if parts else np.array([], int)
            b = np.concatenate([p[1] for p in parts]) if parts else np.array([], int)
            self._cache[orders] = route_distance(self.layout, a, b, self.routing) if len(a) else 0.0
        return self._cache[orders]

    def load(self, orders: frozenset[str]) -> tuple[float, float]:
        return sum(self.weight[o] for o in orders), sum(self.volume[o] for o in orders)

    def fits(self, cart: Cart, orders: frozenset[str]) -> bool:
        w, v = self.load(orders)
        return cart.fits(w, v, len(orders))


def _savings(data: _Orders, cart: Cart, ids: list[str]) -> list[frozenset[str]]:
    batches = [frozenset([o]) for o in ids]
    saving: dict[tuple[frozenset[str], frozenset[str]], float] = {}

    def pair_saving(p: frozenset[str], q: frozenset[str]) -> float:
        if not data.fits(cart, p | q):
            return -np.inf
        return data.distance(p) + data.distance(q) - data.distance(p | q)

    for i, p in enumerate(batches):
        for q in batches[i + 1:]:
            saving[p, q] = pair_saving(p, q)
    while saving:
        (p, q), best = max(saving.items(), key=lambda kv: kv[1])
        if best <= 1e-9:
            break
        merged = p | q
        batches = [b for b in batches if b not in (p, q)]
        saving = {k: v for k, v in saving.items() if p not in k and q not in k}
        for b in batches:
            saving[b, merged] = pair_saving(b, merged)
        batches.append(merged)
    return batches


def _seed(data: _Orders, cart: Cart, ids: list[str]) -> list[frozenset[str]]:
    left = set(ids)
    batches = []
    while left:
        seed = max(sorted(left), key=lambda o: data.distance(frozenset([o])))
        batch = frozenset([seed])
        left.discard(seed)
        while True:
            options = [o for o in sorted(left) if data.fits(cart, batch | {o})]
            if not options:
                break
            extra = {o: data.distance(batch | {o}) - data.distance(batch) for o in options}
            pick = min(options, key=lambda o: extra[o])
            batch |= {pick}
            left.discard(pick)
        batches.append(batch)
    return batches


def batch_orders(layout: Layout, picks: pd.DataFrame, cart: Cart = Cart(), method: BatchMethod = "savings",
                 routing: Method = "largest_gap") -> BatchPlan:
    """Group the orders in ``picks`` (from :func:`pick_lines`) into cart trips.

    Batches are built with ``routing`` route lengths, except that for ``"optimal"`` they are built with
    largest-gap lengths (hundreds of candidate batches) and then reported with optimal tours.
    """
    if method not in BATCH_METHODS:
        raise ValueError(f"unknown batching method {method!r}; use one of {', '.join(BATCH_METHODS)}")
    build = _Orders(layout, picks, "largest_gap" if routing == "optimal" else routing)
    data = _Orders(layout, picks, routing) if routing == "optimal" else build
    ids = sorted(data.weight)
    too_big = tuple(o for o in ids if not data.fits(cart, frozenset([o])))
    ids = [o for o in ids if o not in too_big]
    if method == "savings":
        groups = _savings(build, cart, ids)
    elif method == "seed":
        groups = _seed(build, cart, ids)
    else:
        groups = [frozenset([o]) for o in ids]
    groups = sorted(groups, key=lambda g: min(g))
    batches = []
    for k, g in enumerate(groups, start=1):
        w, v = data.load(g)
        batches.append(Batch(k, tuple(sorted(g)), w, v, data.distance(g), sum(data.lines[o] for o in g)))
    single = float(sum(data.distance(frozenset([o])) for o in ids))
    unlocated = int(picks["aisle"].isna().sum())
    return BatchPlan(method, routing, cart, tuple(batches), single, too_big, unlocated)
