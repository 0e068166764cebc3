"""Scenarios page and the optional workshop password gate, rendered headless with AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opscore.scenarios import save_scenario
from opscore.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def test_scenarios_page_without_scenarios_says_how_to_make_one(open_page) -> None:  # type: ignore[no-untyped-def]
    """An empty log explains where scenarios come from."""
    at = open_page("views/scenarios.py")
    assert any("No scenarios yet" in i.value for i in at.info)


def test_scenarios_page_compares_saved_scenarios(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Two saved scenarios appear in the log and in the comparison chart with their KPIs."""
    store = open_store(data_dir / "workbench.duckdb")
    save_scenario(store, "Today", "inventory", {"seed": 1}, {"cost_gbp": 100.0})
    save_scenario(store, "Bigger orders", "inventory", {"seed": 1}, {"cost_gbp": 80.0})
    store.close()
    at = open_page("views/scenarios.py")
    assert set(at.dataframe[0].value["name"]) == {"Today", "Bigger orders"}
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Cost (£)"]


def test_password_gate_shows_nothing_of_the_workspace(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With OPSCORE_PASSWORD set, the first screen is the password form and no workspace figure
    (the wrong/right password flow is checked in a real browser: tests/e2e/test_browser_workshop.py)."""
    monkeypatch.setenv("OPSCORE_PASSWORD", "leeds-2026")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.text_input[0].label == "Workshop password"
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox


def test_switching_workspace_never_shows_the_other_clients_cached_figures(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Client B is a copy of the sample with half the stock; home shows B's figures after the switch (not A's
    cached ones), and A's again after switching back."""
    from opscore.workspaces import duplicate_workspace, workspace

    b = duplicate_workspace(workspace("sample", data_dir), "client-b", data_dir)
    store = open_store(b.path)
    inventory = store.table("inventory")
    with store.transaction() as w:
        w.replace("inventory", inventory.assign(quantity=inventory["quantity"] // 2))
    store.close()
    at = open_page("views/home.py")
    value_a = at.metric[0].value
    at.session_state["workspace"] = "client-b"  # what the sidebar switcher sets
    at.run()
    value_b = at.metric[0].value
    at.session_state["workspace"] = "sample"
    at.run()
    assert not at.exception
    assert value_b != value_a and at.metric[0].value == value_a
