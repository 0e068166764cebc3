"""Scenario comparison charts: one small panel per KPI, one bar per scenario."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from opscore.viz.theme import PALETTE, plain, styled

PANELS_PER_ROW = 3
"""Panels side by side: at 1,400 px each title has about 40 characters a line."""
TITLE_CHARS = 34
"""Characters per line of a panel title before it wraps."""
ROW_HEIGHT = 200
"""Pixels of plotting area per row of panels."""


def _title(label: str) -> str:
    return "<br>".join(textwrap.wrap(plain(label), TITLE_CHARS)) or " "


def kpi_comparison_figure(kpis: pd.DataFrame) -> go.Figure:
    """Small multiples of :func:`opscore.scenarios.compare.kpi_table`: each KPI on its own scale, at most
    :data:`PANELS_PER_ROW` a row, titles wrapped so they never run into each other; scenarios in a legend below
    the panels and the change against the baseline in the hover text."""
    labels = list(dict.fromkeys(kpis["label"]))
    scenarios = list(dict.fromkeys(kpis["scenario"]))
    cols = max(1, min(PANELS_PER_ROW, len(labels)))
    rows = max(1, math.ceil(len(labels) / cols))
    lines = max((_title(lb).count("<br>") + 1 for lb in labels), default=1)
    legend_rows = math.ceil(len(scenarios) / 3)
    top, bottom = 90 + 18 * (lines - 1), 30 + 28 * legend_rows  # title, then the legend under the panels
    gap = 18 * lines + 40  # between rows: the next row's panel titles
    plot_height = rows * ROW_HEIGHT + (rows - 1) * gap
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[_title(lb) for lb in labels],
                        horizontal_spacing=0.09, vertical_spacing=gap / plot_height if rows > 1 else 0.0)
    for i, label in enumerate(labels):
        part = kpis[kpis["label"] == label].set_index("scenario").reindex(scenarios)
        for j, scenario in enumerate(scenarios):
            row = part.loc[[scenario]]
            fig.add_bar(
                x=[plain(scenario)], y=row["value"], name=plain(scenario), legendgroup=f"scenario {j}",
                marker_color=PALETTE[j % len(PALETTE)], showlegend=i == 0,
                customdata=row[["change", "change_pct"]].to_numpy(), row=i // cols + 1, col=i % cols + 1,
                hovertemplate="%{x}<br>%{y:,.2f}<br>change %{customdata[0]:+,.2f} (%{customdata[1]:+.1f} %)"
                              "<extra></extra>",
            )
    fig.update_annotations(font_size=13)
    fig.update_xaxes(showticklabels=False)
    fig = styled(fig, "Key results by scenario (hover for the change against the baseline)",
                 height=top + bottom + plot_height)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "entrywidth": 0.33,
                              "entrywidthmode": "fraction"},
                      margin={"t": top, "b": bottom}, barmode="overlay")
    return fig
