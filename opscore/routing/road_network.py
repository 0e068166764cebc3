"""A drivable road network from an OpenStreetMap extract: fastest-route km and minutes between any points.

Built from :func:`opscore.routing.osm_read.read_drivable`: junctions (nodes shared by two ways, and way ends)
become vertices; the points between them are kept as the road's shape (a *chain*). One-way streets give one
directed edge, others two; turns are free. Only the largest strongly connected part is kept, so every snapped
point can reach every other. Stops snap to the nearest point of a road (sampled every :data:`SNAP_STEP_KM`), which
becomes a vertex splitting its chain. Shortest paths: Dijkstra in ``scipy.sparse.csgraph``.

Fastest route, then its length (as OSRM's table service reports): each edge weighs
``round(minutes x 6000) x 2**24 + round(metres)``, integers well inside float64's exact range, so one Dijkstra
minimises time first and the remainder of the sum is the length of that route in metres.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from opscore.geo import haversine_km
from opscore.routing.osm_read import DrivableWays, read_drivable
from opscore.routing.road_speeds import DRIVABLE, RoadSpeeds

SNAP_STEP_KM = 0.02
"""Spacing of the points a stop may snap to along each road, km (snapping is exact to half of it)."""
CACHE_FORMAT = 1
"""Version of the cached files; a cache of another version is rebuilt."""
_TICKS_PER_MIN = 6000
_METRE_SLOTS = 2**24
_CHUNK = 16
"""Sources per Dijkstra call: each holds a row of every vertex's distance (a county: 16 x 200 k x 8 bytes)."""
_HUB_FROM = 8
"""Fewer sources than this search without the hub bound (its two extra searches would cost more than they save)."""
_F = npt.NDArray[np.float64]
_I = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Snapped:
    """Where points meet the road network."""

    chain: _I
    """Road piece (chain) index per point."""
    offset_km: _F
    """Distance along the chain from its start, km."""
    lat: _F
    """Snapped latitude, degrees."""
    lon: _F
    """Snapped longitude, degrees."""
    distance_km: _F
    """Straight-line distance from the point to the road, km."""


