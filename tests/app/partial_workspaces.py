"""Partial client workspaces: the sample with only some of its tables, built through the store API.

``build_partial`` copies the sample and empties a set of tables (``PARTIAL``) and every table whose required
references need one of them, children first, with ``writer.replace``.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pandas as pd

from opscore.store import TABLES, USER_TABLES, load_order, open_store


def _dependents(dropped: set[str]) -> set[str]:
    """``dropped`` plus every table with a required reference into it (repeated until nothing changes)."""
    out = set(dropped)
    while True:
        more = {t.name for t in TABLES for c in t.columns
                if c.required and c.references and c.references.split(".")[0] in out} - out
        if not more:
            return out
        out |= more


def keep_only(*kept: str) -> set[str]:
    """The user tables to drop so that only ``kept`` (and the app's own tables) hold rows."""
    return set(USER_TABLES) - set(kept)


PARTIAL: dict[str, set[str]] = {
    "products-only": keep_only("products", "suppliers"),
    "no-stock": keep_only("products", "suppliers", "sales"),
    "no-sites": _dependents({"sites", "vehicles"}),
    "no-assets": _dependents({"assets"}),
    "one-year": set(),
}
"""Workspace name -> the tables it has no rows in ('one-year' keeps every table but only 365 days of sales)."""


def build_partial(sample: Path, target: Path, name: str) -> Path:
    """Copy the sample to ``target`` and empty the tables of ``PARTIAL[name]`` (children first)."""
    shutil.copyfile(sample, target)
    dropped = _dependents(PARTIAL[name])
    store = open_store(target)
    try:
        with store.transaction() as w:
            w.set_meta("name", name)
            for table in reversed(load_order()):
                if table in dropped:
                    w.replace(table, store.table(table).iloc[0:0])
            if "vehicles" in dropped:  # an asset's van is optional: the asset stays, its link goes
                assets = store.table("assets")
                w.replace("assets", assets.assign(vehicle_id=pd.Series([None] * len(assets), dtype=object)))
            if name == "one-year":
                sales = store.table("sales")
                first = pd.Timestamp(store.as_of() - timedelta(days=365))
                w.replace("sales", sales[sales["date"] >= first])
        store.checkpoint()
    finally:
        store.close()
    return target
