"""Loss functions of the normal and Poisson distributions (Snyder & Shen 2019, Appendix C).

The first-order loss n(x) = E[(X - x)+] and the second-order loss n2(x) = 1/2 E[((X - x)+)^2]
are the building blocks of every stochastic policy in this package.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats


def std_normal_loss(z: np.ndarray | float) -> np.ndarray:
    """Standard normal loss L(z) = phi(z) - z (1 - Phi(z)) (Snyder & Shen eq. C.22)."""
    z = np.asarray(z, dtype=float)
    loss: npt.NDArray[np.float64] = stats.norm.pdf(z) - z * stats.norm.sf(z)
    return loss


def std_normal_loss2(z: np.ndarray | float) -> np.ndarray:
    """Standard normal second-order loss 1/2[(z^2 + 1)(1 - Phi(z)) - z phi(z)] (Snyder & Shen eq. C.23)."""
    z = np.asarray(z, dtype=float)
    loss: npt.NDArray[np.float64] = 0.5 * ((z * z + 1.0) * stats.norm.sf(z) - z * stats.norm.pdf(z))
    return loss


def normal_loss(x: np.ndarray | float, mean: float, sd: float) -> np.ndarray:
    """E[(X - x)+] for X ~ N(mean, sd^2): sd L((x - mean)/sd) (Snyder & Shen eq. C.24)."""
    return sd * std_normal_loss((np.asarray(x, dtype=float) - mean) / sd)


def normal_loss2(x: np.ndarray | float, mean: float, sd: float) -> np.ndarray:
    """1/2 E[((X - x)+)^2] for X ~ N(mean, sd^2): sd^2 L2((x - mean)/sd) (Snyder & Shen eq. C.25)."""
    return sd * sd * std_normal_loss2((np.asarray(x, dtype=float) - mean) / sd)


def poisson_loss(x: np.ndarray | float, mean: float) -> np.ndarray:
    """E[(X - x)+] for X ~ Poisson(mean), integer x: (mean - x)(1 - F(x)) + mean f(x) (Snyder & Shen eq. C.37)."""
    x = np.asarray(x, dtype=float)
    loss: npt.NDArray[np.float64] = (mean - x) * stats.poisson.sf(x, mean) + mean * stats.poisson.pmf(x, mean)
    return loss


def inverse_std_normal_loss(value: np.ndarray | float) -> np.ndarray:
    """The z with L(z) = value, elementwise (value > 0; L is strictly decreasing), by vectorised bisection."""
    target = np.asarray(value, dtype=float)
    lo = np.full(target.shape, -40.0)
    hi = np.full(target.shape, 40.0)
    for _ in range(80):  # halves an 80-wide bracket 80 times: far below 1e-12
        mid = (lo + hi) / 2
        above = std_normal_loss(mid) > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    z: npt.NDArray[np.float64] = (lo + hi) / 2
    return z
