"""Charts of supplier scoring and supply risk, shared by the Supplier page and notebook 06."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from opscore.viz.theme import PALETTE, legend_below, plain, styled

OPTION_COLOURS = {"baseline": "#6E7B85", "do_nothing": "#B8483E", "expedite": "#E07B39", "switch": "#2E6F9E",
                  "safety_stock": "#3A9D5D"}


def kpi_trend_figure(monthly: pd.DataFrame, metric: str = "otif_rate",
                     title: str = "On time in full by month") -> go.Figure:
    """One line per supplier of a monthly KPI (rates shown in percent)."""
    fig = go.Figure()
    rate = metric.endswith("_rate")
    for supplier, part in monthly.groupby("supplier_id"):
        y = part[metric] * (100 if rate else 1)
        fig.add_scatter(x=part["month"], y=y, mode="lines+markers", name=plain(supplier),
                        hovertemplate=("%{x|%b %Y}: %{y:.1f}" + ("%" if rate else "")
                                       + f"<extra>{plain(supplier)}</extra>"))
    fig.update_layout(yaxis_title="%" if rate else metric.replace("_", " "), xaxis_title=None)
    return styled(fig, title)


def ranking_figure(ranked: pd.DataFrame, names: pd.Series | None = None, method_label: str = "TOPSIS") -> go.Figure:
    """Horizontal bars of the scores, best at the top."""
    order = ranked.sort_values("score")
    labels = (order["supplier_id"] if names is None
              else order["supplier_id"] + " " + order["supplier_id"].map(names).fillna(""))
    labels = labels.map(plain)
    colours = [PALETTE[2] if r == 1 else PALETTE[0] for r in order["rank"]]
    fig = go.Figure(go.Bar(x=order["score"], y=labels, orientation="h", marker_color=colours,
                           text=[f"#{r}" for r in order["rank"]], textposition="outside",
                           hovertemplate="%{y}: score %{x:.3f}<extra></extra>"))
    fig.update_layout(xaxis_title=f"{method_label} score (higher is better)", xaxis_range=[0, 1.1])
    return styled(fig, "Supplier ranking", height=320)


def method_comparison_figure(ranks_by_method: pd.DataFrame) -> go.Figure:
    """Rank of each supplier (rows) under each method (columns): lines from method to method, rank 1 on top."""
    fig = go.Figure()
    methods = list(ranks_by_method.columns)
    for supplier, row in ranks_by_method.iterrows():
        fig.add_scatter(x=methods, y=row.to_numpy(), mode="lines+markers+text", name=plain(supplier),
                        text=[plain(supplier)] + [""] * (len(methods) - 1), textposition="middle left")
    fig.update_yaxes(autorange="reversed", title="Rank (1 = best)", dtick=1)
    return styled(fig, "Does the method change the ranking?")


def sensitivity_figure(curves: pd.DataFrame, criterion: str, current_weight: float) -> go.Figure:
    """Rank of each supplier as one criterion's weight goes from 0 to 1 (others keep their proportions)."""
    part = curves[curves["criterion"] == criterion]
    fig = go.Figure()
    for alt, line in part.groupby("alternative", sort=False):
        fig.add_scatter(x=line["weight"], y=line["rank"], mode="lines", name=plain(alt), line_shape="hv",
                        hovertemplate="weight %{x:.2f}: rank %{y}<extra>" + plain(alt) + "</extra>")
    fig.add_vline(x=current_weight, line_dash="dash", line_color="#444",
                  annotation_text="current weight", annotation_position="bottom right")
    fig.update_yaxes(autorange="reversed", title="Rank (1 = best)", dtick=1)
    fig.update_xaxes(title=f"Weight of '{criterion}'", range=[0, 1])
    return styled(fig, f"Rank against the weight of '{criterion}'")


