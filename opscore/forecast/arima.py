"""Automatic ARIMA (Hyndman & Khandakar 2008, J. Statistical Software 27(3)) on statsmodels, as R
``forecast::auto.arima`` does it: KPSS and seasonal-strength differencing, a stepwise search on AICc, a regression
with ARIMA errors when there are regressors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import ClassVar

import numpy as np
import numpy.typing as npt
from scipy.optimize import least_squares
from scipy.signal import lfilter

from opscore.forecast.intervals import Prediction
from opscore.forecast.models import Model

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
