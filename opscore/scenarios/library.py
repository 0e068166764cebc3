"""Saved what-ifs: a named set of page parameters (seed included) and the key results they gave.

Scenarios live in the workspace's ``scenarios`` table, so they never leave the client's workspace.
Parameters and results are stored as JSON; results are numbers keyed by KPI name
(see :data:`opscore.scenarios.labels.KPI_LABELS` for the shared names pages use).
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from opscore.scenarios.labels import kpi_label
from opscore.store import Store

MAX_NAME = 80


@dataclass(frozen=True)
class Scenario:
    """A saved what-if."""

    scenario_id: str
    name: str
    page: str
    """The page it came from, e.g. 'inventory'."""
    params: dict[str, Any]
    """Everything needed to reproduce it, including any random seed."""
    results: dict[str, float]
    """Key results by KPI name (units in the name, e.g. cost_gbp)."""
    created_at: datetime
    author: str | None = None
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _json(value: Mapping[str, Any], what: str) -> str:
    try:
        return json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"scenario {what} must be plain numbers, text, lists or dicts (JSON): {exc}") from None


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name, e.g. 'Two EV vans from January'")
    if len(name) > MAX_NAME:
        raise ValueError(f"scenario names are at most {MAX_NAME} characters (this one has {len(name)})")
    return name


def save_scenario(store: Store, name: str, page: str, params: Mapping[str, Any], results: Mapping[str, float],
                  author: str | None = None, notes: str | None = None, now: datetime | None = None) -> Scenario:
    """Save a what-if in the workspace and return it (with its new id)."""
    bad = [k for k, v in results.items() if not isinstance(v, (int, float)) or not math.isfinite(float(v))]
    if bad:
        raise ValueError(f"scenario results must be finite numbers; check {', '.join(bad)}")
    scenario = Scenario(
        scenario_id=uuid.uuid4().hex[:12], name=_check_name(name), page=page, params=dict(params),
        results={k: float(v) for k, v in results.items()}, created_at=(now or datetime.now()).replace(microsecond=0),
        author=(author or "").strip() or None, notes=(notes or "").strip() or None,
    )
    row = pd.DataFrame([{
        "scenario_id": scenario.scenario_id, "name": scenario.name, "page": page,
        "params_json": _json(scenario.params, "parameters"), "results_json": _json(scenario.results, "results"),
        "author": scenario.author, "created_at": pd.Timestamp(scenario.created_at), "notes": scenario.notes,
    }])
    with store.transaction() as w:
        w.append("scenarios", row)
    return scenario


def _from_row(row: Mapping[str, Any]) -> Scenario:
    return Scenario(
        scenario_id=str(row["scenario_id"]), name=str(row["name"]), page=str(row["page"]),
        params=json.loads(row["params_json"]), results=json.loads(row["results_json"]),
        created_at=pd.Timestamp(row["created_at"]).to_pydatetime(),
        author=row["author"] if isinstance(row["author"], str) else None,
        notes=row["notes"] if isinstance(row["notes"], str) else None,
    )


def load_scenario(store: Store, scenario_id: str) -> Scenario:
    """The scenario with this id in this workspace; ``KeyError`` if it is not here."""
    rows = store.table("scenarios", where={"scenario_id": scenario_id})
    if rows.empty:
        raise KeyError(f"no scenario {scenario_id!r} in this workspace; "
                       "it may belong to another workspace or have been deleted")
    return _from_row(rows.iloc[0])


def list_scenarios(store: Store, page: str | None = None) -> list[Scenario]:
    """The workspace's scenarios, newest first (optionally of one page)."""
    rows = store.table("scenarios", where={"page": page} if page else None, order_by=["created_at"])
    return [_from_row(r) for _, r in rows.iloc[::-1].iterrows()]


def scenario_log(scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per scenario: when, page, name, author, notes and its key results."""
    rows = []
    for s in scenarios:
        rows.append({"id": s.scenario_id, "saved": s.created_at, "page": s.page, "name": s.name,
                     "author": s.author or "", "notes": s.notes or "",
                     **{kpi_label(k): v for k, v in s.results.items()}})
    return pd.DataFrame(rows)


def rename_scenario(store: Store, scenario_id: str, name: str) -> None:
    load_scenario(store, scenario_id)
    with store.transaction() as w:
        w.update("scenarios", {"name": _check_name(name)}, {"scenario_id": scenario_id})


def annotate_scenario(store: Store, scenario_id: str, notes: str) -> None:
    load_scenario(store, scenario_id)
    with store.transaction() as w:
        w.update("scenarios", {"notes": notes.strip() or None}, {"scenario_id": scenario_id})


def delete_scenario(store: Store, scenario_id: str) -> None:
    load_scenario(store, scenario_id)
    with store.transaction() as w:
        w.delete("scenarios", {"scenario_id": scenario_id})
