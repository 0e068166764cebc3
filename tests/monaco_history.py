"""Two weeks of delivery history for the Monaco test business (tests/monaco.py), made up deterministically so the
pages that learn from or check past deliveries (Delivery options, Compliance) have rounds to read.

Every working day (Mon-Sat) of the 14 days before the workspace's date, about half the 25 customers took a delivery:
customer MCnn ordered the day before and van V1, V2 or V3 (by nn mod 3) visited its customers in order of their
window, at the window's start or 12 minutes after the previous stop. About one first attempt in nine failed
(customer absent); arrivals were up to 7 minutes late or 3 early.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
from monaco import AS_OF, MONACO_PBF, build_monaco_workspace

from opscore.io import import_frames
from opscore.routing.road_files import attach_extract
from opscore.store import share_store
from opscore.workspaces import Workspace

HISTORY_DAYS = 14
STOP_GAP_MINUTES = 12


def monaco_history(customers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Orders and deliveries (the tables' columns) of the made-up history."""
    orders, deliveries = [], []
    for back in range(HISTORY_DAYS, 0, -1):
        day = AS_OF - timedelta(days=back)
        if day.weekday() == 6:
            continue
        due = customers[[(int(c[2:]) + day.toordinal()) % 2 == 0 for c in customers["customer_id"]]]
        due = due.assign(van=[f"V{int(c[2:]) % 3 + 1}" for c in due["customer_id"]]).sort_values("window_start")
        for van, stops in due.groupby("van"):
            free = pd.Timestamp(day) + pd.Timedelta(hours=6)
            for c in stops.itertuples():
                n = int(c.customer_id[2:])
                start = pd.Timestamp(f"{day} {c.window_start}")
                arrival = max(start, free)
                free = arrival + pd.Timedelta(minutes=STOP_GAP_MINUTES)
                failed = (n * 7 + day.toordinal()) % 9 == 0
                oid = f"H{day:%m%d}{c.customer_id}"
                orders.append({"order_id": oid, "customer_id": c.customer_id, "order_date": day - timedelta(days=1),
                               "delivery_date": day, "status": "failed" if failed else "delivered"})
                deliveries.append({
                    "delivery_id": f"D{oid}", "order_id": oid, "vehicle_id": van, "attempt": 1, "planned_date": day,
                    "planned_arrival": arrival,
                    "actual_arrival": arrival + pd.Timedelta(minutes=(n + day.toordinal()) % 11 - 3),
                    "outcome": "failed" if failed else "delivered",
                    "failure_reason": "customer absent" if failed else None})
    return {"orders": pd.DataFrame(orders), "deliveries": pd.DataFrame(deliveries)}


def add_monaco_history(ws: Workspace) -> int:
    """Import the history into the Monaco workspace ``ws`` (its own orders stay); the number of deliveries."""
    store = share_store(ws.path)
    history = monaco_history(store.table("customers"))
    report = import_frames(store, history, mode="refresh")
    if not report.ok:
        raise ValueError("the Monaco history failed validation:\n" + "\n".join(map(str, report.problems[:20])))
    return len(history["deliveries"])


def monaco_on_roads(root: Path) -> Workspace:
    """The Monaco workspace in the data folder ``root``, with its history and the roads of
    tests/data/osm/monaco.osm.pbf recorded as its road network (as the Data page's Road network tab does)."""
    ws = build_monaco_workspace(root)
    add_monaco_history(ws)
    attach_extract(ws, share_store(ws.path), MONACO_PBF, MONACO_PBF.name)
    return ws
