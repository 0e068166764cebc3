"""The global model (opscore.forecast.global_model): no look-ahead in the backtest, reproducible training, censored
targets left out, accuracy and interval coverage on a synthetic panel, the conformal quantiles and late-starting
series."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from panel_data import panel, weekly_demand

from opscore.forecast import metrics
from opscore.forecast.backtest import default_min_train, plan_origins
from opscore.forecast.global_model import (
    GlobalForecast,
    GlobalSettings,
    Panel,
    _sample_rows,
    conformal_quantiles,
    fit_global,
)

SMALL = GlobalSettings(rows=4000, trees=25)
"""A small, fast model: enough to tell the properties apart, not to be accurate."""
SHORT = 7
"""The short window of a daily panel: a series' first training origin is its start plus this."""


def origins_of(periods: int, horizon: int) -> tuple[tuple[int, ...], int]:
    """Backtest origins and horizon of a daily panel as forecast_panel plans them."""
    return plan_origins(periods, horizon, 4, None, default_min_train(periods, 7))


def fit(p: Panel, horizon: int = 14, s: GlobalSettings = SMALL) -> GlobalForecast:
    """fit_global with the panel's own backtest plan; fails the test when no model could be trained."""
    origins, h = origins_of(p.periods, horizon)
    g = fit_global(p, horizon, origins, h, settings=s)
    assert g is not None
    return g


def all_rows(p: Panel, cutoff: int, horizon: int) -> set[tuple[int, int, int]]:
    """Every admissible training row (i, o, h), by brute force: origin at least start + the short window, target
    before ``cutoff`` and not censored."""
    out = set()
    for i in range(p.n):
        for h in range(1, horizon + 1):
            for o in range(int(p.start[i]) + SHORT, cutoff - h + 1):
                if p.censored is None or not p.censored[i, o + h - 1]:
                    out.add((i, o, h))
    return out


# -- no look-ahead ---------------------------------------------------------------------------------------------------


def test_backtest_forecasts_do_not_see_the_periods_they_forecast() -> None:
    """Perturbing every value at or after an origin (all series) leaves the backtest forecasts from that origin and
    every earlier one bit-identical, while the forecast from the end of the history changes."""
    y = weekly_demand(12, 150, seed=3)
    origins, h = origins_of(150, 14)
    base = fit(panel(y))
    assert np.isfinite(base.backtest).all()
    rng = np.random.default_rng(0)
    for k, cut in enumerate(origins):
        moved = y.copy()
        moved[:, cut:] = rng.poisson(3 * y[:, cut:] + 5)
        g = fit(panel(moved))
        earlier = [j for j, o in enumerate(origins) if o <= cut]
        assert k in earlier
        assert np.array_equal(g.backtest[:, earlier], base.backtest[:, earlier]), f"origin {cut} saw the future"
        assert not np.array_equal(g.mean, base.mean)


# -- reproducible, sized training ------------------------------------------------------------------------------------


def test_same_data_and_seed_give_the_same_forecast_and_rows_respects_the_setting() -> None:
    """Two fits of one panel with one seed agree exactly (forecasts, bounds, backtest); another seed changes the
    forecast; the final model learns from exactly ``rows`` sampled rows when the panel holds more, from all of
    them when it holds fewer."""
    p = panel(weekly_demand(10, 120, seed=5))
    a, b = fit(p), fit(p)
    assert np.array_equal(a.mean, b.mean) and np.array_equal(a.backtest, b.backtest, equal_nan=True)
    for lv in a.bounds:
        assert all(np.array_equal(x, z) for x, z in zip(a.bounds[lv], b.bounds[lv]))
        assert all(np.array_equal(x, z, equal_nan=True) for x, z in zip(a.backtest_bounds[lv], b.backtest_bounds[lv]))
    assert a.importance.equals(b.importance)
    other = fit(p, s=GlobalSettings(rows=4000, trees=25, seed=8))
    assert not np.array_equal(other.mean, a.mean)
    available = len(all_rows(p, p.periods, 14))
    assert available > SMALL.rows
    assert a.training_rows == SMALL.rows
    assert fit(p, s=GlobalSettings(rows=available + 10, trees=25)).training_rows == available


