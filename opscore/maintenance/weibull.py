"""Two-parameter Weibull lifetimes fitted by maximum likelihood with right censoring.

Sources:
- Lawless, *Statistical Models and Methods for Lifetime Data*, 2nd ed. (2003), Sec. 5.2.2: the profile
  likelihood equation for the shape and the closed-form scale given the shape.
- Meeker & Escobar, *Statistical Methods for Reliability Data* (1998), Sec. 8.3 and App. B: the
  smallest-extreme-value (log-time) form ``mu = ln(scale)``, ``sigma = 1/shape``, the observed information
  and Wald intervals on the log scale (Sec. 8.4); Sec. 6.4 for Kaplan-Meier plotting positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import brentq
from scipy.special import gamma as gamma_fn
from scipy.special import gammainc
from scipy.stats import norm


@dataclass(frozen=True)
class WeibullFit:
    """A fitted Weibull lifetime ``F(t) = 1 - exp(-(t/scale)**shape)``; times in the unit of the input."""

    shape: float
    """Shape beta (no unit): < 1 early failures, 1 random, > 1 wear-out."""
    scale: float
    """Scale eta (time unit of the input, e.g. days): the age by which 63.2 % have failed."""
    n: int
    """Number of lifetimes used (failed + still running)."""
    n_failed: int
    """Number of observed failures."""
    log_likelihood: float
    """Maximised log-likelihood of the log-times (SEV form, Meeker & Escobar eq. in Sec. 8.3)."""
    shape_ci: tuple[float, float]
    """Lower and upper confidence bound of the shape."""
    scale_ci: tuple[float, float]
    """Lower and upper confidence bound of the scale (time unit of the input)."""
    confidence: float
    """Two-sided confidence level of the bounds, e.g. 0.95."""
    cov_mu_sigma: tuple[tuple[float, float], tuple[float, float]]
    """Covariance matrix of (mu = ln scale, sigma = 1/shape), inverse observed information."""

    def reliability(self, t: np.ndarray | float) -> np.ndarray:
        """Probability of surviving beyond age ``t`` (``R(t) = exp(-(t/eta)^beta)``)."""
        return np.exp(-np.power(np.asarray(t, float) / self.scale, self.shape))

    def cdf(self, t: np.ndarray | float) -> np.ndarray:
        """Probability of failing by age ``t``."""
        return 1.0 - self.reliability(t)

    def hazard(self, t: np.ndarray | float) -> np.ndarray:
        """Failure rate at age ``t`` per time unit (``h(t) = beta/eta (t/eta)^(beta-1)``)."""
        t = np.asarray(t, float)
        return self.shape / self.scale * np.power(t / self.scale, self.shape - 1.0)

    def conditional_failure(self, age: np.ndarray | float, horizon: float) -> np.ndarray:
        """Probability of failing within ``horizon`` given survival to ``age`` (1 - R(age+h)/R(age))."""
        age = np.asarray(age, float)
        prob: npt.NDArray[np.float64] = 1.0 - np.exp(np.power(age / self.scale, self.shape)
                                                     - np.power((age + horizon) / self.scale, self.shape))
        return prob

    def quantile(self, p: np.ndarray | float) -> np.ndarray:
        """Age by which a fraction ``p`` has failed (``eta (-ln(1-p))^(1/beta)``); p=0.1 gives the B10 life."""
        age: npt.NDArray[np.float64] = self.scale * np.power(-np.log1p(-np.asarray(p, float)), 1.0 / self.shape)
        return age

    def mean_life(self) -> float:
        """Mean time to failure ``eta * Gamma(1 + 1/beta)``."""
        return float(self.scale * gamma_fn(1.0 + 1.0 / self.shape))

    def integrated_reliability(self, t: np.ndarray | float) -> np.ndarray:
        """``int_0^t R(u) du`` = ``eta Gamma(1+1/beta) P(1/beta, (t/eta)^beta)`` (regularised lower gamma)."""
        x = np.power(np.asarray(t, float) / self.scale, self.shape)
        area: npt.NDArray[np.float64] = self.mean_life() * gammainc(1.0 / self.shape, x)
        return area


def _check(durations: Sequence[float] | np.ndarray,
           failed: Sequence[bool] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(durations, dtype=float)
    d = np.asarray(failed)
    if t.ndim != 1 or d.ndim != 1 or len(t) != len(d):
        raise ValueError(f"durations and failed must be 1-D and of equal length; got {t.shape} and {d.shape}.")
    if len(t) == 0:
        raise ValueError("No lifetimes given: pass at least one duration with a failure flag.")
    if not np.all(np.isfinite(t)):
        where = np.flatnonzero(~np.isfinite(t))[:5].tolist()
        raise ValueError(f"Durations must be finite numbers; positions {where} are not.")
    bad = np.flatnonzero(t <= 0)
    if len(bad):
        raise ValueError(f"Durations must be positive; positions {bad[:5].tolist()} hold {t[bad[:5]].tolist()}. "
                         "Check that each end date is after its start date.")
    if d.dtype != bool:
        if not np.isin(d, [0, 1]).all():
            raise ValueError("failed must hold True/False (or 1/0) per duration.")
        d = d.astype(bool)
    if not d.any():
        raise ValueError(f"All {len(t)} lifetimes are censored (no failure observed), so the Weibull shape and scale "
                         "cannot be estimated. Record at least one failure, or use a type-wide or pooled fit.")
    return t, d


def _profile_score(beta: float, t: np.ndarray, lt: np.ndarray, mean_lt_fail: float) -> float:
    """Lawless (2003) Sec. 5.2.2: sum t^b ln t / sum t^b - 1/b - mean(ln t_failed) = 0 at the MLE."""
    w = np.exp(beta * (lt - lt.max()))  # scaled t^beta, avoids overflow
    return float((w * lt).sum() / w.sum() - 1.0 / beta - mean_lt_fail)


def _observed_information(t: np.ndarray, d: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    """Observed information of (mu, sigma) for SEV log-times (Meeker & Escobar App. B, second derivatives)."""
    z = (np.log(t) - mu) / sigma
    ez = np.exp(z)
    dd = d.astype(float)
    i_mm = ez.sum()
    i_ms = (ez - dd + z * ez).sum()
    i_ss = (2 * z * ez + z * z * ez - 2 * dd * z - dd).sum()
    return np.array([[i_mm, i_ms], [i_ms, i_ss]]) / sigma**2


def weibull_log_likelihood(durations: np.ndarray, failed: np.ndarray, shape: float, scale: float) -> float:
    """Censored log-likelihood of the log-times: sum_failed [-ln sigma + z - e^z] - sum_censored e^z."""
    t, d = np.asarray(durations, float), np.asarray(failed, bool)
    sigma = 1.0 / shape
    z = (np.log(t) - np.log(scale)) / sigma
    return float(np.sum(d * (-np.log(sigma) + z)) - np.sum(np.exp(z)))


def fit_weibull(durations: Sequence[float] | np.ndarray, failed: Sequence[bool] | np.ndarray,
                confidence: float = 0.95) -> WeibullFit:
    """Weibull MLE from lifetimes that ended in failure (``failed``) or are still running (right-censored).

    The shape solves the profile equation (Lawless 2003, Sec. 5.2.2) by bracketing; then
    ``scale = (sum t^beta / r)^(1/beta)`` with ``r`` failures. Bounds are Wald intervals for ln(scale) and
    ln(shape) from the observed information (Meeker & Escobar 1998, Sec. 8.4).
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence}.")
    t, d = _check(durations, failed)
    lt = np.log(t)
    mean_lt_fail = float(lt[d].mean())
    lo, hi = 1e-3, 1.0
    while _profile_score(hi, t, lt, mean_lt_fail) < 0:
        hi *= 2
        if hi > 1e3:
            raise ValueError("The failure times are too alike (all at the longest duration) to estimate a Weibull "
                             "shape; more varied lifetimes are needed.")
    beta = float(brentq(_profile_score, lo, hi, args=(t, lt, mean_lt_fail), xtol=1e-12))
    r = int(d.sum())
    eta = float(np.exp(lt.max() + np.log(np.exp(beta * (lt - lt.max())).sum() / r) / beta))
    mu, sigma = np.log(eta), 1.0 / beta
    info = _observed_information(t, d, mu, sigma)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.full((2, 2), np.nan)
    z = float(norm.ppf(0.5 + confidence / 2))
    se_mu = float(np.sqrt(max(cov[0, 0], 0.0)))
    se_log_beta = float(np.sqrt(max(cov[1, 1], 0.0))) / sigma  # delta method: d ln(beta) = -d sigma / sigma
    return WeibullFit(
        shape=beta, scale=eta, n=len(t), n_failed=r,
        log_likelihood=weibull_log_likelihood(t, d, beta, eta),
        shape_ci=(beta * float(np.exp(-z * se_log_beta)), beta * float(np.exp(z * se_log_beta))),
        scale_ci=(eta * float(np.exp(-z * se_mu)), eta * float(np.exp(z * se_mu))),
        confidence=confidence,
        cov_mu_sigma=((float(cov[0, 0]), float(cov[0, 1])), (float(cov[1, 0]), float(cov[1, 1]))),
    )


def plotting_positions(durations: Sequence[float] | np.ndarray, failed: Sequence[bool] | np.ndarray) -> pd.DataFrame:
    """Nonparametric F(t) at each failure time for a probability plot.

    Kaplan-Meier estimate, plotted at the midpoint of its jump (Meeker & Escobar 1998, Sec. 6.4), so censored
    units count as at risk until they leave. Columns: ``duration``, ``cdf``.
    """
    t, d = _check(durations, failed)
    order = np.lexsort((~d, t))  # at ties, failures before censorings (Kaplan-Meier convention)
    t, d = t[order], d[order]
    at_risk = len(t) - np.arange(len(t))
    surv = np.cumprod(np.where(d, 1.0 - 1.0 / at_risk, 1.0))
    before = np.concatenate([[1.0], surv[:-1]])
    frame = pd.DataFrame({"duration": t, "after": surv, "before": before})[d]
    jumps = frame.groupby("duration", as_index=False).agg(after=("after", "min"), before=("before", "max"))
    return pd.DataFrame({"duration": jumps["duration"], "cdf": 1.0 - (jumps["after"] + jumps["before"]) / 2.0})
