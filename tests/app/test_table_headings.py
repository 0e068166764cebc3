"""Every table on every page (each tab opened) names its columns in words (issue 21, item 5): no field names
such as on_hand or lead_time_days, headings start with a capital or a unit (km, kg CO2e), and no page shows a
record as raw JSON. The Data page's export and import previews are left out: they show a file's own columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from page_tabs import each_tab

from opscore.scenarios import save_scenario
from opscore.store import open_store

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(set(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text()))
               - {"views/data.py"})
UNITS = ("km", "kg", "sMAPE")
"""Headings may start with a lower-case unit."""


def _headings(frame_element) -> list[str]:  # type: ignore[no-untyped-def]
    config = json.loads(frame_element.proto.columns) if frame_element.proto.columns else {}
    return [(config.get(str(c)) or {}).get("label") or str(c) for c in frame_element.value.columns]


@pytest.mark.parametrize("page", PAGES)
def test_table_headings_are_words(open_page, data_dir: Path, page: str) -> None:  # type: ignore[no-untyped-def]
    store = open_store(data_dir / "workbench.duckdb")
    for growth in (0.2, 0.5):  # so the Scenarios page shows its comparison tables
        save_scenario(store, f"Growth {growth}", "inventory", {"demand_growth": growth, "seed": 7}, {"cost_gbp": 1.0})
    store.close()
    bad, tables = [], 0
    for at in each_tab(open_page(page), page):
        assert not at.json, f"{page} shows raw JSON"
        for frame in at.dataframe:
            tables += 1
            bad += [h for h in _headings(frame) if "_" in h or not (h[:1].isupper() or h[:1].isdigit()
                                                                    or h.split(" ")[0] in UNITS)]
    assert not bad, f"{page}: {bad}"
    if page in ("views/home.py", "views/inventory.py", "views/warehouse.py", "views/compliance.py"):
        assert tables >= 2, f"{page} showed {tables} table(s); the test would check nothing"


def test_unknown_field_names_become_words_with_units() -> None:
    from ui.columns import record_table, words

    assert words("walk_distance_m") == "Walk distance (m)" and words("fill_pct") == "Fill (%)"
    assert words("temperature_c") == "Temperature (°C)" and words("m") == "M"
    table = record_table({"sku": "DAI-001", "driving_hours": 10.56789, "note": None})
    assert table.to_dict("list") == {"Field": ["Item code", "Driving hours", "Note"],
                                     "Value": ["DAI-001", "10.5679", "—"]}
