"""Safety stock and reorder levels for a service target, per SKU (vectorised over arrays).

Periods are days unless stated; ``demand_mean``/``demand_sd`` are units per day, lead times in days.
Sources: Snyder & Shen (2019) Ch. 4-5 -- type-1 service (cycle service level, CSL) r = mu_L + z_alpha
sigma_L (eq. 5.21); type-2 service (fill rate) for (r, Q): 1 - n(r)/Q = beta; lead-time demand with a
random lead time: sigma_L^2 = E[L] sigma_d^2 + mu_d^2 Var[L] (variance of a random sum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from opscore.inventory._checks import array, probability
from opscore.inventory.loss import inverse_std_normal_loss, normal_loss


@dataclass(frozen=True)
class ReorderLevel:
    """A reorder point (or order-up-to level) with the safety stock inside it (arrays per SKU or scalars)."""

    level: np.ndarray
    """Reorder point r, or order-up-to S for periodic review, units."""
    safety_stock: np.ndarray
    """Units held above the expected demand over the protection period."""
    protection_mean: np.ndarray
    """Expected demand over the lead time (plus review period for (R, S)), units."""
    protection_sd: np.ndarray
    """Standard deviation of that demand, units."""


@dataclass(frozen=True)
class MinMax:
    """Min/max (s, S) levels and the order rule around them (arrays per SKU or scalars)."""

    min_level: np.ndarray
    """Order when the inventory position (on hand + on order - backorders) is at or below this, units."""
    max_level: np.ndarray
    """Order up to this level, units."""
    safety_stock: np.ndarray
    """Safety stock inside the min level, units."""


def protection_demand(demand_mean: object, demand_sd: object, periods: object,
                      periods_sd: object = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sd of demand over a random number of periods: mu L and sqrt(E[L] sigma^2 + mu^2 Var[L])."""
    mu, sd = np.asarray(demand_mean, float), np.asarray(demand_sd, float)
    n, n_sd = np.asarray(periods, float), np.asarray(periods_sd, float)
    return mu * n, np.sqrt(n * sd**2 + mu**2 * n_sd**2)


