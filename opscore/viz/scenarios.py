"""Scenario comparison charts: one small panel per KPI, one bar per scenario."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from opscore.viz.theme import PALETTE, plain, styled


def kpi_comparison_figure(kpis: pd.DataFrame) -> go.Figure:
    """Small multiples of :func:`opscore.scenarios.compare.kpi_table`: each KPI on its own scale,
    with the change against the baseline in the hover text."""
    labels = list(dict.fromkeys(kpis["label"]))
    scenarios = list(dict.fromkeys(kpis["scenario"]))
    fig = make_subplots(rows=1, cols=max(1, len(labels)), subplot_titles=labels)
    for col, label in enumerate(labels, start=1):
        part = kpis[kpis["label"] == label].set_index("scenario").reindex(scenarios)
        fig.add_bar(
            x=[plain(s) for s in scenarios], y=part["value"],
            marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(scenarios))],
            customdata=part[["change", "change_pct"]].to_numpy(), showlegend=False, row=1, col=col,
            hovertemplate="%{x}<br>%{y:,.2f}<br>change %{customdata[0]:+,.2f} (%{customdata[1]:+.1f} %)<extra></extra>",
        )
    fig.update_xaxes(showticklabels=False)
    return styled(fig, "Key results by scenario (hover for the change against the baseline)", height=340)
