"""Forecast reconciliation: make the category and total forecasts equal the sum of their SKUs.

Base forecasts are made separately for every node of a three-level hierarchy (total, categories, SKUs) and
rarely add up. A reconciled forecast is ỹ = S G ŷ: G turns the base forecasts ŷ of all nodes into SKU
forecasts and the summing matrix S adds those back up, so every view shows the same ("coherent") numbers.
With G = (S' W⁻¹ S)⁻¹ S' W⁻¹ this is the generalised least-squares projection for the error covariance W.

Sources: OLS, W = I — Hyndman, Ahmed, Athanasopoulos & Shang (2011); structural scaling, W = diag(S 1) —
Athanasopoulos, Hyndman, Kourentzes & Petropoulos (2017); variance scaling and MinT with the shrinkage
covariance — Wickramasuriya, Athanasopoulos & Hyndman (2019, JASA), shrinkage intensity of Schäfer & Strimmer
(2005) as in R ``hts::MinT(covariance = "shr")``; overview in FPP3 (Hyndman & Athanasopoulos 2021) §11.3.
Method choice is scored by RMSSE (M5 Competitors' Guide, Makridakis et al. 2022).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg

FloatArray = npt.NDArray[np.float64]

TOTAL = "All products"
"""Label of the top node."""
LEVELS = ("total", "category", "sku")
METHODS = ("bottom_up", "ols", "wls_struct", "wls_var", "mint_shrink")
"""Reconciliation methods, simplest first."""
NEEDS_RESIDUALS = ("wls_var", "mint_shrink")
RIDGE = 1e-8
"""Relative ridge added to W's diagonal when U'WU is (near-)singular (condition number above 1e10)."""


@dataclass(frozen=True)
class Hierarchy:
    """Total, categories and SKUs, in the row order of every forecast array passed to :func:`reconcile`."""

    labels: tuple[str, ...]
    """Node names, top-down: 'All products', the categories (sorted), then the SKUs (in the given order)."""
    level: tuple[str, ...]
    """'total', 'category' or 'sku' for each node."""
    category_of: tuple[int, ...]
    """For each SKU, the position of its category among the categories (0 = first category)."""

    @property
    def n_bottom(self) -> int:
        """Number of SKUs (bottom-level series)."""
        return len(self.category_of)

    @property
    def n_nodes(self) -> int:
        """Number of nodes: 1 + categories + SKUs."""
        return len(self.labels)

    @property
    def n_aggregate(self) -> int:
        """Number of upper nodes (total and categories): the SKU rows start here."""
        return self.n_nodes - self.n_bottom

    @cached_property
    def aggregation(self) -> FloatArray:
        """Upper rows of S (n_aggregate x n_bottom, 0/1): row 0 sums every SKU, row 1 + c those of category c."""
        a = np.zeros((self.n_aggregate, self.n_bottom))
        a[0] = 1.0
        a[1 + np.asarray(self.category_of, dtype=np.intp), np.arange(self.n_bottom)] = 1.0
        return a

    @property
    def summing(self) -> FloatArray:
        """Summing matrix S = [A; I] (n_nodes x n_bottom, 0/1 floats): every node = S @ SKU values.
        Dense, about 200 MB at 5,000 SKUs: :func:`reconcile` never builds it (see :meth:`aggregate`)."""
        return np.vstack([self.aggregation, np.eye(self.n_bottom)])

    def aggregate(self, bottom: np.ndarray) -> FloatArray:
        """S @ bottom without forming S: SKU values (n_bottom, or n_bottom x horizon) -> every node."""
        b = np.asarray(bottom, dtype=np.float64)
        if b.shape[:1] != (self.n_bottom,):
            raise ValueError(f"Expected {self.n_bottom} SKU rows to aggregate, got an array of shape {b.shape}.")
        out: FloatArray = np.concatenate([self.aggregation @ b, b])
        return out


def _show(items: Sequence[object], most: int = 5) -> str:
    shown = ", ".join(repr(i) for i in list(items)[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def hierarchy(categories: pd.Series) -> Hierarchy:
    """Hierarchy from a SKU -> category mapping (index: SKU, values: category name). Refuses an empty mapping,
    a SKU listed twice, a SKU without a category and labels that clash across levels."""
    if len(categories) == 0:
        raise ValueError("The SKU -> category mapping is empty: there is nothing to reconcile.")
    skus = pd.Index([str(s) for s in categories.index])
    if skus.has_duplicates:
        dup = list(skus[skus.duplicated()].unique())
        raise ValueError(f"SKU listed more than once in the category mapping: {_show(dup)}. "
                         "Each SKU must belong to exactly one category.")
    missing = categories.isna().to_numpy() | (categories.astype(str).str.strip() == "").to_numpy()
    if missing.any():
        raise ValueError(f"{int(missing.sum())} SKU(s) have no category: {_show(list(skus[missing]))}. "
                         "Give every SKU a category (e.g. 'Uncategorised').")
    names = [str(c) for c in categories]
    cats = sorted(set(names))
    clash = sorted(({TOTAL} & (set(cats) | set(skus))) | (set(cats) & set(skus)))
    if clash:
        raise ValueError(f"Node names must be unique across levels; used twice: {_show(clash)} "
                         f"('{TOTAL}' is the total, categories and SKUs must not share a name).")
    position = {c: i for i, c in enumerate(cats)}
    return Hierarchy(labels=(TOTAL, *cats, *skus),
                     level=("total",) + ("category",) * len(cats) + ("sku",) * len(skus),
                     category_of=tuple(position[c] for c in names))


@dataclass(frozen=True)
class _LowRankPlusDiagonal:
    """W = weight * F'F + diag(diagonal), kept in this form so the n_nodes x n_nodes matrix is never built."""

    factor: FloatArray | None
    """F (T x n_nodes), or None for a diagonal W."""
    weight: float
    diagonal: FloatArray

    def matmul(self, u: FloatArray) -> FloatArray:
        out: FloatArray = self.diagonal[:, None] * u
        if self.factor is not None:
            out = out + self.weight * (self.factor.T @ (self.factor @ u))
        return out

    def diag(self) -> FloatArray:
        if self.factor is None:
            return self.diagonal
        d: FloatArray = self.diagonal + self.weight * np.einsum("ti,ti->i", self.factor, self.factor)
        return d

    def dense(self) -> FloatArray:
        w: FloatArray = np.diag(self.diagonal)
        if self.factor is not None:
            w = w + self.weight * (self.factor.T @ self.factor)
        return w


