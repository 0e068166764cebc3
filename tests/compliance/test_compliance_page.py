"""The Compliance page renders on the sample workspace, switches rule sets and drills down to records."""

from __future__ import annotations

import json

import pandas as pd

from opscore.compliance import (
    CheckSettings,
    default_rules,
    load_tables,
    month_report,
    rules_from,
    run_rules,
    use_drivers_hours_rules,
)
from opscore.store import open_store


def test_compliance_page_shows_violations_records_and_rules(open_page, data_dir):
    """Today's and this month's counts, a breach record, the rule editor holding the default rules (the sample's
    rule table is empty), and a switch to the EU drivers' hours rules re-counts this month's breaches under them
    (at the slower van speed set on the page)."""
    at = open_page("views/compliance.py")
    assert at.title[0].value == "Compliance"
    assert [m.label for m in at.metric] == ["Critical today", "Warnings today", "Critical in November",
                                            "Warnings in November"]
    record = next(d.value for d in at.dataframe if list(d.value.columns) == ["Field", "Value"])
    assert "Item code" in set(record["Field"]) and not at.json  # a breach's record in words, not raw JSON
    editors = [df.value for df in at.dataframe if "rule_id" in df.value.columns]
    assert list(editors[0]["rule_id"]) == list(default_rules()["rule_id"])
    # the sample's rounds are short (about 95 km a day); at a congested 15 km/h some drive over 4.5 h at a stretch
    next(n for n in at.number_input if n.label == "Average van speed (km/h)").set_value(15.0).run()
    at.radio[0].set_value("EU").run()
    assert not at.exception and not at.error
    store = open_store(data_dir / "workbench.duckdb")
    tables, as_of = load_tables(store), store.as_of()
    store.close()
    counts = {}
    for rule_set in ("GB", "EU"):
        found = run_rules(use_drivers_hours_rules(default_rules(), rule_set), tables, as_of,
                          CheckSettings(speed_kmh=15.0))
        counts[rule_set] = month_report(found, as_of).counts_by_severity
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown["Critical in November"] == counts["EU"]["critical"]
    assert shown["Warnings in November"] == counts["EU"]["warning"]
    assert counts["EU"] != counts["GB"], "the sample's November should read differently under the EU rules"


def test_compliance_page_drills_down_to_a_cold_chain_excursion(open_page, data_dir):
    """Picking the latest month with a chiller above 8 °C and that rule shows the excursion's record and the
    chiller's temperature chart with the limit line."""
    store = open_store(data_dir / "workbench.duckdb")
    tables = load_tables(store)
    violations = run_rules(rules_from(tables["compliance_rules"]), tables, store.as_of())
    cold = violations[violations["name"] == "Chilled food above 8 °C"]
    assert not cold.empty, "the sample's chillers drift above 8 °C before failures"
    month = pd.Timestamp(cold["date"].max()).to_period("M")
    label = "This month" if month == pd.Period(store.as_of(), "M") else month.strftime("%B %Y")
    at = open_page("views/compliance.py")
    at.selectbox[0].set_value(label).run()
    at.selectbox[1].set_value("Chilled food above 8 °C").run()
    assert not at.exception and not at.error
    record = next(d.value for d in at.dataframe if list(d.value.columns) == ["Field", "Value"]).set_index("Field")
    assert float(record.at["Hours", "Value"]) > 0
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    chart = next(s for s in specs if "temperature readings" in s["layout"]["title"]["text"])
    assert "CC-LEGAL limit 8 °C" in {a["text"] for a in chart["layout"]["annotations"]}
