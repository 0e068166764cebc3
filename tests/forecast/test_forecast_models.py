"""Known-answer tests of the forecasting models and metrics."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from opscore.forecast import metrics
from opscore.forecast.arima import AutoARIMA, kpss_diffs, seasonal_strength
from opscore.forecast.models import (
    ETS,
    SBA,
    SES,
    TSB,
    Croston,
    Damped,
    SeasonalNaive,
    Theta,
)

AIR_PASSENGERS = np.array([  # Box & Jenkins (1976) series G, monthly airline passengers (thousands), 1949-1960
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133,
    114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242,
    209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264,
    302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313,
    318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318,
    362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432], dtype=float)


def test_seasonal_naive_repeats_last_season_with_growing_bands() -> None:
    """Seasonal naive (FPP3 §5.2, Table 5.2): y_{T+h} = y_{T+h-m(k+1)}, sd_h = sigma sqrt(k+1).
    For y = 1..8, m = 4: forecasts 5,6,7,8,5,6; residuals y_t - y_{t-4} are all 4, so sigma = 4 and the
    80 % half-width is 1.2816 * 4 for h <= 4 and 1.2816 * 4 * sqrt(2) for h = 5, 6."""
    pred = SeasonalNaive().fit(np.arange(1.0, 9.0), 4).predict(6)
    np.testing.assert_allclose(pred.mean, [5, 6, 7, 8, 5, 6])
    half = pred.upper[80] - pred.mean
    np.testing.assert_allclose(half, 1.2815516 * 4 * np.sqrt([1, 1, 1, 1, 2, 2]), rtol=1e-6)


def test_croston_and_sba_hand_computed() -> None:
    """Croston (1972) with alpha = 0.1 on 0,3,0,0,5,0,2, worked by hand: start size 3, interval 2;
    at the 5: size 3 + 0.1 (5 - 3) = 3.2, interval 2 + 0.1 (3 - 2) = 2.1; at the 2: size 3.2 + 0.1 (2 - 3.2)
    = 3.08, interval 2.1 + 0.1 (2 - 2.1) = 2.09. Forecast 3.08 / 2.09; SBA (Syntetos & Boylan 2005)
    multiplies by 1 - 0.1/2 = 0.95."""
    y = np.array([0, 3, 0, 0, 5, 0, 2], float)
    assert Croston(0.1).fit(y).predict(3).mean == pytest.approx([3.08 / 2.09] * 3)
    assert SBA(0.1).fit(y).predict(1).mean[0] == pytest.approx(0.95 * 3.08 / 2.09)


def test_tsb_hand_computed() -> None:
    """TSB (Teunter, Syntetos & Babai 2011), alpha = beta = 0.5 on 0,4,0: start probability 1/3, size 4;
    after 0: p = 1/3 - 1/6 = 1/6; after 4: p = 1/6 + (1 - 1/6)/2 = 7/12, size stays 4; after 0: p = 7/24.
    Forecast p * size = 7/6."""
    assert TSB(0.5, 0.5).fit(np.array([0.0, 4.0, 0.0])).predict(2).mean == pytest.approx([7 / 6, 7 / 6])


def test_ses_and_damped_match_statsmodels_ets() -> None:
    """Our fast ETS(A,N,N) and ETS(A,Ad,N) (states concentrated out, least squares) agree with the maximum
    likelihood fit of statsmodels' ETSModel (Hyndman et al. 2008) on the first 60 airline values."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = AIR_PASSENGERS[:60]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_ses = ETSModel(y, error="add").fit(disp=False).forecast(6)
        ref_damped = ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False).forecast(6)
    np.testing.assert_allclose(SES(deseasonalise=False).fit(y, 12).predict(6).mean, ref_ses, rtol=0.01)
    np.testing.assert_allclose(Damped(deseasonalise=False).fit(y, 12).predict(6).mean, ref_damped, rtol=0.03)


def test_theta_drift_is_half_the_trend_slope() -> None:
    """Theta = SES with drift b/2 (Hyndman & Billah 2003): on an exact line y = 10 + 2t SES tracks the
    last value (alpha -> 1), so the forecast rises by half the slope, 1 per period, from y_T."""
    y = 10 + 2 * np.arange(30.0)
    pred = Theta().fit(y, 1).predict(5)
    np.testing.assert_allclose(pred.mean, y[-1] + np.arange(1, 6), atol=0.02)


def test_ets_chooses_multiplicative_season_for_airline_data() -> None:
    """On the airline series the seasonal swing grows with the level, so AICc prefers a multiplicative
    season (R forecast::ets picks ETS(M,Ad,M), Hyndman & Athanasopoulos FPP2 §7.7); the 95 % band
    contains the 80 % band."""
    model = ETS().fit(AIR_PASSENGERS[:132], 12)
    assert model.form_[2] == "M"
    assert len(model.tried_) == 15
    pred = model.predict(12)
    assert np.all(pred.lower[95] <= pred.lower[80]) and np.all(pred.upper[95] >= pred.upper[80])
    assert metrics.smape(AIR_PASSENGERS[132:], pred.mean) < 10