def eco_figure(eco: pd.DataFrame, weights: dict[str, float] | None = None) -> go.Figure:
    """Stacked bars: each sub-score's contribution to the eco score (0-100)."""
    w = weights or {"certifications": 1 / 3, "transport": 1 / 3, "packaging": 1 / 3}
    total = sum(w.values())
    order = eco.sort_values("eco_score")
    fig = go.Figure()
    for key, label, colour in (("certification", "Certifications", PALETTE[2]),
                               ("transport", "Transport CO2e", PALETTE[0]),
                               ("packaging", "Recyclable packaging", PALETTE[1])):
        weight = w["certifications" if key == "certification" else key] / total
        fig.add_bar(y=order["supplier_id"].map(plain), x=100 * weight * order[f"{key}_score"], name=label,
                    orientation="h", marker_color=colour,
                    hovertemplate="%{y}: %{x:.1f} points<extra>" + label + "</extra>")
    fig.update_layout(barmode="stack", xaxis_range=[0, 100])
    return styled(fig, "Eco score (0-100) and what makes it", height=340)


def spend_figure(register_suppliers: pd.DataFrame, hhi_points: float, band: str) -> go.Figure:
    """Spend share per supplier, with the Herfindahl index in the title."""
    order = register_suppliers.sort_values("spend_share")
    fig = go.Figure(go.Bar(x=100 * order["spend_share"],
                           y=(order["supplier_id"] + " " + order["name"].str.slice(0, 22)).map(plain),
                           orientation="h", marker_color=PALETTE[0],
                           hovertemplate="%{y}: %{x:.1f}% of spend<extra></extra>"))
    fig.update_layout(xaxis_title="Share of spend (%)")
    return styled(fig, f"Spend shares: HHI {hhi_points:,.0f}, {band}", height=320)


def supplier_map(register_suppliers: pd.DataFrame, site_lat: float, site_lon: float,
                 site_name: str = "Our site") -> go.Figure:
    """Suppliers on longitude/latitude axes (true proportions at this latitude, no map tiles, so it works
    offline), sized by spend share and red when lead times are volatile, with the receiving site."""
    s = register_suppliers
    colour = np.where(s["volatile_lead_time"].fillna(False).astype(bool), "#B8483E", "#2E6F9E")
    text = ((s["supplier_id"] + " " + s["name"]).map(plain) + "<br>" + s["city"].map(plain) + "<br>"
            + (100 * s["spend_share"]).round(1).astype(str)
            + "% of spend<br>lead time variation " + s["lead_time_cv"].round(2).astype(str))
    fig = go.Figure()
    fig.add_scatter(x=s["lon"], y=s["lat"], mode="markers+text", text=s["city"].map(plain), textposition="top center",
                    hovertext=text, hoverinfo="text", name="Suppliers",
                    marker={"size": 10 + 50 * np.sqrt(s["spend_share"].fillna(0)), "color": colour, "opacity": 0.8})
    fig.add_scatter(x=[site_lon], y=[site_lat], mode="markers", name=plain(site_name),
                    hovertext=[plain(site_name)], hoverinfo="text",
                    marker={"size": 14, "color": "#222", "symbol": "square"})
    mid_lat = float(np.radians(pd.concat([s["lat"], pd.Series([site_lat])]).mean()))
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / np.cos(mid_lat), title="Latitude")
    fig.update_xaxes(title="Longitude", constrain="domain")
    return styled(fig, "Suppliers (size = spend, red = erratic lead times)", height=420)


