"""The Warehouse page renders on the sample workspace and reacts to its controls."""

from __future__ import annotations

import json

from page_tabs import open_tab

PAGE = "views/warehouse.py"


def _specs(at) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_warehouse_page_renders_and_reacts(open_page):
    """The page opens on the stock layout alone; each tab then shows its part: three pick paths (optimal no longer
    than the others), batches, waves, slotting and a packed order in 3-D without errors; moving the slotting slider
    reruns cleanly and a cart setting survives a visit to another tab."""
    at = open_page(PAGE)
    assert at.title[0].value == "Warehouse"
    assert [m.label for m in at.metric][:2] == ["Bays holding stock", "Units on hand"] and len(_specs(at)) == 1
    open_tab(at, PAGE, "Pick paths")
    metrics = {m.label: m.value for m in at.metric}
    dist = {k: float(metrics[k].replace(",", "").split()[0]) for k in ("S-shape", "Largest gap", "Optimal")}
    assert dist["Optimal"] <= min(dist["S-shape"], dist["Largest gap"])
    route_names = [t.get("name", "") for s in _specs(at) for t in s["data"]]
    assert any(n.startswith("Optimal:") for n in route_names) and any(n.startswith("S-shape:") for n in route_names)
    open_tab(at, PAGE, "Batches and waves")
    assert int({m.label: m.value for m in at.metric}["Cart trips (savings method)"]) >= 1
    assert "bar" in {t.get("type") for s in _specs(at) for t in s["data"]}
    at.number_input(key="wh_per_trip").set_value(3).run()
    open_tab(at, PAGE, "Packing")
    assert "mesh3d" in {t.get("type") for s in _specs(at) for t in s["data"]}
    open_tab(at, PAGE, "Batches and waves")
    assert at.number_input(key="wh_per_trip").value == 3
    open_tab(at, PAGE, "Slotting")
    at.slider(key="wh_top_n").set_value(5).run()
    assert not at.exception and not at.error
    assert int({m.label: m.value for m in at.metric}["Moves suggested"]) <= 5
