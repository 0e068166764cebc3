"""Comparisons that explain themselves (issue 21, item 4): what differs is said in words, pages share only the
results they have in common, settings and results carry human names, and the KPI chart's titles never collide."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opscore.scenarios import (
    KPI_LABELS,
    PARAM_LABELS,
    Scenario,
    differences,
    kpi_label,
    kpi_table,
    param_label,
    parameters_table,
    report_html,
    show_value,
)
from opscore.viz.scenarios import PANELS_PER_ROW, TITLE_CHARS, kpi_comparison_figure

WHEN = datetime(2026, 12, 1, 9, 0)


def _scenario(name: str, page: str, params: dict, results: dict) -> Scenario:  # type: ignore[type-arg]
    return Scenario(f"{name[:4]}000000", name, page, params, results, WHEN)


INVENTORY = {"demand_growth": 0.2, "replan": True, "delayed_supplier": None, "seed": 7,
             "demand_source": "the last 52 weeks of sales", "data_as_of": "2026-11-02", "data_version": 4}


def test_two_demand_what_ifs_say_why_the_bigger_one_can_cost_less() -> None:
    """+20 % and +50 % demand where the +50 % one ran on a forecast and newer data: the comparison names the demand
    change, the other demand source and the other data version, data first."""
    a = _scenario("Demand +20 %", "inventory", INVENTORY, {"cost_gbp": 5200.0})
    b = _scenario("Demand +50 %", "inventory", {**INVENTORY, "demand_growth": 0.5, "data_version": 6,
                                                "demand_source": "the latest forecast (run 3f2a)"},
                  {"cost_gbp": 4900.0})
    said = differences([a, b])
    assert said == [
        "Computed on different data. Data version (changes with every import): 4 in 'Demand +20 %'; 6 in "
        "'Demand +50 %'.",
        "Computed on different data. Demand from: the last 52 weeks of sales in 'Demand +20 %'; the latest forecast "
        "(run 3f2a) in 'Demand +50 %'.",
        "Demand change (share): 0.2 in 'Demand +20 %'; 0.5 in 'Demand +50 %'.",
    ]
    assert differences([a, a]) == []
    page = report_html("acme", WHEN.date(), [a, b])
    assert "What differs: Computed on different data." in page


def test_a_setting_an_older_scenario_did_not_record_is_not_called_a_difference() -> None:
    """A scenario saved before data versions were recorded, beside a new one with the same settings: nothing is
    said to differ (the settings table shows 'not recorded' without flagging it); a real change is still found
    when the shown text would round it away."""
    old = _scenario("Old", "inventory", {"demand_growth": 0.2, "seed": 7}, {"cost_gbp": 1.0})
    new = _scenario("New", "inventory", INVENTORY, {"cost_gbp": 1.0})
    assert differences([old, new]) == []
    table = parameters_table([old, new]).set_index("Setting")
    assert table.at["Data version (changes with every import)", "Old (Old000)"] == "not recorded"
    assert not table["Differs"].any()
    close = _scenario("Close", "inventory", {**INVENTORY, "demand_growth": 0.2000001}, {"cost_gbp": 1.0})
    assert len(differences([new, close])) == 1


def test_pages_compare_only_the_results_they_share() -> None:
    """An inventory scenario and a route plan share cost only; a forecast and a route share nothing, so the
    table is empty (never a row of 'None' or a backtest_mase)."""
    inv = _scenario("Stock", "inventory", INVENTORY, {"cost_gbp": 100.0, "fill_rate_pct": 97.0, "waste_units": 4.0})
    route = _scenario("Vans", "routes", {"vans": ["V1", "V2"], "seed": 0}, {"cost_gbp": 80.0, "km": 190.0})
    fc = _scenario("Forecast", "forecast", {"method": "auto", "drivers": None},
                   {"forecast_units": 900.0, "backtest_mase": 0.81234})
    shared = kpi_table([inv, route])
    assert list(shared["kpi"].unique()) == ["cost_gbp"] and list(shared["label"].unique()) == ["Cost (£)"]
    assert kpi_table([fc, route]).empty
    said = differences([inv, route])
    assert said[0] == ("They come from different pages (inventory, routes): only the results all of them record "
                       "are compared; 3 other result(s) are left out.")
    alone = kpi_table([fc])
    assert set(alone["label"]) == {"Forecast demand (units)",
                                   "Forecast error against a naive forecast (MASE; below 1 is better)"}
    table = parameters_table([fc, route])
    assert "None" not in table.to_string() and "—" in set(table.iloc[:, 1]) | set(table.iloc[:, 2])
    assert "not recorded" in set(table.iloc[:, 1])


def test_every_saved_setting_and_result_has_words() -> None:
    """Keys pages save read as words; unknown keys get words from their name and unit suffix."""
    assert param_label("lead_change_days") == "Every delivery longer by (days)"
    assert param_label("some_new_cost_gbp") == "Some new cost (£)"
    assert kpi_label("backtest_mase").startswith("Forecast error")
    assert kpi_label("void_litres") == "Empty space in cartons (litres)"
    assert all(label[0].isupper() and "_" not in label for label in [*KPI_LABELS.values(), *PARAM_LABELS.values()])
    assert show_value(None) == "—" and show_value(True) == "yes" and show_value(0.123456) == "0.123456"
    assert show_value(12345.6) == "12,346" and show_value(50000.0) == "50,000" and show_value(0.1234567) == "0.123457"
    assert show_value(["V1", "V2"]) == "V1, V2" and show_value({"speed_kmh": 40.0}) == "Average speed (km/h): 40"


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=False),
                 st.lists(st.integers(), max_size=4),
                 st.dictionaries(st.sampled_from(["seed", "vans", "x_pct"]), st.integers(), max_size=3)))
def test_show_value_never_prints_json_or_none(value) -> None:  # type: ignore[no-untyped-def]
    """No value reads 'None', 'nan' or as JSON brackets."""
    text = show_value(value)
    assert text and text not in ("None", "nan") and not any(c in text for c in "{}[]")


@pytest.mark.parametrize("n_kpis", [1, 2, 4, 7, 9])
def test_kpi_chart_titles_wrap_and_never_share_a_row_with_the_legend(n_kpis: int) -> None:
    """At most three panels a row, every title line at most TITLE_CHARS characters, rows far enough apart for
    the next row's titles, and the legend below the last row."""
    keys = list(KPI_LABELS)[:n_kpis]
    scenarios = [_scenario(f"Scenario {i} with a long name", "inventory", {"seed": i},
                           {k: 10.0 + i for k in keys}) for i in range(4)]
    fig = kpi_comparison_figure(kpi_table(scenarios))
    titles = [a for a in fig.layout.annotations]
    assert len(titles) == n_kpis
    assert all(len(line) <= TITLE_CHARS for a in titles for line in a.text.split("<br>"))
    rows = sorted({tuple(fig.layout[f"yaxis{i if i > 1 else ''}"].domain) for i in range(1, n_kpis + 1)})
    lines = max(a.text.count("<br>") + 1 for a in titles)
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    for lower, upper in zip(rows, rows[1:]):  # the gap below a row holds the titles of the row under it
        assert (upper[0] - lower[1]) * plot_px >= 18 * lines + 30
    xs = {round(fig.layout[f"xaxis{i if i > 1 else ''}"].domain[0], 3) for i in range(1, n_kpis + 1)}
    assert len(xs) <= PANELS_PER_ROW
    assert fig.layout.legend.y < 0 and fig.layout.legend.yanchor == "top"