def survive_recover_figure(skus: pd.DataFrame) -> go.Figure:
    """Time to survive (stock cover) against time to recover per SKU; red below the diagonal line = at risk."""
    s = skus[np.isfinite(skus["time_to_survive_days"]) & skus["time_to_recover_days"].notna()]
    top = float(max(s["time_to_recover_days"].max(), 1.0)) * 1.6
    fig = go.Figure()
    for flag, colour, label in ((True, "#B8483E", "Runs out before the supplier recovers"),
                                (False, "#2E6F9E", "Covered")):
        part = s[s["survive_lt_recover"] == flag]
        fig.add_scatter(x=part["time_to_recover_days"], y=part["time_to_survive_days"].clip(upper=top), mode="markers",
                        name=label, marker={"color": colour, "size": 8, "opacity": 0.75},
                        text=(part["sku"] + " " + part["name"] + " (" + part["supplier_id"] + ")").map(plain),
                        hovertemplate="%{text}<br>survives %{y:.1f} days, recovery %{x} days<extra></extra>")
    fig.add_scatter(x=[0, top], y=[0, top], mode="lines", line={"dash": "dash", "color": "#888"},
                    name="survive = recover")
    fig.update_layout(xaxis_title="Time to recover: supplier recovery (days)",
                      yaxis_title="Time to survive: stock cover (days)")
    return styled(fig, "Can each SKU outlast its supplier's recovery?")


def _side_by_side(titles: tuple[str, str], spacing: float = 0.1) -> dict[str, object]:
    """Layout of two plots side by side, as ``make_subplots(rows=1, cols=2)`` lays them out (built directly:
    make_subplots and per-subplot ``add_*`` calls are slow). Traces go on x/y (left) and x2/y2 (right)."""
    width = (1 - spacing) / 2
    return {"xaxis": {"anchor": "y", "domain": [0.0, width]}, "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
            "xaxis2": {"anchor": "y2", "domain": [1 - width, 1.0]}, "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0]},
            "annotations": [{"font": {"size": 16}, "showarrow": False, "text": text, "x": x, "xanchor": "center",
                             "xref": "paper", "y": 1.0, "yanchor": "bottom", "yref": "paper"}
                            for text, x in zip(titles, (width / 2, 1 - width / 2), strict=True)]}


def disruption_figure(daily: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Stock value (at cost) and cumulative lost revenue per option, mean over the simulated runs; the hover
    gives the range of 90 % of runs (5th to 95th percentile)."""
    traces = []
    for option, part in daily.groupby("option", sort=False):
        colour = OPTION_COLOURS.get(str(option), PALETTE[0])
        dash = "dot" if option == "baseline" else None
        name = labels.get(str(option), str(option))
        for col, (mean, low, high) in enumerate((("stock_value_gbp", "stock_p5", "stock_p95"),
                                                 ("lost_revenue_gbp", "lost_p5", "lost_p95")), start=1):
            traces.append(go.Scatter(x=part["date"], y=part[mean], mode="lines", name=name, showlegend=col == 1,
                                     line={"color": colour, "dash": dash}, legendgroup=str(option),
                                     xaxis="x" if col == 1 else "x2", yaxis="y" if col == 1 else "y2",
                                     customdata=part[[low, high]].to_numpy(),
                                     hovertemplate="%{x|%d %b}: £%{y:,.0f} (90 % of runs £%{customdata[0]:,.0f}-"
                                                   "£%{customdata[1]:,.0f})<extra>" + name + "</extra>"))
    layout = _side_by_side(("Stock at cost (£)", "Lost revenue so far (£)"))
    return legend_below(styled(go.Figure(traces, layout), None, height=420))


def options_figure(options: pd.DataFrame) -> go.Figure:
    """Contingency cost and lost margin per option (stacked bars), fill rate in the hover;
    faded bars miss the target."""
    o = options[options["option"] != "baseline"].iloc[::-1]
    opacity = np.where(o["meets_target"], 1.0, 0.45)
    fig = go.Figure()
    for column, label, colour in (("contingency_cost_gbp", "Cost of the contingency", PALETTE[0]),
                                  ("lost_margin_gbp", "Margin lost on missed sales", PALETTE[3])):
        fig.add_bar(y=o["label"].map(plain), x=o[column], name=label, orientation="h", marker_color=colour,
                    marker_opacity=opacity, customdata=100 * o["fill_rate"],
                    hovertemplate="%{y}: £%{x:,.0f}, demand met %{customdata:.1f}%<extra>" + label + "</extra>")
    fig.update_layout(barmode="stack", xaxis_title="£ over the projection")
    return styled(fig, "Cost per option (faded = misses target)", height=340)