def _frobenius2(y: FloatArray) -> float:
    """||Y'Y||_F² through the smaller of the two Gram matrices Y'Y and YY' (same non-zero eigenvalues)."""
    g = y @ y.T if y.shape[0] <= y.shape[1] else y.T @ y
    return float(np.einsum("ij,ij->", g, g))


def _shrunk(residuals: np.ndarray, level: Sequence[str] | None) -> tuple[_LowRankPlusDiagonal, float]:
    """Schäfer-Strimmer shrunk covariance of residuals (n_nodes x T) towards its diagonal, as low rank plus
    diagonal, and the shrinkage intensity lambda. See :func:`shrunk_covariance` for the conventions."""
    r = np.asarray(residuals, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"residuals must be a 2-D array (nodes x periods), got shape {r.shape}.")
    seen = np.isfinite(r)
    count = seen.sum(axis=1).astype(np.float64)
    r0 = np.where(seen, r, 0.0)
    usable = count >= 2
    if not usable.any():
        raise ValueError("residuals need at least 2 observed periods for some node; all are missing or too short.")
    var = np.divide((r0**2).sum(axis=1), count, out=np.zeros(len(r0)), where=usable)
    sd = np.sqrt(var)
    good = usable & (sd > 0)
    c = np.where(good, count, 1.0)
    x = np.where(good, r0.T / np.where(good, sd, 1.0), 0.0)  # T x n standardised, 0 where missing
    # Sum over i != j of Var(r_ij) = 1/(T(T-1)) sum_t (w_tij - mean w)^2 with w_tij = x_ti x_tj (hts form),
    # written as (all pairs - diagonal) so that it costs O(n T^2), never O(n^2 T); T -> sqrt(T_i T_j) with gaps.
    a = np.where(good, 1 / np.sqrt(c * np.maximum(c - 1, 1)), 0.0)
    b = a / np.sqrt(c)
    x2 = x**2
    sum_w2 = float(np.sum((x2 @ a) ** 2) - np.sum(x2**2 @ a**2))
    y = x * np.sqrt(b)
    sum_wbar2 = _frobenius2(y) - float(np.sum(((y**2).sum(axis=0)) ** 2))
    z = x / np.sqrt(c)
    sum_corr2 = _frobenius2(z) - float(np.sum(((z**2).sum(axis=0)) ** 2))
    numerator = max(sum_w2 - sum_wbar2, 0.0)
    lam = 1.0 if sum_corr2 <= 1e-12 * max(1.0, float(good.sum())) else min(max(numerator / sum_corr2, 0.0), 1.0)
    # Nodes with fewer than two residuals: variance = mean of their level's usable nodes, no correlations.
    if not usable.all():
        levels = np.asarray(level if level is not None else ["all"] * len(r0))
        for lv in np.unique(levels[~usable]):
            pool = usable & (levels == lv)
            var[(levels == lv) & ~usable] = var[pool].mean() if pool.any() else var[usable].mean()
    factor = np.where(good, r0.T / np.sqrt(c), 0.0)  # Sigma_ij = sum_t r_ti r_tj / sqrt(T_i T_j)
    diagonal = np.where(good, lam * var, var)
    return _LowRankPlusDiagonal(factor, 1.0 - lam, diagonal), lam


