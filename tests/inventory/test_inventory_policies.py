"""Textbook checks of the inventory policies.

Published numbers come from Snyder, L.V. and Shen, Z.-J.M. (2019) *Fundamentals of Supply Chain
Theory*, 2nd ed., Wiley (S&S), and Wagner, H.M. and Whitin, T.M. (1958) "Dynamic version of the
economic lot size model", *Management Science* 5(1), 89-96.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from opscore.inventory import (
    abc_xyz,
    eoq,
    eoq_all_units_discount,
    eoq_with_backorders,
    min_max,
    newsvendor_normal,
    newsvendor_poisson,
    order_up_to_level,
    r_q_cost_normal,
    r_q_normal,
    r_q_poisson,
    reorder_point_csl,
    reorder_point_fill_rate,
    round_order,
    s_s_poisson,
    wagner_whitin,
)
from opscore.inventory.loss import normal_loss, std_normal_loss
from opscore.inventory.stochastic import poisson_newsvendor_cost


def test_eoq_snyder_shen_example_3_1():
    """S&S Example 3.1: K=8, h=0.225, D=1300 gives Q*=304.0468 and g*=68.4105."""
    res = eoq(fixed_cost=8, holding_cost=0.225, demand_rate=1300)
    assert res.order_quantity == pytest.approx(304.0468, abs=1e-4)
    assert res.cost == pytest.approx(68.4105, abs=1e-4)


def test_eoq_with_backorders_snyder_shen_example_3_8():
    """S&S Example 3.8: K=8, h=0.225, p=5, D=1300 gives Q*=310.8126, x*=0.04306, g*=66.9214."""
    res = eoq_with_backorders(fixed_cost=8, holding_cost=0.225, stockout_cost=5, demand_rate=1300)
    assert res.order_quantity == pytest.approx(310.8126, abs=1e-4)
    assert res.stockout_fraction == pytest.approx(0.0430622, abs=1e-6)
    assert res.cost == pytest.approx(66.9214, abs=1e-4)


def test_newsvendor_normal_snyder_shen_example_4_3():
    """S&S Example 4.3: h=0.18, p=0.7, D~N(50, 8^2) gives S*=56.6040 and cost 1.99761."""
    res = newsvendor_normal(holding_cost=0.18, stockout_cost=0.7, demand_mean=50, demand_sd=8)
    assert res.base_stock == pytest.approx(56.6040, abs=1e-4)
    assert res.cost == pytest.approx(1.99761, abs=1e-5)


def test_newsvendor_lead_time_covers_l_plus_one_periods():
    """S&S §4.3 (base-stock with lead time L): the policy protects L+1 periods, i.e. N((L+1)mu, (L+1)sigma^2)."""
    with_lead = newsvendor_normal(0.18, 0.7, 50, 8, lead_time=3)
    assert with_lead.base_stock == pytest.approx(newsvendor_normal(0.18, 0.7, 200, 16).base_stock, rel=1e-12)


def test_newsvendor_poisson_snyder_shen_example_4_7():
    """S&S Example 4.7 (one-period part): h=1, p=4, D~Poisson(6) gives S*=8 with cost 3.5701."""
    res = newsvendor_poisson(holding_cost=1, stockout_cost=4, demand_mean=6)
    assert res.base_stock == 8
    assert res.cost == pytest.approx(3.5701, abs=1e-4)


def test_s_s_poisson_issue_example():
    """Zheng & Federgruen (1991) instance quoted in S&S: h=1, p=9, K=64, Poisson(15) gives (s,S)=(10,49), cost
    42.698."""
    res = s_s_poisson(holding_cost=1, stockout_cost=9, fixed_cost=64, demand_mean=15)
    assert (res.s, res.S) == (10, 49)
    assert res.cost == pytest.approx(42.698, abs=1e-3)


def test_s_s_poisson_snyder_shen_example_4_7_and_brute_force():
    """S&S Example 4.7: h=1, p=4, K=5, Poisson(6) gives (4, 10), cost 8.0341; no (s, S) on a grid does better."""
    res = s_s_poisson(holding_cost=1, stockout_cost=4, fixed_cost=5, demand_mean=6)
    assert (res.s, res.S, round(res.cost, 4)) == (4, 10, 8.0341)
    mu, h, p, k = 6.0, 1.0, 4.0, 5.0
    pmf = stats.poisson.pmf(np.arange(60), mu)
    m = np.zeros(60)
    m[0] = 1 / (1 - pmf[0])
    for j in range(1, 60):
        m[j] = m[0] * sum(pmf[i] * m[j - i] for i in range(1, j + 1))
    big_m = np.concatenate([[0], np.cumsum(m)])

    def cost(s: int, S: int) -> float:
        return (k + sum(m[d] * poisson_newsvendor_cost(S - d, h, p, mu) for d in range(S - s))) / big_m[S - s]

    best = min(cost(s, S) for s, S in itertools.product(range(-2, 9), range(5, 25)) if S > s)
    assert res.cost == pytest.approx(best, abs=1e-12)


def test_r_q_exact_cost_snyder_shen_example_5_1():
    """S&S Example 5.1 / eq. 5.7: r=126.8, Q=328.5, h=0.225, p=7.5, K=8, N(1300, 150) per year, L=1/12 costs 78.071."""
    cost = r_q_cost_normal(126.8, 328.5, 0.225, 7.5, 8, 1300, 150, 1 / 12)
    assert cost == pytest.approx(78.071, abs=1e-3)


def test_r_q_normal_reaches_the_exact_optimum():
    """r_q_normal minimises the exact cost: it matches S&S's optimum (126.8, 328.5) and beats a grid around it."""
    res = r_q_normal(holding_cost=0.225, stockout_cost=7.5, fixed_cost=8, demand_mean=1300, demand_sd=150,
                     lead_time=1 / 12)
    assert res.reorder_point == pytest.approx(126.8, abs=0.1)
    assert res.order_quantity == pytest.approx(328.5, abs=0.1)
    assert res.cost <= r_q_cost_normal(126.8, 328.5, 0.225, 7.5, 8, 1300, 150, 1 / 12)
    grid = [r_q_cost_normal(r, q, 0.225, 7.5, 8, 1300, 150, 1 / 12)
            for r in np.linspace(120, 134, 29) for q in np.linspace(315, 342, 28)]
    assert res.cost <= min(grid) + 1e-9


