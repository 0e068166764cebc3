"""Forecasting models. Each takes its parameters in ``__init__``; ``fit(y, season_length)`` returns
self (fitted attributes end in ``_``); ``predict(horizon, levels)`` returns a :class:`Prediction`.

Sources per model are in its docstring. ``y`` is a clean non-negative float array (see ``series.prepare``).
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import least_squares, minimize, minimize_scalar
from scipy.signal import lfilter
from scipy.special import expit

from opscore.forecast.intervals import LEVELS, Prediction, empirical, ets_additive_sd, gaussian
from opscore.forecast.seasonality import Seasonal, classical_decomposition, is_seasonal


class Model(ABC):
    """Common interface; subclasses set ``name`` and implement ``_fit`` / ``_predict``."""

    name: ClassVar[str] = "model"
    label: ClassVar[str] = "Model"
    notes_: list[str]

    def min_length(self, season_length: int) -> int:
        """Fewest observations this model needs."""
        return 2

    def fit(self, y: np.ndarray, season_length: int = 1, x: np.ndarray | None = None) -> Self:
        y = np.asarray(y, float)
        need = self.min_length(season_length)
        if len(y) < need:
            raise ValueError(f"{self.label} needs at least {need} observations, got {len(y)}")
        self.notes_ = []
        self.n_ = len(y)
        self.season_length_ = season_length
        self._fit(y, season_length, x)
        return self

    def predict(self, horizon: int, levels: tuple[int, ...] = LEVELS, x_future: np.ndarray | None = None) -> Prediction:
        if horizon < 1:
            raise ValueError(f"horizon must be at least 1 period, got {horizon}")
        return self._predict(horizon, levels, x_future)

    @abstractmethod
    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        """Learn from ``y`` (``m`` periods per season, optional regressors ``x``), setting attributes ending in _."""

    @abstractmethod
    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        """Forecast ``h`` periods with intervals at ``levels`` (percent)."""

    def describe(self) -> str:
        """The fitted form in a few words (e.g. 'ETS(A,Ad,N)')."""
        return self.label


def _rms(e: np.ndarray) -> float:
    e = e[np.isfinite(e)]
    return float(np.sqrt(np.mean(e ** 2))) if e.size else 0.0


class Naive(Model):
    """Naive: every forecast equals the last value; sd_h = sigma * sqrt(h) (FPP3 §5.2, Table 5.2)."""

    name = "naive"
    label = "Naive (last value)"

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        self.last_ = y[-1]
        self.sigma_ = _rms(np.diff(y))

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        return gaussian(np.full(h, self.last_), self.sigma_ * np.sqrt(np.arange(1, h + 1)), levels)


class SeasonalNaive(Model):
    """Seasonal naive: y_{T+h} = y_{T+h-m(k+1)}, k = floor((h-1)/m); sd_h = sigma * sqrt(k+1)
    (FPP3 §5.2 and Table 5.2)."""

    name = "snaive"
    label = "Seasonal naive (same period last cycle)"

    def min_length(self, season_length: int) -> int:
        return season_length + 1

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        self.last_cycle_ = y[-m:]
        self.sigma_ = _rms(y[m:] - y[:-m])

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        m = self.season_length_
        steps = np.arange(h)
        mean = self.last_cycle_[steps % m]
        return gaussian(mean, self.sigma_ * np.sqrt(steps // m + 1), levels)


# --- exponential smoothing with additive errors, fitted fast -----------------------------------------------

def _linear_ets_errors(y: np.ndarray, alpha: float, beta: float, phi: float,
                       trend: bool) -> tuple[np.ndarray, np.ndarray]:
    """One-step errors of ETS(A,N,N) / (A,A,N) / (A,Ad,N) with the initial states concentrated out.

    The state equations (Hyndman et al. 2008, eq. 2.2 / Table 2.1) are linear in y and in the initial
    state x0, so the one-step forecasts are a linear filter of y plus Z @ x0; x0 is then the least-squares
    solution. Returns (errors, x0).
    """
    n = len(y)
    if not trend:
        a = 1 - alpha
        level = lfilter([alpha], [1, -a], y)
        yhat0 = np.r_[0.0, level[:-1]]
        z = (a ** np.arange(n))[:, None]
    else:
        # D = F - g w' with F = [[1, phi], [0, phi]], g = (alpha, beta), w = (1, phi)
        d11, d12, d21, d22 = 1 - alpha, phi * (1 - alpha), -beta, phi * (1 - beta)
        den = [1.0, -(d11 + d22), d11 * d22 - d12 * d21]
        w1, w2 = 1.0, phi
        num = [0.0, w1 * alpha + w2 * beta, -w1 * alpha * d22 + w1 * d12 * beta + w2 * d21 * alpha - w2 * beta * d11]
        yhat0 = lfilter(num, den, y)
        impulse = np.zeros(n)
        impulse[0] = 1.0
        z = np.column_stack([lfilter([w1, -w1 * d22 + w2 * d21], den, impulse),
                             lfilter([w2, w1 * d12 - w2 * d11], den, impulse)])
    resid = y - yhat0
    x0, *_ = np.linalg.lstsq(z, resid, rcond=None)
    return resid - z @ x0, x0


def _final_state(y: np.ndarray, e: np.ndarray, x0: np.ndarray, alpha: float, beta: float, phi: float,
                 trend: bool) -> tuple[float, float]:
    """Level and trend after the last observation (the states' recursions run on the errors)."""
    if not trend:
        return float(y[-1] - e[-1] + alpha * e[-1]), 0.0
    level, slope = float(x0[0]), float(x0[1])
    for et in e:
        level, slope = level + phi * slope + alpha * et, phi * slope + beta * et
    return level, slope


class ExponentialSmoothing(Model):
    """Exponential smoothing with additive errors: simple (ETS(A,N,N)), Holt (A,A,N) or damped Holt
    (A,Ad,N), optionally on classically deseasonalised data (Hyndman et al. 2008, ch. 2; forecast
    variance Table 6.1). Parameters by least squares (= Gaussian likelihood) within the usual bounds
    0 < beta < alpha < 1, 0.8 <= phi <= 0.98 (R ``forecast::ets`` defaults).
    """

    name = "ses"
    label = "Simple exponential smoothing"

    def __init__(self, trend: str = "N", deseasonalise: bool = True) -> None:
        if trend not in ("N", "A", "Ad"):
            raise ValueError(f"trend must be 'N', 'A' or 'Ad', got {trend!r}")
        self.trend = trend
        self.deseasonalise = deseasonalise

    def min_length(self, season_length: int) -> int:
        return {"N": 3, "A": 5, "Ad": 6}[self.trend]

    @property
    def n_params(self) -> int:
        """Smoothing parameters plus initial states."""
        return {"N": 2, "A": 4, "Ad": 5}[self.trend]

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        self.seasonal_ = _seasonal_or_none(y, m, self.deseasonalise, self.notes_)
        z = self.seasonal_.remove(y) if self.seasonal_ else y
        self.alpha_, self.beta_, self.phi_ = _fit_linear_ets(z, self.trend)
        trend = self.trend != "N"
        e, x0 = _linear_ets_errors(z, self.alpha_, self.beta_, self.phi_, trend)
        self.level_, self.slope_ = _final_state(z, e, x0, self.alpha_, self.beta_, self.phi_, trend)
        self.sse_ = float(e @ e)
        self.sigma_ = np.sqrt(self.sse_ / max(len(z) - self.n_params, 1))
        n = len(z)
        self.aicc_ = n * np.log(max(self.sse_, 1e-12) / n) + 2 * (self.n_params + 1) \
            + 2 * (self.n_params + 1) * (self.n_params + 2) / max(n - self.n_params - 2, 1)

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        steps = np.arange(1, h + 1)
        phi = self.phi_ if self.trend == "Ad" else 1.0
        damp = steps if phi == 1.0 else phi * (1 - phi ** steps) / (1 - phi)
        mean = self.level_ + (damp * self.slope_ if self.trend != "N" else np.zeros(h))
        sd = ets_additive_sd(self.sigma_, h, self.alpha_, self.beta_, phi)
        return _reseasonalise(gaussian(mean, sd, levels), self.seasonal_, self.n_)

    def describe(self) -> str:
        season = ", deseasonalised" if self.seasonal_ else ""
        return f"ETS(A,{self.trend},N){season}, alpha={self.alpha_:.2f}" + \
            (f", beta={self.beta_:.2f}" if self.trend != "N" else "") + \
            (f", phi={self.phi_:.2f}" if self.trend == "Ad" else "")


def _fit_linear_ets(z: np.ndarray, trend: str) -> tuple[float, float, float]:
    """Least-squares smoothing parameters for ETS(A,N/A/Ad,N) (states concentrated out)."""
    if trend == "N":
        res = minimize_scalar(lambda a: float(np.sum(_linear_ets_errors(z, a, 0.0, 1.0, False)[0] ** 2)),
                              bounds=(1e-4, 0.9999), method="bounded", options={"xatol": 1e-4})
        return float(res.x), 0.0, 1.0

    def unpack(u: np.ndarray) -> tuple[float, float, float]:
        alpha = 1e-4 + 0.9998 * expit(u[0])
        beta = alpha * expit(u[1])
        phi = 0.8 + 0.18 * expit(u[2]) if trend == "Ad" else 1.0
        return alpha, beta, phi

    def sse(u: np.ndarray) -> float:
        e, _ = _linear_ets_errors(z, *unpack(u), True)
        value = float(e @ e)
        return value if np.isfinite(value) else 1e300

    start = np.array([0.0, -2.0, 1.0]) if trend == "Ad" else np.array([0.0, -2.0])
    res = minimize(sse, start, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-8 * (1 + sse(start)),
                                                             "maxiter": 400})
    return unpack(res.x)


