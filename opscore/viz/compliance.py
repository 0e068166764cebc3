"""Charts of the Compliance page: violations by rule and severity, over time, and temperature excursions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import PALETTE, plain, styled

SEVERITY_COLOURS = {"critical": "#B8483E", "warning": "#E07B39", "info": PALETTE[0]}


def by_rule_figure(summary: pd.DataFrame, title: str = "Violations by rule") -> go.Figure:
    """Horizontal bars: violations per rule, coloured by severity (from a report's ``summary``)."""
    fig = go.Figure()
    rows = summary.iloc[::-1]
    for severity, colour in SEVERITY_COLOURS.items():
        part = rows[rows["severity"].astype(str) == severity]
        if part.empty:
            continue
        fig.add_bar(y=part["name"].map(plain), x=part["violations"], orientation="h", name=severity,
                    marker_color=colour, hovertemplate="%{y}: %{x}<extra>" + severity + "</extra>")
    fig.update_layout(barmode="stack", xaxis_title="Violations")
    return styled(fig, title, height=max(220, 60 + 32 * len(summary)))


def timeline_figure(violations: pd.DataFrame, start: date, end: date) -> go.Figure:
    """Violations per day by severity between ``start`` and ``end``."""
    days = pd.date_range(start, end, freq="D")
    when = pd.to_datetime(violations["date"]).dt.normalize()
    fig = go.Figure()
    for severity, colour in SEVERITY_COLOURS.items():
        mask = violations["severity"].astype(str) == severity
        counts = when[mask].value_counts().reindex(days, fill_value=0)
        if counts.sum() == 0:
            continue
        fig.add_bar(x=days, y=counts.to_numpy(), name=severity, marker_color=colour,
                    hovertemplate="%{x|%d %b %Y}: %{y}<extra>" + severity + "</extra>")
    fig.update_layout(barmode="stack", yaxis_title="Violations")
    return styled(fig, "Violations per day", height=280)


def temperature_figure(readings: pd.DataFrame, asset_name: str, limits: dict[str, float]) -> go.Figure:
    """An asset's temperature readings with the rule limits drawn as dashed lines (``asset_name`` and the limits'
    labels are data: shown as plain text)."""
    asset_name = plain(asset_name)
    fig = go.Figure()
    fig.add_scatter(x=readings["ts"], y=readings["temperature_c"], mode="lines", name=asset_name,
                    line_color=PALETTE[0], hovertemplate="%{x|%d %b %Y %H:%M}: %{y:.1f} °C<extra></extra>")
    for i, (label, value) in enumerate(limits.items()):
        fig.add_hline(y=value, line_dash="dash", line_color=list(SEVERITY_COLOURS.values())[i % 2],
                      annotation_text=plain(label))
    fig.update_layout(yaxis_title="°C")
    return styled(fig, f"{asset_name}: temperature readings", height=300)
