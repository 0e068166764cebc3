"""How far each criterion weight can move before the top-ranked alternative changes.

One-at-a-time weight sensitivity (Triantaphyllou and Sanchez 1997, "A sensitivity analysis approach
for some deterministic multi-criteria decision-making methods", Decision Sciences 28(1) 151-194):
criterion ``j`` gets weight ``t`` in [0, 1] and the other weights keep their proportions,
``w_k(t) = w_k (1 - t) / (1 - w_j)``. The range of ``t`` around the current weight in which the
leader stays the same is found on a grid and refined by bisection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.suppliers.mcda import Method, Normalization, normalise_weights, ranks, scores

BISECTIONS = 20
"""Bisection steps refining a range bound (grid step / 2^20)."""


@dataclass(frozen=True)
class SensitivityResult:
    """Stability of the leader per criterion, and ranks along each weight."""

    table: pd.DataFrame
    """Per criterion: ``criterion``, ``weight`` (current, 0-1), ``lowest_weight`` and ``highest_weight``
    (0-1) between which the leader stays on top, ``room_down`` / ``room_up`` (weight points the weight
    may move), ``leader_below`` / ``leader_above`` (who takes over beyond the range, '' if nobody)."""
    curves: pd.DataFrame
    """Long table ``criterion``, ``weight`` (0-1), ``alternative``, ``score``, ``rank`` (1 = best)."""
    leader: str
    """The top alternative at the current weights."""


def _shifted(w: np.ndarray, j: int, t: float) -> np.ndarray:
    rest = 1.0 - w[j]
    out = w * (1.0 - t) / rest if rest > 1e-12 else np.full_like(w, (1.0 - t) / max(len(w) - 1, 1))
    out[j] = t
    return out


def weight_sensitivity(matrix: npt.ArrayLike, weights: npt.ArrayLike, benefit: Sequence[bool] | npt.ArrayLike,
                       method: Method = "topsis", normalization: Normalization = "vector",
                       alternatives: Sequence[str] | None = None, criteria: Sequence[str] | None = None,
                       steps: int = 21) -> SensitivityResult:
    """Leader stability and rank-against-weight curves for each criterion (see module docstring)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"the decision matrix must be 2-D (alternatives x criteria); got shape {x.shape}")
    w, _ = normalise_weights(weights, x.shape[1])
    if steps < 3:
        raise ValueError(f"steps={steps} is too few; use at least 3 grid points per weight")
    alts = list(alternatives) if alternatives is not None else [str(i) for i in range(x.shape[0])]
    crits = list(criteria) if criteria is not None else [str(j) for j in range(x.shape[1])]
    if len(alts) != x.shape[0] or len(crits) != x.shape[1]:
        raise ValueError(f"{len(alts)} alternative names and {len(crits)} criterion names "
                         f"for a matrix of shape {x.shape}")

    def leader_at(j: int, t: float) -> int:
        return int(np.argmax(scores(x, _shifted(w, j, t), benefit, method, normalization)))

    top = int(np.argmax(scores(x, w, benefit, method, normalization)))
    grid = np.linspace(0.0, 1.0, steps)
    rows: list[dict[str, str | float]] = []
    curves: list[tuple[str, float, str, np.float64, np.intp]] = []  # criterion, weight, alternative, score, rank
    for j, name in enumerate(crits):
        points = np.union1d(grid, [w[j]])
        leaders = {}
        for t in points:
            s = scores(x, _shifted(w, j, t), benefit, method, normalization)
            leaders[float(t)] = int(np.argmax(s))
            curves.extend(zip([name] * len(alts), [float(t)] * len(alts), alts, s, ranks(s)))
        bounds, takers = [], []
        for direction in (-1, 1):
            outward = sorted((t for t in leaders if (t - w[j]) * direction > 0), key=lambda t: abs(t - w[j]))
            inside, bound, taker = float(w[j]), 0.0 if direction < 0 else 1.0, ""
            for t in outward:
                if leaders[t] != top:
                    lo, hi = inside, t
                    for _ in range(BISECTIONS):
                        mid = (lo + hi) / 2
                        lo, hi = (mid, hi) if leader_at(j, mid) == top else (lo, mid)
                    bound, taker = lo, alts[leader_at(j, hi)]
                    break
                inside = t
            bounds.append(bound)
            takers.append(taker)
        rows.append({"criterion": name, "weight": w[j], "lowest_weight": bounds[0], "highest_weight": bounds[1],
                     "room_down": w[j] - bounds[0], "room_up": bounds[1] - w[j],
                     "leader_below": takers[0], "leader_above": takers[1]})
    curve_frame = pd.DataFrame(curves, columns=["criterion", "weight", "alternative", "score", "rank"])
    return SensitivityResult(pd.DataFrame(rows), curve_frame, alts[top])