def shrunk_covariance(residuals: np.ndarray, h: Hierarchy | None = None) -> tuple[FloatArray, float]:
    """Shrunk covariance W (n_nodes x n_nodes, squared demand units) of the residuals (n_nodes x T) and the
    shrinkage intensity lambda (0-1): W_ii = s_ii, W_ij = (1 - lambda) s_ij (Schäfer & Strimmer 2005, target D).

    Conventions follow R ``hts`` (shrink.estim, used by MinT): residuals are taken as mean zero (not centred),
    s_ij = sum_t e_ti e_tj / T; lambda = sum_{i≠j} Var(r_ij) / sum_{i≠j} r_ij² on the standardised residuals,
    clipped to [0, 1]. Missing values (NaN) are neither dropped by period nor handled pairwise: they count as 0
    in the cross-products and each node is divided by its own number of observed periods,
    s_ij = sum_t e_ti e_tj / sqrt(T_i T_j). Without gaps this is the usual estimate; with gaps off-diagonal terms
    are damped towards the diagonal target and, unlike pairwise estimates, W stays positive semi-definite.
    Nodes with fewer than two residuals get the mean variance of their level (needs ``h``; else of all nodes).
    Dense n_nodes² output, for inspection and small hierarchies: :func:`reconcile` never forms it."""
    w, lam = _shrunk(residuals, h.level if h is not None else None)
    return w.dense(), lam


def _weights(h: Hierarchy, method: str, residuals: np.ndarray | None) -> _LowRankPlusDiagonal:
    if method == "ols":
        return _LowRankPlusDiagonal(None, 0.0, np.ones(h.n_nodes))
    if method == "wls_struct":
        return _LowRankPlusDiagonal(None, 0.0, h.aggregate(np.ones(h.n_bottom)))
    if residuals is None:
        raise ValueError(f"Method {method!r} needs the residuals (nodes x periods) of the base forecasts.")
    r = np.asarray(residuals, dtype=np.float64)
    if r.ndim != 2 or r.shape[0] != h.n_nodes:
        raise ValueError(f"residuals must have one row per node ({h.n_nodes} = 1 total + "
                         f"{h.n_aggregate - 1} categories + {h.n_bottom} SKUs), got shape {r.shape}.")
    w, _ = _shrunk(r, h.level)
    return w if method == "mint_shrink" else _LowRankPlusDiagonal(None, 0.0, w.diag())


