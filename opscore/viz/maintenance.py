"""Charts of maintenance risk: sensor trends, Weibull probability plot, hazard, cost-rate curve, calendar."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from opscore.maintenance import WeibullFit
from opscore.viz.theme import PALETTE, legend_below, plain, styled

_FAIL = "#B8483E"


def _stacked(titles: tuple[str, str], bottom_share: float, spacing: float) -> dict[str, object]:
    """Layout of two rows sharing the x-axis, as ``make_subplots(rows=2, cols=1, shared_xaxes=True)`` lays them out
    (built directly: make_subplots and per-subplot ``add_*`` calls are slow). Traces go on x/y (top), x2/y2."""
    low = bottom_share * (1 - spacing)
    return {"xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False},
            "yaxis": {"anchor": "x", "domain": [low + spacing, 1.0]},
            "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0]}, "yaxis2": {"anchor": "x2", "domain": [0.0, low]},
            "annotations": [{"font": {"size": 16}, "showarrow": False, "text": text, "x": 0.5, "xanchor": "center",
                             "xref": "paper", "y": y, "yanchor": "bottom", "yref": "paper"}
                            for text, y in zip(titles, (1.0, low), strict=True)]}


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
    merged = daily.merge(flags, on=["asset_id", "date"], how="left")
    traces = []
    for row, (col, name) in enumerate((("temperature_c", "temperature"), ("vibration_mm_s", "vibration")), start=1):
        axes = {"xaxis": "x", "yaxis": "y"} if row == 1 else {"xaxis": "x2", "yaxis": "y2"}
        hit = merged[merged[f"{name}_flag"].fillna(False).astype(bool)]
        traces += [
            go.Scatter(x=merged["date"], y=merged[col], mode="lines", line={"color": PALETTE[0], "width": 1},
                       name="reading", showlegend=row == 1, hovertemplate="%{x|%d %b %Y}: %{y:.2f}<extra></extra>",
                       **axes),
            go.Scatter(x=hit["date"], y=hit[col], mode="markers", marker={"color": PALETTE[1], "size": 6},
                       name="drift flagged", showlegend=row == 1, hovertemplate="%{x|%d %b %Y}: drift<extra></extra>",
                       **axes)]
    traces.append(go.Scatter(x=[None], y=[None], mode="lines", line={"color": _FAIL, "dash": "dot"}, name="failure"))
    shown = pd.to_datetime(pd.Series(failures))
    shown = shown[(shown >= merged["date"].min()) & (shown <= merged["date"].max())]
    lines = [{"type": "line", "x0": day, "x1": day, "xref": x, "y0": 0, "y1": 1, "yref": f"{y} domain",
              "line": {"color": _FAIL, "dash": "dot", "width": 1.5}}
             for day in shown for x, y in (("x", "y"), ("x2", "y2"))]
    layout = {**_stacked(("Temperature (°C)", "Vibration (mm/s)"), 0.5, 0.06), "shapes": lines}
    return styled(go.Figure(data=traces, layout=layout), title, height=460)


def weibull_probability_figure(positions: pd.DataFrame, fit: WeibullFit, title: str) -> go.Figure:
    """Weibull probability plot: ln(-ln(1-F)) against ln(age), data points and the fitted straight line.

    ``positions``: ``duration, cdf`` from ``plotting_positions`` (Kaplan-Meier, censoring-aware).
    """
    def y(p: np.ndarray) -> np.ndarray:
        out: npt.NDArray[np.float64] = np.log(-np.log1p(-np.asarray(p, float)))
        return out

    ages = np.geomspace(max(positions["duration"].min() * 0.5, 1.0),
                        max(float(fit.quantile(0.99)), positions["duration"].max()), 60)
    ticks = np.array([0.01, 0.05, 0.1, 0.2, 0.4, 0.632, 0.8, 0.95, 0.99])
    traces = [
        go.Scatter(x=positions["duration"], y=y(positions["cdf"]), mode="markers", name="observed failures",
                   marker={"color": PALETTE[0], "size": 8}, customdata=positions["cdf"],
                   hovertemplate="age %{x:.0f} d: %{customdata:.0%} failed<extra></extra>"),
        go.Scatter(x=ages, y=y(fit.cdf(ages)), mode="lines",
                   name=f"Weibull fit (shape {fit.shape:.2f}, scale {fit.scale:.0f} d)", line={"color": PALETTE[1]})]
    layout = {"xaxis": {"type": "log", "title": "Age at failure (days, log scale)"},
              "yaxis": {"title": "Share failed", "tickvals": y(ticks), "ticktext": [f"{t:.0%}" for t in ticks]}}
    return _legend_inside(styled(go.Figure(data=traces, layout=layout), title, height=360), top=False)


def hazard_figure(fit: WeibullFit, age_days: float, title: str, condition_multiplier: float = 1.0) -> go.Figure:
    """Failure rate (per 1,000 days) by age, with the asset's current age and its condition-adjusted rate."""
    top = max(float(fit.quantile(0.99)), age_days * 1.2, 10.0)
    ages = np.linspace(top / 200, top, 200)
    traces = [go.Scatter(x=ages, y=1000 * fit.hazard(ages), mode="lines", name="by age (Weibull)",
                         line={"color": PALETTE[0]},
                         hovertemplate="age %{x:.0f} d: %{y:.2f} per 1,000 days<extra></extra>")]
    if condition_multiplier != 1.0:
        traces.append(go.Scatter(x=ages, y=1000 * condition_multiplier * fit.hazard(ages), mode="lines",
                                 name="adjusted for condition", line={"color": PALETTE[1], "dash": "dash"}))
    layout = {"shapes": [{"type": "line", "x0": age_days, "x1": age_days, "xref": "x", "y0": 0, "y1": 1,
                          "yref": "y domain", "line": {"color": "#333", "dash": "dot"}}],
              "annotations": [{"text": "today", "showarrow": False, "x": age_days, "xanchor": "center", "xref": "x",
                               "y": 1, "yanchor": "bottom", "yref": "y domain"}],
              "xaxis": {"title": "Age since install or last repair (days)"},
              "yaxis": {"title": "Failures per 1,000 days"}}
    return _legend_inside(styled(go.Figure(data=traces, layout=layout), title, height=360), top=True)


