"""Slotting: move the fastest-moving SKUs into empty bins nearest the depot.

Turnover-based storage (Heskett, 1963, "Cube-per-order index", J. Marketing 27(4); evaluated with
routing by Petersen & Schmenner, 1999, "An evaluation of routing and volume-based storage
policies in an order picking operation", Decision Sciences 30(2)): SKUs ranked by pick frequency
(order lines in the period) take the empty bins with the shortest walk from the depot. Each SKU stays
in its temperature zone, only moves to a bin that can hold its current stock, and only moves nearer
(no SKU is displaced, so every move is a single put-away). The distance saved is
estimated by re-routing the period's orders with the old and the new bins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.warehouse.layout import Layout
from opscore.warehouse.routing import Method, route_distance


@dataclass(frozen=True)
class SlottingPlan:
    """Suggested bin moves and the walking they save on the period's orders."""

    moves: pd.DataFrame
    """One row per moved SKU: sku, picks, from_bin, to_bin, from_m, to_m (depot to bin and back, m)."""
    distance_before_m: float
    """The period's orders routed with today's bins, m."""
    distance_after_m: float
    """The same orders routed with the suggested bins, m."""
    n_orders: int
    routing: Method

    @property
    def saving_m(self) -> float:
        return self.distance_before_m - self.distance_after_m

    @property
    def saving_pct(self) -> float:
        return 100.0 * self.saving_m / self.distance_before_m if self.distance_before_m > 0 else 0.0


def pick_frequency(picks: pd.DataFrame) -> pd.Series:
    """Order lines per SKU in ``picks`` (how often a picker visits its bin), highest first."""
    return picks.groupby("sku").size().sort_values(ascending=False, kind="stable").rename("picks")


def bin_distances(layout: Layout, bins: pd.DataFrame) -> pd.Series:
    """Depot -> bin -> depot walking distance per bin, m (indexed by bin_id)."""
    pts = layout.points(bins["aisle"].to_numpy(int), bins["bay"].to_numpy(int))
    d = layout.distance_matrix(np.vstack([np.asarray(layout.depot)[None, :], pts]))[0, 1:]
    return pd.Series(2 * d, index=bins["bin_id"].to_numpy(), name="round_trip_m")


def suggest_slotting(layout: Layout, picks: pd.DataFrame, pick_bins: pd.DataFrame, bins: pd.DataFrame,
                     top_n: int = 20, routing: Method = "largest_gap", before: pd.Series | None = None) -> SlottingPlan:
    """Move each of the ``top_n`` most-picked SKUs, busiest first, to the nearest empty bin of its zone
    that holds its stock, when that bin is nearer the depot than its own.

    ``picks``: the period's pick lines (:func:`pick_lines`); ``pick_bins``: each SKU's bin and units
    (:func:`pick_bins`); ``bins``: the bins table (``capacity_units``, ``zone``); ``before``: the orders' walks
    with today's bins (:func:`order_distances` of ``picks`` and ``pick_bins``), when already known.
    """
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    freq = pick_frequency(picks.dropna(subset=["bin_id"]))
    current = pick_bins.set_index("sku")
    movers = [s for s in freq.index if s in current.index][:top_n]
    dist = bin_distances(layout, bins)
    cap = bins.set_index("bin_id")["capacity_units"]
    zone = bins.set_index("bin_id")["zone"]
    occupied = set(pick_bins["bin_id"])
    empty = bins.assign(d=dist.to_numpy()).sort_values(["d", "level", "bin_id"])
    empty = [b for b in empty["bin_id"] if b not in occupied]
    new_bin: dict[str, str] = {}
    for sku in movers:  # fastest first takes the nearest empty bin of its zone that holds its stock, if nearer
        old, units = current.at[sku, "bin_id"], current.at[sku, "quantity"]
        choice = next((b for b in empty if zone[b] == zone[old] and cap[b] >= units), None)
        if choice is not None and dist[choice] < dist[old]:
            empty.remove(choice)
            new_bin[sku] = choice
    moves = pd.DataFrame([{"sku": s, "picks": int(freq[s]), "from_bin": current.at[s, "bin_id"], "to_bin": b,
                           "from_m": float(dist[current.at[s, "bin_id"]]), "to_m": float(dist[b])}
                          for s, b in new_bin.items()],
                         columns=["sku", "picks", "from_bin", "to_bin", "from_m", "to_m"])
    after = pick_bins.assign(bin_id=pick_bins["sku"].map(new_bin).fillna(pick_bins["bin_id"]))
    after = after.drop(columns=["aisle", "bay"]).merge(bins[["bin_id", "aisle", "bay"]], on="bin_id")
    before = order_distances(layout, picks, pick_bins, routing) if before is None else before
    touched = picks.loc[picks["sku"].isin(list(new_bin)), "order_id"].unique()  # only these orders change
    changed = order_distances(layout, picks[picks["order_id"].isin(touched)], after, routing)
    after_d = before.sum() - before.reindex(changed.index).sum() + changed.sum()
    return SlottingPlan(moves, float(before.sum()), float(after_d), int(picks["order_id"].nunique()), routing)


def order_distances(layout: Layout, picks: pd.DataFrame, locations: pd.DataFrame, routing: Method) -> pd.Series:
    """Route length (m) of each order in ``picks`` with SKUs at ``locations``."""
    located = picks[["order_id", "sku"]].merge(locations[["sku", "aisle", "bay"]], on="sku")
    return pd.Series({o: route_distance(layout, g["aisle"].to_numpy(int), g["bay"].to_numpy(int), routing)
                      for o, g in located.groupby("order_id")}, dtype=float)
