"""Lifetimes from the asset register and events; remaining useful life from age and condition."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from opscore.maintenance.lifetimes import current_ages, extract_lifetimes, fit_by_type
from opscore.maintenance.rul import remaining_life
from opscore.maintenance.weibull import fit_weibull

AS_OF = date(2026, 11, 2)
ASSETS = pd.DataFrame({"asset_id": ["A", "B"], "type": ["chiller", "van"],
                       "install_date": pd.to_datetime(["2024-01-01", "2025-01-01"])})


def _events(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["asset_id", "date", "kind"]).assign(date=lambda f: pd.to_datetime(f["date"]))


def test_lifetimes_end_at_failures_and_censor_at_as_of() -> None:
    """Install -> failure -> failure -> today gives two observed lifetimes and one censored; a planned service
    does not renew by default, but does with service_renews=True (then it ends a censored lifetime)."""
    ev = _events([("A", "2024-06-01", "failure"), ("A", "2025-03-01", "preventive"), ("A", "2025-06-01", "failure")])
    life = extract_lifetimes(ASSETS, ev, AS_OF)
    a = life[life["asset_id"] == "A"]
    assert a["duration_days"].tolist() == [152.0, 365.0, 519.0] and a["failed"].tolist() == [True, True, False]
    assert life[life["asset_id"] == "B"]["failed"].tolist() == [False]
    renew = extract_lifetimes(ASSETS, ev, AS_OF, service_renews=True)
    assert renew[renew["asset_id"] == "A"]["failed"].tolist() == [True, False, True, False]
    ages = current_ages(life).set_index("asset_id")["age_days"]
    assert ages["A"] == 519.0 and ages["B"] == (pd.Timestamp(AS_OF) - pd.Timestamp("2025-01-01")).days


@pytest.mark.parametrize(("rows", "message"), [
    ([("A", "2023-05-01", "failure")], "before its install date"),
    ([("A", "2027-01-01", "failure")], "after the as-of date"),
    ([("Z", "2025-01-01", "failure")], "not in the asset register"),
])
def test_inconsistent_history_is_refused(rows: list[tuple[str, str, str]], message: str) -> None:
    """Events before installation, after today, or for unknown assets raise ValueError saying which."""
    with pytest.raises(ValueError, match=message):
        extract_lifetimes(ASSETS, _events(rows), AS_OF)


def test_type_with_too_few_failures_borrows_the_pooled_fit() -> None:
    """A type with fewer failures than min_failures uses the fit of all assets pooled, and says so."""
    ev = _events([("A", d, "failure") for d in ("2024-03-01", "2024-07-15", "2024-11-01", "2025-05-20")])
    fits = fit_by_type(extract_lifetimes(ASSETS, ev, AS_OF), min_failures=3)
    assert fits["chiller"][1] == "this type" and fits["van"][1] == "all assets pooled"


def test_sample_fits_cover_the_generators_true_parameters(sample_store) -> None:
    """The sample's lifetimes are drawn from known Weibulls (opscore/sample/catalogue.py: chiller 2.2/520 d,
    freezer 2.0/600, forklift 1.8/420, compressor 2.5/700, van 1.6/650). Every type fitted on its own data has
    99.9 % bounds that contain the truth (wide bounds, so a regenerated sample does not make this flaky)."""
    truth = {"chiller": (2.2, 520), "freezer": (2.0, 600), "forklift": (1.8, 420), "compressor": (2.5, 700),
             "van": (1.6, 650)}
    life = extract_lifetimes(sample_store.table("assets"), sample_store.table("maintenance_events"),
                             sample_store.as_of())
    own = {k: fit for k, (fit, basis) in fit_by_type(life, confidence=0.999).items() if basis == "this type"}
    assert len(own) >= 3
    for kind, fit in own.items():
        shape, scale = truth[kind]
        assert fit.shape_ci[0] < shape < fit.shape_ci[1] and fit.scale_ci[0] < scale < fit.scale_ci[1], kind


def test_rul_without_condition_is_the_weibull_conditional_median() -> None:
    """With no condition score, the median remaining life x solves R(a + x) / R(a) = 1/2 (conditional
    reliability, Meeker & Escobar 1998, Ch. 2), checked by root finding; the 80 % interval brackets it."""
    rng = np.random.default_rng(3)
    fit = fit_weibull(400 * rng.weibull(2.0, 300), np.ones(300, bool))
    a = 250.0
    x = brentq(lambda v: fit.reliability(a + v) / fit.reliability(a) - 0.5, 0, 5000)
    life = remaining_life(fit, a)
    assert life.median_days == pytest.approx(x, rel=1e-9) and life.condition_multiplier == 1.0
    assert life.low_days < life.median_days < life.high_days
    assert life.p_fail_horizon == pytest.approx(float(fit.conditional_failure(a, 30)))


def test_bad_condition_shortens_life_and_matches_the_classifier() -> None:
    """A classifier probability above the age-only one raises the hazard (k > 1): shorter remaining life, and
    the combined 30-day failure probability equals the classifier's (proportional hazards calibration)."""
    rng = np.random.default_rng(4)
    fit = fit_weibull(400 * rng.weibull(2.0, 300), np.ones(300, bool))
    base = remaining_life(fit, 250.0)
    worse = remaining_life(fit, 250.0, p_condition=0.4)
    assert worse.condition_multiplier > 1 and worse.median_days < base.median_days
    assert worse.p_fail_horizon == pytest.approx(0.4, rel=1e-6)
    with pytest.raises(ValueError, match="age_days"):
        remaining_life(fit, -1.0)
