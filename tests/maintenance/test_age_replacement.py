"""Age-replacement policy: cost rate by numerical integration, the Barlow-Proschan optimality condition."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from opscore.maintenance.policy import cost_rate, cost_rate_curve, optimal_age_replacement, total_costs
from opscore.maintenance.weibull import WeibullFit


def _weibull(shape: float, scale: float) -> WeibullFit:
    """A Weibull with given parameters (bounds unused by the policy)."""
    return WeibullFit(shape, scale, 10, 10, 0.0, (shape, shape), (scale, scale), 0.95, ((0.0, 0.0), (0.0, 0.0)))


def test_cost_rate_equals_numerically_integrated_renewal_reward() -> None:
    """C(T) = (Cp R(T) + Cf F(T)) / int_0^T R(t) dt (Barlow & Proschan 1965, Ch. 4): the closed form via the
    incomplete gamma function equals direct numerical integration (scipy quad) for several T."""
    fit = _weibull(2.5, 400.0)
    for t in (50.0, 200.0, 400.0, 900.0):
        area, _ = quad(lambda u: np.exp(-(u / 400.0) ** 2.5), 0, t)
        r = np.exp(-(t / 400.0) ** 2.5)
        assert float(cost_rate(fit, 100.0, 1000.0, t)) == pytest.approx((100 * r + 1000 * (1 - r)) / area, rel=1e-9)


def test_optimum_solves_the_barlow_proschan_condition() -> None:
    """Textbook case: Weibull shape 2, scale 1 (time unit), Cp = 1, Cf = 5. The optimal age T* solves
    h(T) int_0^T R - F(T) = Cp / (Cf - Cp) (Barlow & Proschan 1965, Ch. 4, Sec. 2). T* is found here
    independently by brentq with quad integration, and the library must agree."""
    fit = _weibull(2.0, 1.0)

    def condition(t: float) -> float:
        area, _ = quad(lambda u: np.exp(-u * u), 0, t)
        return 2 * t * area - (1 - np.exp(-t * t)) - 1 / 4

    t_star = brentq(condition, 0.05, 5.0)
    plan = optimal_age_replacement(fit, 1.0, 5.0)
    assert plan.interval_days == pytest.approx(t_star, rel=1e-4)
    # at the optimum C(T*) = (Cf - Cp) h(T*) (same source), a second check on the level
    assert plan.cost_per_day == pytest.approx((5 - 1) * 2 * t_star, rel=1e-4)
    assert plan.run_to_failure_cost_per_day == pytest.approx(5 / (np.sqrt(np.pi) / 2))
    assert plan.savings_per_year == pytest.approx((plan.run_to_failure_cost_per_day - plan.cost_per_day) * 365)


def test_run_to_failure_when_hazard_is_not_rising() -> None:
    """With a constant hazard (shape 1) planned replacement cannot pay (Barlow & Proschan): the plan is run
    to failure with zero savings, and C(T) falls towards Cf / MTTF as T grows."""
    fit = _weibull(1.0, 300.0)
    plan = optimal_age_replacement(fit, 50.0, 500.0)
    assert np.isinf(plan.interval_days) and plan.savings_per_year == 0.0
    curve = cost_rate_curve(fit, 50.0, 500.0)
    assert np.all(np.diff(curve["cost_per_day"]) < 0)
    assert curve["cost_per_day"].iloc[-1] == pytest.approx(500 / 300, rel=0.01)


def test_cheap_failures_mean_run_to_failure() -> None:
    """If a breakdown costs no more than a planned service, servicing early never pays."""
    assert np.isinf(optimal_age_replacement(_weibull(3.0, 100.0), 200.0, 150.0).interval_days)


def test_total_costs_add_downtime_and_reject_negatives() -> None:
    """Cp and Cf include downtime hours times the hourly cost; a negative input is refused with its name."""
    assert total_costs(180, 1400, 60, 3, 17.5) == (180 + 3 * 60, 1400 + 17.5 * 60)
    with pytest.raises(ValueError, match="failure_cost"):
        total_costs(180, -1, 60, 3, 17.5)
    with pytest.raises(ValueError, match="positive"):
        cost_rate(_weibull(2.0, 1.0), 1.0, 5.0, [0.0, 1.0])
