"""Weibull maximum likelihood with right censoring: published examples, simulation, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from opscore.maintenance.weibull import fit_weibull, plotting_positions, weibull_log_likelihood

# Shock absorber data (O'Connor 1985), as listed in Meeker & Escobar, *Statistical Methods for Reliability
# Data* (Wiley 1998), Appendix C: distance (km) to failure, F = failed, C = censored; 38 units, 11 failures.
SHOCK = ("6700F 6950C 7820C 8790C 9120F 9660C 9820C 11310C 11690C 11850C 11880C 12140C 12200F 12870C 13150F "
         "13330C 13470C 14040C 14300F 17520F 17540C 17890C 18450C 18960C 18980C 19410C 20100F 20100C 20150C "
         "20320C 20900F 22700F 23490C 26510F 27410C 27490F 27890C 28100C").split()

# Diesel generator fan data, Nelson, *Applied Life Data Analysis* (Wiley 1982), Ch. 8 (ML for multiply
# censored data): hours on 70 fans, 12 failures; "+" = still running.
FANS = ("450 460+ 1150 1150 1560+ 1600 1660+ 1850+ 1850+ 1850+ 1850+ 1850+ 2030+ 2030+ 2030+ 2070 2070 2080 "
        "2200+ 3000+ 3000+ 3000+ 3000+ 3100 3200+ 3450 3750+ 3750+ 4150+ 4150+ 4150+ 4150+ 4300+ 4300+ 4300+ "
        "4300+ 4600 4850+ 4850+ 4850+ 4850+ 5000+ 5000+ 5000+ 6100+ 6100 6100+ 6100+ 6300+ 6450+ 6450+ 6700+ "
        "7450+ 7800+ 7800+ 8100+ 8100+ 8200+ 8500+ 8500+ 8500+ 8750+ 8750 8750+ 9400+ 9900+ 10100+ 10100+ "
        "10100+ 11500+").split()


def test_shock_absorber_matches_meeker_escobar() -> None:
    """Meeker & Escobar (1998), Weibull ML fit of the shock absorber data (Ch. 8): mu = ln(scale) = 10.23 and
    sigma = 1/shape = 0.3164, i.e. shape 3.16, scale about 27,700 km."""
    t = [float(s[:-1]) for s in SHOCK]
    failed = [s.endswith("F") for s in SHOCK]
    fit = fit_weibull(t, failed)
    assert (fit.n, fit.n_failed) == (38, 11)
    assert round(np.log(fit.scale), 2) == 10.23
    assert round(1 / fit.shape, 4) == 0.3164
    assert fit.shape_ci[0] < fit.shape < fit.shape_ci[1] and fit.scale_ci[0] < fit.scale < fit.scale_ci[1]


def test_generator_fans_match_nelson() -> None:
    """Nelson (1982), Applied Life Data Analysis, Ch. 8: Weibull ML estimates for the fan data are
    shape 1.0584 and scale 26,297 hours."""
    t = [float(s.rstrip("+")) for s in FANS]
    failed = [not s.endswith("+") for s in FANS]
    fit = fit_weibull(t, failed)
    assert (fit.n, fit.n_failed) == (70, 12)
    assert fit.shape == pytest.approx(1.0584, abs=5e-5)
    assert fit.scale == pytest.approx(26_297, rel=5e-5)


def test_standard_errors_equal_numerical_hessian() -> None:
    """The analytic observed information (Meeker & Escobar App. B) equals a finite-difference Hessian of the
    log-likelihood in (mu, sigma), so the confidence bounds rest on the right curvature."""
    t = np.array([float(s[:-1]) for s in SHOCK])
    d = np.array([s.endswith("F") for s in SHOCK])
    fit = fit_weibull(t, d)
    mu, sig, h = np.log(fit.scale), 1 / fit.shape, 1e-4

    def ll(m: float, s: float) -> float:
        return weibull_log_likelihood(t, d, 1 / s, np.exp(m))

    hess = np.array([
        [(ll(mu + h, sig) - 2 * ll(mu, sig) + ll(mu - h, sig)) / h**2,
         (ll(mu + h, sig + h) - ll(mu + h, sig - h) - ll(mu - h, sig + h) + ll(mu - h, sig - h)) / (4 * h * h)],
        [0.0, (ll(mu, sig + h) - 2 * ll(mu, sig) + ll(mu, sig - h)) / h**2]])
    hess[1, 0] = hess[0, 1]
    np.testing.assert_allclose(np.array(fit.cov_mu_sigma), np.linalg.inv(-hess), rtol=1e-3)


def test_recovers_known_parameters_from_simulated_censored_data() -> None:
    """5,000 simulated lifetimes (shape 2.2, scale 520 days) with random end-of-study censoring (about 40 %
    censored): the estimates land within 3 % of the truth and inside their 95 % bounds."""
    rng = np.random.default_rng(7)
    life = 520 * rng.weibull(2.2, 5000)
    end = rng.uniform(100, 1200, 5000)
    fit = fit_weibull(np.minimum(life, end), life <= end)
    assert 0.3 < 1 - fit.n_failed / fit.n < 0.5
    assert fit.shape == pytest.approx(2.2, rel=0.03) and fit.scale == pytest.approx(520, rel=0.03)
    assert fit.shape_ci[0] < 2.2 < fit.shape_ci[1] and fit.scale_ci[0] < 520 < fit.scale_ci[1]


def test_confidence_bounds_cover_about_95_percent() -> None:
    """Over 300 simulated samples of 80 censored lifetimes, the 95 % bounds cover the true shape and scale in
    roughly 95 % of samples (Wald on the log scale; allowed 90-99 % for sampling noise and small n)."""
    rng = np.random.default_rng(11)
    hits = np.zeros(2)
    for _ in range(300):
        life = 100 * rng.weibull(1.5, 80)
        end = rng.uniform(20, 250, 80)
        fit = fit_weibull(np.minimum(life, end), life <= end)
        hits += [fit.shape_ci[0] < 1.5 < fit.shape_ci[1], fit.scale_ci[0] < 100 < fit.scale_ci[1]]
    assert np.all((hits / 300 > 0.90) & (hits / 300 < 0.99))


def test_plotting_positions_without_censoring_are_hazen_positions() -> None:
    """With no censoring the Kaplan-Meier midpoint equals Hazen's (i - 0.5) / n (Meeker & Escobar Sec. 6.4);
    a censored unit raises the later positions (it leaves the risk set)."""
    pos = plotting_positions([5, 1, 3, 2], [True] * 4)
    np.testing.assert_allclose(pos["cdf"], (np.arange(1, 5) - 0.5) / 4)
    censored = plotting_positions([1, 2, 3, 4], [True, False, True, True])
    # KM: S = 3/4 after t=1; 2 at risk at t=3 -> S = 3/8; midpoint F = 1 - (3/4 + 3/8) / 2 = 7/16
    assert list(censored["duration"]) == [1, 3, 4]
    assert censored["cdf"].iloc[1] == pytest.approx(7 / 16)


@pytest.mark.parametrize(("durations", "failed", "message"), [
    ([10, -5, 20], [True, True, False], "must be positive"),
    ([10, 0, 20], [True, True, False], "must be positive"),
    ([10, 15, 20], [False, False, False], "All 3 lifetimes are censored"),
    ([10, 15], [True], "equal length"),
    ([10, float("nan")], [True, True], "finite"),
    ([], [], "No lifetimes"),
])
def test_bad_input_gives_a_clear_message(durations: list[float], failed: list[bool], message: str) -> None:
    """Negative or zero durations, all-censored data, mismatched or missing values raise ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        fit_weibull(durations, failed)