def test_r_q_poisson_matches_enumeration():
    """Federgruen & Zheng (1992): the greedy exact (r, Q) equals the best of a full enumeration of C(r, Q)."""
    h, p, k, lam, lt = 0.225, 7.5, 8.0, 400.0, 1 / 12
    res = r_q_poisson(h, p, k, lam, lt)
    mu = lam * lt
    g = {y: float(poisson_newsvendor_cost(y, h, p, mu)) for y in range(-20, 500)}
    best = min((k * lam + sum(g[y] for y in range(r + 1, r + q + 1))) / q
               for r in range(-10, 60) for q in range(1, 400))
    assert res.cost == pytest.approx(best, rel=1e-12)
    assert res.order_quantity == int(res.order_quantity)


def test_wagner_whitin_snyder_shen_example_3_9():
    """S&S Example 3.9: d=(90,120,80,70), K=500, h=2 gives orders (210,0,150,0) and cost 1380."""
    res = wagner_whitin(demand=[90, 120, 80, 70], fixed_cost=500, holding_cost=2)
    assert res.order_quantities == (210, 0, 150, 0)
    assert res.cost == 1380


def test_wagner_whitin_original_1958_example():
    """Wagner & Whitin (1958), 12-month example with varying set-up costs and h=1: minimum cost 864."""
    demand = [69, 29, 36, 61, 61, 26, 34, 67, 45, 67, 79, 56]
    setup = [85, 102, 102, 101, 98, 114, 105, 86, 119, 110, 98, 114]
    res = wagner_whitin(demand, setup, 1)
    assert res.cost == 864
    assert sum(res.order_quantities) == sum(demand)


def test_all_units_discount_beats_every_quantity():
    """All-units discount (S&S Ch. 3): the chosen Q is the cheapest of a fine grid of all quantities."""
    k, i, d, b, c = 8.0, 0.3, 1300.0, [0, 400, 800], [0.75, 0.72, 0.68]
    res = eoq_all_units_discount(k, i, d, b, c)

    def total(q: float) -> float:
        price = c[np.searchsorted(b, q, side="right") - 1]
        return price * d + k * d / q + i * price * q / 2

    grid = np.arange(1, 3000, 0.5)
    assert res.cost == pytest.approx(min(total(q) for q in grid), abs=1e-6)
    assert res.cost == pytest.approx(total(res.order_quantity), rel=1e-12)


def test_reorder_point_csl_formula():
    """r = mu L + z_alpha sqrt(L sigma^2 + mu^2 sigma_L^2) (S&S eq. 5.21 with a random lead time)."""
    res = reorder_point_csl(demand_mean=10, demand_sd=3, lead_time=4, service_level=0.95, lead_time_sd=1)
    sigma = np.sqrt(4 * 9 + 100 * 1)
    assert float(res.level) == pytest.approx(40 + stats.norm.ppf(0.95) * sigma, rel=1e-12)