def _seasonal_or_none(y: np.ndarray, m: int, wanted: bool, notes: list[str]) -> Seasonal | None:
    """Classical seasonal indices when asked for and the 90 % seasonality test passes."""
    if not wanted or m <= 1:
        return None
    if len(y) < 3 * m:
        notes.append(f"seasonality ignored: fewer than three full seasons ({len(y)} < {3 * m} periods)")
        return None
    return classical_decomposition(y, m) if is_seasonal(y, m) else None


def _reseasonalise(pred: Prediction, seasonal: Seasonal | None, n: int) -> Prediction:
    if seasonal is None:
        return pred
    h = len(pred.mean)

    def restore(v: np.ndarray) -> np.ndarray:
        return seasonal.restore(v, n)

    if seasonal.multiplicative:
        return pred.scaled(seasonal.restore(np.ones(h), n))
    return Prediction(restore(pred.mean), {k: restore(v) for k, v in pred.lower.items()},
                      {k: restore(v) for k, v in pred.upper.items()})


class SES(ExponentialSmoothing):
    """Simple exponential smoothing, ETS(A,N,N), on deseasonalised data when seasonal."""

    name = "ses"
    label = "Simple exponential smoothing"

    def __init__(self, deseasonalise: bool = True) -> None:
        super().__init__("N", deseasonalise)


