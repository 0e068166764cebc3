"""Benchmark: road networks from OpenStreetMap extracts (issue 20), on Monaco and at county scale.

Run: ``.venv/bin/python bench/roads.py [junctions_per_side] [shape_points]``. Prints, for the Monaco extract in
tests/data/osm (OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0): read + build seconds, cache save and
load, and the median time of a 40 x 40 matrix. Then writes a synthetic county-sized extract (a street grid of
``junctions_per_side``^2 junctions with ``shape_points`` shape points between neighbours: 450 and 2 give about
1 M road nodes and 200 k junctions, a county's drivable network) and times the same steps with a 200 x 200 matrix.

Targets: county graph build <= 60 s and cached; 200 x 200 matrix <= 5 s on the 2-core machine; 40 x 40 on Monaco
<= 5 s after load. A real 50 MB county file also holds buildings and other nodes the reader must pass over:
the Monaco read rate (MB/s of file) gives that part of the estimate.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import osmium

from opscore.routing import RoadNetwork
from opscore.routing.osm_read import read_drivable

MONACO = Path(__file__).resolve().parents[1] / "tests" / "data" / "osm" / "monaco.osm.pbf"
STEP_DEG = 0.001
"""Spacing of the synthetic grid's junctions, degrees (about 110 m north-south)."""


def write_grid(path: Path, k: int, shape: int) -> int:
    """A ``k`` x ``k`` street grid with ``shape`` points between junctions (ways of ten blocks, every seventh row
    one-way, road types cycling); returns the number of nodes written."""
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    sub = shape + 1
    per_row = (k - 1) * sub + 1
    row = np.arange(k * per_row).reshape(k, per_row) + 1
    for i in range(k):
        for j in range(per_row):
            writer.add_node(osmium.osm.mutable.Node(id=int(row[i, j]),
                                                    location=(-1.0 + j * STEP_DEG / sub, 52.0 + i * STEP_DEG)))
    col = np.zeros((k, per_row), dtype=np.int64)
    next_id = k * per_row + 1
    for j in range(k):
        for m in range(per_row):
            if m % sub == 0:
                col[j, m] = row[m // sub, j * sub]
            else:
                col[j, m] = next_id
                writer.add_node(osmium.osm.mutable.Node(id=next_id, location=(-1.0 + j * STEP_DEG,
                                                                              52.0 + m * STEP_DEG / sub)))
                next_id += 1
    types = ["residential", "residential", "tertiary", "secondary", "primary", "unclassified"]
    way_id = 1
    for lines, oneway_every in ((row, 7), (col, 0)):
        for i in range(k):
            for a in range(0, per_row - 1, sub * 10):
                tags = {"highway": types[i % len(types)]}
                if oneway_every and i % oneway_every == 3:
                    tags["oneway"] = "yes"
                nodes = [int(x) for x in lines[i, a:min(a + sub * 10, per_row - 1) + 1]]
                writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags))
                way_id += 1
    writer.close()
    return next_id - 1


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Run ``fn`` ``repeat`` times; print the median seconds; return the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    print(f"  {label}: {statistics.median(times):.2f} s" + (f" (median of {repeat})" if repeat > 1 else ""))
    return out


def network_figures(path: Path, n_points: int, folder: Path) -> None:
    net = timed("read + build", lambda: RoadNetwork.from_pbf(path))
    print(f"  {net.n_vertices:,} junctions, {net.n_chains:,} road pieces, {net.road_km():,.0f} km of road, "
          f"{len(net.shape_lat):,} shape points")
    timed("save the graph (Parquet)", lambda: net.save(folder))
    loaded = timed("load the saved graph", lambda: RoadNetwork.load(folder))
    s, w, n, e = net.bounds()
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(s, n, n_points), rng.uniform(w, e, n_points)
    timed("snapping index (first use after load)", lambda: loaded.snap(lat[:1], lon[:1]))
    km, _ = timed(f"{n_points} x {n_points} matrix, points spread over the whole extract",
                  lambda: loaded.matrices(lat, lon, ["default"]), repeat=3)
    print(f"  mean road km between points: {km[km > 0].mean():.2f}")
    town = (s + (n - s) * 0.4 + (n - s) * 0.1 * rng.random(n_points), w + (e - w) * 0.4 + (e - w) * 0.1 * rng.random(
        n_points))
    km, _ = timed(f"{n_points} x {n_points} matrix, points in one tenth of the width (a town)",
                  lambda: loaded.matrices(*town, ["default"]), repeat=3)
    print(f"  mean road km between points: {km[km > 0].mean():.2f}")


def main(k: int = 450, shape: int = 2) -> None:
    size_mb = MONACO.stat().st_size / 1e6
    t0 = time.perf_counter()
    ways = read_drivable(MONACO)
    read_s = time.perf_counter() - t0
    print(f"Monaco ({size_mb:.1f} MB; {len(ways.node_id):,} road nodes in {len(ways.ptr) - 1:,} drivable ways): "
          f"read at {size_mb / read_s:.0f} MB/s of file")
    with tempfile.TemporaryDirectory() as tmp:
        network_figures(MONACO, 40, Path(tmp) / "monaco")
        grid = Path(tmp) / "grid.osm.pbf"
        nodes = timed(f"write a synthetic {k} x {k} grid extract", lambda: write_grid(grid, k, shape))
        print(f"Synthetic county ({nodes:,} nodes, {grid.stat().st_size / 1e6:.1f} MB):")
        network_figures(grid, 200, Path(tmp) / "grid")
    print(f"Estimate for a 50 MB county file: read the whole file at the Monaco rate, {50 / (size_mb / read_s):.0f} s, "
          "plus the build above (the grid's road part).")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