@st.composite
def sampling_problems(draw: st.DrawFn) -> tuple[Panel, int, int, int, int]:
    """A small daily panel with random starts and censored periods, a cutoff, a horizon, a row budget and a seed."""
    n = draw(st.integers(1, 5))
    t = draw(st.integers(9, 50))
    start = np.array(draw(st.lists(st.integers(0, t - 1), min_size=n, max_size=n)), np.int64)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    censored = rng.random((n, t)) < draw(st.sampled_from([0.0, 0.2, 0.6, 1.0]))
    p = panel(rng.poisson(4.0, (n, t)).astype(float), start, censored)
    return p, draw(st.integers(1, t)), draw(st.integers(1, 12)), draw(st.integers(1, 400)), draw(st.integers(0, 99))


@settings(deadline=None, max_examples=200)
@given(sampling_problems())
def test_sampled_rows_are_admissible_and_never_target_a_censored_period(
        problem: tuple[Panel, int, int, int, int]) -> None:
    """Every row (i, o, h) the sampler returns has its target o + h - 1 before the cutoff and not censored, its
    origin at least the series' start plus the short window, h within the horizon, and there are at most ``rows``
    of them; when the admissible rows fit the budget they all come back, once each."""
    p, cutoff, horizon, rows, seed = problem
    i, o, h = _sample_rows(p, cutoff, horizon, rows, np.random.default_rng(seed))
    assert len(i) == len(o) == len(h) <= rows
    assert p.censored is not None
    assert not p.censored[i, o + h - 1].any()
    assert ((h >= 1) & (h <= horizon)).all()
    assert (o >= p.start[i] + SHORT).all() and (o + h - 1 < cutoff).all()
    uncensored = panel(p.y, p.start)
    if len(all_rows(uncensored, cutoff, horizon)) <= rows:
        got = list(zip(i.tolist(), o.tolist(), h.tolist()))
        assert len(set(got)) == len(got)
        assert set(got) == all_rows(p, cutoff, horizon)


# -- accuracy and coverage ------------------------------------------------------------------------------------------


