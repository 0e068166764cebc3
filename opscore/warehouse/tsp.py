"""Exact travelling-salesman tours on a small distance matrix (node 0 is the depot).

Up to ``HELD_KARP_MAX`` nodes: the Held-Karp dynamic programme (Held & Karp, 1962, "A dynamic
programming approach to sequencing problems", J. SIAM 10(1), recursion (1)-(2)), exact.
Larger: OR-Tools CP-SAT with a circuit constraint, exact when the solver proves optimality within
its time limit (reported).
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

HELD_KARP_MAX = 13
"""Largest node count (depot included) solved by Held-Karp; 2^12 x 12 states."""


def held_karp(d: np.ndarray) -> list[int]:
    """Optimal closed tour ``[0, ..., 0]`` for distance matrix ``d`` (n <= HELD_KARP_MAX)."""
    n = len(d)
    if n <= 2:
        return list(range(n)) + [0]
    m = n - 1
    inner = d[1:, 1:]
    full = 1 << m
    cost = np.full((full, m), np.inf)
    parent = np.full((full, m), -1, dtype=np.int64)
    for j in range(m):
        cost[1 << j, j] = d[0, j + 1]
    for s in range(1, full):
        row = cost[s]
        if not np.isfinite(row).any():
            continue
        cand = row[:, None] + inner  # cand[j, k]: end at j, then go to k
        best_j = np.argmin(cand, axis=0)
        best = cand[best_j, np.arange(m)]
        for k in range(m):
            if s >> k & 1:
                continue
            t = s | (1 << k)
            if best[k] < cost[t, k]:
                cost[t, k] = best[k]
                parent[t, k] = best_j[k]
    last = full - 1
    end = int(np.argmin(cost[last] + d[1:, 0]))
    order, s, j = [], last, end
    while j >= 0:
        order.append(j + 1)
        pj = int(parent[s, j])
        s ^= 1 << j
        j = pj
    return [0] + order[::-1] + [0]


def cp_sat_tour(d: np.ndarray, time_limit_s: float = 5.0, seed: int = 0) -> tuple[list[int], bool]:
    """Closed tour from CP-SAT's circuit model and whether it is proven optimal.

    Distances are rounded to centimetres for the integer model.
    """
    n = len(d)
    model = cp_model.CpModel()
    arcs, lits = [], {}
    cm = np.rint(np.asarray(d) * 100).astype(np.int64)
    for i in range(n):
        for j in range(n):
            if i != j:
                lit = model.new_bool_var(f"x{i}_{j}")
                lits[i, j] = lit
                arcs.append((i, j, lit))
    model.add_circuit(arcs)
    model.minimize(sum(int(cm[i, j]) * lit for (i, j), lit in lits.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 8  # the portfolio proves 20-30 node tours in < 1 s
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValueError(f"no pick tour found within {time_limit_s} s for {n - 1} pick points; "
                         "raise the time limit or split the batch")
    succ = {i: j for (i, j), lit in lits.items() if solver.value(lit)}
    tour, node = [0], succ[0]
    while node != 0:
        tour.append(node)
        node = succ[node]
    return tour + [0], status == cp_model.OPTIMAL


def exact_tour(d: np.ndarray, time_limit_s: float = 5.0) -> tuple[list[int], bool]:
    """Shortest closed tour from node 0 and whether optimality is proven."""
    if len(d) <= HELD_KARP_MAX:
        return held_karp(d), True
    return cp_sat_tour(d, time_limit_s)
