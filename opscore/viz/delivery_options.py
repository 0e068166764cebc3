"""Delivery-options charts: segment x slot failure heatmap, failure reasons, and ranked options."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import PALETTE, plain, styled


def failure_heatmap(grid: pd.DataFrame) -> go.Figure:
    """Failure rate (%) of first attempts per segment (rows) and time slot (columns); blank = never delivered then."""
    wide = grid.pivot(index="segment", columns="slot", values="failure_rate").sort_index(axis=1) * 100
    n = grid.pivot(index="segment", columns="slot", values="attempts").reindex_like(wide)
    labels = [["" if pd.isna(v) else f"{v:.1f}%" for v in row] for row in wide.to_numpy()]
    fig = go.Figure(go.Heatmap(z=wide.to_numpy(), x=[plain(s) for s in wide.columns], y=[plain(s) for s in wide.index],
                               colorscale="OrRd",
                               text=labels, texttemplate="%{text}", customdata=n.to_numpy(),
                               colorbar=dict(title="% failed"),
                               hovertemplate="%{y}, %{x}: %{z:.1f}% failed (%{customdata} attempts)<extra></extra>"))
    fig.update_xaxes(title="Planned time slot")
    return styled(fig, height=90 + 45 * len(wide))


def reasons_chart(reasons: pd.DataFrame) -> go.Figure:
    """Stacked bars of failed first attempts by segment and reason."""
    fig = go.Figure()
    for k, (reason, g) in enumerate(reasons.groupby("failure_reason")):
        fig.add_trace(go.Bar(x=g["segment"].map(plain), y=g["failures"], name=plain(reason),
                             marker_color=PALETTE[k % len(PALETTE)]))
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=-0.25))
    fig.update_yaxes(title="Failed first attempts")
    return styled(fig, height=340)


def options_chart(options: pd.DataFrame, top: int = 8) -> go.Figure:
    """Top options: predicted first-time success (bars, %) and cost to serve (markers, GBP)."""
    o = options.head(top).iloc[::-1]
    labels = o["option"].map(plain)
    fig = go.Figure(go.Bar(y=labels, x=o["success"] * 100, orientation="h", name="First-time success (%)",
                           marker_color=PALETTE[0], text=(o["success"] * 100).round(0).astype(int).astype(str) + "%",
                           textposition="inside"))
    fig.add_trace(go.Scatter(y=labels, x=o["cost_gbp"], xaxis="x2", mode="markers", name="Cost to serve (£)",
                             marker=dict(size=11, color=PALETTE[1], symbol="diamond")))
    fig.update_layout(xaxis=dict(title="First-time success (%)", range=[0, 100]),
                      xaxis2=dict(title="£", overlaying="x", side="top", range=[0, float(o["cost_gbp"].max()) * 1.1]),
                      legend=dict(orientation="h", y=-0.2))
    return styled(fig, height=120 + 32 * len(o))
