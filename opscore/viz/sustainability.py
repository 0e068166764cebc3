"""Charts of the Sustainability page: footprint by source over time, intensities, what-ifs against baseline."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from opscore.sustainability import SOURCES, WhatIf
from opscore.viz.theme import PALETTE, plain, styled

SOURCE_LABELS = {"deliveries": "Van deliveries", "inbound": "Inbound from suppliers", "packaging": "Packaging",
                 "electricity": "Refrigeration electricity"}
SOURCE_COLOURS = dict(zip(SOURCES, [PALETTE[0], PALETTE[1], PALETTE[5], PALETTE[2]]))


def footprint_figure(monthly: pd.DataFrame) -> go.Figure:
    """Stacked monthly bars of tonnes CO2e by source (from ``monthly_footprint``)."""
    fig = go.Figure()
    for source in SOURCES:
        part = monthly[monthly["source"] == source]
        fig.add_bar(x=part["month"], y=part["kg_co2e"] / 1000, name=SOURCE_LABELS[source],
                    marker_color=SOURCE_COLOURS[source],
                    hovertemplate="%{x|%b %Y}: %{y:,.2f} t CO2e<extra>" + SOURCE_LABELS[source] + "</extra>")
    fig.update_layout(barmode="stack", yaxis_title="Tonnes CO2e", xaxis_title=None)
    return styled(fig, "Footprint by month and source")


def intensity_figure(intensity: pd.DataFrame) -> go.Figure:
    """kg CO2e per delivered order (left axis) and g CO2e per GBP of revenue (right axis) by month."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=intensity["month"], y=intensity["kg_per_order"], name="kg CO2e per order", mode="lines+markers",
                    line_color=PALETTE[0], hovertemplate="%{x|%b %Y}: %{y:.2f} kg per order<extra></extra>")
    fig.add_scatter(x=intensity["month"], y=intensity["g_per_gbp"], name="g CO2e per £ revenue",
                    mode="lines+markers", line_color=PALETTE[1], secondary_y=True,
                    hovertemplate="%{x|%b %Y}: %{y:.1f} g per £<extra></extra>")
    fig.update_yaxes(title_text="kg CO2e per order", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="g CO2e per £", rangemode="tozero", secondary_y=True)
    return styled(fig, "Intensity: per order and per pound of revenue", height=320)


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
    fig = go.Figure()
    for i, vid in enumerate(vehicle_ids):
        part = van_days[van_days["vehicle_id"] == vid]
        fig.add_scatter(x=part["date"], y=part["km"], mode="markers", name=f"Van {plain(vid)}",
                        marker={"size": 5, "color": PALETTE[i % len(PALETTE)]},
                        hovertemplate="%{x|%d %b %Y}: %{y:.0f} km<extra>" + plain(vid) + "</extra>")
    fig.add_hline(y=range_km, line_dash="dash", line_color=PALETTE[3],
                  annotation_text=f"electric range {range_km:.0f} km")
    fig.update_layout(yaxis_title="Km driven that day")
    return styled(fig, "Daily km of the vans switched to electric", height=300)