def test_arima_with_regressor_recovers_promotion_effect() -> None:
    """ARIMAX: with an AR(1) series plus 30 units whenever a promotion runs, the forecast in a promoted
    future period exceeds the unpromoted one by about 30 (regression with ARIMA errors)."""
    rng = np.random.default_rng(3)
    n = 80
    e = np.zeros(n)
    for t in range(1, n):
        e[t] = 0.5 * e[t - 1] + rng.normal(0, 2)
    promo = (rng.random(n) < 0.2).astype(float)
    y = 100 + e + 30 * promo
    model = AutoARIMA().fit(y, 1, x=promo[:, None])
    pred = model.predict(2, x_future=np.array([[1.0], [0.0]]))
    assert pred.mean[0] - pred.mean[1] == pytest.approx(30, abs=3)
    with pytest.raises(ValueError, match="x_future"):
        model.predict(2)


def _ar1(phi: float, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.normal(0, 1, n)
    out = np.zeros(n)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + e[t]
    return out


def test_arima_selects_ar_term_without_differencing_for_stationary_ar1() -> None:
    """Hyndman & Khandakar (2008): an AR(1) with phi = 0.7 (n = 200) passes the KPSS test undifferenced (d = 0) and
    the stepwise search keeps an AR term."""
    model = AutoARIMA().fit(50 + _ar1(0.7, 200, seed=7), 1)
    p, _, _, _, constant = model.spec_
    assert model.d_ == 0 and p >= 1 and constant
    assert model.describe().startswith(f"ARIMA({p},0,")


def test_arima_differences_a_random_walk_and_widens_its_intervals() -> None:
    """A random walk fails the KPSS test once (d = 1, as R ndiffs); its forecast variance grows with the horizon, so
    every interval widens step by step and the 95 % band contains the 80 % band."""
    y = 100 + np.cumsum(np.random.default_rng(7).normal(0, 1, 200))
    assert kpss_diffs(y) == 1
    model = AutoARIMA().fit(y, 1)
    assert model.d_ == 1
    pred = model.predict(12)
    for lv in (80, 95):
        assert np.all(np.diff(pred.upper[lv] - pred.lower[lv]) > 0)
    assert np.all(pred.lower[95] < pred.lower[80]) and np.all(pred.upper[95] > pred.upper[80])
    assert (pred.upper[80] - pred.lower[80])[-1] > 3 * (pred.upper[80] - pred.lower[80])[0]


def test_arima_models_a_strong_monthly_season() -> None:
    """A monthly series that is almost all season (F_s > 0.64, R nsdiffs) is differenced seasonally or gets a
    seasonal term, and its forecast repeats the season."""
    t = np.arange(120)
    y = 100 + 20 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(7).normal(0, 2, 120)
    assert seasonal_strength(y, 12) > 0.9
    model = AutoARIMA().fit(y, 12)
    _, _, big_p, big_q, _ = model.spec_
    assert model.D_ == 1 or big_p + big_q > 0
    truth = 100 + 20 * np.sin(2 * np.pi * np.arange(120, 132) / 12)
    assert metrics.smape(truth, model.predict(12).mean) < 5


def test_arima_airline_differencing_matches_r() -> None:
    """R forecast: nsdiffs(AirPassengers) = 1 and ndiffs(diff(AirPassengers, 12)) = 1, so auto.arima works with
    d = D = 1 (FPP2 §8.9); the search stays within its cap on fits."""
    model = AutoARIMA().fit(AIR_PASSENGERS, 12)
    assert (model.d_, model.D_) == (1, 1)
    assert model.describe().startswith("ARIMA(") and ",1," in model.describe() and "[12]" in model.describe()
    assert len(AutoARIMA(max_fits=6).fit(AIR_PASSENGERS, 12).tried_) <= 6


def test_arima_too_short_for_seasonal_terms_says_so() -> None:
    """With 20 months (fewer than 2m + 2 = 26) no seasonal term is tried, and a note says why."""
    t = np.arange(20)
    y = 100 + 20 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(7).normal(0, 2, 20)
    model = AutoARIMA().fit(y, 12)
    assert model.D_ == 0 and model.spec_[2:4] == (0, 0)
    assert any("too short" in note for note in model.notes_)
    assert len(model.predict(6).mean) == 6


def test_metrics_known_values() -> None:
    """MASE (Hyndman & Koehler 2006): errors 1,0,1 -> MAE 2/3; history 1,3,5 has mean |diff| 2 -> 1/3.
    sMAPE (M3): 200/3 (1/3 + 0 + 1/5) = 35.56 %. Pinball at q = 0.9 for y = 10, f = 8: 0.9 * 2 = 1.8;
    for f = 12: 0.1 * 2 = 0.2. RMSSE: sqrt((1 + 0 + 1)/3 / 4)."""
    actual, fc, hist = np.array([1.0, 2, 3]), np.array([2.0, 2, 2]), np.array([1.0, 3, 5])
    assert metrics.mase(actual, fc, hist) == pytest.approx(1 / 3)
    assert metrics.smape(actual, fc) == pytest.approx(200 / 3 * (1 / 3 + 1 / 5))
    assert metrics.pinball(np.array([10.0]), np.array([8.0]), 0.9) == pytest.approx(1.8)
    assert metrics.pinball(np.array([10.0]), np.array([12.0]), 0.9) == pytest.approx(0.2)
    assert metrics.rmsse(actual, fc, hist) == pytest.approx(np.sqrt(2 / 3 / 4))
    assert metrics.coverage(actual, fc - 0.5, fc + 0.5) == pytest.approx(1 / 3)
    assert metrics.bias(actual, fc) == pytest.approx(0.0)
