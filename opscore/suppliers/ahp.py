"""AHP criterion weights from a pairwise comparison matrix (Saaty's eigenvector method).

Saaty (1980), *The Analytic Hierarchy Process*, McGraw-Hill; Saaty (1990), "How to make a decision:
the analytic hierarchy process", EJOR 48(1) 9-26:

- weights = the principal right eigenvector of ``A`` scaled to sum to one, ``A w = lambda_max w``;
- consistency index ``CI = (lambda_max - n) / (n - 1)``; consistency ratio ``CR = CI / RI(n)`` with
  Saaty's random index RI; ``CR > 0.1`` means the judgments should be revised;
- the judgment to revise first is the pair with the largest deviation of ``a_ij w_j / w_i`` from 1
  (Saaty 1980, section 3-5 "Revising judgments"); the value consistent with the weights is ``w_i / w_j``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
"""Saaty's random consistency index RI for n = 1..10 (Saaty 1980)."""
CONSISTENCY_LIMIT = 0.1
RECIPROCAL_TOLERANCE = 0.01
"""Relative tolerance for ``a_ij * a_ji == 1`` (so 3 and 0.333 are accepted as reciprocals)."""


@dataclass(frozen=True)
class AhpResult:
    """The weights derived from a pairwise comparison matrix and how consistent it is."""

    weights: np.ndarray
    """Criterion weights, summing to 1 (same order as the matrix rows)."""
    consistency_ratio: float
    """CR = CI / RI, dimensionless; above 0.1 the judgments are inconsistent (0 for n <= 2)."""
    lambda_max: float
    """Principal eigenvalue of the matrix (equals n when perfectly consistent)."""
    consistency_index: float
    """CI = (lambda_max - n) / (n - 1)."""
    labels: tuple[str, ...]
    """Criterion names (row labels, or '0', '1', ... for a plain array)."""
    worst_pair: tuple[str, str] | None
    """The judgment contributing most to the inconsistency when CR > 0.1, else None."""
    worst_pair_suggestion: float | None
    """The value of that judgment consistent with the weights (w_i / w_j)."""

    @property
    def is_consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENCY_LIMIT

    @property
    def message(self) -> str:
        """A plain sentence on the consistency, naming the pair to revise when inconsistent."""
        if self.is_consistent:
            return (f"Consistency ratio {self.consistency_ratio:.3f} (at most 0.10 is acceptable): "
                    "the judgments are consistent.")
        i, j = self.worst_pair or ("?", "?")
        return (f"Consistency ratio {self.consistency_ratio:.3f} is above 0.10: the judgments are inconsistent. "
                f"The comparison '{i}' vs '{j}' contributes most; a value near {self.worst_pair_suggestion:.2g} "
                "would agree with the others.")


def check_pairwise(pairwise: npt.ArrayLike | pd.DataFrame) -> tuple[np.ndarray, tuple[str, ...]]:
    """The matrix as floats and its labels; ``ValueError`` naming the cell when it is not a valid
    positive reciprocal matrix (square, positive, ones on the diagonal, ``a_ji = 1 / a_ij``)."""
    labels: tuple[str, ...]
    if isinstance(pairwise, pd.DataFrame):
        labels = tuple(str(c) for c in pairwise.index)
        a = pairwise.to_numpy(dtype=float)
    else:
        a = np.asarray(pairwise, dtype=float)
        labels = tuple(str(i) for i in range(a.shape[0])) if a.ndim == 2 else ()
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise ValueError(f"the pairwise comparison matrix must be square (criteria x criteria); got shape {a.shape}")
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise ValueError(f"{n} criteria is too many for pairwise comparison (at most {len(RANDOM_INDEX)}); group them")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        i, j = np.argwhere(~np.isfinite(a) | (a <= 0))[0]
        raise ValueError(f"comparison '{labels[i]}' vs '{labels[j]}' is {a[i, j]}; every entry must be a positive "
                         "number (1/9 to 9 on Saaty's scale)")
    off = np.abs(np.diag(a) - 1.0) > 1e-9
    if off.any():
        k = int(np.argmax(off))
        raise ValueError(f"the diagonal entry for '{labels[k]}' is {a[k, k]}; "
                         "a criterion compared with itself must be 1")
    product = a * a.T
    bad = np.abs(product - 1.0) > RECIPROCAL_TOLERANCE
    if bad.any():
        i, j = np.argwhere(np.triu(bad))[0]
        raise ValueError(
            f"comparison '{labels[i]}' vs '{labels[j]}' is {a[i, j]:g} but '{labels[j]}' vs '{labels[i]}' is "
            f"{a[j, i]:g}; the second must be the reciprocal 1/{a[i, j]:g} = {1 / a[i, j]:.3g}. "
            "Enter each judgment once and let the mirror cell be its reciprocal.")
    return a, labels


