"""Packing boxes into one carton: the extreme-point heuristic and an independent feasibility check.

Extreme points (Crainic, Perboli & Tadei, 2008, "Extreme point-based heuristics for
three-dimensional bin packing", INFORMS J. Computing 20(3), section 3): after each placement the
corners of the new box are projected back (along -x, -y, -z) onto the walls or other boxes; the next
box goes to the lowest, deepest, leftmost extreme point where it fits in any of its six
orientations. Items are taken largest volume first (first-fit decreasing, their EP-FFD). A box must
rest on the floor or have at least ``min_support`` of its base on boxes beneath (no floating items).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

EPS = 1e-6


@dataclass(frozen=True)
class Item:
    """One unit to pack."""

    sku: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float

    @property
    def volume_l(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm / 1000.0

    def orientations(self) -> tuple[tuple[float, float, float], ...]:
        """The distinct axis-parallel rotations (up to six)."""
        return _rotations(self.length_cm, self.width_cm, self.height_cm)


@lru_cache(maxsize=4096)
def _rotations(a: float, b: float, c: float) -> tuple[tuple[float, float, float], ...]:
    return tuple(sorted({(x, y, z) for x, y, z in permutations((a, b, c))}))


@dataclass(frozen=True)
class Placement:
    """An item's position in its carton: corner (x, y, z) and extent (dx, dy, dz), cm."""

    item: Item
    x: float
    y: float
    z: float
    dx: float
    dy: float
    dz: float


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Open boxes (x, y, z, dx, dy, dz) share volume."""
    return (a[0] < b[0] + b[3] - EPS and b[0] < a[0] + a[3] - EPS and a[1] < b[1] + b[4] - EPS
            and b[1] < a[1] + a[4] - EPS and a[2] < b[2] + b[5] - EPS and b[2] < a[2] + a[5] - EPS)


def _project(p: tuple[float, float, float], axis: int, boxes: list[tuple[float, ...]]) -> tuple[float, float, float]:
    """Slide point ``p`` towards 0 along ``axis`` until it meets a box face or the wall."""
    o1, o2 = [k for k in range(3) if k != axis]
    stop = 0.0
    for b in boxes:
        face = b[axis] + b[axis + 3]
        if face <= p[axis] + EPS and face > stop and b[o1] <= p[o1] + EPS and p[o1] < b[o1] + b[o1 + 3] - EPS \
                and b[o2] <= p[o2] + EPS and p[o2] < b[o2] + b[o2 + 3] - EPS:
            stop = face
    q = list(p)
    q[axis] = stop
    return q[0], q[1], q[2]


def _support(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> float:
    """Share of the box's base resting on the floor or on tops of other boxes."""
    if box[2] <= EPS:
        return 1.0
    area = 0.0
    for b in boxes:
        if abs(b[2] + b[5] - box[2]) <= EPS:
            ox = min(box[0] + box[3], b[0] + b[3]) - max(box[0], b[0])
            oy = min(box[1] + box[4], b[1] + b[4]) - max(box[1], b[1])
            if ox > 0 and oy > 0:
                area += ox * oy
    return area / (box[3] * box[4])


def pack_carton(items: list[Item], length_cm: float, width_cm: float, height_cm: float, max_weight_kg: float,
                min_support: float = 0.5) -> tuple[list[Placement], list[Item]]:
    """Place as many ``items`` as fit; returns (placements, items left over). Items keep their given order."""
    size = (length_cm, width_cm, height_cm)
    sx, sy, sz = length_cm + EPS, width_cm + EPS, height_cm + EPS
    boxes: list[tuple[float, ...]] = []
    placed: list[Placement] = []
    left: list[Item] = []
    eps_pts: set[tuple[float, float, float]] = {(0.0, 0.0, 0.0)}
    weight = 0.0
    no_room: set[tuple[float, float, float]] = set()  # sizes that found no spot: space only shrinks
    for it in items:
        key = (it.length_cm, it.width_cm, it.height_cm)
        if weight + it.weight_kg > max_weight_kg + EPS or key in no_room:
            left.append(it)
            continue
        spot = None
        for p in sorted(eps_pts, key=lambda q: (q[2], q[1], q[0])):
            fits = []
            for d in it.orientations():
                if p[0] + d[0] > sx or p[1] + d[1] > sy or p[2] + d[2] > sz:
                    continue
                box = (*p, *d)
                if any(_overlap(box, b) for b in boxes) or _support(box, boxes) < min_support - EPS:
                    continue
                fits.append(box)
            if fits:  # lowest, then largest footprint: stable layers
                spot = min(fits, key=lambda b: (b[5], -b[3] * b[4]))
                break
        if spot is None:
            no_room.add(key)
            left.append(it)
            continue
        boxes.append(spot)
        weight += it.weight_kg
        placed.append(Placement(it, *spot))
        x, y, z, dx, dy, dz = spot
        old_pts = set(eps_pts)
        for corner, axes in (((x + dx, y, z), (1, 2)), ((x, y + dy, z), (0, 2)), ((x, y, z + dz), (0, 1))):
            eps_pts.add(corner)
            for ax in axes:
                eps_pts.add(_project(corner, ax, boxes))
        new_pts = eps_pts - old_pts
        eps_pts = {q for q in old_pts if not _overlap((*q, EPS, EPS, EPS), spot)} | {
            q for q in new_pts if all(q[k] < size[k] - EPS for k in range(3))
            and not any(_overlap((*q, EPS, EPS, EPS), b) for b in boxes)}
    return placed, left


def packing_violations(placements: list[Placement] | tuple[Placement, ...], length_cm: float, width_cm: float,
                       height_cm: float, max_weight_kg: float) -> list[str]:
    """Independent check of a carton's packing: every breach in plain words (empty list = feasible).

    Checks: each box inside the carton, its extent a rotation of the item's size, no two boxes
    sharing volume, total weight within the carton's limit.
    """
    out = []
    size = (length_cm, width_cm, height_cm)
    for i, p in enumerate(placements):
        it = p.item
        corner, ext = (p.x, p.y, p.z), (p.dx, p.dy, p.dz)
        if any(corner[k] < -EPS or corner[k] + ext[k] > size[k] + EPS for k in range(3)):
            out.append(f"item {i} ({it.sku}) sticks out of the carton")
        if sorted(ext) != sorted((it.length_cm, it.width_cm, it.height_cm)):
            out.append(f"item {i} ({it.sku}) has size {ext}, not a rotation of its own size")
        for j in range(i):  # shared length on every axis > 0 means shared volume
            q = placements[j]
            shared = [min(c + e, qc + qe) - max(c, qc)
                      for c, e, qc, qe in zip(corner, ext, (q.x, q.y, q.z), (q.dx, q.dy, q.dz))]
            if min(shared) > EPS:
                out.append(f"items {j} ({q.item.sku}) and {i} ({it.sku}) overlap")
    total = sum(p.item.weight_kg for p in placements)
    if total > max_weight_kg + EPS:
        out.append(f"contents weigh {total:.2f} kg, above the carton's {max_weight_kg:.2f} kg limit")
    return out
