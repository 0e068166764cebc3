"""Deterministic lot sizing: EOQ, EOQ with planned backorders, all-units discounts, Wagner-Whitin.

Source: Snyder, L.V. and Shen, Z.-J.M. (2019) *Fundamentals of Supply Chain Theory*, 2nd ed., Wiley, Chapter 3.
Units: any consistent time unit (e.g. per year): ``demand_rate`` in units per time, ``holding_cost`` in
money per unit per time, ``fixed_cost`` in money per order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opscore.inventory._checks import array, non_negative, positive


@dataclass(frozen=True)
class EOQResult:
    """Economic order quantity."""

    order_quantity: float
    """Units per order (Q*)."""
    cost: float
    """Ordering plus holding cost per time unit (g*), money per time."""


@dataclass(frozen=True)
class EOQBackorderResult:
    """EOQ with planned backorders."""

    order_quantity: float
    """Units per order (Q*)."""
    stockout_fraction: float
    """Share of each cycle spent out of stock (x*), 0-1."""
    cost: float
    """Ordering, holding and backorder cost per time unit (g*), money per time."""


@dataclass(frozen=True)
class DiscountResult:
    """EOQ under an all-units quantity discount."""

    order_quantity: float
    """Units per order."""
    cost: float
    """Purchasing, ordering and holding cost per time unit, money per time."""
    unit_cost: float
    """Unit price paid at that quantity, money per unit."""


@dataclass(frozen=True)
class LotSizingResult:
    """Optimal order plan for time-varying deterministic demand."""

    order_quantities: tuple[float, ...]
    """Units ordered at the start of each period (0 = no order)."""
    cost: float
    """Total fixed plus holding cost over the horizon, money."""


def eoq(fixed_cost: float, holding_cost: float, demand_rate: float) -> EOQResult:
    """Q* = sqrt(2KD/h), g* = sqrt(2KDh) (Snyder & Shen eqs. 3.4-3.5; Example 3.1)."""
    where = "eoq"
    k = non_negative("fixed_cost", fixed_cost, where)
    h = positive("holding_cost", holding_cost, where,
                 "Use money per unit per time unit, e.g. 0.25 x unit cost per year.")
    d = positive("demand_rate", demand_rate, where, "An item with no demand needs no order quantity.")
    q = float(np.sqrt(2 * k * d / h))
    return EOQResult(order_quantity=q, cost=float(np.sqrt(2 * k * d * h)))


def eoq_with_backorders(fixed_cost: float, holding_cost: float, stockout_cost: float,
                        demand_rate: float) -> EOQBackorderResult:
    """Q* = sqrt(2KD(h+p)/(hp)), x* = h/(h+p), g* = sqrt(2KDhp/(h+p)) (Snyder & Shen eqs. 3.27-3.29; Example 3.8).

    ``stockout_cost`` is money per unit backordered per time unit.
    """
    where = "eoq_with_backorders"
    k = non_negative("fixed_cost", fixed_cost, where)
    h = positive("holding_cost", holding_cost, where)
    p = positive("stockout_cost", stockout_cost, where)
    d = positive("demand_rate", demand_rate, where)
    q = float(np.sqrt(2 * k * d * (h + p) / (h * p)))
    return EOQBackorderResult(order_quantity=q, stockout_fraction=h / (h + p),
                              cost=float(np.sqrt(2 * k * d * h * p / (h + p))))


def eoq_all_units_discount(fixed_cost: float, holding_cost_rate: float, demand_rate: float,
                           breakpoints: list[float], unit_costs: list[float]) -> DiscountResult:
    """Best order quantity when price ``unit_costs[j]`` applies to every unit once Q >= ``breakpoints[j]``.

    For each price band j: Q_j = sqrt(2KD/(i c_j)) moved into [b_j, b_{j+1}); cost
    g_j(Q) = c_j D + KD/Q + i c_j Q/2; the cheapest band wins (Snyder & Shen Ch. 3, quantity
    discounts: all-units discount structure and its solution procedure). ``holding_cost_rate`` is the
    share of the unit price charged per time unit for holding (e.g. 0.25 per year).
    """
    where = "eoq_all_units_discount"
    k = non_negative("fixed_cost", fixed_cost, where)
    i = positive("holding_cost_rate", holding_cost_rate, where)
    d = positive("demand_rate", demand_rate, where)
    b = array("breakpoints", breakpoints, where, minimum=0.0)
    c = array("unit_costs", unit_costs, where, minimum=0.0, strict=True)
    if b.ndim != 1 or len(b) != len(c) or len(b) == 0:
        raise ValueError(f"{where}: give one unit cost per breakpoint (got {b.size} breakpoints, {c.size} unit costs)")
    if b[0] != 0 or np.any(np.diff(b) <= 0):
        raise ValueError(f"{where}: breakpoints must start at 0 and increase strictly, e.g. [0, 400, 800]; "
                         f"got {b.tolist()}")
    best: DiscountResult | None = None
    for j in range(len(b)):
        upper = b[j + 1] if j + 1 < len(b) else np.inf
        q = max(float(np.sqrt(2 * k * d / (i * c[j]))), float(b[j]), 1e-12)
        if q >= upper:  # the band's best point lies at its upper edge, which the next band beats
            continue
        cost = float(c[j] * d + k * d / q + i * c[j] * q / 2)
        if best is None or cost < best.cost:
            best = DiscountResult(order_quantity=q, cost=cost, unit_cost=float(c[j]))
    assert best is not None  # the last band has no upper edge, so it always yields a candidate
    return best


def wagner_whitin(demand: list[float], fixed_cost: float | list[float],
                  holding_cost: float | list[float]) -> LotSizingResult:
    """Wagner-Whitin dynamic programme (Snyder & Shen eq. 3.39, Algorithm 3.1; Example 3.9).

    theta_t = min_{s>t} {K_t + sum_{i=t}^{s-1} H(t, i) d_i + theta_s}, with H(t, i) the holding cost of
    carrying a unit from period t to period i. ``fixed_cost`` (money per order) and ``holding_cost``
    (money per unit carried to the next period) may vary by period.
    """
    where = "wagner_whitin"
    d = array("demand", demand, where)
    if d.ndim != 1 or d.size == 0:
        raise ValueError(f"{where}: demand must be a non-empty list of units per period")
    n = d.size
    k = np.broadcast_to(array("fixed_cost", fixed_cost, where), (n,)).astype(float)
    h = np.broadcast_to(array("holding_cost", holding_cost, where), (n,)).astype(float)
    carry = np.concatenate([[0.0], np.cumsum(h)])  # carry[i] - carry[t]: cost to hold one unit from t to i
    theta = np.zeros(n + 1)
    nxt = np.full(n, n)
    for t in range(n - 1, -1, -1):
        best, arg = np.inf, n
        for s in range(t + 1, n + 1):
            cost = k[t] + float(np.dot(carry[t:s] - carry[t], d[t:s])) + theta[s]
            if cost < best - 1e-12:
                best, arg = cost, s
        if d[t] == 0 and theta[t + 1] <= best:  # no demand now: postpone ordering for free
            best, arg = theta[t + 1], t + 1
            nxt[t] = -1
        else:
            nxt[t] = arg
        theta[t] = best
    q = np.zeros(n)
    t = 0
    while t < n:
        if nxt[t] == -1:
            t += 1
            continue
        q[t] = d[t:nxt[t]].sum()
        t = nxt[t]
    return LotSizingResult(order_quantities=tuple(float(x) for x in q), cost=float(theta[0]))
