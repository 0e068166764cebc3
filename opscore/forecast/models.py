"""Forecasting models. Each takes its parameters in ``__init__``; ``fit(y, season_length)`` returns
self (fitted attributes end in ``_``); ``predict(horizon, levels)`` returns a :class:`Prediction`.

Sources per model are in its docstring. ``y`` is a clean non-negative float array (see ``series.prepare``).
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from typing import ClassVar, Self

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar
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
