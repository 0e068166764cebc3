"""Supplier ranking on scorecard criteria: the criteria, the decision matrix and the ranked table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.suppliers.checks import require_columns
from opscore.suppliers.mcda import METHODS, Method, Normalization, normalise_weights, ranks, scores
from opscore.suppliers.sensitivity import SensitivityResult, weight_sensitivity


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion: the column it reads, its direction and a plain label."""

    column: str
    label: str
    benefit: bool
    """True when more is better."""
    default_weight: float


CRITERIA: tuple[Criterion, ...] = (
    Criterion("otif_rate", "On time in full", True, 0.30),
    Criterion("lead_time_mean_days", "Short lead time", False, 0.10),
    Criterion("lead_time_std_days", "Steady lead time", False, 0.10),
    Criterion("defect_ppm", "Few defects", False, 0.20),
    Criterion("price_index", "Low price", False, 0.20),
    Criterion("eco_score", "Eco score", True, 0.10),
)
"""The default criteria of the supplier page, with default weights summing to one."""


def decision_matrix(kpis: pd.DataFrame, eco: pd.DataFrame | None = None,
                    criteria: Sequence[Criterion] = CRITERIA) -> pd.DataFrame:
    """Suppliers (index) x criterion columns from the KPI table (and the eco table, joined on
    supplier_id). A supplier without a value on a criterion (e.g. nothing received) gets the worst
    value of the others on it; a criterion with no value at all raises ``ValueError``."""
    table = kpis if eco is None else kpis.merge(eco[["supplier_id", "eco_score"]], on="supplier_id", how="left")
    require_columns(table, ["supplier_id", *[c.column for c in criteria]], "the scorecard")
    matrix = table.set_index("supplier_id")[[c.column for c in criteria]].astype(float)
    for c in criteria:
        col = matrix[c.column]
        if col.isna().all():
            raise ValueError(f"no supplier has a value for '{c.label}' ({c.column}); "
                             "drop the criterion or widen the period")
        matrix[c.column] = col.fillna(col.max() if not c.benefit else col.min())
    return matrix


def rank_suppliers(matrix: pd.DataFrame, weights: Mapping[str, float], criteria: Sequence[Criterion] = CRITERIA,
                   method: Method = "topsis", normalization: Normalization = "vector") -> pd.DataFrame:
    """``supplier_id``, ``score`` (0-1, higher is better) and ``rank`` (1 = best), best first.

    ``weights`` by criterion column; weights not summing to one are rescaled (with a WeightNotice).
    """
    missing = [c.column for c in criteria if c.column not in weights]
    if missing:
        raise ValueError(f"no weight given for {', '.join(missing)}; give one weight per criterion")
    w = np.array([weights[c.column] for c in criteria], dtype=float)
    s = scores(matrix[[c.column for c in criteria]].to_numpy(float), w, [c.benefit for c in criteria], method,
               normalization)
    out = pd.DataFrame({"supplier_id": matrix.index, "score": s, "rank": ranks(s)})
    return out.sort_values(["rank", "supplier_id"], ignore_index=True)


def default_weights(criteria: Sequence[Criterion] = CRITERIA) -> dict[str, float]:
    """The criteria's default weights, rescaled to sum to one."""
    w, _ = normalise_weights([c.default_weight for c in criteria])
    return {c.column: float(x) for c, x in zip(criteria, w)}


@dataclass(frozen=True)
class RankingSettings:
    """How the supplier page ranks suppliers: one weight per criterion of :data:`CRITERIA` (in that order, summing
    to one), the method and, for TOPSIS, the scaling."""

    weights: tuple[float, ...] = tuple(default_weights().values())
    """Criterion weights, 0-1, in the order of :data:`CRITERIA` (see :func:`normalise_weights`)."""
    method: Method = "topsis"
    """'topsis' (closeness to the ideal supplier) or 'weighted_sum' (simple additive weighting)."""
    normalization: Normalization = "vector"
    """TOPSIS scaling: 'vector' (Hwang and Yoon) or 'minmax'; the weighted sum always scales min-max."""

    def __post_init__(self) -> None:
        """``ValueError`` for an unknown method or scaling, or weights that are not one per criterion, each 0 or
        more, not all zero."""
        if self.method not in METHODS:
            raise ValueError(f"the ranking method must be one of {', '.join(METHODS)}; got {self.method!r}")
        if self.normalization not in ("vector", "minmax"):
            raise ValueError(f"the scaling must be 'vector' or 'minmax'; got {self.normalization!r}")
        normalise_weights(self.weights, len(CRITERIA))

    @property
    def by_criterion(self) -> dict[str, float]:
        """The weights by criterion column, as :func:`rank_suppliers` takes them."""
        return {c.column: float(w) for c, w in zip(CRITERIA, self.weights)}


def rank_with(matrix: pd.DataFrame, settings: RankingSettings) -> pd.DataFrame:
    """:func:`rank_suppliers` of a :func:`decision_matrix` (on :data:`CRITERIA`) under ``settings``."""
    return rank_suppliers(matrix, settings.by_criterion, method=settings.method, normalization=settings.normalization)


def ranking_sensitivity(matrix: pd.DataFrame, settings: RankingSettings) -> SensitivityResult:
    """How far each weight of ``settings`` can move before another supplier of ``matrix`` (a
    :func:`decision_matrix` on :data:`CRITERIA`) takes the top spot (see :func:`weight_sensitivity`)."""
    return weight_sensitivity(matrix[[c.column for c in CRITERIA]].to_numpy(float), settings.weights,
                              [c.benefit for c in CRITERIA], settings.method, settings.normalization,
                              alternatives=list(matrix.index), criteria=[c.label for c in CRITERIA])
