"""Scenarios through the pages (AppTest): saved from a page's what-if, reopened by link with the same numbers,
compared with their changes, renamed and deleted on the Scenarios page, and never opened in another workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from page_tabs import open_tab
from streamlit.testing.v1 import AppTest

from opscore.scenarios import (
    assumptions_table,
    list_scenarios,
    load_scenario,
    page_sections,
    report_html,
    save_scenario,
)
from opscore.store import open_store
from opscore.workspaces import duplicate_workspace, workspace

ROOT = Path(__file__).resolve().parents[2]


def _save_from_page(at: AppTest, name: str) -> None:
    """Fill the page's 'Save this what-if as a scenario' form and submit it."""
    next(t for t in at.text_input if t.label == "Name").set_value(name)
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception
    assert any(f"Saved **{name}**" in s.value for s in at.success)


def _open_link(page: str, scenario_id: str, workspace_name: str | None = None) -> AppTest:
    """A fresh browser session following a scenario link to ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["scenario"] = scenario_id
    if workspace_name:
        at.query_params["workspace"] = workspace_name
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def _forecast_units(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Expected demand over the next"))


def test_forecast_what_if_saved_on_the_page_reopens_with_the_same_numbers(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A +20 % demand, -5 % price what-if saved on the Forecast explorer reopens from its link with the same
    sliders and the same expected demand; its results use the shared KPI name forecast_units."""
    at = open_page("views/forecast.py")
    at.slider(key="fc_uplift").set_value(20).run()
    at.slider(key="fc_price").set_value(-5).run()
    text = _forecast_units(at)
    _save_from_page(at, "Spring push")
    store = open_store(data_dir / "workbench.duckdb")
    saved = list_scenarios(store)[0]
    store.close()
    assert saved.page == "forecast" and saved.params["uplift_pct"] == 20 and "forecast_units" in saved.results
    again = _open_link("views/forecast.py", saved.scenario_id)
    assert any("Spring push" in i.value for i in again.info)
    assert again.slider(key="fc_uplift").value == 20 and again.slider(key="fc_price").value == -5
    assert _forecast_units(again) == text


