"""Forecast charts: history with forecast and 80/95 % bands, backtests, coverage and accuracy over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import PALETTE, plain, styled

BAND_COLOURS = {95: "rgba(46,111,158,0.15)", 80: "rgba(46,111,158,0.30)"}


def forecast_figure(history: pd.Series, mean: pd.Series, lower: dict[int, pd.Series], upper: dict[int, pd.Series],
                    backtest: pd.DataFrame | None = None, promotions: pd.DatetimeIndex | None = None,
                    holidays: pd.DatetimeIndex | None = None, baseline: pd.Series | None = None,
                    title: str | None = None, unit: str = "units") -> go.Figure:
    """History (line), forecast (line) inside 95 % and 80 % bands; optional backtest forecasts (dotted),
    the unadjusted baseline when a what-if changed it, and markers for promotions and bank holidays."""
    fig = go.Figure()
    for lv in sorted(lower, reverse=True):
        fig.add_scatter(x=upper[lv].index, y=upper[lv].to_numpy(), mode="lines", line={"width": 0},
                        showlegend=False, hoverinfo="skip", name=f"{lv}% upper")
        fig.add_scatter(x=lower[lv].index, y=lower[lv].to_numpy(), mode="lines", line={"width": 0}, fill="tonexty",
                        fillcolor=BAND_COLOURS.get(lv, "rgba(46,111,158,0.2)"), name=f"{lv}% interval",
                        hovertemplate="%{x|%d %b %Y}: %{y:,.0f}<extra>" + f"{lv}% lower</extra>")
    fig.add_scatter(x=history.index, y=history.to_numpy(), mode="lines", name="History", line={"color": "#6E7B85"},
                    hovertemplate="%{x|%d %b %Y}: %{y:,.0f} " + unit + "<extra>History</extra>")
    if baseline is not None:
        fig.add_scatter(x=baseline.index, y=baseline.to_numpy(), mode="lines", name="Plain forecast",
                        line={"color": PALETTE[0], "dash": "dash", "width": 1})
    fig.add_scatter(x=mean.index, y=mean.to_numpy(), mode="lines", name="Forecast",
                    line={"color": PALETTE[0], "width": 3},
                    hovertemplate="%{x|%d %b %Y}: %{y:,.0f} " + unit + "<extra>Forecast</extra>")
    if backtest is not None and not backtest.empty:
        for i, (origin, part) in enumerate(backtest.groupby("origin")):
            fig.add_scatter(x=part["ds"], y=part["mean"], mode="lines", line={"color": PALETTE[1], "dash": "dot"},
                            name="Backtest forecast", legendgroup="backtest", showlegend=i == 0,
                            hovertemplate="%{x|%d %b %Y}: %{y:,.0f}<extra>made " + f"{pd.Timestamp(origin):%d %b %Y}" +
                                          "</extra>")
    y_top = float(max(history.max(), max(u.max() for u in upper.values()) if upper else mean.max()))
    for dates, name, colour, symbol in ((promotions, "Promotion", PALETTE[2], "triangle-up"),
                                        (holidays, "Bank holiday", PALETTE[3], "star")):
        if dates is not None and len(dates):
            fig.add_scatter(x=dates, y=[y_top * (1.04 if name == "Promotion" else 1.09)] * len(dates), mode="markers",
                            name=name, marker={"color": colour, "symbol": symbol, "size": 8},
                            hovertemplate="%{x|%d %b %Y}<extra>" + name + "</extra>")
    fig.update_layout(yaxis_title=unit, hovermode="x unified")
    return styled(fig, title, height=420)


def backtest_figure(backtest: pd.DataFrame, models: list[str] | None = None, title: str | None = None) -> go.Figure:
    """Backtest forecasts of each model against the actuals, one line per model and origin."""
    fig = go.Figure()
    actual = backtest.drop_duplicates("ds").sort_values("ds")
    fig.add_scatter(x=actual["ds"], y=actual["actual"], mode="lines+markers", name="Actual", line={"color": "#333"})
    for j, (model, part) in enumerate(backtest.groupby("model", sort=False)):
        if models and model not in models:
            continue
        for i, (_, seg) in enumerate(part.groupby("origin")):
            fig.add_scatter(x=seg["ds"], y=seg["mean"], mode="lines", name=model, legendgroup=model,
                            showlegend=i == 0, line={"color": PALETTE[j % len(PALETTE)], "width": 1.5})
    return styled(fig, title or "Backtest: forecasts made in the past against what happened", height=380)


def coverage_figure(leaderboard: pd.DataFrame, levels: tuple[int, ...] = (80, 95)) -> go.Figure:
    """Measured interval coverage per model next to the nominal level (dashed lines)."""
    fig = go.Figure()
    for i, lv in enumerate(levels):
        col = f"coverage{lv}"
        if col in leaderboard:
            fig.add_bar(x=leaderboard["model"], y=100 * leaderboard[col], name=f"{lv}% interval",
                        marker_color=PALETTE[i])
            fig.add_hline(y=lv, line_dash="dash", line_color=PALETTE[i])
    fig.update_layout(barmode="group", yaxis_title="Actuals inside the interval (%)", yaxis_range=[0, 105])
    return styled(fig, "Interval coverage in the backtest vs nominal level")


def accuracy_trend_figure(overall: pd.DataFrame, per_series: pd.DataFrame | None = None,
                          highlight: list[str] | None = None) -> go.Figure:
    """Error of each stored run (WAPE, %) by the date it was made, overall and for flagged series."""
    fig = go.Figure()
    fig.add_scatter(x=overall["created_at"], y=overall["wape"], mode="lines+markers", name="All products",
                    line={"color": PALETTE[0], "width": 3},
                    hovertemplate="%{x|%d %b %Y}: %{y:.1f}%<extra>All products</extra>")
    if per_series is not None and highlight:
        for i, uid in enumerate(highlight):
            part = per_series[per_series["unique_id"] == uid].sort_values("created_at")
            fig.add_scatter(x=part["created_at"], y=part["wape"], mode="lines+markers", name=plain(uid),
                            line={"color": PALETTE[(i + 1) % len(PALETTE)], "width": 1.5})
    fig.update_layout(yaxis_title="Error as % of actual sales (WAPE)", xaxis_title="Forecast made on")
    return styled(fig, "Forecast accuracy over time")
