"""Prediction intervals: the container and the Gaussian formulas they come from.

Forecast variances follow Hyndman, Koehler, Ord & Snyder, *Forecasting with Exponential
Smoothing* (2008), Table 6.1 (class 1, additive errors), and FPP3 Table 5.2 (benchmark methods).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

LEVELS: tuple[int, ...] = (80, 95)
"""Default nominal coverage of the intervals, percent."""


@dataclass(frozen=True)
class Prediction:
    """A point forecast with its prediction intervals."""

    mean: np.ndarray
    """Point forecast per future period (demand units)."""
    lower: dict[int, np.ndarray] = field(default_factory=dict)
    """Lower bound per nominal level (percent -> array, demand units)."""
    upper: dict[int, np.ndarray] = field(default_factory=dict)
    """Upper bound per nominal level (percent -> array, demand units)."""

    def clipped(self, floor: float = 0.0) -> Prediction:
        """The same forecast with every value at least ``floor`` (demand cannot be negative)."""
        return Prediction(np.maximum(self.mean, floor), {k: np.maximum(v, floor) for k, v in self.lower.items()},
                          {k: np.maximum(v, floor) for k, v in self.upper.items()})

    def scaled(self, factor: np.ndarray | float) -> Prediction:
        """Every value multiplied by ``factor`` (per period or one number), e.g. a what-if uplift."""
        return Prediction(self.mean * factor, {k: v * factor for k, v in self.lower.items()},
                          {k: v * factor for k, v in self.upper.items()})


@cache
def z_value(level: int) -> float:
    """Two-sided standard normal quantile for a nominal level in percent (80 -> 1.2816)."""
    if not 0 < level < 100:
        raise ValueError(f"interval level must lie strictly between 0 and 100 percent, got {level}")
    return float(norm.ppf(0.5 + level / 200))


def gaussian(mean: np.ndarray, sd: np.ndarray, levels: tuple[int, ...] = LEVELS) -> Prediction:
    """Intervals mean +/- z * sd for each level."""
    sd = np.asarray(sd, float)
    return Prediction(np.asarray(mean, float), {lv: mean - z_value(lv) * sd for lv in levels},
                      {lv: mean + z_value(lv) * sd for lv in levels})


def empirical(mean: np.ndarray, errors: np.ndarray, levels: tuple[int, ...] = LEVELS) -> Prediction:
    """Intervals from quantiles of in-sample one-step errors (for intermittent demand, whose errors
    are far from normal): mean + q_{(1-L)/2}(e) .. mean + q_{(1+L)/2}(e)."""
    e = np.asarray(errors, float)
    e = e[np.isfinite(e)]
    if e.size == 0:
        e = np.zeros(1)
    return Prediction(np.asarray(mean, float),
                      {lv: mean + np.quantile(e, 0.5 - lv / 200) for lv in levels},
                      {lv: mean + np.quantile(e, 0.5 + lv / 200) for lv in levels})


def ets_additive_sd(sigma: float, horizon: int, alpha: float, beta: float = 0.0, phi: float = 1.0) -> np.ndarray:
    """Forecast standard deviation of ETS(A,N,N), (A,A,N) and (A,Ad,N) for h = 1..horizon.

    Hyndman et al. (2008) Table 6.1: v_h = sigma^2 [1 + sum_{j=1}^{h-1} c_j^2], c_j = alpha + beta * phi_j,
    phi_j = phi + phi^2 + ... + phi^j (phi = 1 for Holt; beta = 0 for simple exponential smoothing).
    """
    j = np.arange(1, horizon)
    phi_j = j.astype(float) if phi == 1.0 else phi * (1 - phi ** j) / (1 - phi)
    c2 = (alpha + beta * phi_j) ** 2
    sd: npt.NDArray[np.float64] = sigma * np.sqrt(1 + np.r_[0.0, np.cumsum(c2)])
    return sd
