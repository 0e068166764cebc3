"""Pick routes for an order or a batch: S-shape, largest gap and the optimal tour.

- S-shape (Hall, 1993, "Distance approximations for routing manual pickers in a warehouse",
  IIE Transactions 25(4); also de Koster, Le-Duc & Roodbergen, 2007, EJOR 182, section 5):
  every aisle with a pick is walked end to end; with an odd number of such aisles the last one
  is entered from the front and left the same way.
- Largest gap (Hall, 1993): the leftmost and rightmost pick aisles are walked end to end; in every
  other pick aisle the picker walks in from the back and from the front but never crosses the
  largest gap between neighbouring pick points (or between a cross aisle and the nearest pick).
- Optimal: the shortest closed walk on the aisle graph, solved exactly as a travelling-salesman
  tour over the pick points with aisle-graph distances (Held-Karp or CP-SAT, see :mod:`tsp`).

The two heuristics use the front and back cross aisles only (one block), so with a middle cross
aisle they are still valid walks, just not exploiting it; the optimal tour uses every cross aisle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from opscore.warehouse.layout import Layout, Point, walk_length
from opscore.warehouse.tsp import exact_tour

Method = Literal["s_shape", "largest_gap", "optimal"]
METHODS: tuple[Method, ...] = ("s_shape", "largest_gap", "optimal")
METHOD_LABELS = {"s_shape": "S-shape", "largest_gap": "Largest gap", "optimal": "Optimal"}


@dataclass(frozen=True)
class Route:
    """A picker's closed walk from the depot through every pick point and back."""

    method: Method
    distance_m: float
    """Total walking distance, m."""
    waypoints: tuple[Point, ...]
    """Corners of the walk in layout coordinates (m), depot first and last."""
    n_stops: int
    """Distinct pick points visited."""
    proven_optimal: bool
    """True for the heuristics' own definition and for an optimal tour proven by the solver."""


def _stops(layout: Layout, aisles: np.ndarray, bays: np.ndarray) -> dict[int, np.ndarray]:
    """Sorted distinct pick y's per aisle."""
    a = np.asarray(aisles, dtype=int).ravel()
    b = np.asarray(bays, dtype=int).ravel()
    layout.check_locations(a, b)
    by_aisle: dict[int, set[float]] = {}
    for k, y in zip(a.tolist(), np.atleast_1d(layout.bay_y(b)).tolist()):
        by_aisle.setdefault(k, set()).add(y)
    return {k: np.array(sorted(v)) for k, v in by_aisle.items()}


def s_shape(layout: Layout, aisles: np.ndarray, bays: np.ndarray) -> list[Point]:
    """Waypoints of the S-shape route (Hall, 1993)."""
    stops = _stops(layout, aisles, bays)
    depot, front, back = layout.depot, layout.front_y, layout.back_y
    walk: list[Point] = [depot]
    order = sorted(stops)
    cur = front
    for i, a in enumerate(order):
        x = float(layout.aisle_x(a))
        walk.append((x, cur))
        if i == len(order) - 1 and len(order) % 2 == 1:
            walk += [(x, float(stops[a].max())), (x, front)]
            cur = front
        else:
            cur = back if cur == front else front
            walk.append((x, cur))
    walk.append(depot)
    return walk


def largest_gap(layout: Layout, aisles: np.ndarray, bays: np.ndarray) -> list[Point]:
    """Waypoints of the largest-gap route (Hall, 1993)."""
    stops = _stops(layout, aisles, bays)
    depot, front, back = layout.depot, layout.front_y, layout.back_y
    order = sorted(stops)
    if not order:
        return [depot, depot]
    if len(order) == 1:
        x = float(layout.aisle_x(order[0]))
        return [depot, (x, front), (x, float(stops[order[0]].max())), (x, front), depot]
    first, last, middle = order[0], order[-1], order[1:-1]
    reach: dict[int, tuple[float | None, float | None]] = {}
    for a in middle:
        pts = np.concatenate([[front], stops[a], [back]])
        g = int(np.argmax(np.diff(pts)))  # the largest gap lies between pts[g] and pts[g + 1]
        from_front = float(pts[g]) if g > 0 else None
        from_back = float(pts[g + 1]) if g + 1 < len(pts) - 1 else None
        reach[a] = (from_front, from_back)
    x0, x1 = float(layout.aisle_x(first)), float(layout.aisle_x(last))
    walk: list[Point] = [depot, (x0, front), (x0, back)]
    for a in middle:
        _, yb = reach[a]
        if yb is not None:
            x = float(layout.aisle_x(a))
            walk += [(x, back), (x, yb), (x, back)]
    walk += [(x1, back), (x1, front)]
    for a in reversed(middle):
        yf, _ = reach[a]
        if yf is not None:
            x = float(layout.aisle_x(a))
            walk += [(x, front), (x, yf), (x, front)]
    walk.append(depot)
    return walk


def optimal(layout: Layout, aisles: np.ndarray, bays: np.ndarray,
            time_limit_s: float = 5.0) -> tuple[list[Point], bool]:
    """Waypoints of the shortest tour and whether it is proven optimal."""
    a = np.asarray(aisles, dtype=int).ravel()
    b = np.asarray(bays, dtype=int).ravel()
    pts = np.unique(layout.points(a, b), axis=0)
    nodes = np.vstack([np.asarray(layout.depot)[None, :], pts])
    tour, proven = exact_tour(layout.distance_matrix(nodes), time_limit_s)
    walk: list[Point] = [layout.depot]
    for i, j in zip(tour[:-1], tour[1:]):
        walk += layout.path(tuple(nodes[i]), tuple(nodes[j]))[1:]
    return [(float(x), float(y)) for x, y in walk], proven


def route(layout: Layout, aisles: np.ndarray, bays: np.ndarray, method: Method = "optimal",
          time_limit_s: float = 5.0) -> Route:
    """The pick route by ``method`` for pick locations given as aisle and bay numbers."""
    a = np.asarray(aisles, dtype=int).ravel()
    b = np.asarray(bays, dtype=int).ravel()
    if len(a) != len(b):
        raise ValueError(f"aisles and bays differ in length ({len(a)} vs {len(b)})")
    proven = True
    if method == "s_shape":
        walk = s_shape(layout, a, b)
    elif method == "largest_gap":
        walk = largest_gap(layout, a, b)
    elif method == "optimal":
        walk, proven = optimal(layout, a, b, time_limit_s)
    else:
        raise ValueError(f"unknown routing method {method!r}; use one of {', '.join(METHODS)}")
    n_stops = len(set(zip(a.tolist(), b.tolist())))
    return Route(method, walk_length(walk), tuple(walk), n_stops, proven)


def route_distance(layout: Layout, aisles: np.ndarray, bays: np.ndarray, method: Method = "optimal") -> float:
    """Walking distance (m) of the ``method`` route."""
    return route(layout, aisles, bays, method).distance_m