def _projector(h: Hierarchy, method: str, residuals: np.ndarray | None) -> Callable[[FloatArray], FloatArray]:
    """Map base forecasts (n_nodes x H) to reconciled SKU forecasts (n_bottom x H) for one method.

    Uses the constraint form of the same projection (as in Wickramasuriya et al. 2019): with U' = [I_k, -A] the
    k = n_aggregate coherence constraints, ỹ = ŷ - W U (U' W U)⁻¹ U' ŷ = S G ŷ whenever W is invertible, but only
    the k x k matrix U'WU is factorised; W is neither inverted nor formed."""
    if method not in METHODS:
        raise ValueError(f"Unknown reconciliation method {method!r}; choose one of {', '.join(METHODS)}.")
    k = h.n_aggregate
    if method == "bottom_up":
        return lambda y: y[k:]
    w = _weights(h, method, residuals)
    u = np.vstack([np.eye(k), -h.aggregation.T])
    wu = w.matmul(u)
    m = u.T @ wu
    m = (m + m.T) / 2
    eig = np.linalg.eigvalsh(m)
    if eig[-1] <= 0 or eig[0] <= 1e-10 * eig[-1]:
        scale = float(np.mean(w.diag()))
        delta = RIDGE * (scale if scale > 0 else 1.0)
        wu = wu + delta * u
        m = m + delta * (u.T @ u)
    chol = linalg.cho_factor(m)
    wu_bottom = wu[k:]

    def bottom(y: FloatArray) -> FloatArray:
        gap = y[:k] - h.aggregation @ y[k:]
        out: FloatArray = y[k:] - wu_bottom @ linalg.cho_solve(chol, gap)
        return out

    return bottom


def _check_base(base: np.ndarray, h: Hierarchy) -> FloatArray:
    y = np.asarray(base, dtype=np.float64)
    if y.ndim != 2 or y.shape[0] != h.n_nodes:
        raise ValueError(f"Base forecasts must be nodes x horizon with {h.n_nodes} rows (1 total + "
                         f"{h.n_aggregate - 1} categories + {h.n_bottom} SKUs), got shape {y.shape}.")
    bad = ~np.isfinite(y).all(axis=1)
    if bad.any():
        raise ValueError(f"Base forecasts are missing (NaN or infinite) for {int(bad.sum())} node(s): "
                         f"{_show([h.labels[i] for i in np.flatnonzero(bad)])}.")
    return y


def reconcile(base: np.ndarray, h: Hierarchy, method: str, residuals: np.ndarray | None = None,
              nonnegative: bool = True) -> FloatArray:
    """Coherent forecasts (n_nodes x horizon, demand units) from base forecasts of every node (same shape, rows
    in ``h.labels`` order): every total and category row equals the sum of its SKU rows.

    Methods: 'bottom_up' (sum the SKU forecasts); 'ols', W = I; 'wls_struct', W = diag(S 1); 'wls_var',
    W = diag of the residual variances; 'mint_shrink', W = shrunk residual covariance
    (:func:`shrunk_covariance`). The last two need ``residuals`` (n_nodes x T one-step or backtest errors,
    NaN allowed). When U'WU is singular or near-singular (condition number above 1e10; e.g. fewer residual periods
    than categories and lambda = 0) a ridge of 1e-8 x mean(diag W) is added to W's diagonal.
    Cost O(n T² + n k H) for n nodes, k upper nodes: 5,000 SKUs reconcile in milliseconds.

    ``nonnegative``: negative reconciled SKU values are set to 0 and the upper levels re-summed — the simple
    set-negative-to-zero heuristic, not the exact non-negative MinT of Wickramasuriya, Turlach &
    Hyndman (2020); it keeps coherence but not the projection's unbiasedness."""
    y = _check_base(base, h)
    bottom = _projector(h, method, residuals)(y)
    if nonnegative:
        bottom = np.maximum(bottom, 0.0)
    return h.aggregate(bottom)


