"""Seasonality: a significance test and classical decomposition into seasonal indices.

Sources: Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (FPP2, 2018) §6.3
(classical decomposition); the seasonality test of the Theta method as in R ``forecast::thetaf``
and the M4 competition benchmarks (Makridakis et al., 2020): the lag-m autocorrelation is
significant at 90 % against Bartlett's bound 1.645 * sqrt((1 + 2 * sum_{k<m} r_k^2) / n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


def acf(y: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample autocorrelations r_1..r_max_lag (FPP2 eq. 2.1 style, biased denominator)."""
    x = np.asarray(y, float) - np.mean(y)
    denom = float(x @ x)
    if denom == 0.0:
        return np.zeros(max_lag)
    return np.array([float(x[k:] @ x[:-k]) / denom for k in range(1, max_lag + 1)])


def is_seasonal(y: np.ndarray, m: int, min_cycles: int = 3) -> bool:
    """True when lag-m autocorrelation is significant at 90 % (needs ``min_cycles`` full seasons)."""
    n = len(y)
    if m <= 1 or n < min_cycles * m or np.ptp(y) == 0:
        return False
    r = acf(y, m)
    limit = 1.645 * np.sqrt((1 + 2 * np.sum(r[:-1] ** 2)) / n)
    return bool(abs(r[-1]) > limit)


@dataclass(frozen=True)
class Seasonal:
    """Seasonal indices from a classical decomposition, applied by position in the cycle."""

    indices: np.ndarray
    """One index per position in the cycle; multiplicative (mean 1) or additive (mean 0, demand units)."""
    multiplicative: bool
    """True: values are divided by the indices; False: the indices are subtracted."""

    def _at(self, positions: np.ndarray) -> np.ndarray:
        """Indices at positions counted from the first observation (position 0)."""
        out: npt.NDArray[np.float64] = self.indices[positions % len(self.indices)]
        return out

    def remove(self, y: np.ndarray, start: int = 0) -> np.ndarray:
        """Seasonally adjusted values of observations at positions start, start+1, ..."""
        s = self._at(np.arange(start, start + len(y)))
        out: npt.NDArray[np.float64] = y / s if self.multiplicative else y - s
        return out

    def restore(self, values: np.ndarray, start: int) -> np.ndarray:
        """Put the season back into adjusted values at positions start, start+1, ..."""
        s = self._at(np.arange(start, start + len(values)))
        out: npt.NDArray[np.float64] = values * s if self.multiplicative else values + s
        return out


def classical_decomposition(y: np.ndarray, m: int) -> Seasonal:
    """Seasonal indices by classical decomposition (FPP2 §6.3): detrend with a centred
    (2 x m)-MA (m even) or m-MA (m odd), average the detrended values per season, normalise.

    Multiplicative when every value is positive, additive otherwise (zeros in the data).
    """
    y = np.asarray(y, float)
    n = len(y)
    if n < 2 * m:
        raise ValueError(f"classical decomposition needs two full seasons ({2 * m} values), got {n}")
    if m % 2 == 0:
        weights = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        weights = np.ones(m) / m
    trend = np.convolve(y, weights, mode="valid")
    lead = (len(weights) - 1) // 2
    multiplicative = bool(np.all(y > 0))
    detrended = y[lead:lead + len(trend)]
    detrended = detrended / trend if multiplicative else detrended - trend
    positions = np.arange(lead, lead + len(trend)) % m
    raw = np.array([detrended[positions == k].mean() for k in range(m)])
    indices = raw / raw.mean() if multiplicative else raw - raw.mean()
    return Seasonal(indices, multiplicative)
