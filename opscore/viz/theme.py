"""One calm look for every chart: palette, fonts and layout defaults."""

from __future__ import annotations

import plotly.graph_objects as go

PALETTE = ["#2E6F9E", "#E07B39", "#3A9D5D", "#B8483E", "#7A5FA6", "#8C6D46", "#D17FB5", "#6E7B85"]
ZONE_COLOURS = {"ambient": "#C9A227", "chilled": "#2E6F9E", "frozen": "#7FB3D5"}


def styled(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    """Apply the workbench's layout defaults (white background, compact margins, legend on top)."""
    fig.update_layout(
        template="plotly_white", colorway=PALETTE, height=height, title=title,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        font={"family": "Source Sans Pro, Arial, sans-serif", "size": 13},
    )
    return fig
