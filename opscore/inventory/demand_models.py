"""Daily demand generators for the simulator: bootstrapped history, a stored forecast, or Poisson.

Each model draws an (SKUs x replications) array of units for one simulated day, so the simulator
never loops over SKUs or replications.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from opscore.inventory._checks import array


@dataclass(frozen=True)
class BootstrapDemand:
    """Resample each SKU's own history, day of week by day of week (keeps the weekly pattern).

    ``history`` is units sold per day, shape (SKUs, days), oldest first; the simulation starts the day
    after its last column, so simulated day t is drawn from the same weekday in a random past week.
    ``growth`` scales every draw (0.1 = demand 10 % higher).
    """

    history: np.ndarray
    growth: float = 0.0

    def __post_init__(self) -> None:
        h = array("history", self.history, "BootstrapDemand", minimum=0.0)
        if h.ndim != 2 or h.shape[1] < 7:
            raise ValueError("BootstrapDemand: history must be a 2-D array (SKUs x days) with at least 7 days")
        if self.growth <= -1:
            raise ValueError(f"BootstrapDemand: growth must be above -1 (-100 %), got {self.growth}")

    @property
    def n_skus(self) -> int:
        return int(np.asarray(self.history).shape[0])

    def daily_mean(self) -> np.ndarray:
        """Average units per day per SKU, after growth."""
        mean: npt.NDArray[np.float64] = np.asarray(self.history, float).mean(axis=1) * (1 + self.growth)
        return mean

    def sampler(self, rng: np.random.Generator, replications: int, order: np.ndarray | None = None,
                ) -> Callable[[int], npt.NDArray[np.float64]]:
        """A function of the day t giving (SKUs in ``order``) x replications units."""
        h = np.asarray(self.history, float) * (1 + self.growth)
        h = h if order is None else h[order]
        n, days = h.shape
        weeks = days // 7
        h = h[:, days - 7 * weeks:]  # the most recent whole weeks, ending the day before day 0
        by_day = h.reshape(n, weeks, 7).transpose(2, 0, 1).copy()  # (weekday slot, SKU, week)

        def draw(t: int) -> npt.NDArray[np.float64]:
            slot = t % 7  # day t falls on the weekday of column t (mod 7) of each past week
            idx = rng.integers(0, weeks, size=(n, replications), dtype=np.int16 if weeks < 32000 else np.int64)
            return np.take_along_axis(by_day[slot], idx, axis=1)

        return draw


@dataclass(frozen=True)
class ForecastDemand:
    """Normal demand around a forecast: ``mean``/``sd`` in units per day, shape (SKUs, forecast days).

    Beyond the forecast horizon the last seven forecast days repeat. Draws are cut at zero.
    """

    mean: np.ndarray
    sd: np.ndarray
    growth: float = 0.0

    def __post_init__(self) -> None:
        m = array("mean", self.mean, "ForecastDemand")
        s = array("sd", self.sd, "ForecastDemand")
        if m.ndim != 2 or m.shape != s.shape or m.shape[1] < 1:
            raise ValueError("ForecastDemand: mean and sd must be 2-D arrays (SKUs x days) of the same shape")

    @property
    def n_skus(self) -> int:
        return int(np.asarray(self.mean).shape[0])

    def daily_mean(self) -> np.ndarray:
        mean: npt.NDArray[np.float64] = np.asarray(self.mean, float).mean(axis=1) * (1 + self.growth)
        return mean

    def sampler(self, rng: np.random.Generator, replications: int, order: np.ndarray | None = None,
                ) -> Callable[[int], npt.NDArray[np.float64]]:
        """A function of the day t giving (SKUs in ``order``) x replications units."""
        m = np.asarray(self.mean, float) * (1 + self.growth)
        s = np.asarray(self.sd, float) * (1 + self.growth)
        if order is not None:
            m, s = m[order], s[order]
        horizon = m.shape[1]

        def draw(t: int) -> npt.NDArray[np.float64]:
            col = t if t < horizon else horizon - 7 + (t - horizon) % 7 if horizon >= 7 else horizon - 1
            z = rng.standard_normal((m.shape[0], replications))
            return np.maximum(m[:, col, None] + s[:, col, None] * z, 0.0)

        return draw


@dataclass(frozen=True)
class PoissonDemand:
    """Independent Poisson demand per day with ``mean`` units per day per SKU (for textbook checks)."""

    mean: np.ndarray

    @property
    def n_skus(self) -> int:
        return int(np.atleast_1d(self.mean).shape[0])

    def daily_mean(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(self.mean, float))

    def sampler(self, rng: np.random.Generator, replications: int, order: np.ndarray | None = None,
                ) -> Callable[[int], npt.NDArray[np.float64]]:
        """A function of the day t giving (SKUs in ``order``) x replications units."""
        lam = np.atleast_1d(array("mean", self.mean, "PoissonDemand"))[:, None]
        lam = lam if order is None else lam[order]
        shape = (lam.shape[0], replications)
        return lambda t: rng.poisson(lam, size=shape).astype(float)


DemandModel = BootstrapDemand | ForecastDemand | PoissonDemand
