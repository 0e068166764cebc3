"""Read the drivable ways of an OpenStreetMap extract (.osm.pbf) into flat arrays, streaming with pyosmium.

Kept: ways whose ``highway`` is a drivable type (:data:`opscore.routing.road_speeds.DRIVABLE`) and that a van may
use (not ``access``/``motor_vehicle``/``motorcar`` = no, private, agricultural or forestry; not areas or reversible
lanes). Direction as the OSRM car
profile reads it: ``oneway`` yes/true/1 or -1/reverse, implied on motorways and roundabouts. pyosmium filters the
file in C++ and resolves node locations; Python sees each kept way once and appends to typed buffers.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import osmium

from opscore.routing.road_speeds import DRIVABLE, maxspeed_kmh

_CODE = {t: n for n, t in enumerate(DRIVABLE)}
_CLOSED = {"no", "private", "agricultural", "forestry"}
_OPEN = {"yes", "destination", "permissive", "delivery", "designated"}
_FORWARD = {"yes", "true", "1"}
_BACKWARD = {"-1", "reverse"}


@dataclass(frozen=True)
class DrivableWays:
    """Drivable ways as flat arrays: way ``k`` has the points ``ptr[k]:ptr[k + 1]``."""

    ptr: npt.NDArray[np.int64]
    node_id: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    """Degrees."""
    lon: npt.NDArray[np.float64]
    """Degrees."""
    highway: npt.NDArray[np.int8]
    """Road-type code per way (position in DRIVABLE)."""
    oneway: npt.NDArray[np.int8]
    """1 = only in drawing order, -1 = only against it, 0 = both ways."""
    maxspeed: npt.NDArray[np.float32]
    """Tagged limit per way, km/h (NaN = none)."""


def _usable(tags: osmium.osm.TagList) -> bool:
    if tags.get("area") == "yes" or tags.get("oneway") in ("reversible", "alternating"):
        return False  # reversible lanes change direction by the hour: left out, as in OSRM's car profile
    for key in ("motorcar", "motor_vehicle", "access"):
        value = tags.get(key)
        if value in _CLOSED:
            return False
        if value in _OPEN:
            return True
    return True


def _direction(tags: osmium.osm.TagList, highway: str) -> int:
    value = tags.get("oneway")
    if value in _FORWARD:
        return 1
    if value in _BACKWARD:
        return -1
    if value is None and (highway == "motorway" or tags.get("junction") in ("roundabout", "circular")):
        return 1
    return 0


def _close_piece(start: int, ptr: array[int], ids: array[int], lats: array[float], lons: array[float]) -> int:
    """End the way piece that began at ``start``: keep it when it has two points or more, else drop it."""
    if len(ids) - start >= 2:
        ptr.append(len(ids))
    else:
        del ids[start:], lats[start:], lons[start:]
    return len(ids)


def read_drivable(path: str | Path, name: str | None = None) -> DrivableWays:
    """The drivable ways of the extract at ``path`` (called ``name`` in messages; default its file name). A way is
    split where the extract lacks a node's location (cut at the extract's edge), so no segment joins points that
    are not neighbours."""
    if not Path(path).is_file():
        raise ValueError(f"road extract {path} does not exist; give the path of an .osm.pbf file")
    name = name or Path(path).name
    ptr, ids, lats, lons = array("q", [0]), array("q"), array("d"), array("d")
    codes, ways, limits = array("b"), array("b"), array("f")
    processor = (osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                 .with_filter(osmium.filter.KeyFilter("highway")))
    try:
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = way.tags
            highway = tags.get("highway")
            code = _CODE.get(highway) if highway else None
            if code is None or not _usable(tags):
                continue
            direction, limit = _direction(tags, highway or ""), maxspeed_kmh(tags.get("maxspeed"))
            start = len(ids)
            for node in way.nodes:
                loc = node.location
                if loc.valid():
                    ids.append(node.ref)
                    lats.append(loc.lat)
                    lons.append(loc.lon)
                    continue
                start = _close_piece(start, ptr, ids, lats, lons)
                if len(ptr) > len(codes) + 1:
                    codes.append(code)
                    ways.append(direction)
                    limits.append(limit)
            _close_piece(start, ptr, ids, lats, lons)
            if len(ptr) > len(codes) + 1:
                codes.append(code)
                ways.append(direction)
                limits.append(limit)
    except RuntimeError:
        raise ValueError(f"{name} is not a readable OpenStreetMap extract: download your area as an .osm.pbf file "
                         "(for example from download.geofabrik.de) and try again") from None
    if len(codes) == 0:
        raise ValueError(f"{name} has no drivable roads; is it an OpenStreetMap extract of the area you deliver to?")
    return DrivableWays(np.frombuffer(ptr, np.int64).copy(), np.frombuffer(ids, np.int64).copy(),
                        np.frombuffer(lats, np.float64).copy(), np.frombuffer(lons, np.float64).copy(),
                        np.frombuffer(codes, np.int8).copy(), np.frombuffer(ways, np.int8).copy(),
                        np.frombuffer(limits, np.float32).copy())

