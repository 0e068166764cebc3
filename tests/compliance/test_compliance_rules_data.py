"""Rules live as data: loaded from the workspace table when it has rows, validated, switchable, reported."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from opscore import compliance as co


def test_defaults_used_when_the_workspace_table_is_empty(sample_store):
    """The sample's compliance_rules table is empty, so the shipped defaults apply: GB hours on, EU hours off."""
    assert sample_store.count("compliance_rules") == 0
    rules = co.rules_from(sample_store.table("compliance_rules"))
    enabled = dict(zip(rules["rule_id"], rules["enabled"]))
    assert enabled["GB-HRS-DRIVE"] and enabled["GB-HRS-DUTY"]
    assert not enabled["EU-HRS-DRIVE"] and not enabled["EU-HRS-BREAK"]
    assert set(rules["check"]) == set(co.CHECKS)


def test_rules_saved_to_the_workspace_drive_the_checks(sample_store):
    """Saving a rule set with only the van-weight rule enabled and its threshold moved to the sample's median
    van-day load: the engine reads it back from the store and reports exactly the van-days above it."""
    tables = co.load_tables(sample_store)
    loads = co.vehicle_loads(tables["deliveries"], tables["order_lines"], tables["products"], tables["vehicles"])
    threshold = float(round(loads["weight_pct"].median(), 1))
    rules = co.default_rules()
    rules["enabled"] = rules["rule_id"] == "LOAD-WEIGHT"
    rules.loc[rules["rule_id"] == "LOAD-WEIGHT", "threshold"] = threshold
    co.save_rules(sample_store, rules)
    tables = co.load_tables(sample_store)
    loaded = co.rules_from(tables["compliance_rules"])
    assert loaded.set_index("rule_id").loc["LOAD-WEIGHT", "threshold"] == threshold
    found = co.run_rules(loaded, tables, sample_store.as_of())
    assert set(found["rule_id"]) == {"LOAD-WEIGHT"}
    assert (found["value"] > threshold).all()
    assert len(found) == int((loads["weight_pct"] > threshold).sum()) > 0


@pytest.mark.parametrize("column, value, message", [
    ("check", "max_speed", "unknown check 'max_speed'"),
    ("severity", "fatal", "severity 'fatal' must be one of"),
    ("threshold", "ten", "threshold 'ten' is not a number"),
    ("rule_id", "GB-HRS-DUTY", "appear twice"),
])
def test_bad_rules_are_refused_with_a_precise_message(sample_store, column, value, message):
    """A bad rule (unknown check, severity, threshold, duplicate id) raises ValueError and nothing is saved."""
    rules = co.default_rules().astype({"threshold": object})
    rules.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        co.save_rules(sample_store, rules)
    assert sample_store.count("compliance_rules") == 0


def test_switching_to_eu_rules():
    """The EU switch enables exactly the EU-HRS-* rules and disables the GB-HRS-* ones; others are untouched."""
    rules = co.use_drivers_hours_rules(co.default_rules(), "EU")
    on = set(rules.loc[rules["enabled"], "rule_id"])
    assert {"EU-HRS-DRIVE", "EU-HRS-BREAK"} <= on and not {"GB-HRS-DRIVE", "GB-HRS-DUTY"} & on
    assert (rules.loc[~rules["rule_id"].str.contains("HRS"), "enabled"]
            == co.default_rules().loc[~rules["rule_id"].str.contains("HRS"), "enabled"]).all()
    with pytest.raises(ValueError, match="'GB' or 'EU'"):
        co.use_drivers_hours_rules(rules, "US")


def test_sample_report_by_day_and_month_exports(sample_store):
    """On the sample, the month report holds exactly the violations dated in that month; it exports to an Excel
    workbook with Summary and Violations sheets and to CSV with each record as JSON."""
    tables = co.load_tables(sample_store)
    violations = co.run_rules(co.rules_from(tables["compliance_rules"]), tables, sample_store.as_of())
    assert not violations.empty and list(violations.columns) == co.VIOLATION_COLUMNS
    report = co.month_report(violations, pd.Timestamp("2026-10-15").date())
    dates = pd.to_datetime(violations["date"])
    assert len(report.violations) == int(((dates >= "2026-10-01") & (dates < "2026-11-01")).sum())
    assert report.summary["violations"].sum() == len(report.violations)
    assert sum(report.counts_by_severity.values()) == len(report.violations)
    book = openpyxl.load_workbook(io.BytesIO(co.report_to_excel(report)))
    assert book.sheetnames == ["Summary", "Violations"]
    assert book["Violations"].max_row == len(report.violations) + 1
    csv = pd.read_csv(io.BytesIO(co.report_to_csv(report)))
    assert len(csv) == len(report.violations)
    assert isinstance(json.loads(csv["record"].iloc[0]), dict)
    today = co.day_report(violations, sample_store.as_of())
    assert (pd.to_datetime(today.violations["date"]).dt.normalize() == pd.Timestamp(sample_store.as_of())).all()
