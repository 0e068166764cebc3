"""Charts of the Sustainability page: footprint by source over time, intensities, what-ifs against baseline."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from opscore.sustainability import SOURCES, WhatIf
from opscore.viz.theme import PALETTE, plain, styled

SOURCE_LABELS = {"deliveries": "Van deliveries", "inbound": "Inbound from suppliers", "packaging": "Packaging",
                 "electricity": "Refrigeration electricity"}
SOURCE_COLOURS = dict(zip(SOURCES, [PALETTE[0], PALETTE[1], PALETTE[5], PALETTE[2]]))


def footprint_figure(monthly: pd.DataFrame) -> go.Figure:
    """Stacked monthly bars of tonnes CO2e by source (from ``monthly_footprint``)."""
    bars = []
    for source in SOURCES:
        part = monthly[monthly["source"] == source]
        bars.append(go.Bar(x=part["month"], y=part["kg_co2e"] / 1000, name=SOURCE_LABELS[source],
                           marker_color=SOURCE_COLOURS[source],
                           hovertemplate="%{x|%b %Y}: %{y:,.2f} t CO2e<extra>" + SOURCE_LABELS[source] + "</extra>"))
    return styled(go.Figure(bars, {"barmode": "stack", "yaxis_title": "Tonnes CO2e", "xaxis_title": None}),
                  "Footprint by month and source")


def intensity_figure(intensity: pd.DataFrame) -> go.Figure:
    """kg CO2e per delivered order (left axis) and g CO2e per GBP of revenue (right axis) by month.

    Laid out as ``make_subplots(specs=[[{"secondary_y": True}]])`` lays it out, built directly (faster)."""
    lines = [go.Scatter(x=intensity["month"], y=intensity["kg_per_order"], name="kg CO2e per order",
                        mode="lines+markers", line_color=PALETTE[0],
                        hovertemplate="%{x|%b %Y}: %{y:.2f} kg per order<extra></extra>"),
             go.Scatter(x=intensity["month"], y=intensity["g_per_gbp"], name="g CO2e per £ revenue",
                        mode="lines+markers", line_color=PALETTE[1], yaxis="y2",
                        hovertemplate="%{x|%b %Y}: %{y:.1f} g per £<extra></extra>")]
    layout = {"xaxis": {"anchor": "y", "domain": [0.0, 0.94]},
              "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "title": {"text": "kg CO2e per order"},
                        "rangemode": "tozero"},
              "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right", "title": {"text": "g CO2e per £"},
                         "rangemode": "tozero"}}
    return styled(go.Figure(lines, layout), "Intensity: per order and per pound of revenue", height=320)


def whatif_figure(what_ifs: Sequence[WhatIf]) -> go.Figure:
    """Baseline against scenario tonnes CO2e for each what-if, side by side."""
    names = [plain(w.name) for w in what_ifs]  # a saved scenario's name can be part of one
    fig = go.Figure()
    fig.add_bar(x=names, y=[w.baseline_kg_co2e / 1000 for w in what_ifs], name="As things are",
                marker_color=PALETTE[7], hovertemplate="%{x}: %{y:,.2f} t CO2e<extra>as things are</extra>")
    fig.add_bar(x=names, y=[w.scenario_kg_co2e / 1000 for w in what_ifs], name="What-if", marker_color=PALETTE[2],
                text=[f"{-w.saving_pct:+.0f} %" for w in what_ifs], textposition="outside",
                hovertemplate="%{x}: %{y:,.2f} t CO2e<extra>what-if</extra>")
    fig.update_layout(barmode="group", yaxis_title="Tonnes CO2e of the source changed")
    return styled(fig, "What-ifs against the baseline (same period)")


def range_figure(van_days: pd.DataFrame, vehicle_ids: Sequence[str], range_km: float) -> go.Figure:
    """Daily km of the switched vans against the electric range (days above the line need a recharge)."""
    points = []
    for i, vid in enumerate(vehicle_ids):
        part = van_days[van_days["vehicle_id"] == vid]
        points.append(go.Scatter(x=part["date"], y=part["km"], mode="markers", name=f"Van {plain(vid)}",
                                 marker={"size": 5, "color": PALETTE[i % len(PALETTE)]},
                                 hovertemplate="%{x|%d %b %Y}: %{y:.0f} km<extra>" + plain(vid) + "</extra>"))
    # the range line as ``add_hline`` draws it, built directly (faster)
    layout = {"yaxis_title": "Km driven that day",
              "shapes": [{"type": "line", "line": {"color": PALETTE[3], "dash": "dash"}, "x0": 0, "x1": 1,
                          "xref": "x domain", "y0": range_km, "y1": range_km, "yref": "y"}],
              "annotations": [{"showarrow": False, "text": f"electric range {range_km:.0f} km", "x": 1,
                               "xanchor": "right", "xref": "x domain", "y": range_km, "yanchor": "bottom",
                               "yref": "y"}]}
    return styled(go.Figure(points, layout), "Daily km of the vans switched to electric", height=300)
