"""Synthetic panels for the global model, panel and plan tests: Poisson demand around a level per series times a
shared weekly pattern, seeded so every call with the same arguments gives the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from opscore.forecast.global_model import Panel

WEEKDAY = np.array([0.6, 0.8, 0.9, 1.0, 1.3, 1.6, 0.8])
"""Shared weekly pattern (Monday first), mean 1."""
START = pd.Timestamp("2023-01-02")
"""A Monday: the first day of every synthetic panel."""


def levels(n: int, seed: int) -> np.ndarray:
    """Mean daily demand of ``n`` series, from slow (about 2 a day) to fast (about 40 a day)."""
    return np.exp(np.random.default_rng(seed).uniform(np.log(2.0), np.log(40.0), n))


def weekly_demand(n: int, days: int, seed: int = 0) -> np.ndarray:
    """Daily demand (n x days, whole units): Poisson around level_i x weekday factor, starting on a Monday."""
    rng = np.random.default_rng(seed)
    mean = levels(n, seed + 1000)[:, None] * WEEKDAY[np.arange(days) % 7][None, :]
    return rng.poisson(mean).astype(float)


def panel(y: np.ndarray, start: np.ndarray | None = None, censored: np.ndarray | None = None) -> Panel:
    """A daily panel of ``y`` (n x T) from :data:`START`, weekly season."""
    index = pd.date_range(START, periods=y.shape[1], freq="D")
    begin = np.zeros(y.shape[0], np.int64) if start is None else np.asarray(start, np.int64)
    return Panel(y, index, 7, begin, censored=censored)


def long_frame(y: np.ndarray, freq: str = "D", first: pd.Timestamp = START, prefix: str = "S") -> pd.DataFrame:
    """``y`` (n x T) as a long frame unique_id, ds, y (ids S00, S01, ...)."""
    index = pd.date_range(first, periods=y.shape[1], freq=freq)
    return pd.DataFrame({"unique_id": np.repeat([f"{prefix}{i:02d}" for i in range(y.shape[0])], y.shape[1]),
                         "ds": np.tile(index, y.shape[0]), "y": y.ravel()})
