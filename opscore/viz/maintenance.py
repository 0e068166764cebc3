"""Charts of maintenance risk: sensor trends, Weibull probability plot, hazard, cost-rate curve, calendar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from opscore.maintenance.weibull import WeibullFit
from opscore.viz.theme import PALETTE, plain, styled

_FAIL = "#B8483E"


def _legend_inside(fig: go.Figure, top: bool) -> go.Figure:
    """Legend in an empty corner of the plot (top-left or bottom-right), clear of the x-axis title."""
    place = {"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top"} if top else \
        {"x": 0.99, "y": 0.02, "xanchor": "right", "yanchor": "bottom"}
    fig.update_layout(legend={"orientation": "v", "bgcolor": "rgba(255,255,255,0.85)", **place})
    return fig


def sensor_trend_figure(daily: pd.DataFrame, flags: pd.DataFrame, failures: pd.Series, title: str) -> go.Figure:
    """Temperature and vibration of one asset per day, drift days marked, past failures as vertical lines.

    ``daily``: one asset's rows of ``daily_readings``; ``flags``: its rows of ``drift_flags``; ``failures``: dates.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=("Temperature (°C)", "Vibration (mm/s)"))
    merged = daily.merge(flags, on=["asset_id", "date"], how="left")
    for row, (col, name) in enumerate((("temperature_c", "temperature"), ("vibration_mm_s", "vibration")), start=1):
        fig.add_scatter(x=merged["date"], y=merged[col], mode="lines", line={"color": PALETTE[0], "width": 1},
                        name="reading", showlegend=row == 1, row=row, col=1,
                        hovertemplate="%{x|%d %b %Y}: %{y:.2f}<extra></extra>")
        hit = merged[merged[f"{name}_flag"].fillna(False).astype(bool)]
        fig.add_scatter(x=hit["date"], y=hit[col], mode="markers", marker={"color": PALETTE[1], "size": 6},
                        name="drift flagged", showlegend=row == 1, row=row, col=1,
                        hovertemplate="%{x|%d %b %Y}: drift<extra></extra>")
    shown = pd.to_datetime(pd.Series(failures))
    shown = shown[(shown >= merged["date"].min()) & (shown <= merged["date"].max())]
    for day in shown:
        fig.add_vline(x=day, line={"color": _FAIL, "dash": "dot", "width": 1.5})
    fig.add_scatter(x=[None], y=[None], mode="lines", line={"color": _FAIL, "dash": "dot"}, name="failure")
    return styled(fig, title, height=460)


def weibull_probability_figure(positions: pd.DataFrame, fit: WeibullFit, title: str) -> go.Figure:
    """Weibull probability plot: ln(-ln(1-F)) against ln(age), data points and the fitted straight line.

    ``positions``: ``duration, cdf`` from ``plotting_positions`` (Kaplan-Meier, censoring-aware).
    """
    def y(p: np.ndarray) -> np.ndarray:
        return np.log(-np.log1p(-np.asarray(p, float)))

    ages = np.geomspace(max(positions["duration"].min() * 0.5, 1.0),
                        max(float(fit.quantile(0.99)), positions["duration"].max()), 60)
    ticks = np.array([0.01, 0.05, 0.1, 0.2, 0.4, 0.632, 0.8, 0.95, 0.99])
    fig = go.Figure()
    fig.add_scatter(x=positions["duration"], y=y(positions["cdf"]), mode="markers", name="observed failures",
                    marker={"color": PALETTE[0], "size": 8},
                    customdata=positions["cdf"],
                    hovertemplate="age %{x:.0f} d: %{customdata:.0%} failed<extra></extra>")
    fig.add_scatter(x=ages, y=y(fit.cdf(ages)), mode="lines",
                    name=f"Weibull fit (shape {fit.shape:.2f}, scale {fit.scale:.0f} d)",
                    line={"color": PALETTE[1]})
    fig.update_xaxes(type="log", title="Age at failure (days, log scale)")
    fig.update_yaxes(title="Share failed", tickvals=y(ticks), ticktext=[f"{t:.0%}" for t in ticks])
    return _legend_inside(styled(fig, title, height=360), top=False)