class Holt(ExponentialSmoothing):
    """Holt's linear trend, ETS(A,A,N), on deseasonalised data when seasonal."""

    name = "holt"
    label = "Holt linear trend"

    def __init__(self, deseasonalise: bool = True) -> None:
        super().__init__("A", deseasonalise)


class Damped(ExponentialSmoothing):
    """Damped trend (Gardner & McKenzie 1985), ETS(A,Ad,N), on deseasonalised data when seasonal."""

    name = "damped"
    label = "Damped trend smoothing"

    def __init__(self, deseasonalise: bool = True) -> None:
        super().__init__("Ad", deseasonalise)


class Theta(Model):
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) as SES with drift half the OLS slope
    (Hyndman & Billah 2003): y_{T+h} = SES_{T+h} + b/2 * (h - 1 + (1 - (1-alpha)^T) / alpha),
    on multiplicatively deseasonalised data when the 90 % seasonality test passes (R forecast::thetaf).
    Intervals are those of SES (as thetaf).
    """

    name = "theta"
    label = "Theta"

    def __init__(self, deseasonalise: bool = True) -> None:
        self.deseasonalise = deseasonalise

    def min_length(self, season_length: int) -> int:
        return 4

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        self.ses_ = SES(self.deseasonalise).fit(y, m)
        self.notes_ = self.ses_.notes_
        z = self.ses_.seasonal_.remove(y) if self.ses_.seasonal_ else y
        t = np.arange(len(z))
        self.slope_ = float(np.polyfit(t, z, 1)[0])

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        ses = self.ses_
        a = max(ses.alpha_, 1e-10)
        drift = self.slope_ / 2 * (np.arange(h) + (1 - (1 - a) ** self.n_) / a)
        base = ses._predict(h, levels, None)
        if ses.seasonal_ is None:
            return Prediction(base.mean + drift, {k: v + drift for k, v in base.lower.items()},
                              {k: v + drift for k, v in base.upper.items()})
        s = ses.seasonal_.restore(np.ones(h), self.n_) if ses.seasonal_.multiplicative else None
        shift = drift * s if s is not None else drift
        return Prediction(base.mean + shift, {k: v + shift for k, v in base.lower.items()},
                          {k: v + shift for k, v in base.upper.items()})

    def describe(self) -> str:
        season = ", deseasonalised" if self.ses_.seasonal_ else ""
        return f"Theta (alpha={self.ses_.alpha_:.2f}, drift={self.slope_ / 2:.3g}/period{season})"


class ETS(Model):
    """Exponential smoothing state-space models (statsmodels ``ETSModel``; Hyndman et al. 2008),
    choosing error (A/M), trend (N/A/Ad) and season (N/A/M) by AICc as R ``forecast::ets`` does:
    multiplicative forms only for positive data, no additive-error/multiplicative-season mixes
    (unstable, Hyndman et al. 2008 §15.1), native seasonal states only for 1 < m <= 24 (longer
    seasons are removed by classical decomposition first).
    """

    name = "ets"
    label = "ETS (automatic exponential smoothing)"

    def __init__(self, error: str = "auto", trend: str = "auto", seasonal: str = "auto", seed: int = 0,
                 simulations: int = 500) -> None:
        self.error, self.trend, self.seasonal = error, trend, seasonal
        self.seed = seed
        self.simulations = simulations

    def min_length(self, season_length: int) -> int:
        return 6

    def _candidates(self, y: np.ndarray, m: int) -> list[tuple[str, str, str]]:
        positive = bool(np.all(y > 0))
        errors = ["A", "M"] if self.error == "auto" else [self.error]
        trends = ["N", "A", "Ad"] if self.trend == "auto" else [self.trend]
        seasonal_ok = 1 < m <= 24 and len(y) >= 2 * m + 2
        seasons = (["N", "A", "M"] if seasonal_ok else ["N"]) if self.seasonal == "auto" else [self.seasonal]
        out = []
        for e in errors:
            for t in trends:
                for s in seasons:
                    if ("M" in (e, s)) and not positive:
                        continue
                    if e == "A" and s == "M":
                        continue
                    if s != "N" and not seasonal_ok:
                        continue
                    out.append((e, t, s))
        if not out:
            raise ValueError(f"no ETS form fits these settings (error={self.error}, trend={self.trend}, "
                             f"seasonal={self.seasonal}) for {len(y)} values with season length {m}")
        return out

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        self.seasonal_ = None
        if m > 24 and self.seasonal != "N":
            self.seasonal_ = _seasonal_or_none(y, m, True, self.notes_)
            if self.seasonal_ is not None:
                self.notes_.append(f"season of {m} periods removed by classical decomposition (ETS states "
                                   "handle at most 24)")
        z = self.seasonal_.remove(y) if self.seasonal_ else y
        best = None
        self.tried_: dict[str, float] = {}
        for e, t, s in self._candidates(z, m):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    res = ETSModel(pd.Series(z), error="add" if e == "A" else "mul", trend=None if t == "N" else "add",
                                   damped_trend=t == "Ad",
                                   seasonal=None if s == "N" else ("add" if s == "A" else "mul"),
                                   seasonal_periods=m if s != "N" else None).fit(disp=False, maxiter=200)
                except (ValueError, np.linalg.LinAlgError):
                    continue
            aicc = float(res.aicc)
            if not np.isfinite(aicc):
                continue
            self.tried_[f"ETS({e},{t},{s})"] = aicc
            if best is None or aicc < best[0]:
                best = (aicc, res, (e, t, s))
        if best is None:
            raise ValueError("no ETS form could be estimated on this series")
        self.aicc_, self.result_, self.form_ = best

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        n = len(self.result_.model.endog)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pr = self.result_.get_prediction(start=n, end=n + h - 1, simulate_repetitions=self.simulations,
                                             rng=np.random.default_rng(self.seed))
            mean = np.asarray(pr.predicted_mean, float)
            lower, upper = {}, {}
            for lv in levels:
                frame = pr.summary_frame(alpha=1 - lv / 100)
                lower[lv] = frame["pi_lower"].to_numpy(float)
                upper[lv] = frame["pi_upper"].to_numpy(float)
        return _reseasonalise(Prediction(mean, lower, upper), self.seasonal_, self.n_)

    def describe(self) -> str:
        e, t, s = self.form_
        return f"ETS({e},{t},{s})" + (", deseasonalised" if self.seasonal_ else "") + f", AICc={self.aicc_:.1f}"


ArimaSpec = tuple[int, int, int, int, bool]
"""One candidate of the stepwise ARIMA search: p, q, P, Q and whether it has a constant (mean or drift)."""


def _difference(a: np.ndarray, d: int, D: int, m: int) -> np.ndarray:  # noqa: N803
    """(1 - B)^d (1 - B^m)^D applied to ``a`` along its first axis."""
    for _ in range(D):
        a = a[m:] - a[:-m]
    for _ in range(d):
        a = a[1:] - a[:-1]
    return a


def kpss_diffs(y: np.ndarray, alpha: float = 0.05, max_d: int = 2) -> int:
    """First differences needed for stationarity, as R ``forecast::ndiffs``: difference while the KPSS test
    (Kwiatkowski et al. 1992; level stationarity, trunc(3 sqrt(n) / 13) lags) rejects at ``alpha``, at most
    ``max_d`` times; a constant series needs none."""
    from statsmodels.tsa.stattools import kpss

    d = 0
    while d < max_d and len(y) > 3 and np.ptp(y) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # p-value beyond the table: clipped to [0.01, 0.1], enough to decide
            p_value = kpss(y, regression="c", nlags=int(3 * np.sqrt(len(y)) / 13))[1]
        if p_value >= alpha:
            break
        y, d = np.diff(y), d + 1
    return d


def seasonal_strength(y: np.ndarray, m: int) -> float:
    """F_s = max(0, 1 - Var(R) / Var(S + R)) of an STL decomposition (Wang, Smith & Hyndman 2006), with R
    ``forecast::mstl``'s seasonal window of 11 cycles; R ``forecast::nsdiffs`` differences seasonally when
    F_s > 0.64 (its default test since version 8.6)."""
    from statsmodels.tsa.seasonal import STL

    fit = STL(np.asarray(y, float), period=m, seasonal=11).fit()
    resid, season = np.asarray(fit.resid), np.asarray(fit.seasonal)
    total = float(np.var(resid + season))
    return max(0.0, 1.0 - float(np.var(resid)) / total) if total > 0 else 0.0


def _lag_polynomials(arma: np.ndarray, spec: ArimaSpec, m: int) -> tuple[np.ndarray, np.ndarray]:
    """phi(B) Phi(B^m) and theta(B) Theta(B^m), coefficients in ascending powers of B (statsmodels' signs:
    phi(B) = 1 - phi_1 B - ..., theta(B) = 1 + theta_1 B + ...)."""
    p, q, big_p, _, _ = spec
    ar, ma, sar, sma = np.split(arma, np.cumsum([p, q, big_p]))

    def poly(coef: np.ndarray, lag: int, sign: float) -> np.ndarray:
        out = np.zeros(lag * len(coef) + 1)
        out[0] = 1.0
        out[lag::lag] = sign * coef
        return out

    return (np.convolve(poly(ar, 1, -1.0), poly(sar, m, -1.0)), np.convolve(poly(ma, 1, 1.0), poly(sma, m, 1.0)))


def _css_residuals(params: np.ndarray, z: np.ndarray, xz: np.ndarray, spec: ArimaSpec, m: int) -> np.ndarray:
    """Conditional one-step errors of the ARMA with regression on the differenced series (pre-sample errors 0;
    the first p + mP values only start the recursion)."""
    k = xz.shape[1]
    ar, ma = _lag_polynomials(params[k:], spec, m)
    e = lfilter(ar, ma, z - xz @ params[:k])[len(ar) - 1:]
    out: npt.NDArray[np.float64] = np.nan_to_num(e, nan=1e6, posinf=1e6, neginf=-1e6)
    return out


def _min_root(arma: np.ndarray, spec: ArimaSpec, m: int) -> float:
    """Smallest modulus of the AR and MA polynomials' roots (2 when there are none)."""
    moduli = [np.abs(np.roots(poly[::-1])) for poly in _lag_polynomials(arma, spec, m) if len(poly) > 1]
    return float(min((r.min() for r in moduli if r.size), default=2.0))


