"""Charts of the inventory simulator: on-hand fan chart, cost/service frontier, ABC-XYZ matrix, what-if comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import PALETTE, styled


def on_hand_fan(bands: pd.DataFrame, min_level: float, max_level: float, title: str) -> go.Figure:
    """Simulated units on hand per day: median, 50 % and 90 % bands, with the reorder (min) and max levels."""
    fig = go.Figure()
    x = bands["day"]
    for lo, hi, alpha, name in (("p5", "p95", 0.15, "9 in 10 runs"), ("p25", "p75", 0.3, "half of the runs")):
        fig.add_scatter(x=x, y=bands[hi], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=x, y=bands[lo], mode="lines", line={"width": 0}, fill="tonexty", name=name,
                        fillcolor=f"rgba(46,111,158,{alpha})", hoverinfo="skip")
    fig.add_scatter(x=x, y=bands["p50"], mode="lines", name="typical day", line={"color": PALETTE[0], "width": 2},
                    hovertemplate="day %{x}: %{y:,.0f} units<extra></extra>")
    fig.add_hline(y=min_level, line={"color": PALETTE[3], "dash": "dash"},
                  annotation_text=f"reorder level {min_level:,.0f}", annotation_position="top left")
    fig.add_hline(y=max_level, line={"color": PALETTE[2], "dash": "dot"},
                  annotation_text=f"order up to {max_level:,.0f}", annotation_position="top left")
    fig.update_layout(xaxis_title="Days from today", yaxis_title="Units on the shelf at day end")
    return styled(fig, title)


def frontier_figure(points: pd.DataFrame, current: tuple[float, float] | None = None) -> go.Figure:
    """Yearly cost against the share of demand served, one point per service target; the current setting marked."""
    fig = go.Figure()
    fig.add_scatter(
        x=points["fill_rate"] * 100, y=points["cost_per_year"], mode="lines+markers", name="possible settings",
        line={"color": PALETTE[0]}, text=[f"target {t:.0%}" for t in points["target"]],
        error_y={"type": "data", "symmetric": False, "array": points["cost_high"] - points["cost_per_year"],
                 "arrayminus": points["cost_per_year"] - points["cost_low"], "thickness": 1},
        hovertemplate="%{text}: %{x:.1f}% of demand served, £%{y:,.0f} a year<extra></extra>")
    if current is not None:
        fig.add_scatter(x=[current[0] * 100], y=[current[1]], mode="markers", name="your setting",
                        marker={"color": PALETTE[1], "size": 14, "symbol": "star"},
                        hovertemplate="your setting: %{x:.1f}% served, £%{y:,.0f} a year<extra></extra>")
    fig.update_layout(xaxis_title="Share of demand served from stock (%)",
                      yaxis_title="Cost per year (£): holding + ordering + lost margin + waste")
    return styled(fig, "Cost versus service: what each extra point of service costs")


def abc_xyz_matrix(classes: pd.DataFrame) -> go.Figure:
    """3 x 3 grid: number of SKUs and share of value per ABC (value) x XYZ (steadiness) class."""
    counts = classes.pivot_table(index="abc", columns="xyz", values="sku", aggfunc="count").reindex(
        index=["A", "B", "C"], columns=["X", "Y", "Z"]).fillna(0)
    total = classes["annual_value"].sum()
    value = classes.pivot_table(index="abc", columns="xyz", values="annual_value", aggfunc="sum").reindex(
        index=["A", "B", "C"], columns=["X", "Y", "Z"]).fillna(0) / (total if total > 0 else 1)
    text = [[f"{int(counts.iat[i, j])} SKUs<br>{value.iat[i, j]:.0%} of value" for j in range(3)] for i in range(3)]
    fig = go.Figure(go.Heatmap(
        z=value.to_numpy() * 100, x=["X steady", "Y variable", "Z erratic"],
        y=["A top value", "B middle", "C low value"],
        text=text, texttemplate="%{text}", colorscale="Blues", showscale=False,
        hovertemplate="%{y}, %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return styled(fig, "Which items matter most (ABC) and how steady they sell (XYZ)", height=320)


COMPARE = {"fill_rate": ("Demand served from stock (%)", 100, "", "%"), "total_cost": ("Cost (£)", 1, "£", ""),
           "avg_on_hand": ("Average units on the shelf", 1, "", ""), "waste_units": ("Units thrown away", 1, "", "")}


def comparison_figure(baseline: pd.DataFrame, what_if: pd.DataFrame) -> go.Figure:
    """Baseline versus what-if for the main measures (simulation totals with 95 % intervals), side by side."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(COMPARE), subplot_titles=[v[0] for v in COMPARE.values()])
    for col, (measure, (_, scale, prefix, suffix)) in enumerate(COMPARE.items(), start=1):
        for name, frame, colour in (("baseline", baseline, PALETTE[0]), ("what-if", what_if, PALETTE[1])):
            row = frame.set_index("measure").loc[measure]
            mean = row["mean"] * scale
            err = (row["ci_high"] - row["mean"]) * scale
            fig.add_bar(x=[name], y=[mean], marker_color=colour, name=name, showlegend=False,
                        error_y={"type": "data", "array": [0 if np.isnan(err) else err]},
                        hovertemplate=f"{name}: {prefix}%{{y:,.1f}}{suffix}<extra></extra>", row=1, col=col)
    return styled(fig, None, height=300)  # each bar is named under it: no legend
