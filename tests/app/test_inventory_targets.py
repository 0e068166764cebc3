"""The Inventory page shows its service target against what its levels achieve, and explains its waste."""

from __future__ import annotations

import json
import re

import page_tabs


def test_inventory_page_shows_target_against_achieved(open_page) -> None:  # type: ignore[no-untyped-def]
    """With one 98 % target the page says the simulation achieves at least the target on average and that
    nearly every item meets its own; the waste caption puts waste against units bought."""
    at = open_page("views/inventory.py")
    at.toggle[0].set_value(False).run()
    sliders = [s for s in at.slider if s.label == "Service target (%)"]
    sliders[0].set_value(98.0).run()
    text = " ".join(m.value for m in at.markdown)
    found = re.search(r"Target ([\d.]+)% no run-out .* gives \*\*([\d.]+)%\*\*, and \*\*(\d+) of (\d+) items\*\*", text)
    assert found, text[:800]
    target, achieved, met, active = float(found[1]), float(found[2]), int(found[3]), int(found[4])
    assert target == 98.0 and achieved >= target - 0.2 and met >= 0.95 * active
    captions = " ".join(c.value for c in at.caption)
    assert re.search(r"Thrown away: \d+% of the units on the shelf today and bought over the six months", captions)
    assert not at.exception


def test_reorder_levels_table_uses_words_and_shows_achieved(open_page) -> None:  # type: ignore[no-untyped-def]
    """The levels table names its columns in words, with the formula's min beside the tuned one."""
    at = page_tabs.open_tab(open_page("views/inventory.py"), "views/inventory.py", "Reorder levels")
    assert not at.exception
    table = at.dataframe[0]
    shown = table.value
    assert {"formula_min", "achieved", "min_level"} <= set(shown.columns)
    assert (shown["min_level"] >= shown["formula_min"]).all()
    labels = json.loads(table.proto.columns)
    assert labels["min_level"]["label"] == "Min (reorder at)" and labels["daily_demand"]["label"] == "Sales per day"
    assert all(labels[c]["label"][0].isupper() for c in shown.columns)
