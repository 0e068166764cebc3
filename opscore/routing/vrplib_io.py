"""Benchmark files: CVRPLIB ``.vrp`` and Solomon ``.txt`` instances and their ``.sol`` solutions.

Distance conventions of the published best known solutions:
- CVRPLIB EUC_2D (Uchoa et al. 2017, EJOR 257(3)): Euclidean distance rounded to the nearest integer,
  ``floor(d + 0.5)``; EXPLICIT instances use the matrix as given.
- Solomon (1987): Euclidean distance truncated to one decimal, ``floor(10 d) / 10``; travel time equals
  distance; objective = total distance.
So ``plan.cost`` of a solved instance compares directly with the ``Cost`` line of its ``.sol`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import vrplib

from opscore.routing.problem import Depot, RoutingProblem, Stop, TimeWindow, Vehicle

_N = TypeVar("_N", np.int64, np.float64)
"""Coordinate element type: integers (exact Solomon distances) or floats."""


def _isqrt(q: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Exact floor(sqrt(q)) for non-negative integer arrays."""
    r: npt.NDArray[np.int64] = np.floor(np.sqrt(q.astype(float))).astype(np.int64)
    r -= (r * r > q).astype(np.int64)
    r += ((r + 1) * (r + 1) <= q).astype(np.int64)
    return r


def _squared(coords: npt.NDArray[_N]) -> npt.NDArray[_N]:
    diff = coords[:, None, :] - coords[None, :, :]
    sq: npt.NDArray[_N] = (diff**2).sum(axis=2)
    return sq


def euc2d_rounded(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """CVRPLIB EUC_2D: nearest integer of the Euclidean distance."""
    d: npt.NDArray[np.float64] = np.floor(np.sqrt(_squared(coords)) + 0.5)
    return d


def solomon_truncated(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Solomon: Euclidean distance truncated to one decimal (exact for integer coordinates)."""
    d: npt.NDArray[np.float64]
    if np.all(coords == np.round(coords)):
        d = _isqrt(100 * _squared(coords.astype(np.int64))) / 10.0
    else:
        d = np.floor(10 * np.sqrt(_squared(coords))) / 10.0
    return d


def read_vrplib(path: str | Path, num_vehicles: int | None = None) -> RoutingProblem:
    """A :class:`RoutingProblem` (objective: distance) from a CVRPLIB ``.vrp`` or Solomon ``.txt`` file.

    ``num_vehicles`` defaults to the file's vehicle count, or one per customer for CVRPLIB files.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"benchmark file {path} does not exist")
    solomon = path.suffix.lower() == ".txt"
    try:
        inst = vrplib.read_instance(str(path), instance_format="solomon" if solomon else "vrplib")
    except Exception as exc:  # vrplib raises assorted errors on malformed files
        raise ValueError(f"{path.name} is not a readable {'Solomon' if solomon else 'VRPLIB'} file: {exc}") from exc
    demand = np.asarray(inst.get("demand", np.zeros(len(inst["edge_weight"]))), dtype=float)
    n = len(demand)
    coords = np.asarray(inst["node_coord"], dtype=float) if "node_coord" in inst else np.zeros((n, 2))
    if solomon:
        dist = solomon_truncated(coords)
    elif str(inst.get("edge_weight_type", "")).upper() == "EUC_2D":
        dist = euc2d_rounded(coords)
    elif str(inst.get("edge_weight_type", "")).upper() == "EXPLICIT":
        dist = np.asarray(inst["edge_weight"], dtype=float)
    else:
        raise ValueError(f"{path.name}: edge weight type {inst.get('edge_weight_type')!r} is not supported "
                         "(use EUC_2D or EXPLICIT)")
    depot_idx = [int(d) for d in np.atleast_1d(inst.get("depot", [0]))]
    if depot_idx != [0]:
        raise ValueError(f"{path.name}: only single-depot files with the depot first are supported")
    windows = np.asarray(inst["time_window"], dtype=float) if "time_window" in inst else None
    service = np.broadcast_to(np.asarray(inst.get("service_time", 0.0), dtype=float), (n,))
    opening = TimeWindow(*windows[0]) if windows is not None else TimeWindow(0.0, float("inf"))
    depot = Depot("0", "depot", lat=coords[0, 1], lon=coords[0, 0], opening=opening)
    stops = tuple(
        Stop(str(k), f"customer {k}", lat=coords[k, 1], lon=coords[k, 0], demand_kg=demand[k],
             service_minutes=float(service[k]),
             windows=(TimeWindow(*windows[k]),) if windows is not None else (TimeWindow(0.0, float("inf")),))
        for k in range(1, n))
    count = num_vehicles or int(inst.get("vehicles", n - 1))
    vehicle = Vehicle("", capacity_kg=float(inst["capacity"]), shift_start=opening.start, shift_end=opening.end)
    vehicles = tuple(Vehicle(f"V{k + 1}", capacity_kg=vehicle.capacity_kg, shift_start=vehicle.shift_start,
                             shift_end=vehicle.shift_end) for k in range(count))
    scale = 10 if solomon else 1
    return RoutingProblem(name=path.stem, depots=(depot,), stops=stops, vehicles=vehicles, distance=dist,
                          durations={"default": dist.copy()}, objective="distance", distance_unit="units",
                          time_unit="units", distance_scale=scale, time_scale=scale, geographic=False)


def read_vrplib_solution(path: str | Path) -> tuple[list[list[int]], float]:
    """(routes as lists of stop indices, published cost) from a ``.sol`` file (customers numbered from 1)."""
    sol = vrplib.read_solution(str(path))
    return [[int(c) - 1 for c in r] for r in sol["routes"]], float(sol["cost"])
