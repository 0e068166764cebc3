"""The workshop report: a self-contained HTML file (figures interactive, works offline) and an Excel workbook."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from opscore.io import export_excel
from opscore.scenarios.compare import kpi_table, parameters_table
from opscore.scenarios.library import Scenario


@dataclass(frozen=True)
class ReportSection:
    """A block of the report: a heading, a paragraph, figures and tables."""

    title: str
    text: str = ""
    figures: Sequence[go.Figure] = field(default_factory=tuple)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)


def assumptions_table(factors: pd.DataFrame | None = None, notes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """What the numbers rest on: emission factors with source and year, plus model choices as text."""
    rows = [{"assumption": k, "value": v, "source": ""} for k, v in (notes or {}).items()]
    if factors is not None:
        for f in factors.itertuples():
            rows.append({"assumption": f"{f.name} (kg CO2e per {f.unit})", "value": f"{f.kg_co2e:g}",
                         "source": f"{f.source}, {f.year}"})
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, classes="t", na_rep="", float_format=lambda v: f"{v:,.2f}", escape=True)


CSS = """body{font-family:Arial,Helvetica,sans-serif;color:#1F2A33;max-width:1100px;margin:2em auto;padding:0 1em}
h1{color:#2E6F9E}table.t{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}
table.t th,table.t td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}.meta{color:#555}"""


def report_html(workspace: str, as_of: date, scenarios: list[Scenario], sections: Sequence[ReportSection] = (),
                assumptions: pd.DataFrame | None = None, baseline: int = 0) -> str:
    """One HTML document with plotly.js embedded once, so it opens offline in any browser."""
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(workspace)}: workshop report</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>Workshop report: {html.escape(workspace)}</h1>",
             f"<p class='meta'>Data as of {as_of:%d %B %Y}. Prepared {date.today():%d %B %Y} with OpsCore Workbench.</p>"]
    all_sections = list(sections)
    if scenarios:
        from opscore.viz.scenarios import kpi_comparison_figure

        kpis = kpi_table(scenarios, baseline)
        all_sections.insert(0, ReportSection(
            "Scenarios compared",
            f"Changes are against '{html.escape(scenarios[baseline].name)}'.",
            figures=(kpi_comparison_figure(kpis),),
            tables={"Key results": kpis.drop(columns=["kpi", "is_baseline"]), "Parameters": parameters_table(scenarios),
                    "Notes": pd.DataFrame([{"scenario": s.name, "page": s.page, "saved": s.created_at, "author": s.author or "",
                                            "notes": s.notes or ""} for s in scenarios])},
        ))
    plotly_included = False
    for section in all_sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.text:
            parts.append(f"<p>{html.escape(section.text)}</p>")
        for fig in section.figures:
            parts.append(pio.to_html(fig, full_html=False, include_plotlyjs=not plotly_included,
                                     config={"displaylogo": False}))
            plotly_included = True
        for title, frame in section.tables.items():
            parts.append(f"<h3>{html.escape(title)}</h3>{_table_html(frame)}")
    if assumptions is not None and not assumptions.empty:
        parts.append(f"<h2>Assumptions and sources</h2>{_table_html(assumptions)}")
    parts.append("</body></html>")
    return "\n".join(parts)


def report_excel(workspace: str, as_of: date, scenarios: list[Scenario], tables: Mapping[str, pd.DataFrame] | None = None,
                 assumptions: pd.DataFrame | None = None, baseline: int = 0) -> bytes:
    """The report's tables as sheets: About, Key results, Parameters, Assumptions, then any extra tables."""
    sheets: dict[str, pd.DataFrame] = {
        "About": pd.DataFrame({"item": ["workspace", "data as of", "prepared", "scenarios"],
                               "value": [workspace, as_of.isoformat(), date.today().isoformat(),
                                         ", ".join(s.name for s in scenarios)]}),
    }
    if scenarios:
        sheets["Key results"] = kpi_table(scenarios, baseline).drop(columns=["is_baseline"])
        sheets["Parameters"] = parameters_table(scenarios)
    if assumptions is not None:
        sheets["Assumptions"] = assumptions
    sheets.update(tables or {})
    return export_excel(sheets)