class AutoARIMA(Model):
    """Automatic ARIMA by the stepwise algorithm of Hyndman & Khandakar (2008, J. Statistical Software 27(3)) as in
    R ``forecast::auto.arima``, estimated with statsmodels' SARIMAX. D: one seasonal difference when the STL seasonal
    strength F_s exceeds 0.64 (R ``nsdiffs`` default); d: KPSS tests at 5 %, at most 2 (R ``ndiffs``). Then a
    neighbourhood search on AICc from four starting models (p, q <= 2; P, Q <= 1; p + q + P + Q <= 5; a constant,
    i.e. mean or drift, only when d + D <= 1): change p, q, P or Q by one, p and q or P and Q together, or toggle the
    constant; move to the first better neighbour until none is, fitting at most ``max_fits`` candidates. Candidates
    are fitted by exact maximum likelihood (started from conditional least squares) when n <= 150 and m <= 12, else
    ranked by conditional sums of squares and the winner refitted by maximum likelihood (R's ``approximation``);
    models with a root within 1.01 of the unit circle are rejected. Seasonal for 1 < m <= 24 with at least 2m + 2
    observations; optional regressors (regression with ARIMA errors; the unit-root tests run on their OLS
    residuals). Intervals: Gaussian, from the state-space forecast variance (parameters taken as known).
    """

    name = "arima"
    label = "ARIMA (automatic)"
    ORDER_CAP: ClassVar[int] = 5
    """Largest p + q + P + Q considered (R ``max.order``)."""

    def __init__(self, max_p: int = 2, max_q: int = 2, max_P: int = 1, max_Q: int = 1, maxiter: int = 50,  # noqa: N803
                 max_fits: int = 40) -> None:
        self.max_p, self.max_q, self.max_P, self.max_Q = max_p, max_q, max_P, max_Q
        self.maxiter = maxiter
        self.max_fits = max_fits

    def min_length(self, season_length: int) -> int:
        return 10

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        n = len(y)
        if x is not None:
            x = np.asarray(x, float).reshape(n, -1)
        self.uses_x_ = x is not None
        seasonal = 1 < m <= 24 and n >= 2 * m + 2
        if m > 24:
            self.notes_.append(f"seasonal ARIMA skipped: season of {m} periods is too long to estimate")
        elif 1 < m and not seasonal:
            self.notes_.append(f"seasonal ARIMA terms skipped: {n} periods is too short for a season of {m} "
                               f"(needs {2 * m + 2}); non-seasonal ARIMA used")
        u = y if x is None else y - np.column_stack([np.ones(n), x]) @ np.linalg.lstsq(
            np.column_stack([np.ones(n), x]), y, rcond=None)[0]
        big_d = 0
        if seasonal:
            try:
                big_d = int(seasonal_strength(u, m) > 0.64)
            except ValueError:
                self.notes_.append("the seasonal-differencing test failed on this short series: no seasonal "
                                   "difference used")
        d = kpss_diffs(_difference(u, 0, big_d, m))
        self.d_, self.D_, self.m_ = d, big_d, m if seasonal else 1
        scale = float(np.std(_difference(y, d, big_d, m))) or float(np.std(y))
        if scale == 0.0:
            raise ValueError("the series is constant: there is nothing for ARIMA to model")
        self.scale_ = scale
        ys = y / scale
        regressors = np.empty((n, 0)) if x is None else x
        t = np.arange(1.0, n + 1)
        const_col = (np.ones(n) if d + big_d == 0 else t)[:, None]

        def design(spec: ArimaSpec) -> np.ndarray:
            return np.column_stack([regressors, const_col]) if spec[4] else regressors

        z = _difference(ys, d, big_d, m)
        limits = (self.max_p, self.max_q, self.max_P if seasonal else 0, self.max_Q if seasonal else 0)
        self.tried_: dict[ArimaSpec, float] = {}
        params: dict[ArimaSpec, np.ndarray] = {}

        exact = n <= 150 and m <= 12  # R auto.arima's default: rank by conditional sums of squares otherwise

        def aicc(spec: ArimaSpec) -> float:
            if spec not in self.tried_:
                xz = _difference(design(spec), d, big_d, m)
                self.tried_[spec], params[spec] = self._css(z, xz, spec, m)
                if exact:
                    self.tried_[spec], params[spec] = self._ml(z, xz, spec, m, params[spec], self.tried_[spec])
            return self.tried_[spec]

        best = self._search(aicc, limits, allow_constant=d + big_d <= 1)
        if not np.isfinite(self.tried_[best]):
            raise ValueError("no ARIMA model could be estimated on this series")
        p, q, big_p, big_q, _ = best
        coef = params[best]
        if not exact:
            aicc_ml, coef_ml = self._ml(z, _difference(design(best), d, big_d, m), best, m, coef, self.tried_[best])
            if np.isfinite(aicc_ml):
                coef = coef_ml
            else:
                self.notes_.append("the maximum-likelihood refit failed: conditional least-squares estimates used")
        full_x = design(best)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = SARIMAX(ys, exog=full_x if full_x.shape[1] else None, order=(p, d, q),
                                   seasonal_order=(big_p, big_d, big_q, m) if big_p + big_d + big_q else (0, 0, 0, 0),
                                   trend="n", concentrate_scale=True).filter(coef)
        self.spec_ = best

    def _search(self, aicc: Callable[[ArimaSpec], float], limits: tuple[int, int, int, int],
                allow_constant: bool) -> ArimaSpec:
        """Hyndman & Khandakar (2008) §3.2 step 1 (four starting models, plus the null model without constant)
        and step 2 (first-improvement moves among neighbours), within ``max_fits`` candidates."""
        max_p, max_q, max_sp, max_sq = limits

        def ok(spec: ArimaSpec) -> bool:
            p, q, sp, sq, c = spec
            return (0 <= p <= max_p and 0 <= q <= max_q and 0 <= sp <= max_sp and 0 <= sq <= max_sq
                    and p + q + sp + sq <= self.ORDER_CAP and (allow_constant or not c))

        c = allow_constant
        starts = [(min(2, max_p), min(2, max_q), min(1, max_sp), min(1, max_sq), c), (0, 0, 0, 0, c),
                  (min(1, max_p), 0, min(1, max_sp), 0, c), (0, min(1, max_q), 0, min(1, max_sq), c),
                  (0, 0, 0, 0, False)]
        best = min(dict.fromkeys(s for s in starts if ok(s)), key=aicc)
        moves = [(0, 0, a, b) for a, b in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1))]
        moves += [(a, b, 0, 0) for a, b in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1))]
        improved = True
        while improved:
            improved = False
            p, q, sp, sq, c = best
            neighbours = [(p + dp, q + dq, sp + dsp, sq + dsq, c) for dp, dq, dsp, dsq in moves]
            for cand in [*neighbours, (p, q, sp, sq, not c)]:
                if cand in self.tried_ or not ok(cand):
                    continue
                if len(self.tried_) >= self.max_fits:
                    return best
                if aicc(cand) < aicc(best):
                    best, improved = cand, True
                    break
        return best

    def _ml(self, z: np.ndarray, xz: np.ndarray, spec: ArimaSpec, m: int, start: np.ndarray,
            css_aicc: float) -> tuple[float, np.ndarray]:
        """AICc of one candidate by exact Gaussian maximum likelihood (statsmodels SARIMAX on the differenced series,
        variance concentrated out, started from the conditional least-squares estimates when they were admissible);
        infinite when a root is within 1.01 of the unit circle or the fit fails."""
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        p, q, big_p, big_q, _ = spec
        k, n = xz.shape[1], len(z)
        n_par = sum(spec[:4]) + k + 1
        if n - n_par - 1 <= 0:
            return np.inf, start
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                model = SARIMAX(z, exog=xz if k else None, order=(p, 0, q),
                                seasonal_order=(big_p, 0, big_q, m) if big_p + big_q else (0, 0, 0, 0),
                                trend="n", concentrate_scale=True)
                res = model.fit(start_params=start if np.isfinite(css_aicc) else None, disp=False,
                                maxiter=self.maxiter) if start.size else model.filter(start)
            except (ValueError, np.linalg.LinAlgError):
                return np.inf, start
        coef = np.asarray(res.params, float)
        llf = float(res.llf)
        if not (np.isfinite(llf) and np.all(np.isfinite(coef))) or _min_root(coef[k:], spec, m) < 1.01:
            return np.inf, coef
        return -2 * llf + 2 * n_par + 2 * n_par * (n_par + 1) / (n - n_par - 1), coef

    def _css(self, z: np.ndarray, xz: np.ndarray, spec: ArimaSpec, m: int) -> tuple[float, np.ndarray]:
        """AICc of one candidate by conditional sum of squares, as R's approximation: n* log(sigma^2) + 2k +
        2k(k+1)/(n* - k - 1), with k coefficients plus the variance; infinite when a root is within 1.01 of the unit
        circle or it cannot be estimated. Returns (AICc, [regression coefficients, ARMA coefficients])."""
        n_arma = sum(spec[:4])
        k = xz.shape[1]
        n_par = n_arma + k + 1
        if len(z) - n_par - 1 <= 0 or len(z) - (spec[0] + m * spec[2]) < n_par:
            return np.inf, np.zeros(n_arma + k)
        beta = np.linalg.lstsq(xz, z, rcond=None)[0] if k else np.empty(0)
        x0 = np.r_[beta, np.zeros(n_arma)]
        if x0.size:
            try:
                x0 = least_squares(_css_residuals, x0, args=(z, xz, spec, m), method="lm",
                                   max_nfev=self.maxiter * (x0.size + 1)).x
            except (ValueError, np.linalg.LinAlgError):
                return np.inf, x0
        sigma2 = float(np.mean(_css_residuals(x0, z, xz, spec, m) ** 2))
        if not sigma2 > 0 or _min_root(x0[k:], spec, m) < 1.01:
            return np.inf, x0
        n = len(z)
        return n * np.log(sigma2) + 2 * n_par + 2 * n_par * (n_par + 1) / (n - n_par - 1), x0

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        if self.uses_x_ and x_future is None:
            raise ValueError("this ARIMA was fitted with regressors; pass their future values (x_future)")
        future = np.asarray(x_future, float).reshape(h, -1) if self.uses_x_ else np.empty((h, 0))
        if self.spec_[4]:
            const = np.ones(h) if self.d_ + self.D_ == 0 else np.arange(self.n_ + 1.0, self.n_ + h + 1)
            future = np.column_stack([future, const])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fc = self.result_.get_forecast(h, exog=future if future.shape[1] else None)
            mean = np.asarray(fc.predicted_mean, float) * self.scale_
            bounds = {lv: np.asarray(fc.conf_int(alpha=1 - lv / 100), float) * self.scale_ for lv in levels}
        return Prediction(mean, {lv: b[:, 0] for lv, b in bounds.items()}, {lv: b[:, 1] for lv, b in bounds.items()})

    def describe(self) -> str:
        p, q, big_p, big_q, c = self.spec_
        s = f"({big_p},{self.D_},{big_q})[{self.m_}]" if big_p + self.D_ + big_q else ""
        const = (" with non-zero mean" if self.d_ + self.D_ == 0 else " with drift") if c else ""
        return f"ARIMA({p},{self.d_},{q}){s}{const}" + (" with regressors" if self.uses_x_ else "")


