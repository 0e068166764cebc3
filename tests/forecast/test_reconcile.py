"""Forecast reconciliation: coherence, unbiasedness, closed-form answers, the shrinkage estimator and the
backtest choice of method."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.forecast.reconcile import (
    METHODS,
    TOTAL,
    Hierarchy,
    choose_method,
    hierarchy,
    reconcile,
    shrunk_covariance,
)

RESIDUAL_METHODS = ("wls_var", "mint_shrink")


def one_category() -> Hierarchy:
    """Total T, one category C, SKUs A and B: T = C = A + B."""
    return hierarchy(pd.Series({"A": "C", "B": "C"}))


def textbook_g(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """G = (S' W^-1 S)^-1 S' W^-1 by explicit inverses, as printed in Wickramasuriya et al. (2019)."""
    wi = np.linalg.inv(w)
    return np.linalg.inv(s.T @ wi @ s) @ s.T @ wi


def hts_shrink_estim(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Line-by-line port of R hts:::shrink.estim(x, lowerD(x)); x = T x nodes residuals."""
    n = x.shape[0]
    covm = x.T @ x / n
    sd = np.sqrt(np.diag(covm))
    corm = covm / np.outer(sd, sd)
    xs = x / sd
    v = (1 / (n * (n - 1))) * ((xs**2).T @ (xs**2) - 1 / n * (xs.T @ xs) ** 2)
    np.fill_diagonal(v, 0)
    d = corm**2
    np.fill_diagonal(d, 0)
    lam = max(min(v.sum() / d.sum(), 1), 0)
    tar = np.diag(np.diag(covm))
    return lam * tar + (1 - lam) * covm, lam


@st.composite
def problems(draw: st.DrawFn) -> tuple[Hierarchy, np.ndarray, np.ndarray]:
    """A random hierarchy, base forecasts of every node and residuals (some missing)."""
    n_sku = draw(st.integers(1, 12))
    n_cat = draw(st.integers(1, 4))
    cats = draw(st.lists(st.integers(0, n_cat - 1), min_size=n_sku, max_size=n_sku))
    h = hierarchy(pd.Series([f"cat{c}" for c in cats], index=[f"sku{i}" for i in range(n_sku)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    horizon, periods = draw(st.integers(1, 6)), draw(st.integers(2, 30))
    base = rng.normal(0, 1, (h.n_nodes, horizon)) * 10.0 ** rng.uniform(-1, 4, (h.n_nodes, 1))
    residuals = rng.normal(0, 1, (h.n_nodes, periods)) * 10.0 ** rng.uniform(-1, 3, (h.n_nodes, 1))
    residuals[rng.random(residuals.shape) < draw(st.sampled_from([0.0, 0.2]))] = np.nan
    return h, base, residuals


def assert_coherent(h: Hierarchy, y: np.ndarray) -> None:
    expected = h.summing @ y[h.n_aggregate:]
    np.testing.assert_allclose(y, expected, rtol=1e-9, atol=1e-9 * max(1.0, float(np.abs(y).max())))


# Coherence and unbiasedness ------------------------------------------------------------------------------------------

def test_hierarchy_layout() -> None:
    h = hierarchy(pd.Series({"s2": "Tools", "s1": "Garden", "s3": "Tools"}))
    assert h.labels == (TOTAL, "Garden", "Tools", "s2", "s1", "s3")
    assert h.level == ("total", "category", "category", "sku", "sku", "sku")
    assert (h.n_bottom, h.n_aggregate, h.n_nodes) == (3, 3, 6)
    np.testing.assert_array_equal(h.summing, [[1, 1, 1], [0, 1, 0], [1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(h.aggregate(np.array([1.0, 2.0, 4.0])), [7, 2, 5, 1, 2, 4])


@settings(max_examples=60, deadline=None)
@given(problems(), st.booleans())
def test_every_method_is_coherent(problem: tuple[Hierarchy, np.ndarray, np.ndarray], nonnegative: bool) -> None:
    h, base, residuals = problem
    for method in METHODS:
        out = reconcile(base, h, method, residuals, nonnegative=nonnegative)
        assert out.shape == base.shape
        assert np.isfinite(out).all()
        assert_coherent(h, out)
        if nonnegative:
            assert (out >= 0).all()


@settings(max_examples=60, deadline=None)
@given(problems())
def test_coherent_base_forecasts_come_back_unchanged(problem: tuple[Hierarchy, np.ndarray, np.ndarray]) -> None:
    """G S = I for the projections (the unbiasedness condition S G S = S of Hyndman et al. 2011)."""
    h, base, residuals = problem
    coherent = h.aggregate(base[h.n_aggregate:])
    for method in METHODS:
        out = reconcile(coherent, h, method, residuals, nonnegative=False)
        np.testing.assert_allclose(out, coherent, rtol=1e-9, atol=1e-9 * float(np.abs(coherent).max()))


def test_matches_the_textbook_formula_for_each_weighting() -> None:
    """The constraint form used by reconcile() equals S (S'W^-1 S)^-1 S'W^-1 y for each W."""
    rng = np.random.default_rng(3)
    h = hierarchy(pd.Series(list("XXYYYZ"), index=[f"s{i}" for i in range(6)]))
    s = h.summing
    base = rng.normal(10, 3, (h.n_nodes, 4))
    residuals = rng.normal(size=(h.n_nodes, 30)) + rng.normal(size=(1, 30))  # a common shock: correlated
    shrunk, lam = shrunk_covariance(residuals, h)
    assert 0 < lam < 1
    weights = {"ols": np.eye(h.n_nodes), "wls_struct": np.diag(s.sum(axis=1)), "mint_shrink": shrunk,
               "wls_var": np.diag(np.diag(shrunk))}
    for method, w in weights.items():
        expected = s @ textbook_g(s, w) @ base
        np.testing.assert_allclose(reconcile(base, h, method, residuals, nonnegative=False), expected, atol=1e-10)


def test_ols_closed_form() -> None:
    """OLS, G = (S'S)^-1 S' (Hyndman et al. 2011), on T = C = A + B (one category) worked by hand.

    S = [[1,1],[1,1],[1,0],[0,1]], S'S = [[3,2],[2,3]], (S'S)^-1 = [[3,-2],[-2,3]]/5, S'y = (T+C+A, T+C+B), so
    ỹ_A = (T + C + 3A - 2B)/5 and ỹ_B = (T + C + 3B - 2A)/5; equivalently ỹ_A = A + (d_T + d_C)/5 with
    d_T = T - A - B. (Without the category row, S'S = [[2,1],[1,2]] gives the classic three-node answer
    ỹ_A = A + (T - A - B)/3.) With T = 100, C = 90, A = 50, B = 30: ỹ_A = 280/5 = 56, ỹ_B = 180/5 = 36."""
    h = one_category()
    out = reconcile(np.array([[100.0], [90.0], [50.0], [30.0]]), h, "ols")
    np.testing.assert_allclose(out[:, 0], [92, 92, 56, 36], atol=1e-12)


def test_wls_struct_closed_form() -> None:
    """Structural scaling W = diag(S 1) = diag(2, 2, 1, 1) (Athanasopoulos et al. 2017) on the same hierarchy:
    S'W^-1 S = [[2,1],[1,2]], inverse [[2,-1],[-1,2]]/3, S'W^-1 y = (T/2 + C/2 + A, T/2 + C/2 + B), so
    ỹ_A = (T/2 + C/2 + 2A - B)/3 = (50 + 45 + 100 - 30)/3 = 55 and ỹ_B = (95 + 60 - 50)/3 = 35."""
    out = reconcile(np.array([[100.0], [90.0], [50.0], [30.0]]), one_category(), "wls_struct")
    np.testing.assert_allclose(out[:, 0], [90, 90, 55, 35], atol=1e-12)


def test_bottom_up_and_the_nonnegative_heuristic() -> None:
    h = one_category()
    base = np.array([[100.0], [90.0], [50.0], [-5.0]])
    np.testing.assert_allclose(reconcile(base, h, "bottom_up", nonnegative=False)[:, 0], [45, 45, 50, -5])
    np.testing.assert_allclose(reconcile(base, h, "bottom_up")[:, 0], [50, 50, 50, 0])
    ols = reconcile(np.array([[10.0], [10.0], [40.0], [-20.0]]), h, "ols")
    # Unclipped OLS: A = (10 + 10 + 120 + 40)/5 = 36, B = (10 + 10 - 60 - 80)/5 = -24 -> B set to 0, totals re-summed.
    np.testing.assert_allclose(ols[:, 0], [36, 36, 36, 0], atol=1e-12)


# The shrinkage estimator ---------------------------------------------------------------------------------------------

def test_shrinkage_intensity_by_hand() -> None:
    """Two nodes, T = 6: e1 = 2 x (1,1,1,1,1,1), e2 = 3 x (1,1,1,1,1,-1).

    Mean-zero (hts) covariance: s11 = 4, s22 = 9, s12 = (5 x 6 - 6)/6 = 4. Standardised x1 = (1,...,1),
    x2 = (1,1,1,1,1,-1); w_t = x1 x2 = x2, mean r12 = 4/6 = 2/3. Var(r12) = (sum w² - (sum w)²/T) / (T (T-1))
    = (6 - 16/6) / 30 = 1/9. lambda = (2 x 1/9) / (2 x (2/3)²) = (2/9) / (8/9) = 1/4, so
    W = [[4, 0.75 x 4], [3, 9]] = [[4, 3], [3, 9]]."""
    e = np.array([[2.0] * 6, [3, 3, 3, 3, 3, -3.0]])
    w, lam = shrunk_covariance(e)
    assert lam == pytest.approx(0.25, abs=1e-12)
    np.testing.assert_allclose(w, [[4, 3], [3, 9]], atol=1e-12)


@pytest.mark.parametrize(("periods", "nodes"), [(10, 4), (30, 50), (8, 100)])
def test_shrinkage_matches_the_hts_estimator(periods: int, nodes: int) -> None:
    rng = np.random.default_rng(periods + nodes)
    x = rng.normal(size=(periods, nodes)) @ rng.normal(size=(nodes, nodes)) * 0.3 + rng.normal(size=(periods, nodes))
    expected_w, expected_lam = hts_shrink_estim(x)
    w, lam = shrunk_covariance(x.T)
    assert lam == pytest.approx(expected_lam, abs=1e-12)
    np.testing.assert_allclose(w, expected_w, rtol=1e-10, atol=1e-12)


def test_missing_residuals() -> None:
    """NaN counts 0 in cross-products; each node is divided by its own count: s_ij = sum e_i e_j / sqrt(T_i T_j)."""
    e = np.array([[1.0, 2.0, 3.0, np.nan], [2.0, -1.0, 1.0, 2.0]])
    w, _ = shrunk_covariance(e)
    assert w[0, 0] == pytest.approx(14 / 3) and w[1, 1] == pytest.approx(10 / 4)
    rng = np.random.default_rng(5)
    full = rng.normal(size=(6, 20)) + rng.normal(size=(1, 20))
    padded = np.hstack([full, np.full((6, 3), np.nan)])  # periods where nothing was observed change nothing
    np.testing.assert_allclose(shrunk_covariance(padded)[0], shrunk_covariance(full)[0], atol=1e-12)
    gappy = full.copy()
    gappy[rng.random(gappy.shape) < 0.3] = np.nan
    assert np.linalg.eigvalsh(shrunk_covariance(gappy)[0]).min() > -1e-12  # positive semi-definite


def test_node_without_residuals_gets_its_level_mean_variance() -> None:
    h = hierarchy(pd.Series({"a": "C", "b": "C", "c": "C"}))
    e = np.array([[3.0, -3], [1, -1], [1, 1], [2, 2], [np.nan, np.nan]])  # SKU c: launched after the residuals
    w, _ = shrunk_covariance(e, h)
    assert w[4, 4] == pytest.approx((1 + 4) / 2)
    np.testing.assert_array_equal(w[4, :4], 0)


def test_degenerate_residuals_fall_back_with_a_ridge() -> None:
    h = hierarchy(pd.Series(list("XXYY"), index=list("abcd")))
    base = np.random.default_rng(2).normal(20, 5, (h.n_nodes, 3))
    zero = reconcile(base, h, "mint_shrink", np.zeros((h.n_nodes, 5)), nonnegative=False)
    np.testing.assert_allclose(zero, reconcile(base, h, "ols", nonnegative=False), atol=1e-9)  # W = 0 + ridge I
    short = reconcile(base, h, "mint_shrink", np.random.default_rng(4).normal(size=(h.n_nodes, 2)))
    assert np.isfinite(short).all()
    assert_coherent(h, short)


# Bad input -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("mapping", "message"), [
    (pd.Series({"a": "X", "b": "Y"}).rename(index={"b": "a"}), "SKU listed more than once.*'a'"),
    (pd.Series([], dtype=object), "mapping is empty"),
    (pd.Series({"a": "X", "b": None, "c": " "}), "2 SKU\\(s\\) have no category: 'b', 'c'"),
    (pd.Series({"a": "a"}), "unique across levels.*'a'"),
    (pd.Series({"a": TOTAL}), "unique across levels"),
])
def test_bad_hierarchies(mapping: pd.Series, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hierarchy(mapping)


def test_bad_reconcile_input() -> None:
    h = one_category()
    with pytest.raises(ValueError, match="4 rows .*1 total \\+ 1 categories \\+ 2 SKUs.*\\(3, 2\\)"):
        reconcile(np.ones((3, 2)), h, "ols")
    with pytest.raises(ValueError, match="Unknown reconciliation method 'mint'; choose one of bottom_up"):
        reconcile(np.ones((4, 2)), h, "mint")
    with pytest.raises(ValueError, match="'mint_shrink' needs the residuals"):
        reconcile(np.ones((4, 2)), h, "mint_shrink")
    with pytest.raises(ValueError, match="one row per node \\(4"):
        reconcile(np.ones((4, 2)), h, "wls_var", np.ones((3, 10)))
    with pytest.raises(ValueError, match="at least 2 observed periods"):
        reconcile(np.ones((4, 2)), h, "mint_shrink", np.full((4, 10), np.nan))
    base = np.ones((4, 2))
    base[2, 1] = np.nan
    with pytest.raises(ValueError, match="missing .* for 1 node\\(s\\): 'A'"):
        reconcile(base, h, "bottom_up")


def test_bad_choose_method_input() -> None:
    h = one_category()
    base, scale = [np.ones((4, 3))] * 2, np.ones(4)
    with pytest.raises(ValueError, match="2 origins of base forecasts, 1 of actuals"):
        choose_method([np.ones((4, 3))], base, h, np.ones((4, 5)), scale)
    with pytest.raises(ValueError, match="Origin 1: actuals have shape \\(4, 2\\)"):
        choose_method([np.ones((4, 3)), np.ones((4, 2))], base, h, np.ones((4, 5)), scale)
    with pytest.raises(ValueError, match="one value per node"):
        choose_method(base, base, h, np.ones((4, 5)), np.ones(3))
    with pytest.raises(ValueError, match="Unknown reconciliation method\\(s\\) 'best'"):
        choose_method(base, base, h, np.ones((4, 5)), scale, methods=("bottom_up", "best"))


# Choosing the method by backtest -------------------------------------------------------------------------------------

def backtest_case(seed: int, upper_good: bool, overfit: bool = False) -> tuple[list[np.ndarray], list[np.ndarray],
                                                                             Hierarchy, np.ndarray, np.ndarray]:
    """24 SKUs in 3 categories, 40 periods of residuals, 4 origins x 6 periods. upper_good: SKU forecasts are
    noisy (sd 8 on levels 10-40), totals nearly exact (sd 1). Otherwise SKU forecasts are good (sd 1) and the
    upper forecasts pure noise (uniform 0-2 x the level, unrelated to what happens); with ``overfit`` the
    residuals still show them as good (sd 1), as in-sample residuals of an overfitted model would."""
    rng = np.random.default_rng(seed)
    h = hierarchy(pd.Series([f"C{i % 3}" for i in range(24)], index=[f"S{i:02d}" for i in range(24)]))
    k = h.n_aggregate
    level = rng.uniform(10, 40, h.n_bottom)

    def truth(n: int) -> np.ndarray:
        return h.aggregate(level[:, None] + rng.normal(0, 4, (h.n_bottom, n)))

    def forecast(y: np.ndarray, insample: bool = False) -> np.ndarray:
        f = y.copy()
        if upper_good:
            f[k:] += rng.normal(0, 8, f[k:].shape)
            f[:k] += rng.normal(0, 1, f[:k].shape)
        else:
            f[k:] += rng.normal(0, 1, f[k:].shape)
            noise = rng.uniform(0, 2, f[:k].shape) * y[:k].mean(axis=1, keepdims=True)
            f[:k] = f[:k] + rng.normal(0, 1, f[:k].shape) if insample and overfit else noise
        return f

    history = truth(40)
    residuals = forecast(history, insample=True) - history
    scale = np.sqrt(np.mean(np.diff(history, axis=1) ** 2, axis=1))
    actual = [truth(6) for _ in range(4)]
    return actual, [forecast(a) for a in actual], h, residuals, scale


def test_choose_bottom_up_when_upper_forecasts_are_noise() -> None:
    best, scores = choose_method(*backtest_case(1, upper_good=False))
    assert best == "bottom_up"
    assert scores["mint_shrink"] == pytest.approx(scores["bottom_up"], rel=0.02)  # MinT all but ignores them


def test_choose_bottom_up_when_residuals_flatter_the_upper_forecasts() -> None:
    best, scores = choose_method(*backtest_case(1, upper_good=False, overfit=True), margin=0.0)
    assert best == "bottom_up"
    assert scores["mint_shrink"] > 5 * scores["bottom_up"]


def test_choose_mint_when_upper_forecasts_are_better() -> None:
    best, scores = choose_method(*backtest_case(1, upper_good=True), methods=METHODS)
    assert best != "bottom_up"
    assert scores["mint_shrink"] < 0.5 * scores["bottom_up"]
    assert best == min(scores, key=lambda m: scores[m])


def test_ties_go_to_bottom_up_and_residuals_may_come_per_origin() -> None:
    actual, base, h, residuals, scale = backtest_case(2, upper_good=True)
    coherent = [h.aggregate(b[h.n_aggregate:]) for b in base]  # every method returns these unchanged
    per_origin = [residuals[:, : 40 - 5 * i] for i in range(4)]
    best, scores = choose_method(actual, coherent, h, per_origin, scale, methods=("mint_shrink", "bottom_up"),
                                 margin=0.0)
    assert best == "bottom_up"
    assert scores["mint_shrink"] == pytest.approx(scores["bottom_up"], rel=1e-12)
