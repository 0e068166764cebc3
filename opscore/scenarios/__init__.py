"""Scenarios: save what-ifs in the workspace, compare them, and export a workshop report."""

from opscore.scenarios.compare import kpi_table, kpi_wide, parameters_table
from opscore.scenarios.library import (KPI_LABELS, Scenario, annotate_scenario, delete_scenario, list_scenarios,
                                       load_scenario, rename_scenario, save_scenario, scenario_log)
from opscore.scenarios.report import (METHODS, ReportSection, assumptions_table, page_sections, report_excel,
                                      report_html)

__all__ = [
    "KPI_LABELS", "METHODS", "ReportSection", "Scenario", "annotate_scenario", "assumptions_table", "delete_scenario",
    "kpi_table", "kpi_wide", "list_scenarios", "load_scenario", "page_sections", "parameters_table", "rename_scenario",
    "report_excel", "report_html", "save_scenario", "scenario_log",
]
