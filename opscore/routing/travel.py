"""Offline travel model: road km = haversine x circuity, minutes = km / speed; or a user's matrix CSV.

Circuity (road km per straight-line km) is about 1.2-1.4 for road networks (Ballou, Rahardja and
Sakai 2002, Transportation Research A 36(9)); see :mod:`opscore.geo`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.geo import DEFAULT_CIRCUITY, haversine_km, road_km_matrix

DEFAULT_SPEED_KMH = 30.0
"""Average door-to-door van speed in town, km/h (an editable assumption, not a measured value)."""


class Travel(Protocol):
    """How far and how long between places: the straight-line :class:`TravelModel` or roads
    (:class:`opscore.routing.RoadTravel`). Minutes are free-flow (no rush hour)."""

    def describe(self) -> str:
        """The model in plain words, for captions ('straight line x 1.3 at 30 km/h')."""
        ...

    def matrices(self, lat: Sequence[float], lon: Sequence[float],
                 profiles: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(km matrix, {profile: minutes matrix}) between the points in order."""
        ...

    def legs(self, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike,
             profile: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(km, minutes) from each point 1 to the point 2 at the same position (element-wise, broadcast)."""
        ...


@dataclass(frozen=True)
class TravelModel:
    """Road distance and travel time from coordinates, with one speed per vehicle profile."""

    circuity: float = DEFAULT_CIRCUITY
    """Road km per great-circle km (1.2-1.4 typical)."""
    speed_kmh: Mapping[str, float] = field(default_factory=dict)
    """Average speed per profile (vehicle type), km/h; profiles not listed use ``default_speed_kmh``."""
    default_speed_kmh: float = DEFAULT_SPEED_KMH

    def __post_init__(self) -> None:
        if not 1.0 <= self.circuity <= 2.0:
            raise ValueError(f"circuity {self.circuity} is outside 1.0-2.0; road networks are about 1.2-1.4")
        for name, v in {**self.speed_kmh, "default": self.default_speed_kmh}.items():
            if not 1.0 <= v <= 130.0:
                raise ValueError(f"speed for {name!r} is {v} km/h; use a value between 1 and 130")

    def speed(self, profile: str) -> float:
        return float(self.speed_kmh.get(profile, self.default_speed_kmh))

    def matrices(self, lat: Sequence[float], lon: Sequence[float],
                 profiles: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(road km matrix, {profile: minutes matrix}) for the points in order."""
        km = road_km_matrix(lat, lon, self.circuity)
        return km, {p: km / self.speed(p) * 60.0 for p in dict.fromkeys(profiles)}

    def legs(self, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike,
             profile: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(km, minutes) point by point: great-circle km x circuity, at the profile's speed."""
        km = np.asarray(haversine_km(lat1, lon1, lat2, lon2) * self.circuity, dtype=float)
        return km, km / self.speed(profile) * 60.0

    def describe(self) -> str:
        return f"straight line x {self.circuity:g} at {self.default_speed_kmh:g} km/h"


def matrices_from_csv(table: pd.DataFrame, location_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(km, minutes) matrices from a long table with columns from_id, to_id, km, minutes.

    Every ordered pair of distinct ``location_ids`` must be present; the diagonal is zero.
    """
    need = {"from_id", "to_id", "km", "minutes"}
    if missing := need - set(table.columns):
        raise ValueError(f"matrix file lacks column(s) {', '.join(sorted(missing))}; "
                         "expected from_id, to_id, km, minutes")
    ids = [str(i) for i in location_ids]
    pos = {k: n for n, k in enumerate(ids)}
    t = table.assign(from_id=table["from_id"].astype(str), to_id=table["to_id"].astype(str))
    t = t[t["from_id"].isin(pos) & t["to_id"].isin(pos) & (t["from_id"] != t["to_id"])]
    if t.duplicated(["from_id", "to_id"]).any():
        dup = t[t.duplicated(["from_id", "to_id"])].iloc[0]
        raise ValueError(f"matrix file lists {dup['from_id']} -> {dup['to_id']} more than once")
    n = len(ids)
    if len(t) != n * (n - 1):
        have = set(zip(t["from_id"], t["to_id"]))
        gap = next((a, b) for a in ids for b in ids if a != b and (a, b) not in have)
        raise ValueError(f"matrix file has no row for {gap[0]} -> {gap[1]} (needs all {n * (n - 1)} pairs)")
    km, minutes = np.zeros((n, n)), np.zeros((n, n))
    r, c = t["from_id"].map(pos).to_numpy(), t["to_id"].map(pos).to_numpy()
    km[r, c] = pd.to_numeric(t["km"], errors="coerce").to_numpy()
    minutes[r, c] = pd.to_numeric(t["minutes"], errors="coerce").to_numpy()
    if not (np.isfinite(km).all() and np.isfinite(minutes).all()) or (km < 0).any() or (minutes < 0).any():
        raise ValueError("matrix file has empty, non-numeric or negative km/minutes; fix those rows")
    return km, minutes
