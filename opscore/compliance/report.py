"""The compliance report for a day or a month: counts by rule and severity plus every violation, exportable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from opscore.compliance.engine import VIOLATION_COLUMNS
from opscore.io import export_csv, export_excel

SEVERITY_ORDER = ["critical", "warning", "info"]


@dataclass(frozen=True)
class ComplianceReport:
    """Violations dated within [start, end]."""

    title: str
    start: date
    end: date
    summary: pd.DataFrame
    """Per rule: rule_id, name, severity, regulation, violations (count)."""
    violations: pd.DataFrame
    """The violations, columns :data:`~opscore.compliance.engine.VIOLATION_COLUMNS`."""

    @property
    def counts_by_severity(self) -> dict[str, int]:
        """Violations per severity (critical, warning, info)."""
        counts = self.violations["severity"].astype(str).value_counts()
        return {s: int(counts.get(s, 0)) for s in SEVERITY_ORDER}


def compliance_report(violations: pd.DataFrame, start: date, end: date, title: str | None = None) -> ComplianceReport:
    """Report of the violations dated from ``start`` to ``end`` inclusive."""
    if start > end:
        raise ValueError(f"the report starts ({start}) after it ends ({end}); swap the dates")
    days = pd.to_datetime(violations["date"]).dt.normalize()
    rows = violations[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))].reset_index(drop=True)
    summary = (rows.groupby(["rule_id", "name", "severity", "regulation"], observed=True).size()
               .rename("violations").reset_index())
    summary["severity"] = pd.Categorical(summary["severity"].astype(str), categories=SEVERITY_ORDER, ordered=True)
    summary = summary.sort_values(["severity", "violations"], ascending=[True, False]).reset_index(drop=True)
    label = title or (f"Compliance report {start:%d %b %Y}" if start == end
                      else f"Compliance report {start:%d %b %Y} to {end:%d %b %Y}")
    return ComplianceReport(label, start, end, summary, rows)


def day_report(violations: pd.DataFrame, day: date) -> ComplianceReport:
    """The report for one day."""
    return compliance_report(violations, day, day)


def month_report(violations: pd.DataFrame, any_day: date) -> ComplianceReport:
    """The report for the calendar month holding ``any_day``."""
    month = pd.Timestamp(any_day).to_period("M")
    return compliance_report(violations, month.start_time.date(), month.end_time.date(),
                             f"Compliance report {month.start_time:%B %Y}")


def _flat(violations: pd.DataFrame) -> pd.DataFrame:
    out = violations[VIOLATION_COLUMNS].copy()
    out["severity"] = out["severity"].astype(str)
    out["record"] = [json.dumps(r, default=str) for r in out["record"]]
    return out


def report_to_csv(report: ComplianceReport) -> bytes:
    """The violations as CSV (UTF-8), the record as JSON text."""
    return export_csv(_flat(report.violations), date_format="%Y-%m-%d %H:%M")


def report_to_excel(report: ComplianceReport) -> bytes:
    """An .xlsx workbook with a Summary sheet (title, period, counts; then counts by rule) and a Violations sheet."""
    head = pd.DataFrame({"report": [report.title, f"{report.start:%d %b %Y} to {report.end:%d %b %Y}"]
                         + [f"{s}: {n}" for s, n in report.counts_by_severity.items()]})
    summary = report.summary.assign(severity=report.summary["severity"].astype(str))
    return export_excel({"Summary": [head, summary], "Violations": _flat(report.violations)})