def test_supplier_disruption_saved_and_reopened_keeps_costs_and_result(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A six-week outage with a dearer expedite premium reopens with those settings and the same recommended
    cost (the link opens the what-if's tab); results carry the shared names cost_gbp, fill_rate_pct and
    revenue_at_risk_gbp."""
    at = open_tab(open_page("views/suppliers.py"), "views/suppliers.py", "Disruption what-if")
    at.slider(key="dis_weeks").set_value(6).run()
    next(n for n in at.number_input if n.label == "Expedite premium (% of cost)").set_value(60.0).run()
    advice = _recommendation(at)
    _save_from_page(at, "Six weeks out")
    store = open_store(data_dir / "workbench.duckdb")
    saved = list_scenarios(store)[0]
    store.close()
    assert {"cost_gbp", "fill_rate_pct", "revenue_at_risk_gbp"} <= set(saved.results)
    assert saved.params["expedite_premium"] == 0.6 and saved.params["supplier_rank"]
    assert saved.params["demand_source"] == "the last 52 weeks of sales" and saved.params["data_as_of"] == "2026-11-02"
    again = _open_link("views/suppliers.py", saved.scenario_id)
    assert again.slider(key="dis_weeks").value == 6
    assert next(n for n in again.number_input if n.label == "Expedite premium (% of cost)").value == 60.0
    assert _recommendation(again) == advice
    options = next(d.value for d in again.dataframe if "total_cost_gbp" in d.value.columns)
    assert any(abs(v - saved.results["cost_gbp"]) < 1e-6 for v in options["total_cost_gbp"])


def test_inventory_what_ifs_record_their_data_and_the_comparison_says_what_differs(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Two inventory what-ifs (+20 % and +50 % demand) record the demand source and the data they ran on; the
    Scenarios page says in words that the demand change differs, and its settings table holds no 'None'."""
    at = open_tab(open_page("views/inventory.py"), "views/inventory.py", "What if...")
    for growth in (20, 50):
        at.slider(key="inv_growth").set_value(growth).run()
        _save_from_page(at, f"Growth {growth}")
    store = open_store(data_dir / "workbench.duckdb")
    saved = list_scenarios(store)
    version = store.data_version()
    store.close()
    assert [s.params["demand_growth"] for s in saved] == [0.5, 0.2]
    assert all(s.params["demand_source"] == "the last 52 weeks of sales" and s.params["data_version"] == version
               and s.params["data_as_of"] == "2026-11-02" for s in saved)
    page = open_page("views/scenarios.py")
    said = next(m.value for m in page.markdown if m.value.startswith("**What differs between them**"))
    assert ("Demand change (share): 0.5 in 'Growth 50'; 0.2 in 'Growth 20'."
            in said.replace("\\", "").replace("\u2060", ""))
    settings = next(d.value for d in page.dataframe if "Setting" in d.value.columns)
    assert "None" not in settings.to_string() and "demand_growth" not in set(settings["Setting"])


def _recommendation(at: AppTest) -> str:
    return next(m.value for m in [*at.success, *at.warning] if "Recommendation" in m.value)


def test_compare_shows_changes_then_rename_and_delete(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Two inventory scenarios compared: the table gives the change (+20) and % change (+25 %) against the baseline;
    a rename is stored; deleting needs the confirmation box and then removes only that scenario."""
    store = open_store(data_dir / "workbench.duckdb")
    today = save_scenario(store, "Today", "inventory", {"seed": 1}, {"cost_gbp": 100.0})
    bigger = save_scenario(store, "Bigger orders", "inventory", {"seed": 1}, {"cost_gbp": 80.0})
    store.close()
    at = open_page("views/scenarios.py")
    wide = next(d.value for d in at.dataframe if "KPI" in d.value.columns)  # newest (Bigger orders) is the baseline
    today_col = next(c for c in wide.columns if c.startswith("Today") and c.endswith(": change"))
    assert not any(c.startswith("Bigger orders") and c.endswith("change") for c in wide.columns)
    assert wide.loc[wide["KPI"] == "Cost (£)", today_col].iloc[0] == 20.0
    assert wide.loc[wide["KPI"] == "Cost (£)", today_col + " %"].iloc[0] == 25.0
    manage = next(s for s in at.selectbox if s.key == "manage_pick")
    manage.set_value(next(o for o in manage.options if o.startswith("Today"))).run()
    next(t for t in at.text_input if t.label == "Name").set_value("Today, as is")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception
    store = open_store(data_dir / "workbench.duckdb")
    assert load_scenario(store, today.scenario_id).name == "Today, as is"
    store.close()
    manage = next(s for s in at.selectbox if s.key == "manage_pick")
    manage.set_value(next(o for o in manage.options if o.startswith("Bigger orders"))).run()
    delete = next(b for b in at.button if b.label == "Delete scenario")
    assert delete.disabled
    at.checkbox(key=f"sure_{bigger.scenario_id}").check().run()
    next(b for b in at.button if b.label == "Delete scenario").click().run()
    store = open_store(data_dir / "workbench.duckdb")
    assert [s.scenario_id for s in list_scenarios(store)] == [today.scenario_id]
    store.close()


def test_a_link_to_another_workspaces_scenario_opens_nothing_of_it(data_dir: Path) -> None:
    """Client B (a copy of the sample) follows a link carrying client A's scenario id: the inventory page says the
    scenario is not in this workspace and keeps its own defaults, and B's Scenarios page lists none of A's."""
    duplicate_workspace(workspace("sample", data_dir), "client-b", data_dir)
    store = open_store(data_dir / "workbench.duckdb")
    secret = save_scenario(store, "A's secret plan", "inventory", {"demand_growth": 0.4, "seed": 3}, {"cost_gbp": 1.0})
    store.close()
    at = _open_link("views/inventory.py", secret.scenario_id, workspace_name="client-b")
    assert not any("A's secret plan" in i.value for i in at.info)
    assert any("not in this workspace" in w.value or "no scenario" in w.value for w in at.warning)
    assert at.session_state["inv_tab"] == "Today's purchase plan"  # a scenario's link would open its what-if
    assert {s.label: s.value for s in open_tab(at, "views/inventory.py", "What if...").slider}["Demand change (%)"] == 0
    at.switch_page("views/scenarios.py").run()
    assert any("No scenarios yet" in i.value for i in at.info)


def test_report_has_a_section_and_a_method_per_page(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Scenarios from two pages give two page sections (each with its own key results) and the assumptions name
    the method behind each page with its source."""
    a = save_scenario(sample_store, "Today", "inventory", {"seed": 1}, {"cost_gbp": 100.0})
    b = save_scenario(sample_store, "Fewer vans", "routes", {"seed": 0}, {"km": 180.0, "co2e_kg": 40.0})
    sections = page_sections([a, b])
    assert [s.title for s in sections] == ["Page: inventory", "Page: routes"]
    assert list(sections[1].tables["Key results"]["Result"]) == ["Emissions (kg CO2e)", "Distance (km)"]
    assumptions = assumptions_table(notes={"Workspace": "acme"}, pages=["inventory", "routes"])
    methods = assumptions[assumptions["assumption"].str.startswith("Method")]
    assert list(methods["assumption"]) == ["Method: inventory", "Method: routes"]
    assert methods["source"].str.len().gt(0).all()
    page = report_html("acme", date(2026, 11, 2), [a, b], sections=sections, assumptions=assumptions)
    assert "Page: routes" in page and "Wouda, Lan &amp; Kool 2024" in page


def test_warehouse_and_delivery_option_links_restore_their_what_ifs(data_dir: Path) -> None:
    """A packaging scenario's link shows its month comparison at once, with its standard box and objective; a
    delivery-options link restores the new slot and the success rate set by hand."""
    store = open_store(data_dir / "workbench.duckdb")
    box = store.table("cartons")["carton_id"].iloc[-1]
    packing = save_scenario(store, "Least cost boxes", "warehouse", {"standard_carton": box, "objective": "cost",
                                                                     "days": 30}, {"cost_gbp": 1.0})
    slot = save_scenario(store, "Evening slot", "delivery_options", {"new_slot": "18:00-20:00", "own_rate": 0.9},
                         {"first_attempt_success_pct": 95.0})
    store.close()
    at = _open_link("views/warehouse.py", packing.scenario_id)
    assert at.radio(key="month_objective").value == "cost"
    assert any("cost_gbp" in d.value.columns and "n_cartons" in d.value.columns for d in at.dataframe)
    at = _open_link("views/delivery_options.py", slot.scenario_id)
    assert next(s for s in at.selectbox if s.label == "New slot").value == "18:00-20:00"
    assert next(s for s in at.slider if s.label == "Expected first-time success").value == 0.9