def test_fill_rate_reorder_point_meets_type2_identity():
    """Type-2 service (S&S Ch. 5): at the computed r, 1 - n(r)/Q equals the fill-rate target."""
    res = reorder_point_fill_rate(demand_mean=[10, 5], demand_sd=[3, 2], lead_time=4, fill_rate=0.98,
                                  order_quantity=[50, 20])
    for r, m, s, q in zip(res.level, res.protection_mean, res.protection_sd, [50, 20], strict=True):
        assert 1 - float(normal_loss(r, m, s)) / q == pytest.approx(0.98, abs=1e-8)


def test_periodic_fill_rate_identity():
    """(R, S) fill rate: shortage per review cycle n_{R+L}(S) - n_L(S) equals (1 - beta) mu R."""
    res = order_up_to_level(10, 3, review_period=7, lead_time=2, target=0.98, target_kind="fill_rate")
    s = float(res.level)
    short = float(normal_loss(s, 90, 3 * 3)) - float(normal_loss(s, 20, 3 * np.sqrt(2)))
    assert short == pytest.approx(0.02 * 10 * 7, abs=1e-6)


def test_min_max_respects_moq_and_multiples():
    """Min/max: max - min is the order quantity raised to the MOQ and rounded up to whole packs."""
    res = min_max(10, 3, 4, 0.95, order_quantity=37, moq=12, order_multiple=6)
    assert float(res.max_level - res.min_level) == 42
    assert round_order([0, 5, 13, 24], moq=12, order_multiple=6).tolist() == [0, 12, 18, 24]


def test_abc_xyz_classes():
    """ABC by cumulative value (an SKU whose value starts inside the first 80 % is A, inside 95 % B) and XYZ by
    weekly coefficient of variation (X <= 0.5 < Y <= 1.0 < Z)."""
    value = np.array([800.0, 100.0, 60.0, 40.0])
    steady = np.full(10, 5.0)
    erratic = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 50.0])
    medium = np.array([1, 9] * 5, dtype=float)  # cv = 0.84
    table = abc_xyz(["a", "b", "c", "d"], value, np.vstack([steady, erratic, medium, steady]))
    assert table["abc"].tolist() == ["A", "B", "B", "C"]  # cumulative share before each: 0, 0.8, 0.9, 0.96
    assert table["xyz"].tolist() == ["X", "Z", "Y", "X"]
    assert table.loc[0, "target"] > table.loc[3, "target"]


@pytest.mark.parametrize("call, fragment", [
    (lambda: eoq(-1, 0.2, 100), "fixed_cost must be zero or more"),
    (lambda: eoq(8, 0.2, 0), "demand_rate must be a positive number"),
    (lambda: newsvendor_normal(-0.1, 0.7, 50, 8), "holding_cost must be a positive number"),
    (lambda: newsvendor_normal(0.18, 0.7, 50, 0), "demand_sd must be a positive number"),
    (lambda: newsvendor_poisson(1, 4, 0), "demand_mean must be a positive number"),
    (lambda: s_s_poisson(1, 9, 0, 15), "fixed_cost must be a positive number"),
    (lambda: r_q_normal(0.225, 7.5, 8, 1300, 150, 0), "lead_time must be a positive number"),
    (lambda: reorder_point_csl(10, 3, 4, 1.0), "strictly between 0 and 1"),
    (lambda: reorder_point_fill_rate(10, 3, 4, 1.0, 50), "100 % target is impossible"),
    (lambda: reorder_point_csl(10, 0, 4, 0.95), "no demand or lead-time variability"),
    (lambda: reorder_point_csl(-1, 3, 4, 0.95), "demand_mean must be at least 0"),
    (lambda: eoq_all_units_discount(8, 0.3, 1300, [100, 400], [0.75, 0.72]), "breakpoints must start at 0"),
    (lambda: wagner_whitin([10, -5], 100, 1), "demand must be at least 0"),
])
def test_bad_input_is_refused_with_a_clear_message(call, fragment):
    """Negative costs, zero demand, sd = 0 and 100 % targets raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=fragment):
        call()


def test_std_normal_loss_known_value():
    """Standard normal loss L(0) = phi(0) = 0.398942 (S&S Appendix C)."""
    assert float(std_normal_loss(0.0)) == pytest.approx(0.3989423, abs=1e-7)
