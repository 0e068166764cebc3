"""Road speeds: km/h per OpenStreetMap road type, and ``maxspeed`` tags read as km/h.

Defaults are the Project OSRM car profile (``profiles/car.lua``, osrm-backend 5.x): its free-flow speed per
``highway`` type, and a tagged ``maxspeed`` driven at 4/5 of the limit ("OSRM will use 4/5 of the projected
free-flow speed", ``features/car/maxspeed.feature``). Country zone tags (``GB:nsl_single``, ``FR:urban``) use the
national limits (UK Highway Code rule 124; the EU members' urban limit of 50 km/h).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

DRIVABLE = ("motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
            "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service",
            "road")
"""``highway`` values a van may drive on; their position is the road-type code stored with the network."""
OSRM_CAR_KMH: Mapping[str, float] = {
    "motorway": 90, "motorway_link": 45, "trunk": 85, "trunk_link": 40, "primary": 65, "primary_link": 30,
    "secondary": 55, "secondary_link": 25, "tertiary": 40, "tertiary_link": 20, "unclassified": 25,
    "residential": 25, "living_street": 10, "service": 15, "road": 25}
"""Free-flow speed per road type, km/h (OSRM car profile; 'road' = unknown type, as unclassified)."""
MAXSPEED_SHARE = 0.8
"""Share of a tagged speed limit driven on average (OSRM car profile: 4/5)."""
MPH = 1.609344
ZONE_KMH: Mapping[str, float] = {
    "nsl_single": 60 * MPH, "nsl_dual": 70 * MPH, "motorway": 70 * MPH, "urban": 50.0, "living_street": 20.0,
    "walk": 7.0}
"""Zone tags ('GB:nsl_single', 'FR:urban', ...) by their part after the colon, km/h; UK national speed limits
60 mph single and 70 mph dual carriageway and motorway (Highway Code rule 124). Rural limits differ by country
and are left to the road type."""
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")


def maxspeed_kmh(tag: str | None) -> float:
    """A ``maxspeed`` tag in km/h ('30', '20 mph', 'GB:nsl_single', 'walk'); NaN when absent or unreadable
    ('none', 'signals', 'variable'). Of several values ('50;30') the first counts, as in OSRM."""
    if not tag:
        return math.nan
    first = tag.split(";")[0].strip().lower()
    if m := _NUMBER.match(first):
        value = float(m.group(1))
        return value * MPH if m.group(2) == "mph" else value
    zone = first.split(":")[-1]
    return float(ZONE_KMH.get(zone, math.nan))


@dataclass(frozen=True)
class RoadSpeeds:
    """Average van speed on each road: a tagged limit times ``maxspeed_share``, else the road type's speed."""

    kmh: tuple[tuple[str, float], ...] = tuple(OSRM_CAR_KMH.items())
    """(road type, km/h) for every type in :data:`DRIVABLE`."""
    maxspeed_share: float = MAXSPEED_SHARE
    """Share of a tagged speed limit driven on average (0.5-1)."""

    def __post_init__(self) -> None:
        problems = []
        given = dict(self.kmh)
        if len(given) != len(self.kmh):
            problems.append("a road type is given more than one speed")
        if missing := [t for t in DRIVABLE if t not in given]:
            problems.append(f"road type(s) {', '.join(missing)} have no speed")
        if unknown := [t for t in given if t not in DRIVABLE]:
            problems.append(f"road type(s) {', '.join(unknown)} are not drivable road types ({', '.join(DRIVABLE)})")
        for road, v in self.kmh:
            if not 3.0 <= v <= 130.0:
                problems.append(f"speed on {road} is {v:g} km/h; use a value between 3 and 130")
        if not 0.5 <= self.maxspeed_share <= 1.0:
            problems.append(f"share of the speed limit {self.maxspeed_share:g} must lie between 0.5 and 1")
        if problems:
            raise ValueError("; ".join(problems))

    def by_code(self) -> list[float]:
        """Speed per road-type code (position in :data:`DRIVABLE`), km/h."""
        given = dict(self.kmh)
        return [float(given[t]) for t in DRIVABLE]

    def frame(self) -> pd.DataFrame:
        """The table to edit: road type, km/h."""
        return pd.DataFrame(list(self.kmh), columns=["road_type", "kmh"])

    @classmethod
    def from_frame(cls, table: pd.DataFrame, maxspeed_share: float = MAXSPEED_SHARE) -> RoadSpeeds:
        """Speeds from an edited table (road_type, kmh); ValueError names every bad row."""
        kmh = pd.to_numeric(table["kmh"], errors="coerce")
        bad = [f"row {n + 1} ({table['road_type'].iloc[n]})" for n in range(len(table)) if pd.isna(kmh.iloc[n])]
        if bad:
            raise ValueError(f"speed is empty or not a number in {', '.join(bad)}; type km/h as a number")
        return cls(tuple(zip(table["road_type"].astype(str), kmh.astype(float))), maxspeed_share)
