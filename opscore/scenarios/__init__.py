"""Scenarios: save what-ifs in the workspace, compare them, and export a workshop report."""

from opscore.scenarios.compare import differences, kpi_table, kpi_wide, parameters_table
from opscore.scenarios.labels import KPI_LABELS, PARAM_LABELS, kpi_label, param_label, show_value
from opscore.scenarios.library import (
                                       Scenario,
                                       annotate_scenario,
                                       delete_scenario,
                                       list_scenarios,
                                       load_scenario,
                                       rename_scenario,
                                       save_scenario,
                                       scenario_log,
)
from opscore.scenarios.report import METHODS, ReportSection, assumptions_table, page_sections, report_excel, report_html

__all__ = [
    "KPI_LABELS", "METHODS", "PARAM_LABELS", "ReportSection", "Scenario", "annotate_scenario", "assumptions_table",
    "delete_scenario", "differences", "kpi_label", "kpi_table", "kpi_wide", "list_scenarios", "load_scenario",
    "page_sections", "param_label", "parameters_table", "rename_scenario", "report_excel", "report_html",
    "save_scenario", "scenario_log", "show_value",
]
