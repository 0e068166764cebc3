"""The Maintenance page's own steps, now in opscore: the costs tried, the service intervals offered, what the chosen
interval costs a year, the calendar's first day and the fleet's totals."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from opscore.maintenance import (
    AgeReplacementPlan,
    ServiceCosts,
    WeibullFit,
    asset_policy,
    cost_rate,
    interval_cost,
    interval_range,
    optimal_age_replacement,
    plan_start,
    summarise_fleet,
)
from opscore.store import Store


def _weibull(shape: float, scale: float) -> WeibullFit:
    """A Weibull with given parameters (bounds unused here)."""
    return WeibullFit(shape, scale, 10, 10, 0.0, (shape, shape), (scale, scale), 0.95, ((0.0, 0.0), (0.0, 0.0)))


def test_service_costs_become_register_overrides() -> None:
    """The three costs override the register's columns of the same names, in that order."""
    assert ServiceCosts(120.0, 900.0, 25.0).overrides() == {"preventive_cost": 120.0, "failure_cost": 900.0,
                                                            "downtime_cost_per_hour": 25.0}


@pytest.mark.parametrize("costs", [(-1.0, 900.0, 0.0), (120.0, math.nan, 0.0), (120.0, 900.0, math.inf)])
def test_service_costs_refuse_negative_or_missing_amounts(costs: tuple[float, float, float]) -> None:
    """A negative, missing (NaN) or infinite cost is refused with the reason."""
    with pytest.raises(ValueError, match="0 GBP or more"):
        ServiceCosts(*costs)


def test_interval_range_from_the_lifetimes_and_the_optimum() -> None:
    """Shape 3, scale 400 days: 99 % have failed by 400 (-ln 0.01)^(1/3) = 665.6 days, so up to 665 days are
    offered, from 14; the slider starts at the cost-optimal age rounded to a day."""
    fit = _weibull(3.0, 400.0)
    plan = optimal_age_replacement(fit, 100.0, 1000.0)
    offered = interval_range(fit, plan)
    assert (offered.low_days, offered.high_days) == (14, int(400.0 * (-np.log(0.01)) ** (1 / 3))) == (14, 665)
    assert offered.best_days == round(plan.interval_days)
    assert (offered.clamp(5), offered.clamp(200.7), offered.clamp(5000)) == (14, 200, 665)


def test_interval_range_for_short_lives_and_running_to_failure() -> None:
    """A 20-day life still offers up to 60 days; when running to failure is cheapest (shape below 1) the slider
    starts at the longest interval."""
    short = _weibull(2.0, 20.0)
    assert interval_range(short, optimal_age_replacement(short, 10.0, 100.0)).high_days == 60
    early = _weibull(0.8, 300.0)
    plan = optimal_age_replacement(early, 100.0, 1000.0)
    assert math.isinf(plan.interval_days)
    offered = interval_range(early, plan)
    assert offered.best_days == offered.high_days
    with pytest.raises(ValueError, match="below the longest"):
        interval_range(early, plan, low_days=60, least_high_days=60)


def test_interval_cost_is_the_cost_rate_a_year() -> None:
    """At 250 days: C(250) x 365 a year, and (run-to-failure rate - C(250)) x 365 saved."""
    fit = _weibull(2.5, 400.0)
    plan = optimal_age_replacement(fit, 150.0, 1200.0)
    chosen = interval_cost(fit, plan, 250)
    rate = float(cost_rate(fit, 150.0, 1200.0, 250))
    assert chosen.cost_per_day == rate and chosen.interval_days == 250.0
    assert chosen.cost_per_year == pytest.approx(rate * 365, rel=1e-15)
    assert chosen.saving_per_year == pytest.approx((plan.run_to_failure_cost_per_day - rate) * 365, rel=1e-15)
    at_best = interval_cost(fit, plan, plan.interval_days)
    assert at_best.saving_per_year == pytest.approx(plan.savings_per_year, rel=1e-9)


def test_interval_cost_uses_the_plans_total_costs() -> None:
    """The plan's costs include downtime (Cp, Cf totals), and the chosen interval is costed with those."""
    fit = _weibull(2.0, 300.0)
    plan = AgeReplacementPlan(200.0, 1.0, 5.0, 0.0, 0.0, preventive_cost=300.0, failure_cost=2000.0)
    assert interval_cost(fit, plan, 100).cost_per_day == float(cost_rate(fit, 300.0, 2000.0, 100))


def test_plan_starts_the_day_after_as_of() -> None:
    """The calendar places jobs from the day after the data's as-of date, across a month's end."""
    assert plan_start(date(2026, 10, 31)) == date(2026, 11, 1)


def test_fleet_summary_totals() -> None:
    """Two assets to act on now (service, inspect); expected breakdown cost 0.5 x 1000 + 0.1 x 2000 = 700 GBP;
    yearly saving 50 + 25 + 0 = 75 GBP."""
    table = pd.DataFrame({"action": ["Service now: high failure risk", "Inspect this week: vibration drifting",
                                     "Plan a service"],
                          "p_fail": [0.5, 0.1, 0.0], "failure_total": [1000.0, 2000.0, 3000.0],
                          "savings_per_year": [50.0, 25.0, 0.0]})
    summary = summarise_fleet(table)
    assert (summary.needing_action, summary.expected_breakdown_cost_gbp, summary.yearly_saving_gbp) == (2, 700.0, 75.0)


def test_sample_what_if_plan_matches_the_register_costs(sample_store: Store) -> None:
    """On the sample, each type's plan at its first asset's register costs offers an interval range holding the
    cost-optimal age, and costing that age gives the plan's own saving."""
    from opscore.maintenance import analyse_fleet

    assets = sample_store.table("assets")
    analysis = analyse_fleet(assets, sample_store.table("maintenance_events"), sample_store.table("sensor_readings"),
                             sample_store.as_of(), evaluate=False)
    for kind, group in assets.groupby("type"):
        first = group.iloc[0]
        costs = ServiceCosts(float(first["preventive_cost"]), float(first["failure_cost"]),
                             float(first["downtime_cost_per_hour"]))
        plan = asset_policy(analysis, first, costs.overrides())
        offered = interval_range(analysis.fits[kind][0], plan)
        assert offered.low_days <= offered.best_days <= offered.high_days, kind
        if np.isfinite(plan.interval_days):
            chosen = interval_cost(analysis.fits[kind][0], plan, plan.interval_days)
            assert chosen.saving_per_year == pytest.approx(plan.savings_per_year, rel=1e-9), kind