def _rmsse_by_level(actual: FloatArray, forecast: FloatArray, scale: FloatArray, h: Hierarchy) -> float:
    """Mean of the three level means of per-node RMSSE = RMS(actual - forecast) / scale; NaN actuals and nodes
    with a zero or missing scale are left out."""
    err2 = (actual - forecast) ** 2
    seen = np.isfinite(err2)
    n = seen.sum(axis=1)
    mse = np.divide(np.where(seen, err2, 0.0).sum(axis=1), n, out=np.full(len(n), np.nan), where=n > 0)
    ok = np.isfinite(scale) & (scale > 0) & np.isfinite(mse)
    rmsse = np.where(ok, np.sqrt(np.where(ok, mse, 0.0)) / np.where(ok, scale, 1.0), np.nan)
    levels = np.asarray(h.level)
    means = [float(np.mean(v[np.isfinite(v)])) for lv in LEVELS if np.isfinite(v := rmsse[levels == lv]).any()]
    return float(np.mean(means)) if means else np.nan


def choose_method(actual: np.ndarray | Sequence[np.ndarray], backtest_base: Sequence[np.ndarray], h: Hierarchy,
                  residuals: np.ndarray | Sequence[np.ndarray], scale: np.ndarray,
                  methods: Sequence[str] = ("bottom_up", "mint_shrink"), nonnegative: bool = True,
                  margin: float = 0.02) -> tuple[str, dict[str, float]]:
    """Pick the reconciliation method with the lowest backtest error; returns it and every method's score.

    ``backtest_base``: base forecasts at each backtest origin (n_nodes x H each); ``actual``: what happened
    (same shapes, NaN = not observed). ``residuals``: one n_nodes x T array for every origin, or one per origin
    (better: only errors known at that origin, so the weights do not peek at the test periods).
    ``scale``: per node, the RMS of its one-step naive changes (demand units), so errors become RMSSE.
    Score = mean over origins of the equal-weight mean of the three level means of RMSSE (total, category mean,
    SKU mean), so 5,000 SKUs do not drown the total. Ties go to 'bottom_up', the simplest: another method wins
    only with a score at least ``margin`` (relative, default 2 %) below bottom-up's — when the upper-level
    forecasts carry no information MinT nearly ignores them, and which of the two scores lower is then chance."""
    if not methods:
        raise ValueError("No reconciliation methods to choose from.")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"Unknown reconciliation method(s) {_show(unknown)}; choose from {', '.join(METHODS)}.")
    bases = [_check_base(b, h) for b in backtest_base]
    actuals = [np.asarray(a, dtype=np.float64) for a in actual]
    if not bases or len(actuals) != len(bases):
        raise ValueError(f"Need the actuals of every backtest origin: {len(bases)} origins of base forecasts, "
                         f"{len(actuals)} of actuals.")
    for o, (a, b) in enumerate(zip(actuals, bases, strict=True)):
        if a.shape != b.shape:
            raise ValueError(f"Origin {o}: actuals have shape {a.shape}, base forecasts {b.shape}.")
    s = np.asarray(scale, dtype=np.float64)
    if s.shape != (h.n_nodes,):
        raise ValueError(f"scale must hold one value per node ({h.n_nodes}), got shape {s.shape}.")
    shared = isinstance(residuals, np.ndarray) and residuals.ndim == 2
    per_origin = [np.asarray(residuals)] * len(bases) if shared else [np.asarray(r) for r in residuals]
    if len(per_origin) != len(bases):
        raise ValueError(f"Give one residual array for all origins or one per origin ({len(bases)}), "
                         f"got {len(per_origin)}.")
    scores: dict[str, float] = {}
    for method in methods:
        if shared or method not in NEEDS_RESIDUALS:  # one set of weights serves every origin
            projectors = [_projector(h, method, per_origin[0])] * len(bases)
        else:
            projectors = [_projector(h, method, r) for r in per_origin]
        by_origin = []
        for project, a, b in zip(projectors, actuals, bases, strict=True):
            bottom = project(b)
            fitted = h.aggregate(np.maximum(bottom, 0.0) if nonnegative else bottom)
            by_origin.append(_rmsse_by_level(a, fitted, s, h))
        finite = [v for v in by_origin if np.isfinite(v)]
        scores[method] = float(np.mean(finite)) if finite else np.nan
    ranked = {m: (v if np.isfinite(v) else np.inf) for m, v in scores.items()}
    best = min(ranked, key=lambda m: ranked[m])
    if "bottom_up" in ranked and ranked[best] >= ranked["bottom_up"] * (1 - margin) - 1e-12:
        best = "bottom_up"
    return best, scores
