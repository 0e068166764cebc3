"""The Monte Carlo simulator against exact results.

Timing is Snyder & Shen (2019) §4.3: order at the start of a day, lead time L days, so a daily
base-stock level S protects L + 1 days; end-of-day net inventory is S - D_{L+1}.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from opscore.inventory import BootstrapDemand, ForecastDemand, Items, PoissonDemand, Policy, SupplyWindow, simulate
from opscore.inventory.loss import poisson_loss


class _Steady:
    """Exactly ``rate`` units every day (for hand-checked cases)."""

    n_skus = 1

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def sampler(self, rng, replications, order=None):
        return lambda t: np.full((1, replications), self.rate)


def _items(h=1.0, p=4.0, k=0.0, lead=((0,),), **kw) -> Items:
    return Items(holding_cost=np.array([h]), stockout_cost=np.array([p]), ordering_cost=np.array([k]),
                 lead_time_samples=np.array(lead, dtype=float), **kw)


def _inside(sim_mean: float, half: float, exact: float) -> bool:
    return abs(sim_mean - exact) <= half


@pytest.mark.parametrize("lead, extra", [(2, 0.0), (0, 2.0)])
def test_base_stock_matches_exact_poisson_results(lead, extra):
    """Base stock S=20, Poisson(5)/day, L=2, backorders: holding h E[(S-D3)+], backorders p n(S) and fill rate
    1 - (n_{D3}(S) - n_{D2}(S))/mu (S&S §4.3, exact for periodic review) all lie in the 95 % intervals; a 2-day
    what-if delay on a 0-day lead time gives the same numbers."""
    mu, S, h, p, days = 5.0, 20, 1.0, 4.0, 3000
    res = simulate(PoissonDemand(np.array([mu])), Policy(np.array([S - 1.0]), np.array([float(S)])),
                   _items(h, p, lead=((lead,),), initial_on_hand=S), days=days, replications=100, lost_sales=False,
                   seed=1, extra_lead_days=extra)
    row = res.per_sku.iloc[0]
    n3, n2 = float(poisson_loss(S, 3 * mu)), float(poisson_loss(S, 2 * mu))
    assert _inside(row.holding_cost / days, row.holding_cost_ci / days, h * (S - 3 * mu + n3))
    assert _inside(row.stockout_cost / days, row.stockout_cost_ci / days, p * n3)
    assert _inside(row.fill_rate, row.fill_rate_ci, 1 - (n3 - n2) / mu)


def test_s_s_simulation_matches_zheng_federgruen_cost():
    """(s, S) = (10, 49), h=1, p=9, K=64, Poisson(15), L=0: simulated cost per period covers the exact 42.698."""
    days = 2000
    res = simulate(PoissonDemand(np.array([15.0])), Policy(np.array([10.0]), np.array([49.0])),
                   _items(1.0, 9.0, 64.0, initial_on_hand=49), days=days, replications=200, lost_sales=False, seed=1)
    row = res.per_sku.iloc[0]
    assert _inside(row.total_cost / days, row.total_cost_ci / days, 42.698)


def test_base_stock_type1_service_equals_no_stockout_probability():
    """Daily base stock with lost sales rarely matters at S high; with backorders P(no new shortage) tracks
    P(D_{L+1} <= S) closely: the in-stock share lies within 0.01 of the Poisson cdf (S&S type-1 service)."""
    res = simulate(PoissonDemand(np.array([5.0])), Policy(np.array([17.0]), np.array([18.0])),
                   _items(lead=((1,),), initial_on_hand=18), days=2000, replications=40, lost_sales=False, seed=5)
    assert res.per_sku.iloc[0].in_stock_days == pytest.approx(stats.poisson.cdf(18, 10), abs=0.01)


def test_perishable_fefo_waste_by_hand():
    """10 units/day, base stock 40, shelf life 3 days, no lead time: the oldest lot keeps 10 units past its last
    day every third day from day 2 (days 2, 5, ..., 29), so 30 days waste exactly 100 units; with S=30 none."""
    for level, waste in ((40, 100.0), (30, 0.0)):
        res = simulate(_Steady(10.0), Policy(np.array([level - 1.0]), np.array([float(level)])),
                       _items(shelf_life_days=np.array([3.0])), days=30, replications=2)
        assert res.per_sku.iloc[0].waste_units == waste
        assert res.per_sku.iloc[0].fill_rate == 1.0


def test_starting_lots_expire_on_their_use_by_day():
    """A starting lot of 30 usable to day 1 and none ordered: 20 are sold on days 0-1, 10 thrown away, then
    demand is lost (fill rate 20/50 over five days)."""
    res = simulate(_Steady(10.0), Policy(np.array([-1.0]), np.array([0.0])),
                   _items(initial_lots=np.array([[30.0]]), initial_expiry_day=np.array([[1.0]])),
                   days=5, replications=2)
    row = res.per_sku.iloc[0]
    assert (row.waste_units, row.fill_rate) == (10.0, pytest.approx(0.4))


def test_lost_sales_are_counted():
    """50 units on hand, 10/day for 10 days, no orders: half the demand is lost and each lost unit costs p."""
    res = simulate(_Steady(10.0), Policy(np.array([-1.0]), np.array([0.0])), _items(p=2.0, initial_on_hand=50),
                   days=10, replications=2)
    row = res.per_sku.iloc[0]
    assert (row.fill_rate, row.lost_or_late, row.stockout_cost) == (0.5, 50.0, 100.0)


def test_orders_respect_moq_multiples_and_stochastic_lead_times():
    """10/day, min 15, max 40, MOQ 24 in packs of 12: every order wants 25-34 units and is rounded to 36.
    Lead times drawn from {1, 3} days give a fill rate between the fixed 1-day and fixed 3-day cases."""
    def fill(lead):
        res = simulate(_Steady(10.0), Policy(np.array([15.0]), np.array([40.0]), moq=24, order_multiple=12),
                       _items(lead=(lead,), initial_on_hand=40), days=365, replications=50, seed=2)
        return res.per_sku.iloc[0]

    mixed, fast, slow = fill((1, 3)), fill((1,)), fill((3,))
    assert mixed.units_ordered / mixed.orders == pytest.approx(36.0)
    assert slow.fill_rate < mixed.fill_rate < fast.fill_rate


def test_bootstrap_keeps_the_weekday_pattern():
    """Bootstrapped day t is drawn from the same weekday in past weeks (history ends the day before day 0)."""
    week = np.arange(1.0, 8.0)
    draw = BootstrapDemand(np.tile(week, 10)[None, :]).sampler(np.random.default_rng(0), 4)
    assert [float(draw(t)[0, 0]) for t in range(8)] == [1, 2, 3, 4, 5, 6, 7, 1]


def test_forecast_demand_with_zero_spread_is_the_forecast():
    """A forecast with sd 0 gives exactly the forecast each day; past its horizon the last week repeats."""
    mean = np.arange(1.0, 15.0)[None, :]
    draw = ForecastDemand(mean, np.zeros_like(mean)).sampler(np.random.default_rng(0), 3)
    assert [float(draw(t)[0, 0]) for t in (0, 13, 14, 20)] == [1, 14, 8, 14]


@pytest.mark.parametrize("workers", [1, 2])
def test_vectorised_skus_are_independent_of_each_other(workers):
    """Simulating two SKUs together (in one block or two parallel blocks) gives each its own exact base-stock
    fill rate (no leakage across rows)."""
    res = simulate(PoissonDemand(np.array([5.0, 2.0])), Policy(np.array([19.0, 5.0]), np.array([20.0, 6.0])),
                   Items(np.ones(2), np.ones(2), np.zeros(2), np.array([[2.0], [0.0]]),
                         initial_on_hand=np.array([20, 6])),
                   days=3000, replications=40, lost_sales=False, seed=9, workers=workers)
    exact = [1 - (poisson_loss(20, 15) - poisson_loss(20, 10)) / 5, 1 - (poisson_loss(6, 2) - 0.0) / 2]
    for (_, row), value in zip(res.per_sku.iterrows(), exact, strict=True):
        assert _inside(row.fill_rate, row.fill_rate_ci, float(value))


@pytest.mark.parametrize("policy, items, fragment", [
    (Policy(np.array([5.0]), np.array([5.0])), _items(), "order_up_to must exceed reorder_point"),
    (Policy(np.array([5.0]), np.array([9.0])), _items(lead=((-1,),)), "lead_time_samples"),
    (Policy(np.array([5.0]), np.array([9.0])), _items(h=-1.0), "costs must be zero or more"),
])
def test_simulator_refuses_bad_input(policy, items, fragment):
    """Impossible policies, negative lead times or costs raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=fragment):
        simulate(PoissonDemand(np.array([5.0])), policy, items, days=10, replications=2)


