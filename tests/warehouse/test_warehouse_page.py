"""The Warehouse page renders on the sample workspace and reacts to its controls."""

from __future__ import annotations

import json


def test_warehouse_page_renders_and_reacts(open_page):
    """The page shows the layout, three pick paths (optimal no longer than the others), batches, waves,
    slotting and a packed order in 3-D without errors; moving the slotting slider reruns cleanly."""
    at = open_page("views/warehouse.py")
    assert at.title[0].value == "Warehouse"
    metrics = {m.label: m.value for m in at.metric}
    dist = {k: float(metrics[k].replace(",", "").split()[0]) for k in ("S-shape", "Largest gap", "Optimal")}
    assert dist["Optimal"] <= min(dist["S-shape"], dist["Largest gap"])
    assert int(metrics["Cart trips (savings method)"]) >= 1
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    kinds = {t.get("type") for s in specs for t in s["data"]}
    assert {"scatter", "mesh3d", "bar"} <= kinds
    route_names = [t.get("name", "") for s in specs for t in s["data"]]
    assert any(n.startswith("Optimal:") for n in route_names) and any(n.startswith("S-shape:") for n in route_names)
    at.slider[0].set_value(5).run()
    assert not at.exception and not at.error
    assert int({m.label: m.value for m in at.metric}["Moves suggested"]) <= 5