def cost_rate_figure(curve: pd.DataFrame, optimum_days: float, run_to_failure: float, chosen_days: float | None,
                     chosen_cost: float | None, title: str) -> go.Figure:
    """Long-run cost per day against the service age, the optimum, the chosen age and run-to-failure."""
    traces = [go.Scatter(x=curve["interval_days"], y=curve["cost_per_day"], mode="lines", name="service at this age",
                         line={"color": PALETTE[0]}, hovertemplate="every %{x:.0f} d: £%{y:.2f}/day<extra></extra>")]
    if np.isfinite(optimum_days):
        best = float(np.interp(optimum_days, curve["interval_days"], curve["cost_per_day"]))
        traces.append(go.Scatter(x=[optimum_days], y=[best], mode="markers", name=f"cheapest: {optimum_days:.0f} days",
                                 marker={"color": PALETTE[2], "size": 11, "symbol": "diamond"}))
    if chosen_days is not None and chosen_cost is not None:
        traces.append(go.Scatter(x=[chosen_days], y=[chosen_cost], mode="markers",
                                 name=f"your choice: {chosen_days:.0f} days", marker={"color": PALETTE[1], "size": 11}))
    top = float(np.nanpercentile(curve["cost_per_day"], 90))
    layout = {"shapes": [{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": run_to_failure,
                          "y1": run_to_failure, "yref": "y", "line": {"color": _FAIL, "dash": "dash"}}],
              "annotations": [{"text": f"run to failure £{run_to_failure:.2f}/day", "showarrow": False, "x": 1,
                               "xanchor": "right", "xref": "x domain", "y": run_to_failure, "yanchor": "bottom",
                               "yref": "y"}],
              "xaxis": {"title": "Service age (days since install or last repair)"},
              "yaxis": {"title": "Cost per day (£)", "range": [0, max(top, run_to_failure) * 1.3]}}
    return _legend_inside(styled(go.Figure(data=traces, layout=layout), title, height=360), top=False)


def calendar_figure(jobs: pd.DataFrame, weeks: pd.DataFrame, title: str) -> go.Figure:
    """Planned jobs by day (top) and crew hours per week against the limit (bottom)."""
    planned = jobs.dropna(subset=["planned_date"])
    traces = [
        go.Scatter(x=planned["planned_date"], y=planned["name"].map(plain), mode="markers", name="planned",
                   marker={"color": PALETTE[0], "size": 12, "symbol": "square"}, xaxis="x", yaxis="y",
                   customdata=np.stack([planned["hours"], planned["due_date"].dt.strftime("%d %b")], axis=-1)
                   if len(planned) else None,
                   hovertemplate="%{y}: %{x|%a %d %b} (%{customdata[0]} h, due %{customdata[1]})<extra></extra>"),
        go.Scatter(x=jobs["due_date"], y=jobs["name"].map(plain), mode="markers", name="due", xaxis="x", yaxis="y",
                   marker={"color": PALETTE[1], "size": 16, "symbol": "diamond-open", "line": {"width": 2}}),
        go.Bar(x=weeks["week_start"], y=weeks["hours"], name="hours planned", marker={"color": PALETTE[2]},
               xaxis="x2", yaxis="y2", hovertemplate="week of %{x|%d %b}: %{y:.1f} h<extra></extra>"),
        go.Scatter(x=weeks["week_start"], y=weeks["limit"], mode="lines", name="crew hours limit", xaxis="x2",
                   yaxis="y2", line={"color": _FAIL, "dash": "dash", "shape": "hv"})]
    layout = _stacked(("Planned work", "Crew hours per week"), 0.4, 0.12)
    return legend_below(styled(go.Figure(data=traces, layout=layout), title, height=560), gap=0.08)