@pytest.mark.parametrize("workers", [1, 2])
def test_tracked_skus_come_back_in_the_order_asked_and_bad_ones_are_refused(workers):
    """Tracked stock and shortage per day are returned for the SKUs asked for, in that order, whether one block or
    two simulated them; an index that is not a SKU is refused instead of dropped."""
    demand, policy = PoissonDemand(np.array([5.0, 2.0])), Policy(np.array([19.0, 5.0]), np.array([20.0, 6.0]))
    items = Items(np.ones(2), np.ones(2), np.zeros(2), np.array([[2.0], [0.0]]), initial_on_hand=np.array([20, 6]))
    both = simulate(demand, policy, items, days=30, replications=4, seed=3, workers=workers, track=(1, 0))
    alone = [simulate(demand, policy, items, days=30, replications=4, seed=3, workers=workers, track=(i,))
             for i in (1, 0)]
    assert both.tracked_on_hand.shape == (30, 2, 4)
    for j, res in enumerate(alone):
        np.testing.assert_array_equal(both.tracked_on_hand[:, j], res.tracked_on_hand[:, 0])
        np.testing.assert_array_equal(both.tracked_short[:, j], res.tracked_short[:, 0])
    with pytest.raises(ValueError, match="track holds SKU indices 0 to 1"):
        simulate(demand, policy, items, days=10, replications=2, workers=workers, track=(0, 2))


