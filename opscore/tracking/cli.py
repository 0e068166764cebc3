"""Command line: record a delivery event, or append a CSV of events, in a workspace file.

    python -m opscore.tracking add-event --workspace data/workbench.duckdb --vehicle V1 --kind delivered \
        --order O000123 --time "2026-11-02 09:41"
    python -m opscore.tracking import-csv --workspace data/workbench.duckdb events.csv

Bad input prints one clear message to stderr, writes nothing and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from opscore.store import StoreError, open_store
from opscore.tracking.events import KINDS, append_events, append_events_csv


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m opscore.tracking", description="Record delivery events.")
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-event", help="record one event")
    add.add_argument("--workspace", required=True, type=Path, help="the workspace file (.duckdb)")
    add.add_argument("--vehicle", required=True, help="vehicle id, e.g. V1")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--time", required=True, help="local date and time, e.g. '2026-11-02 09:41'")
    add.add_argument("--order", help="order reference (needed for arrived, delivered, failed)")
    add.add_argument("--lat", type=float, help="latitude, degrees")
    add.add_argument("--lon", type=float, help="longitude, degrees")
    add.add_argument("--reason", help="why an attempt failed")
    add.add_argument("--id", dest="event_id", help="event id (made up from vehicle, kind and time if left out)")
    imp = sub.add_parser("import-csv", help="append a CSV of events (delivery_events columns)")
    imp.add_argument("--workspace", required=True, type=Path)
    imp.add_argument("file", type=Path)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; 0 on success, 2 on bad input (message on stderr)."""
    args = _parser().parse_args(argv)
    if not args.workspace.exists():
        print(f"error: workspace file {args.workspace} does not exist", file=sys.stderr)
        return 2
    try:
        store = open_store(args.workspace)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "add-event":
            row = pd.DataFrame([{"event_id": args.event_id, "vehicle_id": args.vehicle, "order_id": args.order,
                                 "kind": args.kind, "ts": args.time, "lat": args.lat, "lon": args.lon,
                                 "reason": args.reason}])
            written = append_events(store, row, source="cli")
        else:
            if not args.file.exists():
                raise ValueError(f"events file {args.file} does not exist")
            written = append_events_csv(store, args.file)
    except (ValueError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"recorded {len(written)} event(s): {', '.join(written['event_id'].head(5))}"
          f"{' ...' if len(written) > 5 else ''}")
    return 0
