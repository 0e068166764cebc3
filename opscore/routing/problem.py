"""The routing problem: depots, stops, a mixed fleet and the travel matrices between them.

Locations are indexed depots first, then stops, in the order given; ``distance[i, j]`` and
``durations[profile][i, j]`` use that index. Times are minutes from midnight for real problems
(``time_unit="min"``) or the instance's own time units for benchmark files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from opscore.routing.rush_hour import RushHour

if TYPE_CHECKING:
    from opscore.routing.travel import Travel

OBJECTIVES = ("distance", "time", "cost", "co2e")
"""What the solver minimises: total distance, total route duration, running cost, or kg CO2e."""
FUELS = ("diesel", "petrol", "electric")
OPEN = float("inf")


@dataclass(frozen=True)
class TimeWindow:
    """An interval in which service may start."""

    start: float
    """Earliest service start, minutes from midnight (or instance time units)."""
    end: float
    """Latest service start, same unit."""

    def __post_init__(self) -> None:
        if not self.start <= self.end:
            raise ValueError(f"time window {self.start:g}-{self.end:g} ends before it starts; swap the two times")


@dataclass(frozen=True)
class Depot:
    """A site vans start from and return to."""

    depot_id: str
    name: str
    lat: float
    """Latitude, degrees (for planar benchmark instances, the instance's y coordinate)."""
    lon: float
    """Longitude, degrees (for planar benchmark instances, the instance's x coordinate)."""
    opening: TimeWindow = TimeWindow(0.0, OPEN)
    """Hours the depot is open, minutes from midnight."""


@dataclass(frozen=True)
class Stop:
    """A delivery: where, how much, when, and whether it may be left out."""

    stop_id: str
    name: str
    lat: float
    """Latitude, degrees (planar instances: y)."""
    lon: float
    """Longitude, degrees (planar instances: x)."""
    demand_kg: float = 0.0
    """Weight delivered, kg (benchmark files: the instance's demand unit)."""
    demand_m3: float = 0.0
    """Volume delivered, cubic metres."""
    service_minutes: float = 0.0
    """Time on site, minutes."""
    windows: tuple[TimeWindow, ...] = (TimeWindow(0.0, OPEN),)
    """One or two windows in which service may start."""
    priority: int = 2
    """1 = high, 2 = normal, 3 = low; scales the penalty of an optional stop (x3, x1, x1/3)."""
    penalty: float | None = None
    """Objective units (GBP, km, minutes or kg CO2e) paid for leaving it out; None = must be served."""

    def __post_init__(self) -> None:
        where = f"stop {self.stop_id!r}"
        if self.demand_kg < 0 or self.demand_m3 < 0:
            raise ValueError(f"{where}: demand cannot be negative (kg {self.demand_kg}, m3 {self.demand_m3})")
        if self.service_minutes < 0:
            raise ValueError(f"{where}: service time {self.service_minutes} min is negative")
        if not 1 <= len(self.windows) <= 2:
            raise ValueError(f"{where}: give one or two time windows, not {len(self.windows)}")
        if len(self.windows) == 2 and self.windows[0].end >= self.windows[1].start:
            raise ValueError(f"{where}: the two time windows overlap or are out of order; list the earlier first")
        if self.priority not in (1, 2, 3):
            raise ValueError(f"{where}: priority {self.priority} must be 1 (high), 2 (normal) or 3 (low)")
        if self.penalty is not None and self.penalty < 0:
            raise ValueError(f"{where}: penalty {self.penalty} is negative")

    @property
    def optional(self) -> bool:
        return self.penalty is not None

    @property
    def weighted_penalty(self) -> float | None:
        """Penalty scaled by priority (high x3, low x1/3)."""
        return None if self.penalty is None else self.penalty * {1: 3.0, 2: 1.0, 3: 1 / 3}[self.priority]


@dataclass(frozen=True)
class Vehicle:
    """One van with its capacity, shift, costs and fuel."""

    vehicle_id: str
    name: str = ""
    capacity_kg: float = float("inf")
    """Payload, kg (benchmark files: the instance's capacity)."""
    capacity_m3: float = float("inf")
    """Load volume, cubic metres."""
    shift_start: float = 0.0
    """Earliest departure from the depot, minutes from midnight."""
    shift_end: float = OPEN
    """Latest return to the depot, minutes from midnight."""
    range_km: float = float("inf")
    """Longest route distance on one tank or charge, distance unit of the problem (km)."""
    max_shift_minutes: float = float("inf")
    """Longest route duration (departure to return), minutes; e.g. 11 h duty under GB domestic drivers' hours."""
    cost_per_km: float = 0.0
    """Running cost, GBP per km."""
    cost_per_hour: float = 0.0
    """Driver cost, GBP per hour."""
    fuel: str = "diesel"
    profile: str = "default"
    """Key of the travel-time matrix this van uses (its speed class)."""
    start_depot: int = 0
    """Index of the depot it leaves from."""
    end_depot: int | None = None
    """Index of the depot it returns to; None = the start depot."""
    kg_co2e_per_km: float | None = None
    """Emission rate, kg CO2e per km; None = the UK 2025 van factor for its fuel."""
    break_minutes: float = 0.0
    """Driver break length, minutes (0 = none; only the OR-Tools engine models breaks)."""
    break_window: TimeWindow | None = None
    """When the break must start, minutes from midnight."""

    def __post_init__(self) -> None:
        where = f"vehicle {self.vehicle_id!r}"
        if self.capacity_kg <= 0 or self.capacity_m3 <= 0:
            raise ValueError(f"{where}: capacity must be positive (kg {self.capacity_kg}, m3 {self.capacity_m3})")
        if self.shift_end < self.shift_start:
            raise ValueError(f"{where}: shift ends ({self.shift_end:g}) before it starts ({self.shift_start:g})")
        if self.range_km <= 0:
            raise ValueError(f"{where}: range {self.range_km} km must be positive")
        if self.max_shift_minutes <= 0:
            raise ValueError(f"{where}: maximum shift {self.max_shift_minutes} min must be positive")
        if min(self.cost_per_km, self.cost_per_hour) < 0:
            raise ValueError(f"{where}: costs per km and per hour cannot be negative")
        if self.fuel not in FUELS:
            raise ValueError(f"{where}: fuel {self.fuel!r} is not one of {', '.join(FUELS)}")
        if self.break_minutes < 0:
            raise ValueError(f"{where}: break of {self.break_minutes} min is negative")
        if self.break_minutes > 0 and self.break_window is None:
            raise ValueError(f"{where}: a break needs a window in which it starts (break_window)")

    @property
    def return_depot(self) -> int:
        return self.start_depot if self.end_depot is None else self.end_depot

    @property
    def has_break(self) -> bool:
        return self.break_minutes > 0


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """Everything a solver needs; validated on creation."""

    name: str
    depots: tuple[Depot, ...]
    stops: tuple[Stop, ...]
    vehicles: tuple[Vehicle, ...]
    distance: np.ndarray
    """Travel distance between locations (depots, then stops), ``distance_unit``."""
    durations: Mapping[str, np.ndarray]
    """Travel time between locations per vehicle profile, ``time_unit``."""
    objective: str = "cost"
    distance_unit: str = "km"
    time_unit: str = "min"
    distance_scale: int = 1000
    """Integers per distance unit handed to the solvers (1000: metres)."""
    time_scale: int = 60
    """Integers per time unit handed to the solvers (60: seconds)."""
    geographic: bool = True
    """True when lat/lon are degrees (map-able); False for planar benchmark coordinates."""
    travel: Travel | None = field(default=None, repr=False)
    """The travel model that built the matrices (lets re-optimisation add new stops)."""
    rush: RushHour | None = None
    """Speed bands by time of day (None = one speed all day). ``durations`` stay base (free-flow) minutes; the
    solvers optimise on them scaled by the band of each van's shift start and the schedule is evaluated
    time-dependently (see :mod:`opscore.routing.rush_hour`). Needs ``time_unit="min"``."""

    def __post_init__(self) -> None:
        if not self.depots:
            raise ValueError(f"problem {self.name!r} has no depot; add the site vans leave from")
        if not self.vehicles:
            raise ValueError(f"problem {self.name!r} has no vehicle; pick at least one van")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective {self.objective!r} is not one of {', '.join(OBJECTIVES)}")
        n = len(self.depots) + len(self.stops)
        for label, ids in (("stop", [s.stop_id for s in self.stops]),
                           ("vehicle", [v.vehicle_id for v in self.vehicles]),
                           ("depot", [d.depot_id for d in self.depots])):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{label} ids must be unique; repeated: {', '.join(map(str, dup[:5]))}")
        matrices = {"distance": self.distance, **{f"durations[{k!r}]": m for k, m in self.durations.items()}}
        for label, m in matrices.items():
            if np.shape(m) != (n, n):
                raise ValueError(f"{label} matrix is {np.shape(m)} but there are {n} locations "
                                 f"({len(self.depots)} depots + {len(self.stops)} stops)")
            if not np.all(np.isfinite(m)) or np.any(np.asarray(m) < 0):
                raise ValueError(f"{label} matrix has negative or missing entries; fix the matrix file")
        for v in self.vehicles:
            if v.profile not in self.durations:
                raise ValueError(f"vehicle {v.vehicle_id!r} uses travel profile {v.profile!r}, which has no "
                                 f"time matrix (have: {', '.join(self.durations)})")
            if not (0 <= v.start_depot < len(self.depots) and 0 <= v.return_depot < len(self.depots)):
                raise ValueError(f"vehicle {v.vehicle_id!r} refers to a depot index outside 0-{len(self.depots) - 1}")
        if self.distance_scale < 1 or self.time_scale < 1:
            raise ValueError("distance_scale and time_scale must be positive integers")
        if self.rush is not None and self.time_unit != "min":
            raise ValueError(f"rush hour needs times in minutes from midnight, not {self.time_unit!r}; "
                             "leave rush=None for benchmark instances")

    @property
    def n_depots(self) -> int:
        return len(self.depots)

    def stop_location(self, i: int) -> int:
        """Matrix index of stop ``i``."""
        return self.n_depots + i

    def with_objective(self, objective: str) -> RoutingProblem:
        return replace(self, objective=objective)