def test_supply_window_blocks_slows_and_charges_orders():
    """10/day, s = 30, S = 100, lead 2, 100 on hand: undisturbed, orders go on days 7, 14, 21 and nothing is lost.
    Blocked for 20 days: the first order waits for day 20 and lands on day 22, so days 10-21 are lost (120 units).
    Open but taking at least 4 days, at £1.5 a unit and £10 an order: the day-7 order lands on day 11 (day 10
    lost), the next goes on day 15 and lands on day 19 (day 18 lost); window cost = 2 orders of 70 units =
    140 x 1.5 + 2 x 10, part of the total cost."""
    policy = Policy(np.array([30.0]), np.array([100.0]))
    items = _items(lead=((2,),), initial_on_hand=100.0)

    def row(supply):
        return simulate(_Steady(10.0), policy, items, days=40, replications=2, supply=supply).per_sku.iloc[0]

    free, blocked = row(None), row(SupplyWindow(20, blocked=True))
    slow = row(SupplyWindow(20, min_lead_days=4, unit_premium=1.5, order_fee=10.0))
    assert (free.lost_or_late, free.window_cost) == (0.0, 0.0)
    assert blocked.lost_or_late == 120.0 and blocked.window_orders == 0.0
    assert (slow.lost_or_late, slow.window_orders, slow.window_units) == (20.0, 2.0, 140.0)
    assert slow.window_cost == 140 * 1.5 + 2 * 10
    assert slow.total_cost == pytest.approx(slow.holding_cost + slow.stockout_cost + slow.window_cost)


def test_supply_window_leaves_stuck_orders_out_of_the_position():
    """200 units on order (arriving day 15) but stuck at a supplier that is out: left out of the inventory position,
    the SKU reorders on day 7 at another source (lead 2) and loses nothing; counted, it waits and loses days 10-14."""
    policy = Policy(np.array([30.0]), np.array([100.0]))
    items = _items(lead=((2,),), initial_on_hand=100.0, open_orders=np.array([[200.0]]),
                   open_order_day=np.array([[15.0]]))
    kept = simulate(_Steady(10.0), policy, items, days=30, replications=2, supply=SupplyWindow(15)).per_sku.iloc[0]
    left_out = simulate(_Steady(10.0), policy, items, days=30, replications=2,
                        supply=SupplyWindow(15, excluded_on_order=200.0)).per_sku.iloc[0]
    assert kept.lost_or_late == 50.0
    assert left_out.lost_or_late == 0.0


def test_what_ifs_with_one_seed_share_demand_and_lead_time_draws():
    """Common random numbers: two policies simulated with the same seed see identical demand, and identical lead
    times whenever they order on the same day (here: the same policy, one run with a window that changes nothing)."""
    demand = PoissonDemand(np.array([5.0, 2.0]))
    items = Items(np.ones(2), np.ones(2), np.zeros(2), np.array([[1.0, 2.0, 4.0], [0.0, 3.0, 6.0]]),
                  initial_on_hand=np.array([20.0, 6.0]))
    a = simulate(demand, Policy(np.array([19.0, 5.0]), np.array([20.0, 6.0])), items, days=200, replications=20, seed=4)
    b = simulate(demand, Policy(np.array([10.0, 2.0]), np.array([40.0, 12.0])), items, days=200, replications=20,
                 seed=4)
    c = simulate(demand, Policy(np.array([19.0, 5.0]), np.array([20.0, 6.0])), items, days=200, replications=20, seed=4,
                 supply=SupplyWindow(50, extra_lead_days=0.0))
    assert np.array_equal(a.per_sku["demand"], b.per_sku["demand"])
    assert a.per_sku.drop(columns=["window_orders", "window_units", "window_orders_ci", "window_units_ci"]).equals(
        c.per_sku.drop(columns=["window_orders", "window_units", "window_orders_ci", "window_units_ci"]))
    other = simulate(demand, Policy(np.array([19.0, 5.0]), np.array([20.0, 6.0])), items, days=200, replications=20,
                     seed=5)
    assert not np.array_equal(a.per_sku["demand"], other.per_sku["demand"])


def test_supply_window_refuses_negative_sizes():
    """A window with a negative length or premium is refused with what is wrong."""
    for supply, fragment in ((SupplyWindow(-1), "0 or more"), (SupplyWindow(5, unit_premium=-1.0), "unit_premium")):
        with pytest.raises(ValueError, match=fragment):
            simulate(_Steady(1.0), Policy(np.array([1.0]), np.array([5.0])), _items(), days=10, replications=2,
                     supply=supply)
