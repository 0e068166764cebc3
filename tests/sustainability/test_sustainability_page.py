"""The Sustainability page renders on the sample workspace and its what-ifs respond."""

from __future__ import annotations

import json

import pytest


def test_sustainability_page_shows_footprint_and_whatifs(open_page):
    """The page shows the footprint KPIs, the four charts' data and the four what-ifs; a slider move re-runs."""
    at = open_page("views/sustainability.py")
    assert at.title[0].value == "Sustainability"
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Total", "Per delivered order", "Per £ of revenue"]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    footprint = specs[0]
    assert {t["name"] for t in footprint["data"]} == {"Van deliveries", "Inbound from suppliers", "Packaging",
                                                      "Refrigeration electricity"}
    whatifs = specs[2]
    assert len(whatifs["data"][0]["x"]) == 4
    table = at.dataframe[0].value
    assert list(table["What-if"])[1] == "Deliver on 3 day(s) a week"
    at.slider[1].set_value(2).run()
    assert not at.exception
    assert list(at.dataframe[0].value["What-if"])[1] == "Deliver on 2 day(s) a week"


def test_a_saved_warehouse_carton_plan_joins_the_whatifs(open_page, data_dir):
    """A packaging scenario saved on the Warehouse page (30 days: 120 kg CO2e in the standard box, 90 kg right-sized)
    appears as a fifth what-if, scaled to the 12 months shown: saving 30 kg x days / 30."""
    from opscore.scenarios import save_scenario
    from opscore.store import open_store
    from opscore.sustainability import last_full_months

    store = open_store(data_dir / "workbench.duckdb")
    save_scenario(store, "Right-size all", "warehouse", {"standard_carton": "C3", "objective": "co2e", "days": 30},
                  {"co2e_kg": 90.0, "cost_gbp": 50.0, "standard_packaging_kg_co2e": 120.0, "standard_cost_gbp": 60.0})
    start, end = last_full_months(store.as_of(), 12)
    store.close()
    at = open_page("views/sustainability.py")
    table = at.dataframe[0].value.set_index("What-if")
    row = table.loc["Right-sized cartons (Right-size all)"]
    days = (end - start).days + 1
    assert row["Saving (t CO2e)"] * 1000 == pytest.approx(30.0 * days / 30)
    assert row["Running cost change (£)"] == pytest.approx(-10.0 * days / 30)
