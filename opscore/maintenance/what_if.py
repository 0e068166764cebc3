"""The service-interval what-if of one asset type: the costs tried, the intervals offered and what the chosen
interval costs against running to failure (age replacement, :mod:`opscore.maintenance.policy`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from opscore.maintenance.policy import AgeReplacementPlan, cost_rate
from opscore.maintenance.weibull import WeibullFit

DAYS_PER_YEAR = 365.0
"""Days in a year of costs (as :attr:`AgeReplacementPlan.savings_per_year`)."""


@dataclass(frozen=True)
class ServiceCosts:
    """Direct costs of one asset type tried in a what-if, GBP; downtime is added from each asset's hours."""

    preventive_cost: float
    """One planned service, GBP."""
    failure_cost: float
    """One breakdown repair, GBP."""
    downtime_cost_per_hour: float
    """An hour out of service, GBP."""

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.overrides().items() if not 0.0 <= v < math.inf}
        if bad:
            raise ValueError(f"service costs must be 0 GBP or more, got {bad}")

    def overrides(self) -> dict[str, float]:
        """The costs as overrides of an asset's register row (:func:`~opscore.maintenance.fleet_table`)."""
        return {"preventive_cost": self.preventive_cost, "failure_cost": self.failure_cost,
                "downtime_cost_per_hour": self.downtime_cost_per_hour}


@dataclass(frozen=True)
class IntervalRange:
    """Service intervals offered for one asset type, days since install or the last repair."""

    low_days: int
    """Shortest interval offered."""
    high_days: int
    """Longest interval offered: the age by which 99 % have failed, at least ``least_high_days``."""
    best_days: int
    """The cost-optimal interval rounded to a day, or ``high_days`` when running to failure is cheapest."""

    def clamp(self, days: float) -> int:
        """``days`` (whole days) moved into the range."""
        return min(max(int(days), self.low_days), self.high_days)


def interval_range(fit: WeibullFit, plan: AgeReplacementPlan, low_days: int = 14,
                   least_high_days: int = 60) -> IntervalRange:
    """The intervals worth trying for a type with lifetimes ``fit`` and cost-optimal ``plan`` (days)."""
    if not 1 <= low_days < least_high_days:
        raise ValueError(f"the shortest interval ({low_days} days) must be at least 1 day and below the longest "
                         f"({least_high_days} days)")
    high = int(max(float(least_high_days), float(fit.quantile(0.99))))
    best = int(round(plan.interval_days)) if np.isfinite(plan.interval_days) else high
    return IntervalRange(low_days, high, best)


@dataclass(frozen=True)
class IntervalCost:
    """The long-run cost of servicing at a chosen interval (age replacement), per asset."""

    interval_days: float
    """The chosen service age, days."""
    cost_per_day: float
    """Long-run cost at that interval, GBP/day."""
    run_to_failure_cost_per_day: float
    """Long-run cost when only breakdowns are repaired, GBP/day."""

    @property
    def cost_per_year(self) -> float:
        """GBP per asset a year at the chosen interval."""
        return self.cost_per_day * DAYS_PER_YEAR

    @property
    def saving_per_year(self) -> float:
        """GBP per asset a year saved against running to failure (negative: the interval costs more)."""
        return (self.run_to_failure_cost_per_day - self.cost_per_day) * DAYS_PER_YEAR


def interval_cost(fit: WeibullFit, plan: AgeReplacementPlan, interval_days: float) -> IntervalCost:
    """The cost of servicing every ``interval_days`` with the total costs of ``plan`` (C(T), Barlow & Proschan)."""
    chosen = float(cost_rate(fit, plan.preventive_cost, plan.failure_cost, interval_days))
    return IntervalCost(float(interval_days), chosen, plan.run_to_failure_cost_per_day)


def plan_start(as_of: date) -> date:
    """The first day a maintenance calendar can place a job: the day after the data's as-of date."""
    return as_of + timedelta(days=1)
