"""One calm look for every chart: palette, fonts and layout defaults."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "plotly_white"
"""The charts' template. The app makes it plotly's default once for its process (a default goes into a figure's
JSON as it is, while one assigned to a figure is validated and copied property by property: tens of milliseconds
a chart); elsewhere :func:`styled` assigns it to each figure, so notebooks' charts look the same."""

PALETTE = ["#2E6F9E", "#E07B39", "#3A9D5D", "#B8483E", "#7A5FA6", "#8C6D46", "#D17FB5", "#6E7B85"]
ZONE_COLOURS = {"ambient": "#C9A227", "chilled": "#2E6F9E", "frozen": "#7FB3D5"}


def styled(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    """Apply the workbench's layout defaults (white background, compact margins, legend on top)."""
    fig.update_layout(
        **({} if pio.templates.default == TEMPLATE else {"template": TEMPLATE}),
        colorway=PALETTE, height=height, title=title,
        # the title sits at the very top and the legend in its own row just above the plotting area
        margin={"l": 10, "r": 10, "t": 90 if title else 40, "b": 10},
        title_y=0.98, title_yanchor="top",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
        font={"family": "Source Sans Pro, Arial, sans-serif", "size": 13},
    )
    return fig


def legend_below(fig: go.Figure, gap: float = 0.12) -> go.Figure:
    """Move the legend under the plotting area (for charts with panel titles, which a legend on top would cover);
    ``gap`` is the distance below the x axis as a share of the plotting height (room for tick labels)."""
    return fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -gap, "x": 0},
                             margin={"b": 70})


def plain(text: object) -> str:
    """Data text (a supplier's or scenario's name...) for a chart's labels, legend or hover: plotly reads its
    text as HTML-like markup (``<a href>``, ``<b>``, entities), so '&', '<' and '>' are escaped, once."""
    return html.escape(str(text), quote=False)
