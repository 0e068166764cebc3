"""Delivery events (departed, arrived, delivered, failed, ping): checking and appending to the store.

Rules, each refusing the whole batch with a message naming the row: known vehicle (and order, if
given), a kind from the schema, a valid time, no duplicate event (same id, or same vehicle, kind,
order and time), no event earlier than that vehicle's latest recorded one, a reason on every failed
attempt, and a position on every ping.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from opscore.store import Store
from opscore.store.schema import get_table

EVENT_COLUMNS = get_table("delivery_events").column_names
KINDS = get_table("delivery_events").column("kind").choices or ()
SOURCES = get_table("delivery_events").column("source").choices or ()
STOP_KINDS = ("arrived", "delivered", "failed")
"""Kinds that are about one order (a stop on the route)."""


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and pd.isna(x)) or str(x).strip() in ("", "nan", "None", "NaT", "<NA>")


def event_ids(frame: pd.DataFrame, existing_ids: Iterable[str] = ()) -> list[str]:
    """Stable ids 'vehicle-kind-YYYYmmddHHMMSS[-n]' for rows without one, unique among ``existing_ids``."""
    taken = set(existing_ids)
    out = []
    for r in frame.itertuples():
        base = f"{r.vehicle_id}-{r.kind}-{pd.Timestamp(r.ts):%Y%m%d%H%M%S}"
        eid, n = base, 1
        while eid in taken:
            n += 1
            eid = f"{base}-{n}"
        taken.add(eid)
        out.append(eid)
    return out


def check_events(new: pd.DataFrame, existing: pd.DataFrame, vehicles: Iterable[str],
                 orders: Iterable[str] | None = None, source: str = "csv") -> pd.DataFrame:
    """Typed, complete copy of ``new`` events (ids filled, ``source`` where empty) or ValueError naming the row.

    ``existing`` holds the events already recorded (the ``delivery_events`` table).
    """
    if source not in SOURCES:
        raise ValueError(f"source {source!r} is not one of {', '.join(SOURCES)}")
    need = {"vehicle_id", "kind", "ts"}
    if missing := need - set(new.columns):
        raise ValueError(f"events lack column(s) {', '.join(sorted(missing))}; "
                         f"expected {', '.join(EVENT_COLUMNS)} (event_id, order_id, lat, lon, reason optional)")
    if extra := set(new.columns) - set(EVENT_COLUMNS):
        raise ValueError(f"events have unknown column(s) {', '.join(sorted(extra))}; "
                         f"expected {', '.join(EVENT_COLUMNS)}")
    f = new.copy().reset_index(drop=True)
    for col in EVENT_COLUMNS:
        if col not in f.columns:
            f[col] = None
    known_vans, known_orders = set(map(str, vehicles)), None if orders is None else set(map(str, orders))
    ts = pd.to_datetime(f["ts"], errors="coerce", format="mixed")
    for n, r in enumerate(f.to_dict("records"), start=1):
        where = f"event row {n}"
        van = "" if _blank(r["vehicle_id"]) else str(r["vehicle_id"]).strip()
        if van not in known_vans:
            raise ValueError(f"{where}: unknown vehicle {van!r}; known vehicles are {', '.join(sorted(known_vans))}")
        if str(r["kind"]).strip() not in KINDS:
            raise ValueError(f"{where}: kind {r['kind']!r} is not one of {', '.join(KINDS)}")
        if pd.isna(ts.iloc[n - 1]):
            raise ValueError(f"{where}: time {r['ts']!r} is not a date and time like 2026-11-02 09:30")
        kind = str(r["kind"]).strip()
        if kind in STOP_KINDS and _blank(r["order_id"]):
            raise ValueError(f"{where}: a {kind!r} event needs the order_id it is about")
        if not _blank(r["order_id"]) and known_orders is not None and str(r["order_id"]).strip() not in known_orders:
            raise ValueError(f"{where}: unknown order {r['order_id']!r}; check the order reference")
        if kind == "failed" and _blank(r["reason"]):
            raise ValueError(f"{where}: a failed attempt needs a reason (e.g. 'customer absent')")
        if kind == "ping" and (_blank(r["lat"]) or _blank(r["lon"])):
            raise ValueError(f"{where}: a position ping needs lat and lon")
        for col, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
            if not _blank(r[col]) and not lo <= float(r[col]) <= hi:
                raise ValueError(f"{where}: {col} {r[col]} is outside {lo} to {hi} degrees")
        if not _blank(r["source"]) and str(r["source"]) not in SOURCES:
            raise ValueError(f"{where}: source {r['source']!r} is not one of {', '.join(SOURCES)}")
    f["vehicle_id"] = f["vehicle_id"].astype(str).str.strip()
    f["kind"] = f["kind"].astype(str).str.strip()
    f["ts"] = ts
    f["order_id"] = [None if _blank(x) else str(x).strip() for x in f["order_id"]]
    f["reason"] = [None if _blank(x) else str(x).strip() for x in f["reason"]]
    f["source"] = [source if _blank(x) else str(x) for x in f["source"]]
    f["lat"] = pd.to_numeric(f["lat"], errors="coerce")
    f["lon"] = pd.to_numeric(f["lon"], errors="coerce")
    old_ids = set(existing["event_id"].astype(str)) if len(existing) else set()
    given = [None if _blank(x) else str(x).strip() for x in f["event_id"]]
    for n, eid in enumerate(given, start=1):
        if eid is not None and (eid in old_ids or given.index(eid) != n - 1):
            raise ValueError(f"event row {n}: duplicate event: id {eid!r} is already recorded; nothing was added")
    fill = [i for i, e in enumerate(given) if e is None]
    if fill:
        new_ids = event_ids(f.iloc[fill], old_ids | {e for e in given if e})
        for i, e in zip(fill, new_ids):
            given[i] = e
    f["event_id"] = given
    both = pd.concat([existing.assign(_row=0), f.assign(_row=range(1, len(f) + 1))], ignore_index=True)
    key = ["vehicle_id", "kind", "ts"]
    both["_order"] = both["order_id"].fillna("")
    dup = both[both.duplicated([*key, "_order"], keep=False) & (both["_row"] > 0)]
    if len(dup):
        r = dup.iloc[0]
        raise ValueError(f"event row {int(r['_row'])}: duplicate event: {r['vehicle_id']} {r['kind']} at "
                         f"{pd.Timestamp(r['ts']):%Y-%m-%d %H:%M:%S} is already recorded; nothing was added")
    latest = (existing.groupby("vehicle_id")["ts"].max().to_dict() if len(existing) else {})
    for n, r in enumerate(f.itertuples(), start=1):
        last = latest.get(r.vehicle_id)
        if last is not None and pd.Timestamp(r.ts) < pd.Timestamp(last):
            raise ValueError(f"event row {n}: time going backwards for {r.vehicle_id}: "
                             f"{pd.Timestamp(r.ts):%Y-%m-%d %H:%M} "
                             f"is before its latest event at {pd.Timestamp(last):%Y-%m-%d %H:%M}; "
                             "send events in time order")
        latest[r.vehicle_id] = r.ts
    return f[EVENT_COLUMNS]


def append_events(store: Store, new: pd.DataFrame, source: str = "csv") -> pd.DataFrame:
    """Check ``new`` against the store and append it in one transaction; returns the rows written."""
    existing = store.table("delivery_events")
    vans = store.table("vehicles", columns=["vehicle_id"])["vehicle_id"]
    orders = store.table("orders", columns=["order_id"])["order_id"]
    checked = check_events(new, existing, vans, orders, source)
    with store.transaction() as w:
        w.append("delivery_events", checked)
    return checked


def read_events_csv(data: bytes | str | Path) -> pd.DataFrame:
    """Events from CSV bytes or a file path, all columns as text (checked later by :func:`check_events`)."""
    raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"the events file could not be read as CSV: {exc}") from None


def append_events_csv(store: Store, data: bytes | str | Path) -> pd.DataFrame:
    """Append the events of a CSV file (columns as in ``delivery_events``) after checking them."""
    return append_events(store, read_events_csv(data), source="csv")
