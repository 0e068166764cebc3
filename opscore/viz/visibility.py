"""Charts of the home page: where the stock value sits, which SKUs run short, how old stock is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import ZONE_COLOURS, plain, styled


def stock_value_figure(by_location: pd.DataFrame) -> go.Figure:
    """Stacked bars: stock value at cost (GBP) by category, coloured by storage zone."""
    fig = go.Figure()
    order = by_location.groupby("category")["value"].sum().sort_values().index.tolist()
    for zone, part in by_location.groupby("zone"):
        part = part.set_index("category").reindex(order)
        fig.add_bar(y=[plain(c) for c in order], x=part["value"], name=plain(zone), orientation="h",
                    marker_color=ZONE_COLOURS.get(str(zone)),
                    hovertemplate="%{y}: £%{x:,.0f}<extra>" + plain(zone) + "</extra>")
    fig.update_layout(barmode="stack", xaxis_title="Stock value at cost (£)")
    return styled(fig, "Where the stock value sits")


def cover_figure(position: pd.DataFrame, top: int = 15) -> go.Figure:
    """The SKUs with the fewest days of cover, against their supplier lead time."""
    selling = position[np.isfinite(position["days_of_cover"])].nsmallest(top, "days_of_cover")
    selling = selling.iloc[::-1]
    labels = (selling["sku"] + " " + selling["name"].str.slice(0, 24)).map(plain)
    colours = np.where(selling["at_risk"], "#B8483E", "#2E6F9E")
    fig = go.Figure()
    fig.add_bar(y=labels, x=selling["days_of_cover"], orientation="h", marker_color=colours, name="days of cover",
                hovertemplate="%{y}: %{x:.1f} days of cover<extra></extra>")
    fig.add_scatter(y=labels, x=selling["lead_time_days"], mode="markers", name="supplier lead time (days)",
                    marker={"symbol": "line-ns-open", "size": 14, "color": "#333", "line": {"width": 2}})
    fig.update_layout(xaxis_title="Days")
    return styled(fig, "Lowest cover (red: runs out before a new order can arrive)", height=420)


def ageing_figure(ageing: pd.DataFrame) -> go.Figure:
    """Units on hand by age since receipt."""
    fig = go.Figure(go.Bar(x=ageing["age_days"], y=ageing["units"], marker_color="#6E7B85",
                           hovertemplate="%{x} days: %{y:,} units<extra></extra>"))
    fig.update_layout(xaxis_title="Days since received", yaxis_title="Units")
    return styled(fig, "Age of stock on hand", height=300)
