"""AppTest of the Maintenance risk page on the sample workspace."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd

from opscore.workspaces import sample_dir


def _values(array: object) -> np.ndarray:
    """A plotly data array from a figure spec (plotly encodes numeric arrays as base64 typed buffers)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array, dtype=float)


def test_page_renders_fleet_detail_and_calendar(open_page) -> None:
    """The page renders without error: a fleet table with one row per asset, metrics, and all five charts."""
    at = open_page("views/maintenance.py")
    assert at.title[0].value == "Maintenance risk"
    fleet = at.dataframe[0].value
    assert len(fleet) == len(pd.read_csv(sample_dir() / "assets.csv")) and fleet["p_fail"].between(0, 1).all()
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any("sensor readings" in t for t in titles)
    assert any("Lifetimes" in t for t in titles)
    assert "Failure rate by age" in titles
    assert any("Long-run cost per day" in t for t in titles)
    assert "Maintenance calendar, next 90 days" in titles


def test_crew_slider_updates_calendar_within_limit(open_page) -> None:
    """Moving the crew-hours slider re-plans the calendar; no week exceeds the new limit."""
    at = open_page("views/maintenance.py")
    at.slider(key="wi_crew").set_value(4).run()
    assert not at.exception and not at.error
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Maintenance calendar"))
    bars = next(t for t in spec["data"] if t["type"] == "bar")
    assert _values(bars["y"]).max() <= 4 + 1e-9


def test_model_test_runs_only_when_its_expander_is_opened(open_page) -> None:
    """The first render skips the out-of-time test of the breakdown warning; opening its expander runs it and
    shows its metrics and calibration table."""
    at = open_page("views/maintenance.py")
    assert "ROC AUC" not in [m.label for m in at.metric]
    at.session_state["maintenance_quality"] = True  # what opening the expander sets
    at.run()
    assert not at.exception and not at.error
    assert {"Right warnings", "Breakdowns caught", "ROC AUC", "Brier score"} <= {m.label for m in at.metric}
    assert list(at.dataframe[-1].value.columns) == ["Predicted chance", "What happened"]


def test_page_without_any_breakdowns_warns_instead_of_failing(data_dir, open_page) -> None:
    """With every breakdown deleted (all lifetimes censored) the page shows a plain warning, no traceback."""
    from opscore.store import open_store

    store = open_store(data_dir / "workbench.duckdb")
    with store.transaction() as w:
        w.delete("maintenance_events", {"kind": "failure"})
    store.close()
    at = open_page("views/maintenance.py")
    assert any("censored" in w.value for w in at.warning)
    assert not at.get("plotly_chart")
