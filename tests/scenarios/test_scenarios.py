"""Scenarios: saved exactly, compared correctly, kept inside their workspace, exported as a report."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from opscore.emission_factors import default_factors
from opscore.scenarios import (
    assumptions_table,
    delete_scenario,
    kpi_table,
    list_scenarios,
    load_scenario,
    parameters_table,
    rename_scenario,
    report_excel,
    report_html,
    save_scenario,
)
from opscore.store import Store, open_store


def _two(store: Store):  # type: ignore[no-untyped-def]
    a = save_scenario(store, "Today", "inventory", {"seed": 7, "growth_pct": 0, "skus": ["DAI-001"]},
                      {"cost_gbp": 1000.0, "service_level_pct": 95.0}, author="Sam", notes="as is")
    b = save_scenario(store, "Growth", "inventory", {"seed": 7, "growth_pct": 10, "skus": ["DAI-001"]},
                      {"cost_gbp": 1150.0, "service_level_pct": 93.1, "co2e_kg": 12.0})
    return a, b


def test_save_and_reload_round_trip(sample_store: Store) -> None:
    """A reloaded scenario has exactly the saved parameters (seed included), results, author and notes."""
    a, _ = _two(sample_store)
    again = load_scenario(sample_store, a.scenario_id)
    assert again == a
    assert again.params == {"seed": 7, "growth_pct": 0, "skus": ["DAI-001"]}


def test_kpi_deltas_against_the_chosen_baseline(sample_store: Store) -> None:
    """Growth vs Today: cost +150 (+15 %), service -1.9 points; a KPI only one recorded has no delta."""
    a, b = _two(sample_store)
    k = kpi_table([a, b], baseline=0).set_index(["scenario", "kpi"])
    growth = f"Growth ({b.scenario_id[:6]})"
    assert k.loc[(growth, "cost_gbp"), "change"] == pytest.approx(150.0)
    assert k.loc[(growth, "cost_gbp"), "change_pct"] == pytest.approx(15.0)
    assert k.loc[(growth, "service_level_pct"), "change"] == pytest.approx(-1.9)
    assert k.loc[(growth, "co2e_kg"), "change"] != k.loc[(growth, "co2e_kg"), "change"]  # NaN: no baseline value
    reverse = kpi_table([a, b], baseline=1).set_index(["scenario", "kpi"])
    assert reverse.loc[(f"Today ({a.scenario_id[:6]})", "cost_gbp"), "change"] == pytest.approx(-150.0)


def test_parameters_table_flags_what_differs(sample_store: Store) -> None:
    """Only the growth differs between the two; settings are named in words, differing ones first."""
    a, b = _two(sample_store)
    p = parameters_table([a, b])
    assert list(p["Setting"]) == ["Growth (%)", "Items", "Random seed"]
    assert list(p["Differs"]) == [True, False, False]
    assert list(p[f"Today ({a.scenario_id[:6]})"]) == ["0", "DAI-001", "7"]


def test_a_scenario_id_from_one_workspace_does_not_open_in_another(sample_db: Path, tmp_path: Path) -> None:
    """Workspace isolation: the id of A's scenario is unknown in B, with a message saying so."""
    shutil.copyfile(sample_db, tmp_path / "a.duckdb")
    shutil.copyfile(sample_db, tmp_path / "b.duckdb")
    a, b = open_store(tmp_path / "a.duckdb"), open_store(tmp_path / "b.duckdb")
    s = save_scenario(a, "Only in A", "routes", {"seed": 1}, {"km": 100.0})
    with pytest.raises(KeyError, match="not in this workspace|no scenario"):
        load_scenario(b, s.scenario_id)
    assert list_scenarios(b) == []
    a.close()
    b.close()


@pytest.mark.parametrize(("name", "params", "results", "message"), [
    ("  ", {}, {}, "needs a name"),
    ("x" * 81, {}, {}, "at most 80"),
    ("ok", {"when": datetime(2026, 1, 1)}, {}, "JSON"),
    ("ok", {}, {"cost_gbp": float("nan")}, "finite numbers"),
])
def test_bad_scenarios_are_refused_and_nothing_is_saved(sample_store: Store, name: str, params: dict,
                                                        results: dict, message: str) -> None:
    """Empty or overlong names, non-JSON parameters and NaN results are refused with a clear reason."""
    with pytest.raises(ValueError, match=message):
        save_scenario(sample_store, name, "inventory", params, results)
    assert sample_store.count("scenarios") == 0


def test_rename_and_delete(sample_store: Store) -> None:
    """Rename keeps the id; delete removes only that scenario; unknown ids are a KeyError."""
    a, b = _two(sample_store)
    rename_scenario(sample_store, a.scenario_id, "Today, as is")
    assert load_scenario(sample_store, a.scenario_id).name == "Today, as is"
    delete_scenario(sample_store, a.scenario_id)
    assert [s.scenario_id for s in list_scenarios(sample_store)] == [b.scenario_id]
    with pytest.raises(KeyError):
        delete_scenario(sample_store, a.scenario_id)


def test_html_report_is_self_contained(sample_store: Store) -> None:
    """The HTML embeds plotly.js once and loads no script from the internet; text is escaped."""
    a, b = _two(sample_store)
    rename_scenario(sample_store, b.scenario_id, "<script>alert(1)</script>")
    b = load_scenario(sample_store, b.scenario_id)
    page = report_html("acme", date(2026, 11, 2), [a, b], assumptions=assumptions_table(default_factors()))
    assert "<script src=" not in page
    assert page.count("plotly.js v") >= 1 and "Plotly.newPlot" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "UK Government GHG Conversion Factors" in page


def test_excel_report_has_the_expected_sheets(sample_store: Store) -> None:
    """About, Key results, Settings and Assumptions sheets, with the workspace name."""
    a, b = _two(sample_store)
    book = openpyxl.load_workbook(io.BytesIO(report_excel("acme", date(2026, 11, 2), [a, b],
                                                          assumptions=assumptions_table(default_factors()))))
    assert book.sheetnames == ["About", "Key results", "Settings", "Assumptions"]
    assert book["About"]["B2"].value == "acme"
