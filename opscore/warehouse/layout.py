"""Warehouse layout: parallel pick aisles between a front and a back cross aisle (optionally a middle one).

Geometry (defaults, metres; change them to match a real building):

- ``bay_length_m = 1.2``: one bay along the aisle (a 1.2 m pallet or shelf face).
- ``aisle_spacing_m = 3.0``: aisle centre to aisle centre (1.8 m aisle plus two 0.6 m racks).
- ``cross_aisle_width_m = 2.0``: each cross aisle; the picker walks its centre line.
- The depot (packing station) sits on the front cross aisle, in front of aisle ``depot_aisle``
  (a float: 6 = in front of aisle 6, 6.5 = between aisles 6 and 7).

Walking happens only along aisle centre lines and cross-aisle centre lines (the aisle graph of
Roodbergen & de Koster, 2001, "Routing order pickers in a warehouse with a middle aisle", EJOR 133).
A bin is picked from the aisle centre level with the middle of its bay; the level (height) does not
change walking distance. Distances are rectilinear: between two pick points in different aisles
the picker goes through the cross aisle that gives the shortest detour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Point = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """A rectangular warehouse of ``n_aisles`` parallel aisles of ``n_bays`` bays each."""

    n_aisles: int
    """Number of pick aisles, numbered 1.. from the left."""
    n_bays: int
    """Bays per aisle, numbered 1.. from the front cross aisle."""
    bay_length_m: float = 1.2
    """Length of one bay along the aisle, m."""
    aisle_spacing_m: float = 3.0
    """Distance between neighbouring aisle centre lines, m."""
    cross_aisle_width_m: float = 2.0
    """Width of each cross aisle, m."""
    middle_after_bay: int | None = None
    """A middle cross aisle after this bay (None = front and back cross aisles only)."""
    depot_aisle: float | None = None
    """Depot position on the front cross aisle, in aisle numbers (None = the middle aisle)."""

    def __post_init__(self) -> None:
        if self.n_aisles < 1 or self.n_bays < 1:
            raise ValueError(f"a layout needs at least 1 aisle and 1 bay, got {self.n_aisles} aisles "
                             f"and {self.n_bays} bays; check the bins table's aisle and bay columns")
        for name in ("bay_length_m", "aisle_spacing_m", "cross_aisle_width_m"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.middle_after_bay is not None and not 1 <= self.middle_after_bay < self.n_bays:
            raise ValueError(f"middle_after_bay must lie between 1 and {self.n_bays - 1} (bays per aisle "
                             f"minus one), got {self.middle_after_bay}; use None for no middle aisle")
        if self.depot_aisle is not None and not 1 <= self.depot_aisle <= self.n_aisles:
            raise ValueError(f"depot_aisle must lie between 1 and {self.n_aisles}, got {self.depot_aisle}")

    @classmethod
    def from_bins(cls, bins: pd.DataFrame, **dimensions: object) -> Layout:
        """The layout spanning every aisle and bay in a ``bins`` table (columns ``aisle``, ``bay``)."""
        missing = {"aisle", "bay"} - set(bins.columns)
        if missing:
            raise ValueError(f"the bins table lacks column(s) {', '.join(sorted(missing))}")
        if bins.empty:
            raise ValueError("the bins table is empty; import bins (aisle, bay, level) on the Data page")
        n_aisles, n_bays = int(bins["aisle"].max()), int(bins["bay"].max())
        return cls(n_aisles=n_aisles, n_bays=n_bays, **dimensions)  # type: ignore[arg-type]

    # --- coordinates -------------------------------------------------------------------------
    @property
    def front_y(self) -> float:
        """Centre line of the front cross aisle, m (the origin)."""
        return 0.0

    @property
    def middle_y(self) -> float | None:
        """Centre line of the middle cross aisle, m (None without one)."""
        if self.middle_after_bay is None:
            return None
        return self.cross_aisle_width_m + self.middle_after_bay * self.bay_length_m

    @property
    def back_y(self) -> float:
        """Centre line of the back cross aisle, m."""
        extra = self.cross_aisle_width_m if self.middle_after_bay is not None else 0.0
        return self.cross_aisle_width_m + self.n_bays * self.bay_length_m + extra

    @property
    def cross_ys(self) -> tuple[float, ...]:
        """Centre lines of every cross aisle, front to back, m."""
        mid = self.middle_y
        return (self.front_y, self.back_y) if mid is None else (self.front_y, mid, self.back_y)

    @property
    def aisle_length_m(self) -> float:
        """Front to back cross-aisle centre line, m."""
        return self.back_y - self.front_y

    def aisle_x(self, aisle: np.ndarray | float) -> np.ndarray | float:
        """x of an aisle's centre line, m (aisle 1 at x = 0)."""
        return (np.asarray(aisle, dtype=float) - 1.0) * self.aisle_spacing_m

    def bay_y(self, bay: np.ndarray | float) -> np.ndarray | float:
        """y of a bay's pick point on the aisle centre line, m."""
        b = np.asarray(bay, dtype=float)
        y = self.cross_aisle_width_m / 2 + (b - 0.5) * self.bay_length_m
        if self.middle_after_bay is not None:
            y = y + np.where(b > self.middle_after_bay, self.cross_aisle_width_m, 0.0)
        return y

    @property
    def depot(self) -> Point:
        """The depot (packing station) on the front cross aisle, m."""
        a = self.depot_aisle if self.depot_aisle is not None else (self.n_aisles + 1) / 2
        return float(self.aisle_x(a)), self.front_y

    def check_locations(self, aisle: np.ndarray, bay: np.ndarray) -> None:
        """``ValueError`` naming the first aisle/bay outside the layout."""
        a, b = np.asarray(aisle), np.asarray(bay)
        bad = (a < 1) | (a > self.n_aisles) | (b < 1) | (b > self.n_bays) | (a != np.round(a)) | (b != np.round(b))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"pick location aisle {a[i]}, bay {b[i]} is outside the layout "
                             f"(aisles 1-{self.n_aisles}, bays 1-{self.n_bays}); check the bins table")

    def points(self, aisle: np.ndarray, bay: np.ndarray) -> np.ndarray:
        """Pick points (x, y) in m for arrays of aisle and bay numbers, shape (n, 2)."""
        self.check_locations(aisle, bay)
        return np.column_stack([self.aisle_x(aisle), self.bay_y(bay)]).astype(float)

    # --- distances ---------------------------------------------------------------------------
    def distance_matrix(self, pts: np.ndarray) -> np.ndarray:
        """Shortest walking distances (m) between points on aisle or cross-aisle centre lines.

        Same x: straight along the aisle. Different x: across through the best cross aisle c,
        ``|x1 - x2| + min_c (|y1 - y_c| + |y2 - y_c|)`` (Roodbergen & de Koster, 2001).
        """
        p = np.asarray(pts, dtype=float).reshape(-1, 2)
        x, y = p[:, 0], p[:, 1]
        dx = np.abs(x[:, None] - x[None, :])
        detour = np.min([np.abs(y[:, None] - c) + np.abs(y[None, :] - c) for c in self.cross_ys], axis=0)
        same = np.isclose(dx, 0.0)
        dist: npt.NDArray[np.float64] = np.where(same, np.abs(y[:, None] - y[None, :]), dx + detour)
        return dist

    def path(self, a: Point, b: Point) -> list[Point]:
        """Waypoints of a shortest walk from ``a`` to ``b`` (both ends included)."""
        (x1, y1), (x2, y2) = a, b
        if np.isclose(x1, x2):
            return [a, b]
        c = min(self.cross_ys, key=lambda yc: abs(y1 - yc) + abs(y2 - yc))
        return [a, (x1, c), (x2, c), b]


def walk_length(waypoints: list[Point] | tuple[Point, ...]) -> float:
    """Length (m) of a walk through axis-parallel waypoints (sum of |dx| + |dy|)."""
    w = np.asarray(waypoints, dtype=float).reshape(-1, 2)
    return float(np.abs(np.diff(w, axis=0)).sum()) if len(w) > 1 else 0.0
