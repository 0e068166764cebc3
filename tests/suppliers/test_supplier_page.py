"""The Supplier scoring page renders headless on the sample workspace and reacts to its widgets."""

from __future__ import annotations

import json
import time

import pytest


@pytest.fixture
def page(open_page):
    return open_page("views/suppliers.py")


def test_page_renders_scorecard_ranking_risk_and_what_if(page):
    """The page shows its title, the scorecard of the 8 sample suppliers, the risk metrics and a recommendation."""
    at = page
    assert at.title[0].value == "Supplier scoring"
    card = at.dataframe[0].value
    assert len(card) == 8 and set(card["supplier_id"]) == {f"S{i}" for i in range(1, 9)}
    labels = [m.label for m in at.metric]
    assert "Spend HHI" in labels and "Single-sourced SKUs" in labels
    assert any("Recommendation" in s.value for s in [*at.success, *at.warning])
    titles = [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "") for c in at.get("plotly_chart")]
    assert any(t.startswith("Rank against the weight") for t in titles)
    assert any(t.startswith("Spend shares: HHI") for t in titles)


def test_weights_not_summing_to_one_show_a_notice(page):
    """Moving a weight slider so the weights no longer sum to one shows the normalisation notice, not an error."""
    at = page
    at.slider(key="w_otif_rate").set_value(0.9).run()
    assert not at.exception and not at.error
    assert any("scaled proportionally" in i.value for i in at.info)


def test_longer_outage_loses_more_and_moves_fast(page):
    """Raising the outage from 1 to 8 weeks never lowers the lost revenue of doing nothing, doing nothing fills less
    than the baseline, each fill rate shows its interval over the simulated runs, and the rerun is quick."""
    at = page

    def lost() -> float:
        table = next(d.value for d in at.dataframe if "label" in d.value.columns)
        return float(table.set_index("label").loc["Do nothing", "lost_revenue_gbp"])

    at.slider(key="dis_weeks").set_value(1).run()
    short = lost()
    start = time.perf_counter()
    at.slider(key="dis_weeks").set_value(8).run()
    elapsed = time.perf_counter() - start
    assert not at.exception and not at.error
    assert lost() >= short
    table = next(d.value for d in at.dataframe if "label" in d.value.columns).set_index("label")
    assert table.loc["Do nothing", "fill_rate"] < table.loc["No disruption (baseline)", "fill_rate"]
    assert table["fill_range"].str.match(r"^\d+\.\d-\d+\.\d$").all()  # the simulator's 95 % interval
    assert elapsed < 5.0  # headless rerun of the whole script, generous bound for a shared 2-core machine


def test_ahp_grid_shows_the_consistency_ratio(page):
    """Switching to pairwise weights shows the AHP grid with a live consistency message (consistent by default)."""
    at = page
    at.radio(key="sup_mode").set_value("Pairwise comparison (AHP)").run()
    assert not at.exception and not at.error
    assert any("Consistency ratio" in s.value for s in at.success)