def _inputs(where: str, demand_mean: object, demand_sd: object, lead_time: object, lead_time_sd: object,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mu = array("demand_mean", demand_mean, where)
    sd = array("demand_sd", demand_sd, where)
    lt = array("lead_time", lead_time, where)
    lt_sd = array("lead_time_sd", lead_time_sd, where)
    return mu, sd, lt, lt_sd


def _need_spread(where: str, sigma: np.ndarray) -> None:
    if np.any(sigma <= 0):
        first = int(np.flatnonzero(np.atleast_1d(sigma <= 0))[0])
        raise ValueError(
            f"{where}: entry {first} has no demand or lead-time variability (sd = 0), so a service-level safety "
            "stock is undefined; use the plain lead-time demand as reorder point or give a demand_sd > 0"
        )


def reorder_point_csl(demand_mean: object, demand_sd: object, lead_time: object, service_level: float,
                      lead_time_sd: object = 0.0) -> ReorderLevel:
    """Reorder point for a cycle service level alpha: r = mu_L + z_alpha sigma_L (Snyder & Shen eq. 5.21)."""
    where = "reorder_point_csl"
    alpha = probability("service_level", service_level, where)
    mu, sd, lt, lt_sd = _inputs(where, demand_mean, demand_sd, lead_time, lead_time_sd)
    m, s = protection_demand(mu, sd, lt, lt_sd)
    _need_spread(where, s)
    ss = stats.norm.ppf(alpha) * s
    return ReorderLevel(level=m + ss, safety_stock=ss, protection_mean=m, protection_sd=s)


def reorder_point_fill_rate(demand_mean: object, demand_sd: object, lead_time: object, fill_rate: float,
                            order_quantity: object, lead_time_sd: object = 0.0) -> ReorderLevel:
    """Reorder point for a fill rate beta with order size Q: sigma_L L(z) = (1 - beta) Q
    (Snyder & Shen Ch. 5, type-2 service)."""
    where = "reorder_point_fill_rate"
    beta = probability("fill_rate", fill_rate, where)
    mu, sd, lt, lt_sd = _inputs(where, demand_mean, demand_sd, lead_time, lead_time_sd)
    q = array("order_quantity", order_quantity, where, minimum=0.0, strict=True)
    m, s = protection_demand(mu, sd, lt, lt_sd)
    _need_spread(where, s)
    m, s, q = np.broadcast_arrays(m, s, q)
    z = inverse_std_normal_loss((1 - beta) * q / s)
    ss = z * s
    return ReorderLevel(level=m + ss, safety_stock=ss, protection_mean=m, protection_sd=s)


def order_up_to_level(demand_mean: object, demand_sd: object, review_period: object, lead_time: object,
                      target: float, target_kind: str = "csl", lead_time_sd: object = 0.0) -> ReorderLevel:
    """Periodic review (R, S): protect R + L periods.

    CSL: S = mu (R+L) + z_alpha sigma_{R+L}. Fill rate: expected shortage per review cycle
    n_{R+L}(S) - n_L(S) = (1 - beta) mu R (Snyder & Shen Ch. 4, base-stock with lead time, applied over
    the review-plus-lead-time period).
    """
    where = "order_up_to_level"
    target = probability("target", target, where)
    mu, sd, lt, lt_sd = _inputs(where, demand_mean, demand_sd, lead_time, lead_time_sd)
    r = array("review_period", review_period, where, minimum=0.0, strict=True)
    m, s = protection_demand(mu, sd, r + lt, lt_sd)
    _need_spread(where, s)
    if target_kind == "csl":
        ss = stats.norm.ppf(target) * s
        return ReorderLevel(level=m + ss, safety_stock=ss, protection_mean=m, protection_sd=s)
    if target_kind != "fill_rate":
        raise ValueError(f"{where}: target_kind must be 'csl' or 'fill_rate', got {target_kind!r}")
    mL, sL = protection_demand(mu, sd, lt, lt_sd)
    m, s, mL, sL, mu_b, r_b = np.broadcast_arrays(m, s, mL, sL, mu, r)
    level = np.empty(m.shape)
    for i in np.ndindex(m.shape):
        allowed = float((1 - target) * mu_b[i] * r_b[i])

        def short(x: float, i: tuple[int, ...] = i, allowed: float = allowed) -> float:
            early: float = float(normal_loss(x, mL[i], sL[i])) if sL[i] > 0 else max(mL[i] - x, 0.0)
            return float(normal_loss(x, m[i], s[i])) - early - allowed

        level[i] = optimize.brentq(short, m[i] - 10 * s[i], m[i] + 40 * s[i] + 1, xtol=1e-8)
    return ReorderLevel(level=level, safety_stock=level - m, protection_mean=m, protection_sd=s)


def round_order(quantity: object, moq: object = 1, order_multiple: object = 1) -> np.ndarray:
    """Round a wanted quantity up to the supplier's rules: at least the MOQ, in whole multiples (0 stays 0)."""
    q = np.asarray(quantity, float)
    moq_a = np.maximum(np.asarray(moq, float), 0)
    mult = np.maximum(np.asarray(order_multiple, float), 1)
    rounded = np.ceil(np.maximum(q, moq_a) / mult - 1e-9) * mult
    return np.where(q > 0, rounded, 0.0)


def min_max(demand_mean: object, demand_sd: object, lead_time: object, service_level: float, order_quantity: object,
            moq: object = 1, order_multiple: object = 1, lead_time_sd: object = 0.0,
            target_kind: str = "csl") -> MinMax:
    """Min = reorder point for the target; max = min + the order quantity rounded to MOQ and multiples.

    With ``target_kind='fill_rate'`` the min uses the fill-rate formula with the rounded quantity.
    """
    q = round_order(np.maximum(np.asarray(order_quantity, float), 1e-9), moq, order_multiple)
    if target_kind == "csl":
        rp = reorder_point_csl(demand_mean, demand_sd, lead_time, service_level, lead_time_sd)
    elif target_kind == "fill_rate":
        rp = reorder_point_fill_rate(demand_mean, demand_sd, lead_time, service_level, q, lead_time_sd)
    else:
        raise ValueError(f"min_max: target_kind must be 'csl' or 'fill_rate', got {target_kind!r}")
    low = np.ceil(rp.level - 1e-9)
    return MinMax(min_level=low, max_level=low + q, safety_stock=rp.safety_stock)
