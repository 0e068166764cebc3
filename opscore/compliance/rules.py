"""Compliance rules as data: which check runs, its threshold, unit and severity.

A workspace's ``compliance_rules`` table overrides :func:`default_rules` when it has rows.
Every rule is breached when the checked value is strictly above its threshold, except
``stock_near_use_by`` (breached when the days left are at or under it).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from opscore.store import Store

RULE_COLUMNS = ["rule_id", "name", "regulation", "check", "threshold", "unit", "severity", "enabled"]
SEVERITIES = ("info", "warning", "critical")
CHECKS: dict[str, str] = {
    "max_daily_driving_hours": "Driving hours in a day (estimated from route km and average speed)",
    "max_daily_duty_hours": "Hours on duty in a day (pre-trip check to return to depot)",
    "max_driving_before_break_hours": "Driving hours without a break of 45 minutes or more",
    "max_chilled_temperature_c": "Chiller reading above the limit, with the excursion's duration",
    "max_frozen_temperature_c": "Freezer reading above the limit, with the excursion's duration",
    "stock_past_use_by": "Days a lot on hand is past its use-by date",
    "stock_near_use_by": "Days left before a lot on hand reaches its use-by date",
    "fefo_order": "Units of an older lot left to expire while a fresher lot was picked",
    "max_load_weight_pct": "Van load weight as a percent of its payload",
    "max_load_volume_pct": "Van load volume as a percent of its load space",
}
"""Known checks and what each measures."""
GB, EU = "GB", "EU"
HOURS_RULE_PREFIX = {GB: "GB-HRS-", EU: "EU-HRS-"}
"""Drivers' hours rules are grouped by rule-id prefix so that one rule set is switched on at a time."""

_GB_HOURS = "GB domestic drivers' hours rules (Transport Act 1968, Part VI), vans"
_EU_HOURS = "Regulation (EC) No 561/2006 (assimilated law in GB)"
_DEFAULTS = [
    ("GB-HRS-DRIVE", "Daily driving over 10 hours (GB domestic)", _GB_HOURS, "max_daily_driving_hours", 10.0,
     "hours", "critical", True),
    ("GB-HRS-DUTY", "Daily duty over 11 hours (GB domestic)", _GB_HOURS, "max_daily_duty_hours", 11.0, "hours",
     "critical", True),
    ("EU-HRS-BREAK", "4.5 hours driving without a 45-minute break (EU)", _EU_HOURS + ", Article 7",
     "max_driving_before_break_hours", 4.5, "hours", "critical", False),
    ("EU-HRS-DRIVE", "Daily driving over 9 hours (EU)", _EU_HOURS + ", Article 6(1)", "max_daily_driving_hours",
     9.0, "hours", "critical", False),
    ("CC-LEGAL", "Chilled food above 8 °C", "Food Safety and Hygiene (England) Regulations 2013, Schedule 4 "
     "(chill holding at 8 °C or below)", "max_chilled_temperature_c", 8.0, "°C", "critical", True),
    ("CC-BEST", "Chilled food above 5 °C (best practice)", "Food Standards Agency guidance: keep chilled food at "
     "5 °C or below", "max_chilled_temperature_c", 5.0, "°C", "warning", True),
    ("CC-FROZEN", "Frozen food warmer than -15 °C", "Quick-frozen Foodstuffs (England) Regulations 2007 (-18 °C; "
     "brief rises to -15 °C)", "max_frozen_temperature_c", -15.0, "°C", "critical", True),
    ("EXP-PAST", "Stock past its use-by date", "Food Safety Act 1990, s.14; Food Information Regulations 2014 "
     "(no sale after the use-by date)", "stock_past_use_by", 0.0, "days", "critical", True),
    ("EXP-NEAR", "Stock within 2 days of its use-by date", "Good practice: sell or clear before the use-by date",
     "stock_near_use_by", 2.0, "days", "warning", True),
    ("EXP-FEFO", "Older lot left to expire (FEFO)", "Good warehousing practice: first expired, first out",
     "fefo_order", 0.0, "units", "warning", True),
    ("LOAD-WEIGHT", "Van loaded above its payload (gross weight)", "Road Vehicles (Construction and Use) "
     "Regulations 1986, reg. 80 (overloading)", "max_load_weight_pct", 100.0, "% of payload", "critical", True),
    ("LOAD-VOLUME", "Van loaded above its load space", "Good practice: load within the van's load volume",
     "max_load_volume_pct", 100.0, "% of load volume", "warning", True),
]


def default_rules() -> pd.DataFrame:
    """The shipped rule set: GB domestic drivers' hours on, EU off; cold chain, expiry and load rules on."""
    return pd.DataFrame(_DEFAULTS, columns=RULE_COLUMNS)


def check_rules(rules: pd.DataFrame) -> pd.DataFrame:
    """The rules cleaned and typed; ``ValueError`` naming the first bad rule and how to fix it."""
    missing = [c for c in RULE_COLUMNS if c not in rules.columns]
    if missing:
        raise ValueError(f"the rules table lacks column(s) {missing}; it needs {RULE_COLUMNS}")
    out = rules[RULE_COLUMNS].copy().reset_index(drop=True)
    for i, row in out.iterrows():
        rid = row["rule_id"]
        if not isinstance(rid, str) or not rid.strip():
            raise ValueError(f"rule row {i + 1} has no rule_id; give each rule a short unique id")
        if row["check"] not in CHECKS:
            raise ValueError(f"rule {rid}: unknown check {row['check']!r}; use one of {', '.join(CHECKS)}")
        if row["severity"] not in SEVERITIES:
            raise ValueError(f"rule {rid}: severity {row['severity']!r} must be one of {', '.join(SEVERITIES)}")
        value = pd.to_numeric(pd.Series([row["threshold"]]), errors="coerce").iloc[0]
        if pd.isna(value):
            raise ValueError(f"rule {rid}: threshold {row['threshold']!r} is not a number")
    dupes = out["rule_id"][out["rule_id"].duplicated()].tolist()
    if dupes:
        raise ValueError(f"rule id(s) {dupes} appear twice; each rule id must be unique")
    out["threshold"] = out["threshold"].astype(float)
    out["enabled"] = out["enabled"].fillna(False).astype(bool)
    for col in ("name", "regulation", "unit"):
        out[col] = out[col].fillna("").astype(str)
    return out


def rules_from(table: pd.DataFrame | None) -> pd.DataFrame:
    """A workspace's ``compliance_rules`` if it has rows, else :func:`default_rules`."""
    return check_rules(table) if table is not None and not table.empty else default_rules()


def use_drivers_hours_rules(rules: pd.DataFrame, rule_set: Literal["GB", "EU"]) -> pd.DataFrame:
    """Enable the drivers' hours rules of ``rule_set`` ('GB' or 'EU') and disable the other set's."""
    if rule_set not in HOURS_RULE_PREFIX:
        raise ValueError(f"drivers' hours rule set {rule_set!r} must be 'GB' or 'EU'")
    out = rules.copy()
    for name, prefix in HOURS_RULE_PREFIX.items():
        mask = out["rule_id"].str.startswith(prefix)
        out.loc[mask, "enabled"] = name == rule_set
    return out


def save_rules(store: Store, rules: pd.DataFrame) -> pd.DataFrame:
    """Check and write ``rules`` as the workspace's ``compliance_rules`` table (atomic); returns what was saved."""
    table = check_rules(rules)
    with store.transaction() as w:
        w.replace("compliance_rules", table)
    return table
