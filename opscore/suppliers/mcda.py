"""Multi-criteria ranking: weighted sum and TOPSIS, with weights checked and normalised.

- Weighted sum (simple additive weighting) on linear max-min scaled criteria, Hwang and Yoon (1981),
  *Multiple Attribute Decision Making*, Springer LNEMS 186, section on SAW:
  ``r_ij = (x_ij - min_j) / (max_j - min_j)`` for a benefit criterion, ``(max_j - x_ij) / (max_j - min_j)``
  for a cost criterion; score ``S_i = sum_j w_j r_ij``.
- TOPSIS, Hwang and Yoon (1981), same book, TOPSIS steps 1-6: vector normalisation
  ``r_ij = x_ij / sqrt(sum_i x_ij^2)``, weighting ``v_ij = w_j r_ij``, ideal ``A+`` (best of each column)
  and anti-ideal ``A-`` (worst), Euclidean separations ``S+``, ``S-`` and relative closeness
  ``C_i = S-_i / (S+_i + S-_i)`` (1 = the ideal). ``normalization="minmax"`` uses the max-min scale above
  instead (cost criteria are then already reversed, so every column is treated as a benefit).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

Normalization = Literal["vector", "minmax"]
Method = Literal["weighted_sum", "topsis"]
METHODS: tuple[Method, ...] = ("weighted_sum", "topsis")


class WeightNotice(UserWarning):
    """Weights were rescaled to sum to one (a notice, not an error)."""


def normalise_weights(weights: npt.ArrayLike, n: int | None = None) -> tuple[np.ndarray, str | None]:
    """Weights scaled to sum to one, and a plain notice when they did not already (else ``None``).

    Raises ``ValueError`` for a wrong count, negative, non-finite or all-zero weights.
    """
    w = np.asarray(weights, dtype=float).ravel()
    if n is not None and w.size != n:
        raise ValueError(f"got {w.size} weights for {n} criteria; give one weight per criterion")
    if w.size == 0:
        raise ValueError("no weights given; give one weight per criterion")
    if not np.all(np.isfinite(w)):
        raise ValueError("a weight is missing or not a number; every weight must be a number from 0 to 1")
    if np.any(w < 0):
        raise ValueError(f"weight {float(w[w < 0][0]):g} is negative; weights must be 0 or more")
    total = float(w.sum())
    if total <= 0:
        raise ValueError("all weights are zero; give at least one criterion a positive weight")
    if abs(total - 1.0) <= 1e-9:
        return w / total, None
    return w / total, f"The weights added up to {total:.3g}, not 1; they were scaled proportionally to sum to 1."


def _inputs(matrix: npt.ArrayLike, weights: npt.ArrayLike, benefit: Sequence[bool] | npt.ArrayLike
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError("the decision matrix must be a table of alternatives (rows) x criteria (columns); "
                         f"got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        r, c = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"the decision matrix has a missing or infinite value at row {r}, criterion {c}; fill it in")
    b = np.asarray(benefit, dtype=bool).ravel()
    if b.size != x.shape[1]:
        raise ValueError(f"'benefit' has {b.size} entries for {x.shape[1]} criteria; mark each criterion True "
                         "(more is better) or False (less is better)")
    w, notice = normalise_weights(weights, x.shape[1])
    if notice:
        warnings.warn(notice, WeightNotice, stacklevel=3)
    return x, w, b


def minmax_scale(x: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Linear max-min scaling to 0-1 with 1 = best; a column with one value everywhere scales to 1."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    r = np.where(benefit, (x - lo) / span, (hi - x) / span)
    return np.where(hi > lo, r, 1.0)


def weighted_sum(matrix: npt.ArrayLike, weights: npt.ArrayLike, benefit: Sequence[bool] | npt.ArrayLike) -> np.ndarray:
    """Weighted-sum scores (0-1, higher is better) on max-min scaled criteria."""
    x, w, b = _inputs(matrix, weights, benefit)
    score: npt.NDArray[np.float64] = minmax_scale(x, b) @ w
    return score


def topsis(matrix: npt.ArrayLike, weights: npt.ArrayLike, benefit: Sequence[bool] | npt.ArrayLike,
           normalization: Normalization = "vector") -> np.ndarray:
    """TOPSIS relative closeness to the ideal, 0-1 per alternative (higher is better).

    ``matrix``: alternatives x criteria; ``weights``: one per criterion (rescaled with a
    :class:`WeightNotice` if they do not sum to one); ``benefit``: True where more is better.
    All alternatives identical gives 0.5 each.
    """
    x, w, b = _inputs(matrix, weights, benefit)
    if normalization == "vector":
        norms = np.sqrt((x ** 2).sum(axis=0))
        r = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    elif normalization == "minmax":
        r, b = minmax_scale(x, b), np.ones_like(b)
    else:
        raise ValueError(f"unknown normalization {normalization!r}; use 'vector' or 'minmax'")
    v = r * w
    ideal = np.where(b, v.max(axis=0), v.min(axis=0))
    anti = np.where(b, v.min(axis=0), v.max(axis=0))
    s_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    s_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    total = s_plus + s_minus
    closeness: npt.NDArray[np.float64] = np.divide(s_minus, total, out=np.full(len(x), 0.5), where=total > 0)
    return closeness


def scores(matrix: npt.ArrayLike, weights: npt.ArrayLike, benefit: Sequence[bool] | npt.ArrayLike,
           method: Method = "topsis", normalization: Normalization = "vector") -> np.ndarray:
    """Scores by ``method`` ('weighted_sum' or 'topsis'), higher is better."""
    if method == "topsis":
        return topsis(matrix, weights, benefit, normalization)
    if method == "weighted_sum":
        return weighted_sum(matrix, weights, benefit)
    raise ValueError(f"unknown scoring method {method!r}; use one of {', '.join(METHODS)}")


def ranks(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties share the better rank."""
    s = np.asarray(score, dtype=float)
    rank: npt.NDArray[np.intp] = (s[None, :] > s[:, None] + 1e-12).sum(axis=1) + 1
    return rank
