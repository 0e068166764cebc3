"""Stochastic single-item policies: newsvendor / base-stock, (s, S) and (r, Q).

Source: Snyder & Shen (2019) *Fundamentals of Supply Chain Theory*, 2nd ed., Chapters 4-5; Zheng and
Federgruen (1991) *Operations Research* 39(4) for (s, S); Federgruen and Zheng (1992) *Operations
Research* 40(4) for integer (r, Q). ``holding_cost`` and ``stockout_cost`` are money per unit per
period (newsvendor, (s, S)) or per unit per year ((r, Q), with backorders).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from opscore.inventory._checks import non_negative, positive
from opscore.inventory.deterministic import eoq_with_backorders
from opscore.inventory.loss import normal_loss, normal_loss2, poisson_loss


@dataclass(frozen=True)
class BaseStockResult:
    """Optimal base-stock (newsvendor) level."""

    base_stock: float
    """Order-up-to level S*, units."""
    cost: float
    """Expected holding plus stockout cost per period, money per period."""


@dataclass(frozen=True)
class SSResult:
    """Optimal periodic-review (s, S) policy."""

    s: int
    """Reorder point: order when the inventory position is at or below s, units."""
    S: int
    """Order-up-to level, units."""
    cost: float
    """Expected fixed, holding and stockout cost per period, money per period."""


@dataclass(frozen=True)
class RQResult:
    """Optimal continuous-review (r, Q) policy with backorders."""

    reorder_point: float
    """Order Q units when the inventory position falls to r, units."""
    order_quantity: float
    """Units per order."""
    cost: float
    """Expected fixed, holding and backorder cost per year, money per year."""


def _costs(where: str, holding_cost: float, stockout_cost: float) -> tuple[float, float]:
    return positive("holding_cost", holding_cost, where), positive("stockout_cost", stockout_cost, where)


def newsvendor_normal(holding_cost: float, stockout_cost: float, demand_mean: float, demand_sd: float,
                      lead_time: int = 0) -> BaseStockResult:
    """S* = mu + z_alpha sigma, g* = (h + p) phi(z_alpha) sigma, alpha = p/(h+p)
    (Snyder & Shen eqs. 4.30, 4.37; Example 4.3).

    With a lead time of L periods the base-stock level covers L + 1 periods of demand: mu = (L+1) mean,
    sigma = sqrt(L+1) sd (Snyder & Shen §4.3, base-stock with lead time).
    """
    where = "newsvendor_normal"
    h, p = _costs(where, holding_cost, stockout_cost)
    mu = positive("demand_mean", demand_mean, where)
    sd = positive("demand_sd", demand_sd, where, "A normal model needs some variability; for steady demand use eoq().")
    lt = non_negative("lead_time", lead_time, where)
    mu, sd = mu * (lt + 1), sd * np.sqrt(lt + 1)
    z = stats.norm.ppf(p / (h + p))
    return BaseStockResult(base_stock=float(mu + z * sd), cost=float((h + p) * stats.norm.pdf(z) * sd))


def poisson_newsvendor_cost(level: np.ndarray | float, holding_cost: float, stockout_cost: float,
                            demand_mean: float) -> np.ndarray:
    """g(S) = h E[(S - D)+] + p E[(D - S)+] = h (S - mu) + (h + p) n(S) for Poisson D (Snyder & Shen eq. 4.24)."""
    level = np.asarray(level, dtype=float)
    return holding_cost * (level - demand_mean) + (holding_cost + stockout_cost) * poisson_loss(level, demand_mean)


def newsvendor_poisson(holding_cost: float, stockout_cost: float, demand_mean: float) -> BaseStockResult:
    """S* = smallest S with F(S) >= p/(h+p) (Snyder & Shen eq. 4.27 for discrete demand); cost by eq. 4.24."""
    where = "newsvendor_poisson"
    h, p = _costs(where, holding_cost, stockout_cost)
    mu = positive("demand_mean", demand_mean, where)
    level = float(stats.poisson.ppf(p / (h + p), mu))
    return BaseStockResult(base_stock=level, cost=float(poisson_newsvendor_cost(level, h, p, mu)))


def s_s_poisson(holding_cost: float, stockout_cost: float, fixed_cost: float, demand_mean: float) -> SSResult:
    """Exact optimal (s, S) for Poisson demand per period, zero lead time, backorders.

    Zheng-Federgruen algorithm (Snyder & Shen Algorithm 4.2), evaluating
    g(s, S) = [K + sum_{d=0}^{S-s-1} m(d) G(S-d)] / M(S-s) with the renewal functions m, M of
    eqs. 4.71-4.75; order up to S when the inventory position is at or below s.
    """
    where = "s_s_poisson"
    h, p = _costs(where, holding_cost, stockout_cost)
    k = positive("fixed_cost", fixed_cost, where,
                 "With no fixed cost the best policy is base-stock: use newsvendor_poisson().")
    mu = positive("demand_mean", demand_mean, where)
    y_star = int(newsvendor_poisson(h, p, mu).base_stock)
    span = int(y_star + 20 * np.sqrt(mu) + 20 + 2 * np.sqrt(2 * k * mu / h) * 5)  # largest S - s considered
    pmf = stats.poisson.pmf(np.arange(span + 1), mu)
    m = np.zeros(span + 1)
    m[0] = 1.0 / (1.0 - pmf[0])
    for j in range(1, span + 1):
        m[j] = m[0] * float(np.dot(pmf[1:j + 1], m[j - 1::-1][:j]))
    big_m = np.concatenate([[0.0], np.cumsum(m)])

    def g(y: int) -> float:
        return float(poisson_newsvendor_cost(y, h, p, mu))

    def c(s: int, S: int) -> float:
        n = S - s
        if n > span:
            raise ValueError(f"{where}: S - s exceeded {span}; the cost ratio K/h is too large for this search")
        ys = S - np.arange(n)
        return float((k + float(np.dot(m[:n], poisson_newsvendor_cost(ys, h, p, mu)))) / big_m[n])

    s, s0_level = y_star, y_star
    while True:
        s -= 1
        if c(s, s0_level) <= g(s):
            break
    best_s, best_S, best_c = s, s0_level, c(s, s0_level)
    S = best_S + 1
    while g(S) <= best_c:
        if c(best_s, S) < best_c:
            best_S = S
            while c(s, best_S) <= g(s + 1):
                s += 1
            best_s, best_c = s, c(s, best_S)
        S += 1
    return SSResult(s=int(best_s), S=int(best_S), cost=float(best_c))


def r_q_cost_normal(reorder_point: float, order_quantity: float, holding_cost: float, stockout_cost: float,
                    fixed_cost: float, demand_mean: float, demand_sd: float, lead_time: float) -> float:
    """Exact expected cost per year of an (r, Q) policy, normal lead-time demand (Snyder & Shen eq. 5.7; Example 5.1).

    g(r, Q) = [K lambda + integral_r^{r+Q} g(y) dy] / Q with g(y) = h (y - mu) + (h + p) n(y), so the
    integral is h[Q(r - mu) + Q^2/2] + (h + p)[n2(r) - n2(r + Q)] (second-order loss, Appendix C).
    """
    mu, sigma = demand_mean * lead_time, demand_sd * np.sqrt(lead_time)
    q, r, h, p = order_quantity, reorder_point, holding_cost, stockout_cost
    integral = h * (q * (r - mu) + q * q / 2) + (h + p) * (normal_loss2(r, mu, sigma) - normal_loss2(r + q, mu, sigma))
    return float((fixed_cost * demand_mean + integral) / q)


def r_q_normal(holding_cost: float, stockout_cost: float, fixed_cost: float, demand_mean: float,
               demand_sd: float, lead_time: float) -> RQResult:
    """(r, Q) minimising the exact cost of :func:`r_q_cost_normal` (Snyder & Shen §5.2).

    For a given Q the best r solves g(r) = g(r + Q) (eq. 5.9), i.e. n(r) - n(r+Q) = hQ/(h+p); the
    resulting cost is convex in Q and minimised by a bounded one-dimensional search. Demand figures
    are per year, ``lead_time`` in years, costs per unit per year.
    """
    where = "r_q_normal"
    h, p = _costs(where, holding_cost, stockout_cost)
    k = positive("fixed_cost", fixed_cost, where, "With no fixed cost use a base-stock policy (newsvendor_normal).")
    lam = positive("demand_mean", demand_mean, where)
    sd = positive("demand_sd", demand_sd, where, "For steady demand use eoq_with_backorders().")
    lt = positive("lead_time", lead_time, where, "Give the lead time in years, e.g. 2 weeks = 2/52.")
    mu, sigma = lam * lt, sd * np.sqrt(lt)

    def r_of(q: float) -> float:
        target = h * q / (h + p)
        f = lambda r: float(normal_loss(r, mu, sigma) - normal_loss(r + q, mu, sigma)) - target  # noqa: E731
        lo, hi = mu - q - 12 * sigma, mu + 12 * sigma
        return float(optimize.brentq(f, lo, hi, xtol=1e-10))

    q0 = eoq_with_backorders(k, h, p, lam).order_quantity
    res = optimize.minimize_scalar(lambda q: r_q_cost_normal(r_of(q), q, h, p, k, lam, sd, lt),
                                   bounds=(q0 / 10, q0 * 10 + 10 * sigma), method="bounded",
                                   options={"xatol": 1e-7})
    q = float(res.x)
    r = r_of(q)
    return RQResult(reorder_point=r, order_quantity=q, cost=r_q_cost_normal(r, q, h, p, k, lam, sd, lt))


def r_q_poisson(holding_cost: float, stockout_cost: float, fixed_cost: float, demand_mean: float,
                lead_time: float) -> RQResult:
    """Exact integer (r, Q) for Poisson demand (Federgruen and Zheng 1992; Snyder & Shen §5.3, eq. 5.7 discrete form).

    C(r, Q) = [K lambda + sum_{y=r+1}^{r+Q} G(y)] / Q with G(y) = h E[(y - D_L)+] + p E[(D_L - y)+].
    G is convex, so the best set {r+1..r+Q} holds the Q smallest G values; Q grows while the next
    smallest G value is below the running average cost.
    """
    where = "r_q_poisson"
    h, p = _costs(where, holding_cost, stockout_cost)
    k = non_negative("fixed_cost", fixed_cost, where)
    lam = positive("demand_mean", demand_mean, where)
    lt = positive("lead_time", lead_time, where, "Give the lead time in years, e.g. 2 weeks = 2/52.")
    mu = lam * lt
    y = int(newsvendor_poisson(h, p, mu).base_stock) if mu > 0 else 0
    lo = hi = y  # current window [lo, hi]
    total = float(poisson_newsvendor_cost(y, h, p, mu))
    q = 1
    while True:
        g_lo = float(poisson_newsvendor_cost(lo - 1, h, p, mu))
        g_hi = float(poisson_newsvendor_cost(hi + 1, h, p, mu))
        nxt = min(g_lo, g_hi)
        if nxt * q >= k * lam + total:  # adding the next point no longer lowers the average
            break
        if g_lo <= g_hi:
            lo -= 1
        else:
            hi += 1
        total += nxt
        q += 1
    return RQResult(reorder_point=float(lo - 1), order_quantity=float(q), cost=(k * lam + total) / q)