def ahp_weights(pairwise: npt.ArrayLike | pd.DataFrame) -> AhpResult:
    """Weights, consistency ratio and lambda_max of a pairwise comparison matrix (see module docstring)."""
    a, labels = check_pairwise(pairwise)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    if n <= 2:
        return AhpResult(w, 0.0, float(n), 0.0, labels, None, None)
    ci = max((lam - n) / (n - 1), 0.0)
    cr = ci / RANDOM_INDEX[n - 1]
    worst, suggestion = None, None
    if cr > CONSISTENCY_LIMIT:
        deviation = np.abs(np.log(a * w[None, :] / w[:, None]))
        i, j = np.unravel_index(int(np.argmax(np.triu(deviation, 1))), a.shape)
        worst, suggestion = (labels[i], labels[j]), float(w[i] / w[j])
    return AhpResult(w, float(cr), lam, float(ci), labels, worst, suggestion)


def pairwise_from_upper(upper: Mapping[tuple[int, int], float], n: int, decimals: int | None = None,
                        labels: Sequence[str] | None = None) -> np.ndarray:
    """A full reciprocal matrix from the judgments above the diagonal, ``{(i, j): a_ij}`` with i < j.

    Each judgment ``a_ij`` gives its mirror cell ``a_ji = 1 / a_ij``; unset pairs are 1 (equal importance).
    ``decimals``: round both cells to this many decimals, as a grid shows them (3 keeps 1/3 = 0.333 and 3 within
    :data:`RECIPROCAL_TOLERANCE` of reciprocals). ``labels`` name the criteria in error messages (default: indices).
    ``ValueError`` for a pair not above the diagonal or a judgment that is not a positive number (also after
    rounding)."""
    def name(i: int, j: int) -> str:
        return f"'{labels[i]}' vs '{labels[j]}'" if labels is not None and len(labels) == n else f"({i}, {j})"

    a = np.ones((n, n))
    for (i, j), value in upper.items():
        if not 0 <= i < j < n:
            raise ValueError(f"judgment ({i}, {j}) is not above the diagonal of a {n} x {n} matrix")
        value = float(value)
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"judgment {name(i, j)} is {value}; use a positive number (1/9 to 9)")
        mirror = 1.0 / value
        if decimals is not None:
            value, mirror = round(value, decimals), round(mirror, decimals)
            if value <= 0 or mirror <= 0:
                raise ValueError(f"judgment {name(i, j)} is too small or too large to keep at {decimals} decimals; "
                                 "use a number from 1/9 to 9")
        a[i, j], a[j, i] = value, mirror
    return a


def upper_judgments(pairwise: npt.ArrayLike | pd.DataFrame) -> dict[tuple[int, int], float]:
    """The judgments above the diagonal of a square matrix, ``{(i, j): a_ij}`` with i < j (the input of
    :func:`pairwise_from_upper`: keep what was entered above the diagonal, whatever the cells below hold)."""
    a = pairwise.to_numpy(dtype=float) if isinstance(pairwise, pd.DataFrame) else np.asarray(pairwise, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"the pairwise comparison matrix must be square (criteria x criteria); got shape {a.shape}")
    n = a.shape[0]
    return {(i, j): float(a[i, j]) for i in range(n) for j in range(i + 1, n)}


def pairwise_from_weights(weights: npt.ArrayLike, decimals: int | None = None) -> np.ndarray:
    """The perfectly consistent matrix of given weights, ``a_ij = w_i / w_j`` (e.g. a grid to start editing
    from: its AHP weights are ``weights`` scaled to sum to one). ``decimals`` as in :func:`pairwise_from_upper`."""
    w = np.asarray(weights, dtype=float).ravel()
    if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("every weight must be a positive number to compare criteria pairwise")
    n = w.size
    return pairwise_from_upper({(i, j): float(w[i] / w[j]) for i in range(n) for j in range(i + 1, n)}, n, decimals)
