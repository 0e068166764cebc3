"""A saved what-if reproduces its numbers: same parameters (seed included) give the same results, and a
scenario link reopens the page with the saved settings."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from opscore.inventory import Settings, design, load_inputs, run
from opscore.scenarios import load_scenario, save_scenario
from opscore.store import Store, open_store


def _simulate(store: Store, params: dict) -> dict[str, float]:
    """The inventory page's what-if computation for a set of saved parameters (a few SKUs, short horizon)."""
    inputs = load_inputs(store)
    settings = Settings(**{f.name: params[f.name] for f in fields(Settings) if f.name in params})
    rows = params["rows"]
    policy = design(inputs, settings).iloc[rows].reset_index(drop=True)
    total = run(inputs.select(rows), settings, policy, days=params["days"], replications=params["replications"],
                seed=params["seed"]).total.set_index("measure")["mean"]
    return {"fill_rate_pct": 100 * float(total["fill_rate"]), "cost_gbp": float(total["total_cost"])}


def test_reloaded_inventory_scenario_gives_identical_numbers(sample_store: Store) -> None:
    """Save a +20 % demand what-if with its seed, reload it, recompute: bit-for-bit the same results."""
    params = {"policy": "min_max", "target_kind": "csl", "target": 0.95, "demand_growth": 0.2,
              "lead_change_days": 2.0, "rows": [0, 5, 9], "days": 60, "replications": 30, "seed": 7}
    results = _simulate(sample_store, params)
    saved = save_scenario(sample_store, "More demand", "inventory", params, results)
    again = load_scenario(sample_store, saved.scenario_id)
    assert _simulate(sample_store, again.params) == again.results == results
    other_seed = _simulate(sample_store, {**again.params, "seed": 8})
    assert other_seed != results, "the seed matters, so it must be part of the saved parameters"


def test_scenario_link_reopens_the_inventory_page_with_its_settings(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """?scenario=<id> on the inventory page restores the saved what-if sliders."""
    store = open_store(data_dir / "workbench.duckdb")
    s = save_scenario(store, "Busy winter", "inventory",
                      {"policy": "min_max", "target_kind": "csl", "target": None, "holding_rate": 0.25,
                       "ordering_cost": 20.0, "lost_sales": True, "scope": "All items", "choice": None,
                       "demand_growth": 0.3, "lead_change_days": 2, "delayed_supplier": None,
                       "supplier_delay_days": 0.0, "what_if_holding_rate": 0.25, "replan": True, "seed": 7},
                      {"cost_gbp": 1.0})
    store.close()
    at = open_page("views/scenarios.py")
    at.query_params["scenario"] = s.scenario_id
    at.switch_page("views/inventory.py")
    at.run()
    assert not at.exception
    assert any("Busy winter" in i.value for i in at.info)
    sliders = {sl.label: sl.value for sl in at.slider}
    assert sliders["Demand change (%)"] == 30 and sliders["Every delivery takes longer by (days)"] == 2
    assert {n.label: n.value for n in at.number_input}["Cost of placing an order line (£)"] == 20.0