def hazard_figure(fit: WeibullFit, age_days: float, title: str, condition_multiplier: float = 1.0) -> go.Figure:
    """Failure rate (per 1,000 days) by age, with the asset's current age and its condition-adjusted rate."""
    top = max(float(fit.quantile(0.99)), age_days * 1.2, 10.0)
    ages = np.linspace(top / 200, top, 200)
    fig = go.Figure()
    fig.add_scatter(x=ages, y=1000 * fit.hazard(ages), mode="lines", name="by age (Weibull)",
                    line={"color": PALETTE[0]},
                    hovertemplate="age %{x:.0f} d: %{y:.2f} per 1,000 days<extra></extra>")
    if condition_multiplier != 1.0:
        fig.add_scatter(x=ages, y=1000 * condition_multiplier * fit.hazard(ages), mode="lines",
                        name="adjusted for condition", line={"color": PALETTE[1], "dash": "dash"})
    fig.add_vline(x=age_days, line={"color": "#333", "dash": "dot"}, annotation_text="today", annotation_position="top")
    fig.update_layout(xaxis_title="Age since install or last repair (days)", yaxis_title="Failures per 1,000 days")
    return _legend_inside(styled(fig, title, height=360), top=True)


def cost_rate_figure(curve: pd.DataFrame, optimum_days: float, run_to_failure: float, chosen_days: float | None,
                     chosen_cost: float | None, title: str) -> go.Figure:
    """Long-run cost per day against the service age, the optimum, the chosen age and run-to-failure."""
    fig = go.Figure()
    fig.add_scatter(x=curve["interval_days"], y=curve["cost_per_day"], mode="lines", name="service at this age",
                    line={"color": PALETTE[0]}, hovertemplate="every %{x:.0f} d: £%{y:.2f}/day<extra></extra>")
    fig.add_hline(y=run_to_failure, line={"color": _FAIL, "dash": "dash"},
                  annotation_text=f"run to failure £{run_to_failure:.2f}/day", annotation_position="top right")
    if np.isfinite(optimum_days):
        best = float(np.interp(optimum_days, curve["interval_days"], curve["cost_per_day"]))
        fig.add_scatter(x=[optimum_days], y=[best], mode="markers", name=f"cheapest: {optimum_days:.0f} days",
                        marker={"color": PALETTE[2], "size": 11, "symbol": "diamond"})
    if chosen_days is not None and chosen_cost is not None:
        fig.add_scatter(x=[chosen_days], y=[chosen_cost], mode="markers", name=f"your choice: {chosen_days:.0f} days",
                        marker={"color": PALETTE[1], "size": 11})
    top = float(np.nanpercentile(curve["cost_per_day"], 90))
    fig.update_layout(xaxis_title="Service age (days since install or last repair)", yaxis_title="Cost per day (£)",
                      yaxis_range=[0, max(top, run_to_failure) * 1.3])
    return _legend_inside(styled(fig, title, height=360), top=False)


def calendar_figure(jobs: pd.DataFrame, weeks: pd.DataFrame, title: str) -> go.Figure:
    """Planned jobs by day (top) and crew hours per week against the limit (bottom)."""
    fig = make_subplots(rows=2, cols=1, row_heights=[0.6, 0.4], vertical_spacing=0.12, shared_xaxes=True,
                        subplot_titles=("Planned work", "Crew hours per week"))
    planned = jobs.dropna(subset=["planned_date"])
    fig.add_scatter(x=planned["planned_date"], y=planned["name"].map(plain), mode="markers", name="planned",
                    marker={"color": PALETTE[0], "size": 12, "symbol": "square"}, row=1, col=1,
                    customdata=np.stack([planned["hours"], planned["due_date"].dt.strftime("%d %b")], axis=-1)
                    if len(planned) else None,
                    hovertemplate="%{y}: %{x|%a %d %b} (%{customdata[0]} h, due %{customdata[1]})<extra></extra>")
    fig.add_scatter(x=jobs["due_date"], y=jobs["name"].map(plain), mode="markers", name="due",
                    marker={"color": PALETTE[1], "size": 16, "symbol": "diamond-open", "line": {"width": 2}},
                    row=1, col=1)
    fig.add_bar(x=weeks["week_start"], y=weeks["hours"], name="hours planned", marker_color=PALETTE[2], row=2, col=1,
                hovertemplate="week of %{x|%d %b}: %{y:.1f} h<extra></extra>")
    fig.add_scatter(x=weeks["week_start"], y=weeks["limit"], mode="lines", line={"color": _FAIL, "dash": "dash",
                    "shape": "hv"}, name="crew hours limit", row=2, col=1)
    return styled(fig, title, height=520)
