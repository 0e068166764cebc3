"""The Monaco test business as a workspace: CSVs in tests/data/monaco/, roads in tests/data/osm/monaco.osm.pbf.

Riviera Fresh, a food wholesaler, delivers from one depot in Fontvieille (site MCF, Rue du Gabian, 43.72846 N
7.41366 E) with 3 vans: V1 large electric van (900 kg), V2 small electric van (600 kg), V3 large diesel van
(1,200 kg), all 06:00-14:00. 25 customers (MC01-MC25) at Monaco street addresses (tests/data/monaco/README.md), each
on a node of a drivable OpenStreetMap way of that street; 13 products from 3 suppliers; one delivery day: 25 open
orders (MO001-MO025, one per customer, 75 lines, 1,802.0 kg) due Tuesday 17 Nov 2026. The workspace's date (as of)
is Monday 16 Nov 2026, so the Route map opens on that day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opscore.io import import_frames, read_file
from opscore.store import load_order, share_store
from opscore.workspaces import Workspace, create_workspace

ROOT = Path(__file__).resolve().parent
MONACO_DIR = ROOT / "data" / "monaco"
MONACO_PBF = ROOT / "data" / "osm" / "monaco.osm.pbf"
AS_OF = date(2026, 11, 16)
DELIVERY_DAY = date(2026, 11, 17)
CUSTOMERS, ORDERS, ORDER_LINES, VANS = 25, 25, 75, 3
TOTAL_KG = 1802.0
MONACO_BOX = (43.724, 7.405, 43.752, 7.440)
"""South, west, north, east (degrees): every customer and the depot lie inside."""


def build_monaco_workspace(root: Path, name: str = "monaco") -> Workspace:
    """Create workspace ``name`` under the data folder ``root`` (as of ``AS_OF``) and import the Monaco CSVs through
    the validating importer the Data page uses; ValueError lists the problems if a file does not validate."""
    ws = create_workspace(name, root, as_of=AS_OF)
    raw = {table: read_file(path.read_bytes(), path.name)
           for table in load_order() if (path := MONACO_DIR / f"{table}.csv").exists()}
    report = import_frames(share_store(ws.path), raw, mode="replace")
    if not report.ok:
        raise ValueError("the Monaco CSVs failed validation:\n" + "\n".join(map(str, report.problems[:20])))
    return ws
