"""The Supplier scoring page renders headless on the sample workspace and reacts to its widgets."""

from __future__ import annotations

import json

import page_tabs
import pytest


@pytest.fixture
def page(open_page):
    return open_page("views/suppliers.py")


def open_tab(at, label: str):
    return page_tabs.open_tab(at, "views/suppliers.py", label)


def _titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "") for c in at.get("plotly_chart")]


def test_page_renders_scorecard_ranking_risk_and_what_if(page):
    """The page opens on the scorecard of the 8 sample suppliers without working out the other tabs; each tab shows
    its content when opened: the ranking's sensitivity, the risk metrics, the what-if's recommendation."""
    at = page
    assert at.title[0].value == "Supplier scoring"
    card = at.dataframe[0].value
    assert len(card) == 8 and set(card["supplier_id"]) == {f"S{i}" for i in range(1, 9)}
    assert not at.metric and not any("Recommendation" in s.value for s in [*at.success, *at.warning])
    assert any(t.startswith("Rank against the weight") for t in _titles(open_tab(at, "Ranking")))
    open_tab(at, "Risk")
    labels = [m.label for m in at.metric]
    assert "Spend HHI" in labels and "Single-sourced SKUs" in labels
    assert any(t.startswith("Spend shares: HHI") for t in _titles(at))
    open_tab(at, "Disruption what-if")
    assert any("Recommendation" in s.value for s in [*at.success, *at.warning])
    assert not at.exception and not at.error


def test_settings_survive_a_visit_to_another_tab(page):
    """Weights, the method and the outage set on one tab are still set after looking at another tab."""
    at = open_tab(page, "Ranking")
    at.slider(key="w_otif_rate").set_value(0.9).run()
    at.radio(key="sup_method").set_value("weighted_sum").run()
    open_tab(at, "Disruption what-if")
    at.slider(key="dis_weeks").set_value(9).run()
    at.number_input(key="dis_fee").set_value(70.0).run()
    open_tab(at, "Scorecard")
    open_tab(at, "Ranking")
    assert at.slider(key="w_otif_rate").value == 0.9 and at.radio(key="sup_method").value == "weighted_sum"
    open_tab(at, "Disruption what-if")
    assert at.slider(key="dis_weeks").value == 9 and at.number_input(key="dis_fee").value == 70.0
    assert not at.exception and not at.error


def test_weights_not_summing_to_one_show_a_notice(page):
    """Moving a weight slider so the weights no longer sum to one shows the normalisation notice, not an error."""
    at = open_tab(page, "Ranking")
    at.slider(key="w_otif_rate").set_value(0.9).run()
    assert not at.exception and not at.error
    assert any("scaled proportionally" in i.value for i in at.info)


def test_longer_outage_loses_more(page):
    """Raising the outage from 1 to 8 weeks never lowers the lost revenue of doing nothing, doing nothing fills less
    than the baseline, and each fill rate shows its interval over the simulated runs."""
    at = open_tab(page, "Disruption what-if")

    def lost() -> float:
        table = next(d.value for d in at.dataframe if "label" in d.value.columns)
        return float(table.set_index("label").loc["Do nothing", "lost_revenue_gbp"])

    at.slider(key="dis_weeks").set_value(1).run()
    short = lost()
    at.slider(key="dis_weeks").set_value(8).run()
    assert not at.exception and not at.error
    assert lost() >= short
    table = next(d.value for d in at.dataframe if "label" in d.value.columns).set_index("label")
    assert table.loc["Do nothing", "fill_rate"] < table.loc["No disruption (baseline)", "fill_rate"]
    assert table["fill_range"].str.match(r"^\d+\.\d-\d+\.\d$").all()  # the simulator's 95 % interval


def test_ahp_grid_shows_the_consistency_ratio(page):
    """Switching to pairwise weights shows the AHP grid with a live consistency message (consistent by default)."""
    at = open_tab(page, "Ranking")
    at.radio(key="sup_mode").set_value("Pairwise comparison (AHP)").run()
    assert not at.exception and not at.error
    assert any("Consistency ratio" in s.value for s in at.success)


def test_ahp_repair_keeps_the_upper_judgments_and_fills_their_reciprocals(page):
    """A grid whose mirror cells disagree is refused with the repair button; the button keeps the judgments above the
    diagonal, fills in their reciprocals (to 3 decimals) and the weights follow."""
    import pandas as pd

    from opscore.suppliers import CRITERIA, check_pairwise
    from ui.ahp_grid import AHP_GRID, AHP_VERSION

    labels = [c.label for c in CRITERIA]
    grid = pd.DataFrame(1.0, index=labels, columns=labels)
    grid.iloc[0, 1], grid.iloc[1, 0] = 3.0, 3.0  # 'On time in full' 3x 'Short lead time', and the mirror too
    at = open_tab(page, "Ranking")
    at.session_state[AHP_GRID], at.session_state[AHP_VERSION] = grid, 0
    at.radio(key="sup_mode").set_value("Pairwise comparison (AHP)").run()
    assert any("cannot be used" in w.value for w in at.warning) and not at.success
    next(b for b in at.button if b.label.startswith("Keep the cells above the diagonal")).click().run()
    assert not at.exception and not at.error
    fixed = at.session_state[AHP_GRID]
    assert fixed.iloc[0, 1] == 3.0 and fixed.iloc[1, 0] == 0.333 and (fixed.iloc[2:, :2] == 1.0).all().all()
    check_pairwise(fixed)
    assert any("Consistency ratio" in m.value for m in [*at.success, *at.warning])
