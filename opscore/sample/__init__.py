"""The sample business: generate it, write it as CSVs, build a workspace from the CSVs.

The shipped CSVs in ``data/sample/`` are ``write_csvs(generate())``; a test checks
that the generator still reproduces them byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opscore.io import import_frames, read_file
from opscore.sample.catalogue import BUSINESS_NAME
from opscore.sample.generator import AS_OF, DEFAULT_SEED, SampleSpec, generate
from opscore.store import Store, load_order, open_store, wal_path
from opscore.workspaces import sample_dir

__all__ = [
    "AS_OF", "DEFAULT_SEED", "SampleSpec", "build_sample_workspace", "generate", "load_csvs", "write_csvs",
]


def write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write each table to ``folder/<table>.csv`` (ISO dates, no index)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\n")
        paths.append(path)
    return paths


def load_csvs(store: Store, folder: Path | None = None) -> None:
    """Import every ``<table>.csv`` in ``folder`` into ``store`` through the validating importer."""
    folder = folder or sample_dir()
    raw = {}
    for name in load_order():
        path = folder / f"{name}.csv"
        if path.exists():
            raw[name] = read_file(path.read_bytes(), path.name)
    report = import_frames(store, raw, mode="replace")
    if not report.ok:
        raise ValueError("the sample CSVs failed validation:\n" + "\n".join(map(str, report.problems[:20])))


def build_sample_workspace(path: Path, folder: Path | None = None) -> Path:
    """Create the sample workspace file at ``path`` from the CSVs (atomically: built aside, then moved)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    store = open_store(tmp)
    with store.transaction() as w:
        w.set_meta("name", f"Sample: {BUSINESS_NAME}")
        w.set_meta("as_of_date", AS_OF.isoformat())
        w.set_meta("currency", "GBP")
    load_csvs(store, folder)
    store.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    wal_path(path).unlink(missing_ok=True)  # a stale log would be replayed onto the new file
    tmp.replace(path)
    return path