class Croston(Model):
    """Croston's method (Croston 1972) for intermittent demand: SES of the non-zero demand sizes z
    and of the intervals p between them, both updated only when demand occurs; forecast z/p.
    Initialised with the first demand and its interval (counted from the start of the series).
    Intervals: empirical quantiles of the one-step errors, floored at 0.
    """

    name = "croston"
    label = "Croston (intermittent demand)"
    debias: ClassVar[bool] = False

    def __init__(self, alpha: float = 0.1) -> None:
        if not 0 < alpha <= 1:
            raise ValueError(f"alpha must lie in (0, 1], got {alpha}")
        self.alpha = alpha

    def min_length(self, season_length: int) -> int:
        return 2

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        nz = np.flatnonzero(y > 0)
        fitted = np.full(len(y), np.nan)
        if nz.size == 0:
            self.size_, self.interval_ = 0.0, 1.0
            self.errors_ = np.zeros(1)
            self.notes_.append("no demand at all in the history: the forecast is 0")
            return
        size, interval = y[nz[0]], float(nz[0] + 1)
        last = nz[0]
        for t in range(nz[0] + 1, len(y)):
            fitted[t] = self._rate(size, interval)
            if y[t] > 0:
                size += self.alpha * (y[t] - size)
                interval += self.alpha * ((t - last) - interval)
                last = t
        self.size_, self.interval_ = float(size), float(interval)
        self.errors_ = (y - fitted)[np.isfinite(fitted)]

    def _rate(self, size: float, interval: float) -> float:
        rate = size / interval
        return rate * (1 - self.alpha / 2) if self.debias else rate

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        mean = np.full(h, self._rate(self.size_, self.interval_))
        return empirical(mean, self.errors_, levels).clipped(0.0)

    def describe(self) -> str:
        return f"{self.label.split(' (')[0]} (alpha={self.alpha:g}, size={self.size_:.3g}, " \
               f"interval={self.interval_:.3g} periods)"


