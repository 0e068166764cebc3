"""Age replacement: the service interval that minimises the long-run cost per day.

Serve (renew) an asset at age ``T`` or at failure, whichever comes first. By the renewal-reward theorem the
long-run cost rate is (Barlow & Proschan, *Mathematical Theory of Reliability*, 1965, Ch. 4 Sec. 2;
Jardine & Tsang, *Maintenance, Replacement and Reliability*, 2nd ed. 2013, Ch. 3, age-based replacement):

    C(T) = (Cp R(T) + Cf F(T)) / int_0^T R(t) dt

and run-to-failure costs ``Cf / MTTF``. A finite optimum exists only for a rising hazard (shape > 1) and
``Cf > Cp``; otherwise running to failure is cheapest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import minimize_scalar

from opscore.maintenance.weibull import WeibullFit


@dataclass(frozen=True)
class AgeReplacementPlan:
    """The cost-optimal service age for one Weibull lifetime and cost pair."""

    interval_days: float
    """Service when the asset reaches this age (days since last renewal); ``inf`` means run to failure."""
    cost_per_day: float
    """Long-run cost per day at that interval (GBP/day)."""
    run_to_failure_cost_per_day: float
    """Long-run cost per day when only failures are repaired (GBP/day), ``Cf / MTTF``."""
    savings_per_year: float
    """Expected saving against run-to-failure (GBP per asset per year, 365 days)."""
    savings_pct: float
    """The same saving as a share of the run-to-failure cost (0-1)."""
    preventive_cost: float
    """Total cost of one planned service Cp, including planned downtime (GBP)."""
    failure_cost: float
    """Total cost of one failure Cf, including unplanned downtime (GBP)."""


def total_costs(preventive_cost: float, failure_cost: float, downtime_cost_per_hour: float, service_hours: float,
                failure_downtime_hours: float) -> tuple[float, float]:
    """``(Cp, Cf)`` in GBP: direct cost plus downtime hours times the cost of an hour out of service."""
    values = {"preventive_cost": preventive_cost, "failure_cost": failure_cost,
              "downtime_cost_per_hour": downtime_cost_per_hour, "service_hours": service_hours,
              "failure_downtime_hours": failure_downtime_hours}
    bad = {k: v for k, v in values.items() if not np.isfinite(v) or v < 0}
    if bad:
        raise ValueError(f"Costs and hours must be 0 or more; got {bad}.")
    return (preventive_cost + service_hours * downtime_cost_per_hour,
            failure_cost + failure_downtime_hours * downtime_cost_per_hour)


def cost_rate(fit: WeibullFit, preventive_cost: float, failure_cost: float,
              interval_days: np.ndarray | float) -> np.ndarray:
    """``C(T)`` in GBP/day for service age(s) ``T`` in days (formula in the module docstring)."""
    t = np.asarray(interval_days, float)
    if np.any(t <= 0):
        raise ValueError("Service intervals must be positive numbers of days.")
    r = fit.reliability(t)
    rate: npt.NDArray[np.float64] = (preventive_cost * r + failure_cost * (1 - r)) / fit.integrated_reliability(t)
    return rate


def _grid(fit: WeibullFit, points: int) -> np.ndarray:
    """``points`` service ages from a few days up to the age by which 99.9 % have failed."""
    top = float(fit.quantile(0.999))
    return np.linspace(top / points, top, points)


def cost_rate_curve(fit: WeibullFit, preventive_cost: float, failure_cost: float, points: int = 200) -> pd.DataFrame:
    """``interval_days, cost_per_day`` from a few days up to the age by which 99.9 % have failed."""
    grid = _grid(fit, points)
    return pd.DataFrame({"interval_days": grid, "cost_per_day": cost_rate(fit, preventive_cost, failure_cost, grid)})


def optimal_age_replacement(fit: WeibullFit, preventive_cost: float, failure_cost: float) -> AgeReplacementPlan:
    """Minimise ``C(T)``: a grid search, then a bounded Brent refinement around the best grid point."""
    if preventive_cost <= 0 or failure_cost <= 0:
        raise ValueError(f"Preventive and failure costs must be positive; got {preventive_cost} and {failure_cost}.")
    rtf = failure_cost / fit.mean_life()
    best_t, best_c = np.inf, rtf
    if fit.shape > 1 and failure_cost > preventive_cost:
        grid = _grid(fit, 400)
        i = int(np.nanargmin(cost_rate(fit, preventive_cost, failure_cost, grid)))
        lo = grid[max(i - 1, 0)] * (0.5 if i == 0 else 1.0)
        hi = grid[min(i + 1, len(grid) - 1)]
        res = minimize_scalar(lambda t: float(cost_rate(fit, preventive_cost, failure_cost, t)), bounds=(lo, hi),
                              method="bounded", options={"xatol": 1e-6 * hi})
        if res.fun < rtf * (1 - 1e-9):
            best_t, best_c = float(res.x), float(res.fun)
    return AgeReplacementPlan(
        interval_days=best_t, cost_per_day=best_c, run_to_failure_cost_per_day=rtf,
        savings_per_year=(rtf - best_c) * 365.0, savings_pct=(rtf - best_c) / rtf,
        preventive_cost=preventive_cost, failure_cost=failure_cost)
