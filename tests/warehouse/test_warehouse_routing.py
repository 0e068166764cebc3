"""Walking distances and pick routes on tiny layouts, checked by brute force and by hand formulas."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import lil_matrix
from scipy.sparse.csgraph import shortest_path

from opscore.warehouse import Layout, route
from opscore.warehouse.tsp import cp_sat_tour, held_karp


def graph_distances(layout: Layout, pts: np.ndarray) -> np.ndarray:
    """Independent reference: Dijkstra on the explicit aisle graph (aisle and cross-aisle centre lines)."""
    xs = sorted({float(layout.aisle_x(a)) for a in range(1, layout.n_aisles + 1)} | set(pts[:, 0]))
    nodes = {(float(x), float(y)) for x, y in pts}
    nodes |= {(x, y) for x in xs for y in layout.cross_ys}
    nodes = sorted(nodes)
    idx = {p: i for i, p in enumerate(nodes)}
    g = lil_matrix((len(nodes), len(nodes)))
    aisle_xs = {float(layout.aisle_x(a)) for a in range(1, layout.n_aisles + 1)}
    for x in aisle_xs:  # along each aisle
        col = sorted(p for p in nodes if p[0] == x)
        for p, q in zip(col, col[1:]):
            g[idx[p], idx[q]] = g[idx[q], idx[p]] = q[1] - p[1]
    for y in layout.cross_ys:  # along each cross aisle
        row = sorted(p for p in nodes if p[1] == y)
        for p, q in zip(row, row[1:]):
            g[idx[p], idx[q]] = g[idx[q], idx[p]] = q[0] - p[0]
    d = shortest_path(g.tocsr(), directed=False)
    ids = [idx[(float(x), float(y))] for x, y in pts]
    return d[np.ix_(ids, ids)]


def brute_force_tour(d: np.ndarray) -> float:
    """Shortest closed tour from node 0 by trying every visiting order."""
    n = len(d)
    return min(sum(d[a, b] for a, b in zip((0, *p), (*p, 0))) for p in permutations(range(1, n)))


@pytest.mark.parametrize("middle", [None, 2])
def test_closed_form_distances_match_graph_search(middle):
    """The rectilinear distance formula (Roodbergen & de Koster 2001) equals Dijkstra on the aisle graph,
    with and without a middle cross aisle."""
    layout = Layout(4, 5, middle_after_bay=middle, depot_aisle=2.5)
    a, b = np.meshgrid(np.arange(1, 5), np.arange(1, 6))
    pts = np.vstack([np.asarray(layout.depot)[None, :], layout.points(a.ravel(), b.ravel())])
    np.testing.assert_allclose(layout.distance_matrix(pts), graph_distances(layout, pts), atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(picks=st.lists(st.tuples(st.integers(1, 3), st.integers(1, 4)), min_size=1, max_size=6, unique=True),
       middle=st.sampled_from([None, 2]), depot=st.sampled_from([1.0, 2.0, 2.5, 3.0]))
def test_optimal_route_equals_brute_force(picks, middle, depot):
    """On a 3-aisle, 4-bay layout the optimal route length equals the best of all visiting orders
    (brute force over permutations with graph-search distances)."""
    layout = Layout(3, 4, middle_after_bay=middle, depot_aisle=depot)
    a, b = np.array(picks).T
    pts = np.vstack([np.asarray(layout.depot)[None, :], np.unique(layout.points(a, b), axis=0)])
    best = brute_force_tour(graph_distances(layout, pts))
    r = route(layout, a, b, "optimal")
    assert r.proven_optimal
    assert r.distance_m == pytest.approx(best)


def _on_aisle_graph(layout: Layout, walk: np.ndarray) -> bool:
    aisle_xs = layout.aisle_x(np.arange(1, layout.n_aisles + 1))
    for (x1, y1), (x2, y2) in zip(walk[:-1], walk[1:]):
        vertical = np.isclose(x1, x2) and (np.isclose(aisle_xs, x1).any() or np.isclose(y1, y2))
        horizontal = np.isclose(y1, y2) and any(np.isclose(y1, c) for c in layout.cross_ys)
        if not (vertical or horizontal):
            return False
    return True


def _visits(walk: np.ndarray, p: np.ndarray) -> bool:
    for q, r in zip(walk[:-1], walk[1:]):
        lo, hi = np.minimum(q, r) - 1e-9, np.maximum(q, r) + 1e-9
        if np.all(p >= lo) and np.all(p <= hi):
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.tuples(st.integers(1, 11), st.integers(1, 10)), min_size=1, max_size=12),
       middle=st.sampled_from([None, 5]))
def test_optimal_never_longer_than_heuristics(picks, middle):
    """On random orders in the sample-size layout (11 aisles x 10 bays): optimal <= largest gap and
    optimal <= S-shape; both heuristic walks stay on aisle and cross-aisle centre lines, pass every pick
    and start and end at the depot."""
    layout = Layout(11, 10, middle_after_bay=middle)
    a, b = np.array(picks).T
    opt = route(layout, a, b, "optimal")
    for method in ("s_shape", "largest_gap"):
        r = route(layout, a, b, method)
        assert opt.distance_m <= r.distance_m + 1e-9
        walk = np.asarray(r.waypoints)
        assert np.allclose(walk[0], layout.depot) and np.allclose(walk[-1], layout.depot)
        assert _on_aisle_graph(layout, walk)
        assert all(_visits(walk, p) for p in layout.points(a, b))


def test_s_shape_every_aisle_formula():
    """Hall (1993), S-shape with a pick in each of an even number n of aisles and the depot in front of
    aisle 1: every aisle is walked once end to end, distance = n*L + 2*(n-1)*w."""
    layout = Layout(6, 10, depot_aisle=1)
    a = np.arange(1, 7)
    r = route(layout, a, np.full(6, 5), "s_shape")
    assert r.distance_m == pytest.approx(6 * layout.aisle_length_m + 2 * 5 * layout.aisle_spacing_m)


def test_front_picks_largest_gap_and_optimal_formulas():
    """Picks only in bay 1 of aisles 1-5, depot in front of aisle 1. Largest gap (Hall 1993) walks the
    outer aisles fully and dips into the others from the front: 2L + 2*4*w + 3*2*y1. The optimal tour
    stays on the front cross aisle with five dips: 2*4*w + 5*2*y1."""
    layout = Layout(5, 10, depot_aisle=1)
    y1 = float(layout.bay_y(1))
    a, b = np.arange(1, 6), np.ones(5, int)
    w, L = layout.aisle_spacing_m, layout.aisle_length_m
    assert route(layout, a, b, "largest_gap").distance_m == pytest.approx(2 * L + 8 * w + 6 * y1)
    assert route(layout, a, b, "optimal").distance_m == pytest.approx(8 * w + 10 * y1)


def test_held_karp_and_cp_sat_agree():
    """Held-Karp (1962) and CP-SAT's circuit model find tours of the same length on a random 11-node
    Euclidean instance."""
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 50, size=(11, 2))
    d = np.abs(p[:, None, :] - p[None, :, :]).sum(axis=2)
    hk = held_karp(d)
    cp, proven = cp_sat_tour(d)
    length = lambda t: sum(d[i, j] for i, j in zip(t[:-1], t[1:]))  # noqa: E731
    assert proven and sorted(hk[:-1]) == list(range(11))
    assert length(hk) == pytest.approx(length(cp), abs=0.05)


def test_bad_locations_and_layouts_are_explained():
    """A pick outside the layout or an impossible middle aisle raises a ValueError saying what is wrong."""
    layout = Layout(3, 4)
    with pytest.raises(ValueError, match="aisle 4, bay 1 is outside the layout"):
        route(layout, [4], [1], "s_shape")
    with pytest.raises(ValueError, match="middle_after_bay"):
        Layout(3, 4, middle_after_bay=4)
    with pytest.raises(ValueError, match="unknown routing method"):
        route(layout, [1], [1], "zigzag")  # type: ignore[arg-type]
