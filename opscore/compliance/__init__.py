"""Compliance: rules as data, checks over the workspace, violations with their records, reports.

Typical use::

    from opscore import compliance as co
    tables = co.load_tables(store)
    rules = co.rules_from(tables["compliance_rules"])
    violations = co.run_rules(rules, tables, store.as_of())
    report = co.month_report(violations, store.as_of())
"""

from opscore.compliance.cold_chain import excursions
from opscore.compliance.drivers_hours import DEFAULT_SPEED_KMH, EU_BREAK_MINUTES, driver_days
from opscore.compliance.engine import (
                                      CHECK_TABLES,
                                      HOURS_CHECKS,
                                      VIOLATION_COLUMNS,
                                      CheckSettings,
                                      Facts,
                                      check_planned_hours,
                                      checks_without_data,
                                      combine_violations,
                                      load_fefo_sales,
                                      load_tables,
                                      run_rules,
)
from opscore.compliance.expiry import lots_on_hand, near_use_by, past_use_by, stranded_lots
from opscore.compliance.report import (
                                      ComplianceReport,
                                      compliance_report,
                                      day_report,
                                      month_report,
                                      report_to_csv,
                                      report_to_excel,
)
from opscore.compliance.rules import (
                                      CHECKS,
                                      RULE_COLUMNS,
                                      SEVERITIES,
                                      check_rules,
                                      default_rules,
                                      rules_from,
                                      save_rules,
                                      use_drivers_hours_rules,
)
from opscore.compliance.vehicle_load import vehicle_loads

__all__ = [
    "CHECKS", "CHECK_TABLES", "DEFAULT_SPEED_KMH", "EU_BREAK_MINUTES", "HOURS_CHECKS", "RULE_COLUMNS", "SEVERITIES",
    "VIOLATION_COLUMNS", "CheckSettings", "ComplianceReport", "Facts", "check_planned_hours", "check_rules",
    "checks_without_data", "combine_violations",
    "compliance_report", "day_report", "default_rules",
    "driver_days", "excursions", "load_fefo_sales", "load_tables", "lots_on_hand", "month_report", "near_use_by",
    "past_use_by",
    "report_to_csv", "report_to_excel", "rules_from", "run_rules", "save_rules", "stranded_lots",
    "use_drivers_hours_rules", "vehicle_loads",
]
