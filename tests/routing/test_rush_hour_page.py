"""The Route map's "Rush hour" toggle (AppTest): the plan takes longer, the page says how many minutes traffic added,
and a saved scenario reopens with rush hour on."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from opscore.scenarios import list_scenarios
from opscore.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def _hours(at: AppTest) -> float:
    return float(next(m.value for m in at.metric if m.label == "Time on the road").rstrip(" h"))


def _traffic(at: AppTest) -> str | None:
    return next((c.value for c in at.caption if c.value.startswith("Traffic added")), None)


def test_rush_hour_toggle_lengthens_the_plan_and_is_saved_with_a_scenario(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Off by default (no traffic sentence); on, the default bands slow the 07:00-10:00 legs: more hours on the road
    and 'Traffic added N minutes across the vans (rush hour 07:00-10:00 at 80 % speed, ...)'. A scenario saved with
    it on keeps the bands and its link reopens with the toggle on and the same sentence."""
    at = open_page("views/routes.py")
    toggle = next(t for t in at.toggle if t.label == "Rush hour")
    assert toggle.value is False and _traffic(at) is None
    before = _hours(at)
    toggle.set_value(True).run(timeout=120)
    assert not at.exception and not at.error
    sentence = _traffic(at)
    assert sentence is not None and "07:00-10:00 at 80 % speed, 16:00-19:00 at 80 % speed" in sentence
    assert int(sentence.split()[2].replace(",", "")) > 0
    assert _hours(at) > before
    next(t for t in at.text_input if t.label == "Name").set_value("Peak traffic")
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception
    store = open_store(data_dir / "workbench.duckdb")
    saved = list_scenarios(store)[0]
    store.close()
    assert saved.params["rush"] == [["07:00", "10:00", 80.0], ["16:00", "19:00", 80.0]]
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    again.query_params["scenario"] = saved.scenario_id
    again.run()
    again.switch_page("views/routes.py").run()
    assert not again.exception
    assert next(t for t in again.toggle if t.label == "Rush hour").value is True
    assert _traffic(again) == sentence