def test_global_model_beats_seasonal_naive_and_its_80_interval_covers_about_80_percent() -> None:
    """40 series, Poisson around a level per series times a shared weekly pattern (seed 0), 224 days of history,
    a 28-day holdout: the mean MASE (m = 7) of the global forecast is below 0.85 x seasonal naive's (0.71 vs 0.99
    here; below 0.80 x on seeds 0-23) and the 80 % interval holds 70-90 % of the holdout (0.78-0.83 on those seeds)."""
    horizon, days = 28, 224
    y = weekly_demand(40, days + horizon, seed=0)
    history, holdout = y[:, :days], y[:, days:]
    g = fit(panel(history), horizon, GlobalSettings(rows=20_000, trees=60))
    naive = np.tile(history[:, -7:], horizon // 7)
    own = np.mean([metrics.mase(holdout[i], g.mean[i], history[i], 7) for i in range(len(y))])
    seasonal = np.mean([metrics.mase(holdout[i], naive[i], history[i], 7) for i in range(len(y))])
    assert own < 0.85 * seasonal
    lo, hi = g.bounds[80]
    assert 0.70 <= float(np.mean((holdout >= lo) & (holdout <= hi))) <= 0.90


# -- conformal quantiles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "low_rank", "high_rank"), [(80, 3, 28), (50, 7, 24), (95, 1, 30)])
def test_conformal_bounds_are_the_finite_sample_order_statistics(level: int, low_rank: int, high_rank: int) -> None:
    """30 errors 10, 20, ..., 300 (shuffled, with NaN mixed in): the bounds are the floor((n+1)(1-L)/2)-th and
    ceil((n+1)(1+L)/2)-th smallest, clipped to 1..n: for n = 30, L = 80 the 3rd and 28th (floor 3.1, ceil 27.9),
    L = 50 the 7th and 24th (floor 7.75, ceil 23.25), L = 95 the 1st and 30th (0.775 and 30.225 clipped)."""
    values = 10.0 * np.arange(1, 31)
    errors = np.random.default_rng(1).permutation(np.concatenate([values, np.full(7, np.nan)]))[:, None]
    q = conformal_quantiles(errors, (level,), min_points=1)[level]
    assert q.shape == (2, 1)
    assert q[0, 0] == 10.0 * low_rank and q[1, 0] == 10.0 * high_rank


def test_conformal_ranks_match_exact_arithmetic_for_every_n() -> None:
    """For n = 1..199 errors 1..n and L in 50, 80, 90, 95, the bounds are the order statistics at the ranks
    floor((n+1)(1-L)/2) and ceil((n+1)(1+L)/2) computed in exact rational arithmetic (clipped to 1..n): in floats
    0.5 - 0.4 is 0.09999999999999998, which put the 80 % lower bound one rank low whenever n + 1 is a multiple
    of 10 (n = 19: the 1st smallest instead of the 2nd)."""
    wrong = []
    for n in range(1, 200):
        errors = np.arange(1.0, n + 1)[:, None]
        q = conformal_quantiles(errors, (50, 80, 90, 95), min_points=1)
        for lv, bounds in q.items():
            low = min(max(math.floor((n + 1) * Fraction(100 - lv, 200)), 1), n)
            high = min(max(math.ceil((n + 1) * Fraction(100 + lv, 200)), 1), n)
            if (bounds[0, 0], bounds[1, 0]) != (low, high):
                wrong.append((n, lv, (bounds[0, 0], bounds[1, 0]), (low, high)))
    assert not wrong, wrong[:5]


def test_a_step_with_few_errors_pools_its_neighbours_and_empty_steps_give_zero() -> None:
    """Steps 0 and 2 have 40 errors each, step 1 only 5 (the rest NaN): with min_points 30 steps 0 and 2 use their
    own errors, step 1 the errors of steps 0-2 together; a panel of errors that are all NaN gives bounds of 0."""
    rng = np.random.default_rng(2)
    errors = np.full((40, 3), np.nan)
    errors[:, 0] = rng.normal(-5, 1, 40)
    errors[:5, 1] = rng.normal(0, 1, 5)
    errors[:, 2] = rng.normal(5, 1, 40)
    q = conformal_quantiles(errors, (80,), min_points=30)[80]
    alone = [conformal_quantiles(errors[:, [k]], (80,), min_points=1)[80][:, 0] for k in (0, 2)]
    pooled = conformal_quantiles(errors.reshape(-1, 1), (80,), min_points=1)[80][:, 0]
    assert np.array_equal(q[:, 0], alone[0]) and np.array_equal(q[:, 2], alone[1])
    assert np.array_equal(q[:, 1], pooled)
    assert q[0, 1] < -3 and q[1, 1] > 3  # the pooled step spans both neighbours
    assert np.array_equal(conformal_quantiles(np.full((4, 2), np.nan), (80, 95))[95], np.zeros((2, 2)))


# -- bounds ----------------------------------------------------------------------------------------------------------


def assert_ordered(g: GlobalForecast) -> None:
    """0 <= lo95 <= lo80 <= mean <= hi80 <= hi95, for the forecast and every backtest forecast."""
    for mean, bounds in ((g.mean, g.bounds), (g.backtest, g.backtest_bounds)):
        seen = np.isfinite(mean)
        (lo80, hi80), (lo95, hi95) = bounds[80], bounds[95]
        assert (mean[seen] >= 0).all() and (lo95[seen] >= 0).all()
        assert (lo95[seen] <= lo80[seen]).all() and (lo80[seen] <= mean[seen]).all()
        assert (mean[seen] <= hi80[seen]).all() and (hi80[seen] <= hi95[seen]).all()


@settings(deadline=None, max_examples=8)
@given(st.integers(0, 10_000), st.integers(3, 12), st.sampled_from([0.05, 1.0]))
def test_bounds_are_non_negative_and_bracket_the_forecast(seed: int, n: int, scale: float) -> None:
    """On panels of steady demand (fast sellers, or slow ones with many zeros) the bounds are never negative and
    0 <= lo95 <= lo80 <= mean <= hi80 <= hi95, for the forecast and the backtest."""
    y = np.random.default_rng(seed).poisson(scale * weekly_demand(n, 120, seed)).astype(float)
    assert_ordered(fit(panel(y)))


def test_bounds_bracket_the_forecast_after_demand_steps_up() -> None:
    """Demand triples from the earliest backtest origin on (every series), so nearly every backtest error is
    positive: the bounds still bracket the forecast (the error quantiles are widened to include 0; without that
    lo80 lay above the forecast for 71 % of the forecasts here)."""
    y = weekly_demand(20, 200, seed=0)
    origins, _ = origins_of(200, 14)
    y[:, min(origins):] = np.random.default_rng(5).poisson(3 * y[:, min(origins):])
    assert_ordered(fit(panel(y)))


# -- series that start late ------------------------------------------------------------------------------------------


def test_a_series_starting_late_gets_finite_forecasts_keyed_by_its_own_origins() -> None:
    """Series 3 starts at period 120 of 200 and series 4 one period before the earliest backtest origin: both get
    finite forecasts; their backtest forecasts are keyed by their own origins (panel origin - start), series 4 only
    from origins at least 2 periods after its start (NaN at the others); what series 3 held before its start
    (zeros or 50s) changes nothing."""
    days = 200
    origins, h = origins_of(days, 14)
    y = weekly_demand(8, days, seed=6)
    start = np.zeros(8, np.int64)
    start[3], start[4] = 120, min(origins) - 1
    y[3, 120] = max(y[3, 120], 1.0)  # a sale on its first day
    y[4, :start[4]] = 0.0
    zeros, fifties = y.copy(), y.copy()
    zeros[3, :120], fifties[3, :120] = 0.0, 50.0
    g = fit(panel(zeros, start))
    assert np.isfinite(g.mean).all() and all(np.isfinite(b).all() for pair in g.bounds.values() for b in pair)
    late = g.backtest_predictions(3, 120)
    assert sorted(late) == sorted(o - 120 for o in origins)
    assert all(np.isfinite(p.mean).all() and len(p.mean) == h for p in late.values())
    latest = g.backtest_predictions(4, int(start[4]))
    assert sorted(latest) == sorted(o - int(start[4]) for o in origins if o - start[4] >= 2)
    assert len(latest) < len(origins) and np.isnan(g.backtest[4, list(origins).index(min(origins))]).all()
    other = fit(panel(fifties, start))
    assert np.array_equal(other.mean, g.mean) and np.array_equal(other.backtest, g.backtest, equal_nan=True)


def test_values_before_a_late_start_are_ignored_even_without_early_sales() -> None:
    """Series 3 starts at period 120 and sells nothing in its first 40 periods: zeros or 50s before its start give
    the same forecasts (its time since the last sale does not reach back before its start)."""
    days = 200
    y = weekly_demand(10, days, seed=1)
    start = np.zeros(10, np.int64)
    start[3] = 120
    y[3, 120:160] = 0.0
    zeros, fifties = y.copy(), y.copy()
    zeros[3, :120], fifties[3, :120] = 0.0, 50.0
    a, b = fit(panel(zeros, start)), fit(panel(fifties, start))
    assert np.array_equal(a.mean, b.mean) and np.array_equal(a.backtest, b.backtest, equal_nan=True)


def test_backtest_bounds_are_calibrated_on_errors_known_at_their_origin() -> None:
    """Origin k's bounds use only other origins' errors on periods before it; the earliest origin (none known) uses
    the other origins'; a lone origin its own."""
    from opscore.forecast.global_model import _known_errors

    origins = (20, 16, 12)  # latest first, 8 steps each: origin 12 covers 12..19, origin 16 covers 16..23
    errors = np.arange(2 * 3 * 8, dtype=float).reshape(2, 3, 8)
    target = np.asarray(origins)[:, None] + np.arange(8)
    latest = _known_errors(errors, target, 0, 20)
    expected = np.where((target < 20)[None], errors, np.nan)
    expected[:, 0] = np.nan
    np.testing.assert_array_equal(latest, expected.reshape(-1, 8))
    assert np.isfinite(_known_errors(errors, target, 1, 16)[:, :4]).sum() == 2 * 4  # origin 12's first 4 steps
    earliest = _known_errors(errors, target, 2, 12)
    np.testing.assert_array_equal(earliest, np.delete(errors, 2, axis=1).reshape(-1, 8))
    alone = _known_errors(errors[:, :1], target[:1], 0, 20)
    np.testing.assert_array_equal(alone, errors[:, :1].reshape(-1, 8))