class SBA(Croston):
    """Syntetos-Boylan approximation (Syntetos & Boylan 2005): Croston's forecast times (1 - alpha/2),
    removing its positive bias."""

    name = "sba"
    label = "SBA (intermittent demand)"
    debias = True


class TSB(Model):
    """TSB (Teunter, Syntetos & Babai 2011): the demand probability d is updated every period
    (d += beta * (1[y>0] - d)), the size z only when demand occurs (z += alpha * (y - z)); forecast d * z.
    Reacts to obsolescence, unlike Croston. Intervals: empirical one-step error quantiles, floored at 0.
    """

    name = "tsb"
    label = "TSB (intermittent, obsolescence-aware)"

    def __init__(self, alpha: float = 0.1, beta: float = 0.1) -> None:
        for nm, v in (("alpha", alpha), ("beta", beta)):
            if not 0 < v <= 1:
                raise ValueError(f"{nm} must lie in (0, 1], got {v}")
        self.alpha, self.beta = alpha, beta

    def _fit(self, y: np.ndarray, m: int, x: np.ndarray | None) -> None:
        nz = np.flatnonzero(y > 0)
        prob = nz.size / len(y)
        size = float(y[nz].mean()) if nz.size else 0.0
        fitted = np.empty(len(y))
        for t, v in enumerate(y):
            fitted[t] = prob * size
            prob += self.beta * ((v > 0) - prob)
            if v > 0:
                size += self.alpha * (v - size)
        self.prob_, self.size_ = float(prob), size
        self.errors_ = y - fitted

    def _predict(self, h: int, levels: tuple[int, ...], x_future: np.ndarray | None) -> Prediction:
        return empirical(np.full(h, self.prob_ * self.size_), self.errors_, levels).clipped(0.0)

    def describe(self) -> str:
        return f"TSB (chance of demand {self.prob_:.0%}, size {self.size_:.3g})"


MODELS: dict[str, type[Model]] = {cls.name: cls for cls in
                                  (Naive, SeasonalNaive, SES, Holt, Damped, Theta, ETS, AutoARIMA, Croston, SBA, TSB)}
"""Every model by its short name (used by ``forecast(method=...)``)."""

FALLBACK: dict[str, str] = {"snaive": "naive", "ses": "naive", "holt": "ses", "damped": "ses", "theta": "ses",
                            "ets": "theta", "arima": "theta", "croston": "naive", "sba": "naive", "tsb": "naive"}
"""The simpler model used when a series is too short for a model."""


def make(name: str) -> Model:
    """A model with default parameters from its short name."""
    try:
        return MODELS[name]()
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)} or 'auto'") from None