@dataclass(frozen=True)
class _Edges:
    """Directed edges of a routing graph, with the piece of road each one runs along."""

    tail: _I
    head: _I
    km: _F
    minutes: _F
    chain: _I
    start_km: _F
    """Offset along the chain where the edge starts, km (above ``end_km`` when it runs against the drawing)."""
    end_km: _F


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """Vertices (junctions), chains (road pieces between junctions) and their shapes; speeds per road type.

    Answers :meth:`matrices` and :meth:`legs` exactly like :class:`opscore.routing.TravelModel`, so it plans
    routes wherever the straight-line model does. ``speeds`` and ``top_kmh`` may be changed with
    :meth:`with_speeds` without rebuilding the graph.
    """

    lat: _F
    """Vertex latitudes, degrees."""
    lon: _F
    """Vertex longitudes, degrees."""
    chain_from: _I
    chain_to: _I
    chain_km: _F
    """Length of each chain, km."""
    chain_type: npt.NDArray[np.int8]
    """Road-type code per chain (position in :data:`opscore.routing.road_speeds.DRIVABLE`)."""
    chain_oneway: npt.NDArray[np.bool_]
    """True = only from ``chain_from`` to ``chain_to``."""
    chain_maxspeed: npt.NDArray[np.float32]
    """Tagged speed limit, km/h (NaN = none)."""
    shape_ptr: _I
    """Chain ``c``'s shape is points ``shape_ptr[c]:shape_ptr[c + 1]``."""
    shape_lat: _F
    shape_lon: _F
    shape_km: _F
    """Distance of each shape point from its chain's start, km."""
    source: str = ""
    """The extract's file name, for captions."""
    speeds: RoadSpeeds = RoadSpeeds()
    top_kmh: tuple[tuple[str, float], ...] = ()
    """(profile, km/h): the most a vehicle profile (van type) drives; other profiles drive the road's speed."""
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for profile, kmh in self.top_kmh:
            if not 5.0 <= kmh <= 130.0:
                raise ValueError(f"top speed of {profile!r} is {kmh:g} km/h; use a value between 5 and 130")

    # Building and caching -------------------------------------------------------------------------------------

    @classmethod
    def from_pbf(cls, path: str | Path, speeds: RoadSpeeds | None = None, name: str | None = None) -> RoadNetwork:
        """The drivable network of the OpenStreetMap extract at ``path`` (.osm.pbf), known by ``name`` (default: the
        file name). ValueError when it has none."""
        return _build(read_drivable(path, name), name or Path(path).name, speeds or RoadSpeeds())

    def save(self, folder: str | Path) -> None:
        """Write the network to ``folder`` as Parquet (vertices, chains, shapes) with a small JSON header."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"lat": self.lat, "lon": self.lon}).to_parquet(out / "vertices.parquet", index=False)
        pd.DataFrame({"from": self.chain_from, "to": self.chain_to, "km": self.chain_km, "type": self.chain_type,
                      "oneway": self.chain_oneway, "maxspeed": self.chain_maxspeed,
                      "shape_start": self.shape_ptr[:-1]}).to_parquet(out / "chains.parquet", index=False)
        pd.DataFrame({"lat": self.shape_lat, "lon": self.shape_lon, "km": self.shape_km}).to_parquet(
            out / "shapes.parquet", index=False)
        (out / "network.json").write_text(json.dumps({"format": CACHE_FORMAT, "source": self.source}))

    @classmethod
    def load(cls, folder: str | Path, speeds: RoadSpeeds | None = None) -> RoadNetwork | None:
        """The network saved in ``folder``, or None when there is none (or of an older format)."""
        here = Path(folder)
        try:
            head = json.loads((here / "network.json").read_text())
            if head.get("format") != CACHE_FORMAT:
                return None
            v = pd.read_parquet(here / "vertices.parquet")
            c = pd.read_parquet(here / "chains.parquet")
            s = pd.read_parquet(here / "shapes.parquet")
        except (OSError, ValueError):
            return None
        ptr = np.r_[c["shape_start"].to_numpy(np.int64), len(s)]
        return cls(v["lat"].to_numpy(float), v["lon"].to_numpy(float), c["from"].to_numpy(np.int64),
                   c["to"].to_numpy(np.int64), c["km"].to_numpy(float), c["type"].to_numpy(np.int8),
                   c["oneway"].to_numpy(bool), c["maxspeed"].to_numpy(np.float32), ptr, s["lat"].to_numpy(float),
                   s["lon"].to_numpy(float), s["km"].to_numpy(float), str(head.get("source", "")),
                   speeds or RoadSpeeds())

    def with_speeds(self, speeds: RoadSpeeds | None = None, top_kmh: Mapping[str, float] | None = None
                    ) -> RoadNetwork:
        """The same roads with other speeds (sharing the arrays and the snapping index)."""
        return replace(self, speeds=speeds or self.speeds,
                       top_kmh=self.top_kmh if top_kmh is None else tuple(sorted(top_kmh.items())))

    def prepared(self) -> RoadNetwork:
        """This network with its snapping index and road boxes built now, so that threads sharing it only read."""
        self._snap_index()
        self._chain_boxes()
        return self

    # What it holds --------------------------------------------------------------------------------------------

    @property
    def n_vertices(self) -> int:
        return len(self.lat)

    @property
    def n_chains(self) -> int:
        return len(self.chain_km)

    def describe(self) -> str:
        return f"roads of {self.source or 'the extract'} (© OpenStreetMap contributors)"

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) of the roads, degrees."""
        return (float(self.shape_lat.min()), float(self.shape_lon.min()), float(self.shape_lat.max()),
                float(self.shape_lon.max()))

    def road_km(self) -> float:
        """Length of road, km (a two-way road counted once)."""
        return float(self.chain_km.sum())

    def road_lines(self, south: float, west: float, north: float, east: float
                   ) -> tuple[list[_F], list[str]]:
        """Shapes ((k, 2) lat/lon arrays) and road types of the chains that reach into the box."""
        lo_lat, hi_lat, lo_lon, hi_lon = self._chain_boxes()
        inside = np.flatnonzero((hi_lat >= south) & (lo_lat <= north) & (hi_lon >= west) & (lo_lon <= east))
        lines = [np.column_stack([self.shape_lat[a:b], self.shape_lon[a:b]])
                 for a, b in zip(self.shape_ptr[inside], self.shape_ptr[inside + 1])]
        return lines, [DRIVABLE[t] for t in self.chain_type[inside]]

    def _chain_boxes(self) -> tuple[_F, _F, _F, _F]:
        if "boxes" not in self._memo:
            starts = self.shape_ptr[:-1]
            self._memo["boxes"] = (np.minimum.reduceat(self.shape_lat, starts),
                                   np.maximum.reduceat(self.shape_lat, starts),
                                   np.minimum.reduceat(self.shape_lon, starts),
                                   np.maximum.reduceat(self.shape_lon, starts))
        boxes: tuple[_F, _F, _F, _F] = self._memo["boxes"]
        return boxes

    # Snapping -------------------------------------------------------------------------------------------------

    def snap(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> Snapped:
        """The nearest road point to each point, with the straight-line distance to it."""
        la, lo = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
        if la.shape != lo.shape or not (np.isfinite(la).all() and np.isfinite(lo).all()):
            raise ValueError("give as many latitudes as longitudes, all numbers")
        tree, chain, offset, s_lat, s_lon, lat0 = self._snap_index()
        _, k = tree.query(_plane(la, lo, lat0))
        k = np.asarray(k, np.int64)
        return Snapped(chain[k], offset[k], s_lat[k], s_lon[k], haversine_km(la, lo, s_lat[k], s_lon[k]))

    def _snap_index(self) -> tuple[cKDTree, _I, _F, _F, _F, float]:
        if "snap" not in self._memo:
            n = np.maximum(1, np.ceil(self.chain_km / SNAP_STEP_KM).astype(np.int64))
            chain = np.repeat(np.arange(self.n_chains), n + 1)
            step = np.arange(len(chain)) - np.repeat(np.r_[0, np.cumsum(n + 1)[:-1]], n + 1)
            offset = np.minimum(step * SNAP_STEP_KM, self.chain_km[chain])
            s_lat, s_lon = self._along(chain, offset)
            lat0 = float(np.mean(self.lat))
            self._memo["snap"] = (cKDTree(_plane(s_lat, s_lon, lat0)), chain, offset, s_lat, s_lon, lat0)
        snap: tuple[cKDTree, _I, _F, _F, _F, float] = self._memo["snap"]
        return snap

    def _along(self, chain: _I, offset: _F) -> tuple[_F, _F]:
        """Latitude and longitude at ``offset`` km along each ``chain``."""
        gap = 1.0 + float(self.chain_km.max(initial=0.0))
        base = np.arange(self.n_chains) * gap
        global_km = np.repeat(base, np.diff(self.shape_ptr)) + self.shape_km
        where = base[chain] + offset
        return np.interp(where, global_km, self.shape_lat), np.interp(where, global_km, self.shape_lon)

    # Travel ---------------------------------------------------------------------------------------------------

    def _kmh(self, profile: str) -> _F:
        by_type = np.asarray(self.speeds.by_code())[self.chain_type]
        limit = self.chain_maxspeed.astype(float) * self.speeds.maxspeed_share
        kmh = np.where(np.isnan(limit), by_type, limit)
        top = dict(self.top_kmh).get(profile)
        return np.minimum(kmh, top) if top else kmh

    def matrices(self, lat: Sequence[float], lon: Sequence[float],
                 profiles: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(km matrix, {profile: minutes matrix}) of the fastest routes between the points in order. km is that of
        the first profile's routes (profiles differ only by a top speed)."""
        snapped = self.snap(lat, lon)
        minutes: dict[str, np.ndarray] = {}
        km: np.ndarray | None = None
        for profile in dict.fromkeys(profiles or ["default"]):
            k, m = self._fastest(snapped, snapped, profile)
            km = k if km is None else km
            minutes[profile] = m
        assert km is not None
        return km, minutes

    def legs(self, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike,
             profile: str) -> tuple[_F, _F]:
        """(km, minutes) of the fastest route from each point 1 to the point 2 at the same position."""
        a_lat, a_lon, b_lat, b_lon = np.broadcast_arrays(*(np.asarray(x, float) for x in (lat1, lon1, lat2, lon2)))
        if a_lat.size == 0:
            return np.zeros(a_lat.shape), np.zeros(a_lat.shape)
        src, src_at = np.unique(np.column_stack([a_lat.ravel(), a_lon.ravel()]), axis=0, return_inverse=True)
        dst, dst_at = np.unique(np.column_stack([b_lat.ravel(), b_lon.ravel()]), axis=0, return_inverse=True)
        km, minutes = self._fastest(self.snap(src[:, 0], src[:, 1]), self.snap(dst[:, 0], dst[:, 1]), profile)
        pick = (src_at.ravel(), dst_at.ravel())
        return km[pick].reshape(a_lat.shape), minutes[pick].reshape(a_lat.shape)

    def path(self, lat: Sequence[float], lon: Sequence[float], profile: str = "default") -> _F:
        """The road polyline ((k, 2) lat/lon) of the fastest route through the points in order."""
        snapped = self.snap(lat, lon)
        graph, edges, virtual = self._graph(snapped, profile)
        size = graph.shape[0]
        keys = edges.tail * size + edges.head
        order = np.argsort(keys)
        keys = keys[order]
        legs = [(int(a), int(b)) for a, b in zip(virtual[:-1], virtual[1:]) if a != b]
        starts = sorted({a for a, _ in legs})
        pred: dict[int, npt.NDArray[np.int32]] = {}
        for k in range(0, len(starts), _CHUNK):
            _, rows = dijkstra(graph, indices=starts[k:k + _CHUNK], return_predecessors=True)
            pred.update(zip(starts[k:k + _CHUNK], rows))
        pieces: list[_F] = [np.array([[snapped.lat[0], snapped.lon[0]]])]
        for a, b in legs:
            hops = [b]
            while hops[-1] != a:
                hops.append(int(pred[a][hops[-1]]))
            hops.reverse()
            for u, v in zip(hops[:-1], hops[1:]):
                e = order[np.searchsorted(keys, u * size + v)]
                pieces.append(self._piece(int(edges.chain[e]), float(edges.start_km[e]), float(edges.end_km[e])))
        return np.vstack(pieces)

    def _piece(self, chain: int, start_km: float, end_km: float) -> _F:
        """Shape of ``chain`` from ``start_km`` to ``end_km`` (reversed when ``end_km`` < ``start_km``)."""
        a, b = self.shape_ptr[chain], self.shape_ptr[chain + 1]
        lo, hi = min(start_km, end_km), max(start_km, end_km)
        km, lat, lon = self.shape_km[a:b], self.shape_lat[a:b], self.shape_lon[a:b]
        inner = (km > lo) & (km < hi)
        line = np.vstack([[np.interp(lo, km, lat), np.interp(lo, km, lon)], np.column_stack([lat[inner], lon[inner]]),
                          [np.interp(hi, km, lat), np.interp(hi, km, lon)]])
        return line[::-1] if end_km < start_km else line

    def _fastest(self, src: Snapped, dst: Snapped, profile: str) -> tuple[_F, _F]:
        """(km, minutes) of the fastest routes from each ``src`` point to each ``dst`` point."""
        both = Snapped(*(np.r_[getattr(src, f), getattr(dst, f)] for f in ("chain", "offset_km", "lat", "lon",
                                                                          "distance_km")))
        graph, _, virtual = self._graph(both, profile)
        n = len(src.chain)
        sources, source_at = np.unique(virtual[:n], return_inverse=True)
        targets = virtual[n:]
        bound = np.full(len(sources), np.inf)
        if len(sources) >= _HUB_FROM:
            # Search no further than a bound through a hub (the first target): d(s, t) <= d(s, hub) + d(hub, t).
            # Stops in one town of a county extract then never explore the rest of the county.
            to_hub = dijkstra(graph.T, indices=int(targets[0]))
            bound = to_hub[sources] + dijkstra(graph, indices=int(targets[0]))[targets].max()
        order = np.argsort(bound)
        weight = np.empty((len(sources), len(targets)))
        for k in range(0, len(sources), _CHUNK):
            chunk = order[k:k + _CHUNK]
            limit = float(bound[chunk].max()) + 1.0  # inf: no bound
            weight[chunk] = dijkstra(graph, indices=sources[chunk], limit=limit)[:, targets]
        weight = weight[source_at]
        if not np.isfinite(weight).all():
            raise ValueError("some points cannot be reached by road from others")
        ticks = np.floor(weight / _METRE_SLOTS)
        return (weight - ticks * _METRE_SLOTS) / 1000.0, ticks / _TICKS_PER_MIN

    def _graph(self, snapped: Snapped, profile: str) -> tuple[csr_matrix, _Edges, _I]:
        """The routing graph with each snapped point as a vertex splitting its chain; the points' vertex ids."""
        kmh = self._kmh(profile)
        nv = self.n_vertices
        spot, at = np.unique(np.column_stack([snapped.chain, np.round(snapped.offset_km, 6)]), axis=0,
                             return_inverse=True)
        chain, offset = spot[:, 0].astype(np.int64), spot[:, 1]
        ids = nv + np.arange(len(spot))
        first = np.r_[True, chain[1:] != chain[:-1]]
        last = np.r_[chain[1:] != chain[:-1], True]
        prev_id = np.where(first, self.chain_from[chain], np.r_[0, ids[:-1]])
        prev_km = np.where(first, 0.0, np.r_[0.0, offset[:-1]])
        # Along the drawing: previous point -> point, and the last point -> the chain's end.
        tails = [self.chain_from, prev_id, ids[last]]
        heads = [self.chain_to, ids, self.chain_to[chain[last]]]
        starts = [np.zeros(self.n_chains), prev_km, offset[last]]
        ends = [self.chain_km, offset, self.chain_km[chain[last]]]
        chains = [np.arange(self.n_chains), chain, chain[last]]
        two = ~self.chain_oneway
        back = two[chain]
        back_last = back & last
        tails += [self.chain_to[two], ids[back], self.chain_to[chain[back_last]]]
        heads += [self.chain_from[two], prev_id[back], ids[back_last]]
        starts += [self.chain_km[two], offset[back], self.chain_km[chain[back_last]]]
        ends += [np.zeros(int(two.sum())), prev_km[back], offset[back_last]]
        chains += [np.flatnonzero(two), chain[back], chain[back_last]]
        tail, head = np.concatenate(tails), np.concatenate(heads)
        start_km, end_km, on = np.concatenate(starts), np.concatenate(ends), np.concatenate(chains)
        km = np.abs(end_km - start_km)
        minutes = km / kmh[on] * 60.0
        weight = np.round(minutes * _TICKS_PER_MIN) * _METRE_SLOTS + np.round(km * 1000.0)
        order = np.lexsort((weight, head, tail))
        keep = order[np.r_[True, (np.diff(tail[order]) != 0) | (np.diff(head[order]) != 0)]]
        edges = _Edges(tail[keep], head[keep], km[keep], minutes[keep], on[keep], start_km[keep], end_km[keep])
        size = nv + len(spot)
        graph = csr_matrix((weight[keep], (edges.tail, edges.head)), shape=(size, size))  # zeros stay edges
        return graph, edges, ids[at]

    def circuity(self, lat: Sequence[float], lon: Sequence[float], min_km: float = 0.5) -> float:
        """Road km per straight-line km between the points (sum over ordered pairs at least ``min_km`` apart,
        straight line between the snapped points); NaN when no pair is that far apart."""
        snapped = self.snap(lat, lon)
        road, _ = self._fastest(snapped, snapped, "default")
        straight = haversine_km(snapped.lat[:, None], snapped.lon[:, None], snapped.lat[None, :],
                                snapped.lon[None, :])
        far = straight >= min_km
        return float(road[far].sum() / straight[far].sum()) if far.any() else math.nan


def _plane(lat: _F, lon: _F, lat0: float) -> _F:
    """Points on a local plane, km (equirectangular about ``lat0``): good for nearest-road search."""
    return np.column_stack([lat * 110.574, lon * 111.320 * math.cos(math.radians(lat0))])


def _build(ways: DrivableWays, source: str, speeds: RoadSpeeds) -> RoadNetwork:
    """Chains between junctions from the ways, kept to the largest strongly connected part."""
    ptr, node, lat, lon = ways.ptr, ways.node_id, ways.lat, ways.lon
    order = np.arange(len(node))
    for w in np.flatnonzero(ways.oneway == -1):  # one-way against the drawing: turn the way round
        order[ptr[w]:ptr[w + 1]] = order[ptr[w]:ptr[w + 1]][::-1]
    node, lat, lon = node[order], lat[order], lon[order]
    way_of = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    last = np.zeros(len(node), bool)
    last[ptr[1:] - 1] = True
    first = np.zeros(len(node), bool)
    first[ptr[:-1]] = True
    _, seen_at, count = np.unique(node, return_inverse=True, return_counts=True)
    vertex = first | last | (count[seen_at] >= 2)
    seg = np.flatnonzero(~last)
    step = np.zeros(len(node))
    step[seg] = haversine_km(lat[seg], lon[seg], lat[seg + 1], lon[seg + 1])
    along = np.r_[0.0, np.cumsum(step)]
    starts = seg[vertex[seg]]
    chain_of_seg = np.cumsum(vertex[seg]) - 1
    ends = np.r_[seg[np.flatnonzero(np.diff(chain_of_seg)) ], seg[-1]] + 1
    chain_km = along[ends] - along[starts]
    ids, vid = np.unique(np.r_[node[starts], node[ends]], return_inverse=True)
    frm, to = vid[:len(starts)], vid[len(starts):]
    v_lat, v_lon = np.empty(len(ids)), np.empty(len(ids))
    v_lat[vid], v_lon[vid] = np.r_[lat[starts], lat[ends]], np.r_[lon[starts], lon[ends]]
    way = way_of[starts]
    oneway = ways.oneway[way] != 0
    both = ~oneway
    n = len(ids)
    links = csr_matrix((np.ones(len(frm) + int(both.sum())), (np.r_[frm, to[both]], np.r_[to, frm[both]])),
                       shape=(n, n))
    _, part = connected_components(links, directed=True, connection="strong")
    main = np.argmax(np.bincount(part))
    keep = (part[frm] == main) & (part[to] == main)
    starts, ends, chain_km, frm, to, way, oneway = (x[keep] for x in (starts, ends, chain_km, frm, to, way, oneway))
    used, new_id = np.unique(np.r_[frm, to], return_inverse=True)
    frm, to = new_id[:len(frm)], new_id[len(frm):]
    lengths = ends - starts + 1
    shape_ptr = np.r_[0, np.cumsum(lengths)]
    pos = np.repeat(starts - shape_ptr[:-1], lengths) + np.arange(shape_ptr[-1])
    shape_km = along[pos] - np.repeat(along[starts], lengths)
    return RoadNetwork(v_lat[used], v_lon[used], frm.astype(np.int64), to.astype(np.int64), chain_km,
                       ways.highway[way], oneway, ways.maxspeed[way], shape_ptr.astype(np.int64), lat[pos].copy(),
                       lon[pos].copy(), shape_km, source, speeds)
