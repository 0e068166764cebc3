"""The workshop report: a self-contained HTML file (figures interactive, works offline) and an Excel workbook."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from opscore.io import export_excel
from opscore.scenarios.compare import differences, kpi_table, parameters_table
from opscore.scenarios.library import Scenario

if TYPE_CHECKING:  # plotly is loaded only when a report is drawn, not to save or compare scenarios
    import plotly.graph_objects as go


@dataclass(frozen=True)
class ReportSection:
    """A block of the report: a heading, a paragraph, figures and tables."""

    title: str
    text: str = ""
    figures: Sequence[go.Figure] = field(default_factory=tuple)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)


METHODS: dict[str, tuple[str, str]] = {
    "forecast": ("Demand forecasts: several models are re-run at past dates (rolling-origin backtest) and combined "
                 "weighted by accuracy, unless one model is at least 30 % better at every date; 80 % and 95 % bands",
                 "Hyndman & Athanasopoulos, FPP3 §5.10; Bates & Granger 1969"),
    "inventory": ("Reorder levels from textbook policies, raised by simulation until each item meets its target; a "
                  "Monte Carlo simulation of daily demand and supplier lead times (the seed is stored with each "
                  "scenario); perishable stock about to expire does not count as cover",
                  "Snyder & Shen 2019; Zheng & Federgruen 1991; Broekmeulen & van Donselaar 2009"),
    "routes": ("Van routes by PyVRP (iterated local search) or OR-Tools; road km = straight-line km x circuity",
               "Wouda, Lan & Kool 2024; Ballou, Rahardja & Sakai 2002"),
    "delivery_options": ("First-time success per customer, weekday and slot, shrunk towards the segment's "
                         "and everyone's rate (empirical Bayes)", "Casella 1985"),
    "suppliers": ("Ranking by TOPSIS or weighted sum; a supplier outage as a day-by-day projection of stock, open "
                  "orders and lost sales", "Hwang & Yoon 1981; Saaty 1980"),
    "maintenance": ("Weibull lifetimes fitted to failures and assets still running; the service interval minimising "
                    "the long-run cost per day", "Barlow & Proschan 1965, ch. 4"),
    "sustainability": ("Emissions = activity x the emission factors listed below", "UK Government GHG conversion "
                       "factors 2025"),
    "warehouse": ("Cartons chosen by a greedy covering rule with a 3-D placement check; packaging CO2e from the "
                  "material factors below", "Chvatal 1979"),
}
"""How each page's numbers are made, for the report's assumptions (page -> (method, source))."""


def assumptions_table(factors: pd.DataFrame | None = None, notes: Mapping[str, str] | None = None,
                      pages: Sequence[str] = ()) -> pd.DataFrame:
    """What the numbers rest on: notes (workspace, date), the methods behind ``pages``, and emission factors
    with source and year."""
    rows = [{"assumption": k, "value": v, "source": ""} for k, v in (notes or {}).items()]
    rows += [{"assumption": f"Method: {page}", "value": METHODS[page][0], "source": METHODS[page][1]}
             for page in dict.fromkeys(pages) if page in METHODS]
    if factors is not None:
        for f in factors.itertuples():
            rows.append({"assumption": f"{f.name} (kg CO2e per {f.unit})", "value": f"{f.kg_co2e:g}",
                         "source": f"{f.source}, {f.year}"})
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])


def key_results(kpis: pd.DataFrame) -> pd.DataFrame:
    """:func:`kpi_table` as the report shows it: scenario, result, value, change, change (%), in words."""
    return kpis[["scenario", "label", "value", "change", "change_pct"]].rename(columns={
        "scenario": "Scenario", "label": "Result", "value": "Value", "change": "Change", "change_pct": "Change (%)"})


def _said(scenarios: list[Scenario], kpis: pd.DataFrame, baseline: int = 0) -> str:
    """The baseline and, in sentences, what differs between the scenarios (and if they share no result)."""
    said = differences(scenarios, baseline)
    return (f"Changes are against '{scenarios[baseline].name}'." + (" What differs: " + " ".join(said) if said else "")
            + ("" if len(kpis) else " They record no result in common, so no key results are set side by side."))


def _results(kpis: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {"Key results": key_results(kpis)} if len(kpis) else {}


def page_sections(scenarios: Sequence[Scenario]) -> list[ReportSection]:
    """One section per page: its scenarios' key results against the first of them, with a chart."""
    from opscore.viz.scenarios import kpi_comparison_figure

    sections = []
    for page in dict.fromkeys(s.page for s in scenarios):
        mine = [s for s in scenarios if s.page == page]
        kpis = kpi_table(mine)
        sections.append(ReportSection(
            f"Page: {page}", (METHODS[page][0] + ". " if page in METHODS else "") + _said(mine, kpis),
            figures=(kpi_comparison_figure(kpis),) if len(kpis) else (),
            tables={**_results(kpis), "Settings": parameters_table(mine)}))
    return sections


def _table_html(frame: pd.DataFrame) -> str:
    text: str = frame.to_html(index=False, border=0, classes="t", na_rep="", float_format=lambda v: f"{v:,.2f}",
                              escape=True)
    return text


CSS = """body{font-family:Arial,Helvetica,sans-serif;color:#1F2A33;max-width:1100px;margin:2em auto;padding:0 1em}
h1{color:#2E6F9E}table.t{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}
table.t th,table.t td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}.meta{color:#555}"""


def report_html(workspace: str, as_of: date, scenarios: list[Scenario], sections: Sequence[ReportSection] = (),
                assumptions: pd.DataFrame | None = None, baseline: int = 0) -> str:
    """One HTML document with plotly.js embedded once, so it opens offline in any browser."""
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'>"
             f"<title>{html.escape(workspace)}: workshop report</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>Workshop report: {html.escape(workspace)}</h1>",
             f"<p class='meta'>Data as of {as_of:%d %B %Y}. "
             f"Prepared {date.today():%d %B %Y} with OpsCore Workbench.</p>"]
    all_sections = list(sections)
    if scenarios:
        from opscore.viz.scenarios import kpi_comparison_figure

        kpis = kpi_table(scenarios, baseline)
        all_sections.insert(0, ReportSection(
            "Scenarios compared", _said(scenarios, kpis, baseline),
            figures=(kpi_comparison_figure(kpis),) if len(kpis) else (),
            tables={**_results(kpis), "Settings": parameters_table(scenarios),
                    "Notes": pd.DataFrame([{"Scenario": s.name, "Page": s.page, "Saved": s.created_at,
                                            "Author": s.author or "", "Notes": s.notes or ""} for s in scenarios])},
        ))
    import plotly.io as pio

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


def report_excel(workspace: str, as_of: date, scenarios: list[Scenario],
                 tables: Mapping[str, pd.DataFrame] | None = None,
                 assumptions: pd.DataFrame | None = None, baseline: int = 0) -> bytes:
    """The report's tables as sheets: About, Key results, Settings, Assumptions, then any extra tables."""
    sheets: dict[str, pd.DataFrame] = {
        "About": pd.DataFrame({"item": ["workspace", "data as of", "prepared", "scenarios"],
                               "value": [workspace, as_of.isoformat(), date.today().isoformat(),
                                         ", ".join(s.name for s in scenarios)]}),
    }
    if scenarios:
        sheets["Key results"] = key_results(kpi_table(scenarios, baseline))
        sheets["Settings"] = parameters_table(scenarios)
    if assumptions is not None:
        sheets["Assumptions"] = assumptions
    sheets.update(tables or {})
    return export_excel(sheets)
