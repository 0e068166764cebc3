"""Distances on the Earth's surface for the offline travel model.

Road distance is estimated as great-circle (haversine) distance times a circuity
factor; published circuity for road networks is about 1.2-1.4 (e.g. Ballou, Rahardja
and Sakai 2002, "Selected country circuity factors for road travel distance
estimation", Transportation Research A 36(9)), so 1.3 is the default.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""
DEFAULT_CIRCUITY = 1.3


def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (broadcasts like numpy)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km


def road_km_matrix(lat: npt.ArrayLike, lon: npt.ArrayLike, circuity: float = DEFAULT_CIRCUITY) -> np.ndarray:
    """Square matrix of estimated road km between all points (haversine x circuity)."""
    if not 1.0 <= circuity <= 2.0:
        raise ValueError(f"circuity {circuity} is outside 1.0-2.0; road networks are about 1.2-1.4")
    lat_a, lon_a = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    return circuity * haversine_km(lat_a[:, None], lon_a[:, None], lat_a[None, :], lon_a[None, :])
