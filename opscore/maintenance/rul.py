"""Remaining useful life from age (Weibull) and condition (classifier), with a prediction interval.

Given survival to age ``a``, the residual life has survival ``S(x) = R(a + x) / R(a)`` (conditional
reliability, Meeker & Escobar, *Statistical Methods for Reliability Data*, 1998, Ch. 2). Condition enters as a
proportional-hazards multiplier ``k`` (Cox 1972; PHM-based condition monitoring as in Banjevic, Jardine et al.
2001, INFOR 39(1)): ``S_k(x) = (R(a + x) / R(a))^k``, with ``k`` chosen so that the chance of failing within
the classifier's horizon equals the classifier's probability: ``k = ln(1 - p_condition) / ln(1 - p_age)``.
Quantiles then have the closed form
``x_q = eta ((a/eta)^beta - ln(q) / k)^(1/beta) - a``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opscore.maintenance.weibull import WeibullFit

K_BOUNDS = (0.1, 20.0)
"""The condition multiplier is kept within these bounds: one classifier score cannot make an asset immortal
or certain to fail tomorrow."""


@dataclass(frozen=True)
class RemainingLife:
    """Remaining useful life of one asset, in days from the as-of date."""

    median_days: float
    """Median remaining life (days)."""
    low_days: float
    """Lower bound of the interval (days); the asset fails before it with probability (1 - level)/2."""
    high_days: float
    """Upper bound of the interval (days)."""
    level: float
    """Probability the remaining life falls inside [low_days, high_days], e.g. 0.8."""
    condition_multiplier: float
    """Hazard multiplier k from condition (1 = condition says nothing beyond age; > 1 worse than age alone)."""
    p_fail_horizon: float
    """Probability of failing within the horizon after combining age and condition."""


def condition_multiplier(fit: WeibullFit, age_days: float, horizon_days: float, p_condition: float) -> float:
    """``k = ln(1 - p_condition) / ln(1 - p_age)``, clipped to :data:`K_BOUNDS`; 1 when ``p_condition`` is NaN."""
    if np.isnan(p_condition):
        return 1.0
    p_age = float(fit.conditional_failure(age_days, horizon_days))
    p_c = float(np.clip(p_condition, 1e-4, 1 - 1e-4))
    if p_age <= 0:
        return K_BOUNDS[1]
    return float(np.clip(np.log1p(-p_c) / np.log1p(-min(p_age, 1 - 1e-12)), *K_BOUNDS))


def remaining_life(fit: WeibullFit, age_days: float, p_condition: float = float("nan"), horizon_days: float = 30.0,
                   level: float = 0.8) -> RemainingLife:
    """Median and ``level`` interval of remaining life for an asset of age ``age_days`` (see module docstring)."""
    if age_days < 0:
        raise ValueError(f"age_days must be 0 or more; got {age_days}.")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.8); got {level}.")
    k = condition_multiplier(fit, age_days, horizon_days, p_condition)
    a = (age_days / fit.scale) ** fit.shape

    def quantile(q_survive: float) -> float:
        return float(fit.scale * (a - np.log(q_survive) / k) ** (1.0 / fit.shape) - age_days)

    tail = (1 - level) / 2
    p_h = 1.0 - float(np.exp(-k * (((age_days + horizon_days) / fit.scale) ** fit.shape - a)))
    return RemainingLife(median_days=quantile(0.5), low_days=quantile(1 - tail), high_days=quantile(tail),
                         level=level, condition_multiplier=k, p_fail_horizon=p_h)
