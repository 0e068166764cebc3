"""Delivery events: bad events refused with clear messages (and nothing stored), CSV and command-line appends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from opscore.tracking import append_events, append_events_csv
from opscore.tracking.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _today_order(store) -> str:  # type: ignore[no-untyped-def]
    d = store.table("deliveries")
    return str(d[(d["planned_date"].dt.date == store.as_of()) & (d["vehicle_id"] == "V1")]["order_id"].iloc[0])


def _row(**kw: object) -> pd.DataFrame:
    base = {"vehicle_id": "V1", "kind": "departed", "ts": "2026-11-02 06:20"}
    return pd.DataFrame([{**base, **kw}])


@pytest.mark.parametrize("row, message", [
    (dict(vehicle_id="V9"), "unknown vehicle 'V9'"),
    (dict(kind="teleported"), "kind 'teleported' is not one of"),
    (dict(ts="yesterday-ish"), "time 'yesterday-ish' is not a date and time"),
    (dict(kind="failed", order_id="O000001"), "a failed attempt needs a reason"),
    (dict(kind="delivered"), "a 'delivered' event needs the order_id it is about"),
    (dict(kind="ping"), "a position ping needs lat and lon"),
    (dict(kind="arrived", order_id="O999999"), "unknown order 'O999999'"),
    (dict(kind="ping", lat=95.0, lon=-1.5), "lat 95.0 is outside"),
])
def test_bad_events_are_refused_and_nothing_is_stored(sample_store, row, message) -> None:  # type: ignore[no-untyped-def]
    """Each malformed event is refused with a message naming the row and the problem; the table stays empty."""
    with pytest.raises(ValueError, match="event row 1: " + message.replace("(", r"\(")):
        append_events(sample_store, _row(**row), source="app")
    assert sample_store.count("delivery_events") == 0


def test_time_going_backwards_and_duplicates_are_refused(sample_store) -> None:  # type: ignore[no-untyped-def]
    """After a 06:20 departure: an event at 06:10 is 'time going backwards', the same event again and a reused
    id are 'duplicate event'; two rows out of order in one batch are refused too. Only the first write stays."""
    order = _today_order(sample_store)
    append_events(sample_store, _row(event_id="X1"), source="app")
    with pytest.raises(ValueError, match="time going backwards for V1: 2026-11-02 06:10 is before its latest event "
                                         "at 2026-11-02 06:20"):
        append_events(sample_store, _row(ts="2026-11-02 06:10", kind="ping", lat=53.8, lon=-1.5), source="app")
    with pytest.raises(ValueError, match="duplicate event: V1 departed at 2026-11-02 06:20:00 is already recorded"):
        append_events(sample_store, _row(), source="app")
    with pytest.raises(ValueError, match="duplicate event: id 'X1' is already recorded"):
        append_events(sample_store, _row(event_id="X1", ts="2026-11-02 07:00"), source="app")
    batch = pd.concat([_row(kind="arrived", order_id=order, ts="2026-11-02 07:30"),
                       _row(kind="delivered", order_id=order, ts="2026-11-02 07:20")])
    with pytest.raises(ValueError, match="event row 2: time going backwards"):
        append_events(sample_store, batch, source="app")
    assert sample_store.table("delivery_events")["event_id"].tolist() == ["X1"]


def test_csv_append_goes_through_the_store(sample_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A CSV of three events is checked and appended in one transaction, with ids made up and source 'csv'."""
    order = _today_order(sample_store)
    f = tmp_path / "events.csv"
    f.write_text("vehicle_id,kind,ts,order_id,lat,lon,reason\n"
                 "V1,departed,2026-11-02 06:20,,,,\n"
                 f"V1,arrived,2026-11-02 06:45,{order},,,\n"
                 f"V1,failed,2026-11-02 06:50,{order},,,customer absent\n")
    version = sample_store.data_version()
    written = append_events_csv(sample_store, f)
    stored = sample_store.table("delivery_events", order_by=["ts"])
    assert len(written) == 3 and list(stored["kind"]) == ["departed", "arrived", "failed"]
    assert set(stored["source"]) == {"csv"} and stored["event_id"].is_unique
    assert stored["reason"].iloc[2] == "customer absent" and sample_store.data_version() == version + 1


def test_command_line_records_an_event_and_refuses_a_bad_one(sample_store, capsys) -> None:  # type: ignore[no-untyped-def]
    """`add-event` writes to the workspace file (source 'cli'); an unknown van exits 2 with the reason on stderr."""
    path = str(sample_store.path)
    order = _today_order(sample_store)
    sample_store.close()
    assert main(["add-event", "--workspace", path, "--vehicle", "V1", "--kind", "arrived", "--order", order,
                 "--time", "2026-11-02 07:05"]) == 0
    assert "recorded 1 event(s)" in capsys.readouterr().out
    assert main(["add-event", "--workspace", path, "--vehicle", "V7", "--kind", "departed",
                 "--time", "2026-11-02 07:10"]) == 2
    assert "unknown vehicle 'V7'" in capsys.readouterr().err
    done = subprocess.run([sys.executable, "-m", "opscore.tracking", "add-event", "--workspace", path, "--vehicle",
                           "V1", "--kind", "delivered", "--order", order, "--time", "2026-11-02 07:00"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "time going backwards" in done.stderr
    from opscore.store import open_store
    store = open_store(path, read_only=True)
    ev = store.table("delivery_events")
    store.close()
    assert list(ev["kind"]) == ["arrived"] and list(ev["source"]) == ["cli"]
