"""Input checks shared by the inventory policies: each raises ``ValueError`` saying what, where and how to fix."""

from __future__ import annotations

import math

import numpy as np


def positive(name: str, value: float, where: str, hint: str = "") -> float:
    """``value`` as a float, which must be finite and > 0."""
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{where}: {name} must be a positive number, got {value!r}. {hint}".strip())
    return v


def non_negative(name: str, value: float, where: str, hint: str = "") -> float:
    """``value`` as a float, which must be finite and >= 0."""
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{where}: {name} must be zero or more, got {value!r}. {hint}".strip())
    return v


def probability(name: str, value: float, where: str) -> float:
    """A service target strictly between 0 and 1 (100 % cannot be promised with unbounded demand)."""
    v = float(value)
    if not math.isfinite(v) or not 0 < v < 1:
        raise ValueError(
            f"{where}: {name} must lie strictly between 0 and 1 (e.g. 0.95 for 95 %), got {value!r}. "
            "A 100 % target is impossible when demand can be arbitrarily large (normal demand); choose e.g. 0.99."
        )
    return v


def array(name: str, value: object, where: str, minimum: float | None = 0.0, strict: bool = False) -> np.ndarray:
    """``value`` as a float array with every entry finite and >= ``minimum`` (> if ``strict``)."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{where}: {name} contains missing or infinite values; fill them in first")
    if minimum is not None:
        bad = arr <= minimum if strict else arr < minimum
        if np.any(bad):
            first = np.flatnonzero(np.atleast_1d(bad))[0]
            rel = "greater than" if strict else "at least"
            raise ValueError(f"{where}: every {name} must be {rel} {minimum:g}; entry {first} is "
                             f"{np.atleast_1d(arr)[first]!r}")
    return arr
