"""TOPSIS, weighted sum, AHP and weight sensitivity against published worked examples and hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.suppliers import (
    CRITERIA,
    RankingSettings,
    WeightNotice,
    ahp_weights,
    decision_matrix,
    default_weights,
    normalise_weights,
    rank_suppliers,
    rank_with,
    ranking_sensitivity,
    topsis,
    weight_sensitivity,
    weighted_sum,
)
from opscore.suppliers.ahp import check_pairwise, pairwise_from_upper, pairwise_from_weights, upper_judgments

# Hwang and Yoon (1981), Multiple Attribute Decision Making, Springer LNEMS 186: the fighter-aircraft
# example (4 aircraft; max speed, ferry range, max payload, acquisition cost, reliability,
# manoeuvrability; cost is the only cost criterion), weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3).
FIGHTERS = np.array([[2.0, 1500, 20000, 5.5, 5, 9],
                     [2.5, 2700, 18000, 6.5, 3, 5],
                     [1.8, 2000, 21000, 4.5, 7, 7],
                     [2.2, 1800, 20000, 5.0, 5, 5]])
FIGHTER_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
FIGHTER_BENEFIT = [True, True, True, False, True, True]

# Saaty (1980), The Analytic Hierarchy Process, section 2-3 "Illumination intensity and the inverse
# square law" (first in Saaty 1977, J. Math. Psychology 15, 234-281): relative brightness of four chairs
# set at increasing distances from a light; published eigenvector 0.61, 0.24, 0.10, 0.05,
# lambda_max = 4.39, C.I. = 0.13, C.R. = 0.14.
LIGHT = np.array([[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]])


def test_topsis_fighter_aircraft_example_hwang_yoon_1981():
    """Hwang and Yoon (1981) fighter example: relative closeness 0.643, 0.268, 0.614, 0.312 -> A1 > A3 > A4 > A2."""
    c = topsis(FIGHTERS, FIGHTER_WEIGHTS, FIGHTER_BENEFIT, normalization="vector")
    assert c == pytest.approx([0.643, 0.268, 0.614, 0.312], abs=5e-4)
    assert list(np.argsort(-c)) == [0, 2, 3, 1]


def test_topsis_minmax_gives_ideal_one_and_anti_ideal_zero():
    """With max-min scaling an alternative best on every criterion is the ideal (closeness 1) and one worst
    on every criterion is the anti-ideal (closeness 0), whatever the weights (Hwang and Yoon 1981, step 6)."""
    x = np.array([[10.0, 1.0], [5.0, 3.0], [0.0, 5.0]])  # criterion 2 is a cost
    c = topsis(x, [0.7, 0.3], [True, False], normalization="minmax")
    assert c[0] == pytest.approx(1.0) and c[2] == pytest.approx(0.0)
    assert c[1] == pytest.approx(0.5)


def test_weighted_sum_by_hand():
    """Weighted sum on max-min scaled criteria: [[10, 1], [5, 3], [0, 5]] (cost 2nd), w = (0.7, 0.3):
    scaled rows (1, 1), (0.5, 0.5), (0, 0) -> scores 1.0, 0.5, 0.0."""
    s = weighted_sum([[10, 1], [5, 3], [0, 5]], [0.7, 0.3], [True, False])
    assert s == pytest.approx([1.0, 0.5, 0.0])


def test_weights_not_summing_to_one_are_normalised_with_a_notice():
    """Weights 2, 1, 1, 1, 2, 3 (sum 10) give the same closeness as 0.2, 0.1, ... and a WeightNotice saying so."""
    with pytest.warns(WeightNotice, match="scaled"):
        c = topsis(FIGHTERS, [2, 1, 1, 1, 2, 3], FIGHTER_BENEFIT)
    assert c == pytest.approx(topsis(FIGHTERS, FIGHTER_WEIGHTS, FIGHTER_BENEFIT))
    w, notice = normalise_weights([1, 1, 2])
    assert w == pytest.approx([0.25, 0.25, 0.5]) and "4" in notice
    assert normalise_weights([0.5, 0.5])[1] is None


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": [0.5, 0.5]}, "6 criteria"),
    ({"weights": [-0.2, 0.3, 0.3, 0.2, 0.2, 0.2]}, "negative"),
    ({"weights": [0, 0, 0, 0, 0, 0]}, "zero"),
    ({"benefit": [True, False]}, "benefit"),
    ({"normalization": "sum"}, "normalization"),
])
def test_topsis_bad_input(kwargs, message):
    """Wrong weight counts, negative or all-zero weights, a short benefit list and an unknown normalisation are
    refused."""
    args = {"matrix": FIGHTERS, "weights": FIGHTER_WEIGHTS, "benefit": FIGHTER_BENEFIT} | kwargs
    with pytest.raises(ValueError, match=message):
        topsis(**args)


def test_topsis_refuses_missing_values():
    """A NaN in the decision matrix is refused, naming its row and criterion."""
    x = FIGHTERS.copy()
    x[1, 2] = np.nan
    with pytest.raises(ValueError, match="row 1, criterion 2"):
        topsis(x, FIGHTER_WEIGHTS, FIGHTER_BENEFIT)


def test_ahp_light_intensity_example_saaty_1980():
    """Saaty (1980) illumination example: weights 0.61, 0.24, 0.10, 0.05 (+-0.01), lambda_max 4.39, CI 0.13,
    CR 0.14 > 0.1, so it is reported as inconsistent with the pair to revise."""
    r = ahp_weights(LIGHT)
    assert r.weights == pytest.approx([0.61, 0.24, 0.10, 0.05], abs=0.01)
    assert r.lambda_max == pytest.approx(4.39, abs=0.005)
    assert r.consistency_index == pytest.approx(0.13, abs=0.005)
    assert r.consistency_ratio == pytest.approx(0.14, abs=0.005)
    assert not r.is_consistent
    assert r.worst_pair is not None and "inconsistent" in r.message
    i, j = (int(v) for v in r.worst_pair)
    assert r.worst_pair_suggestion == pytest.approx(r.weights[i] / r.weights[j])


def test_ahp_consistent_matrix_recovers_weights_exactly():
    """For a_ij = w_i / w_j the principal eigenvector is w and lambda_max = n (Saaty 1980, theorem on consistent
    matrices)."""
    w = np.array([0.5, 0.25, 0.15, 0.1])
    r = ahp_weights(pd.DataFrame(w[:, None] / w[None, :], index=list("abcd"), columns=list("abcd")))
    assert r.weights == pytest.approx(w)
    assert r.lambda_max == pytest.approx(4.0)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9) and r.is_consistent and r.worst_pair is None
    assert r.labels == ("a", "b", "c", "d")


def test_ahp_refuses_a_reciprocal_violation_with_a_clear_message():
    """a_12 = 3 but a_21 = 0.5: refused, naming both cells and the reciprocal 1/3."""
    a = pd.DataFrame([[1, 3, 2], [0.5, 1, 1], [0.5, 1, 1]], index=["price", "quality", "eco"],
                     columns=["price", "quality", "eco"])
    with pytest.raises(ValueError, match=r"'price' vs 'quality' is 3 .*reciprocal 1/3"):
        ahp_weights(a)
    with pytest.raises(ValueError, match="square"):
        ahp_weights(np.ones((2, 3)))
    with pytest.raises(ValueError, match="itself must be 1"):
        ahp_weights([[2, 1], [1, 1]])
    with pytest.raises(ValueError, match="positive"):
        ahp_weights([[1, -2], [-0.5, 1]])


def test_pairwise_from_upper_builds_reciprocals():
    """Judgments above the diagonal give a full reciprocal matrix (a_ji = 1 / a_ij)."""
    a = pairwise_from_upper({(0, 1): 3.0, (0, 2): 5.0, (1, 2): 2.0}, 3)
    assert a[1, 0] == pytest.approx(1 / 3) and a[2, 1] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="above the diagonal"):
        pairwise_from_upper({(1, 0): 3.0}, 3)


def test_pairwise_from_upper_rounds_both_cells_as_a_grid_shows_them():
    """With ``decimals`` each judgment and its reciprocal are rounded (3 and 0.333), still a valid reciprocal matrix;
    a judgment lost to rounding, or a missing one, is refused naming the criteria."""
    a = pairwise_from_upper({(0, 1): 3.0, (0, 2): 1 / 7, (1, 2): 2.0004}, 3, decimals=3)
    assert a[0, 1] == 3.0 and a[1, 0] == 0.333 and a[0, 2] == 0.143 and a[2, 0] == 7.0 and a[1, 2] == 2.0
    check_pairwise(a)
    with pytest.raises(ValueError, match="too small or too large"):
        pairwise_from_upper({(0, 1): 0.0004}, 2, decimals=3)
    with pytest.raises(ValueError, match="'price' vs 'eco' is nan"):
        pairwise_from_upper({(0, 1): float("nan")}, 2, labels=["price", "eco"])


def test_upper_judgments_keep_the_cells_above_the_diagonal_and_repair_a_grid():
    """A grid whose lower cells disagree with the upper ones: its judgments above the diagonal rebuild a valid grid
    that keeps them (the AHP editor's repair button)."""
    labels = ["price", "quality", "eco"]
    grid = pd.DataFrame([[1, 3, 2], [0.5, 1, 4], [0.5, 1, 1]], index=labels, columns=labels)
    with pytest.raises(ValueError, match="reciprocal"):
        check_pairwise(grid)
    upper = upper_judgments(grid)
    assert upper == {(0, 1): 3.0, (0, 2): 2.0, (1, 2): 4.0}
    fixed = pairwise_from_upper(upper, 3, decimals=3, labels=labels)
    assert fixed[1, 0] == 0.333 and fixed[2, 0] == 0.5 and fixed[2, 1] == 0.25
    check_pairwise(fixed)
    with pytest.raises(ValueError, match="square"):
        upper_judgments(np.ones((2, 3)))


def test_pairwise_from_weights_is_consistent_and_gives_the_weights_back():
    """a_ij = w_i / w_j: a perfectly consistent grid (CR 0) whose AHP weights are the weights; rounded to 3 decimals
    it is the supplier page's starting grid (the default weights' ratios, each cell rounded)."""
    w = np.array([c.default_weight for c in CRITERIA])
    exact = pairwise_from_weights(w)
    result = ahp_weights(exact)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(result.weights, w / w.sum(), rtol=1e-9)
    np.testing.assert_array_equal(pairwise_from_weights(w, decimals=3), np.round(w[:, None] / w[None, :], 3))
    with pytest.raises(ValueError, match="positive"):
        pairwise_from_weights([0.5, 0.0])


def test_ranking_settings_check_themselves_and_rank_as_rank_suppliers():
    """The default settings are the default weights, TOPSIS, vector scaling; ranking with them is
    :func:`rank_suppliers` with those weights; bad settings are refused when made."""
    kpis = pd.DataFrame({"supplier_id": ["A", "B", "C"], "otif_rate": [0.9, 0.8, 0.95],
                         "lead_time_mean_days": [3.0, 2.0, 4.0], "lead_time_std_days": [1.0, 0.5, 2.0],
                         "defect_ppm": [100.0, 50.0, 300.0], "price_index": [1.0, 1.1, 0.95]})
    eco = pd.DataFrame({"supplier_id": ["A", "B", "C"], "eco_score": [50.0, 70.0, 30.0]})
    matrix = decision_matrix(kpis, eco)
    default = RankingSettings()
    assert default.by_criterion == default_weights()
    pd.testing.assert_frame_equal(rank_with(matrix, default), rank_suppliers(matrix, default_weights()))
    minmax = RankingSettings(default.weights, "weighted_sum")
    pd.testing.assert_frame_equal(rank_with(matrix, minmax),
                                  rank_suppliers(matrix, default_weights(), method="weighted_sum"))
    sens = ranking_sensitivity(matrix, default)
    assert sens.leader == rank_with(matrix, default)["supplier_id"].iloc[0]
    assert list(sens.table["criterion"]) == [c.label for c in CRITERIA]
    with pytest.raises(ValueError, match="ranking method"):
        RankingSettings(method="borda")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scaling"):
        RankingSettings(normalization="log")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one weight per criterion"):
        RankingSettings((0.5, 0.5))
    with pytest.raises(ValueError, match="negative"):
        RankingSettings((-0.1, 0.3, 0.2, 0.2, 0.2, 0.2))


def test_sensitivity_finds_the_weight_where_the_leader_changes():
    """A = (1, 0), B = (0, 1), both benefit, weighted sum: with w1 = 0.6 A leads; at w1 < 0.5 B takes over,
    so the range is 0.5-1.0 on criterion 1 and 0-0.5 on criterion 2 (hand calculation)."""
    res = weight_sensitivity([[1.0, 0.0], [0.0, 1.0]], [0.6, 0.4], [True, True], method="weighted_sum",
                             alternatives=["A", "B"], criteria=["c1", "c2"])
    t = res.table.set_index("criterion")
    assert res.leader == "A"
    assert t.loc["c1", "lowest_weight"] == pytest.approx(0.5, abs=1e-6)
    assert t.loc["c1", "highest_weight"] == pytest.approx(1.0)
    assert t.loc["c1", "leader_below"] == "B" and t.loc["c1", "leader_above"] == ""
    assert t.loc["c2", "highest_weight"] == pytest.approx(0.5, abs=1e-6)
    assert t.loc["c2", "room_up"] == pytest.approx(0.1, abs=1e-6)
    curve = res.curves[(res.curves["criterion"] == "c1") & (res.curves["weight"] == 0.0)].set_index("alternative")
    assert curve.loc["B", "rank"] == 1 and curve.loc["A", "rank"] == 2
