"""Tracking figures: a live map of vans and stops (folium, Leaflet served locally as on the Route map) and a
planned-versus-actual timeline per van (plotly). Used by the Tracking page and notebook 04.

All popup and tooltip text is HTML-escaped and bound as a JSON string (folium's ``tooltip=`` puts it in a JS
template literal, where a name holding '${...}' or a backtick would run); chart text goes through
:func:`opscore.viz.theme.plain`. The customer map shows the customer's own stop only.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import folium
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from opscore.timeofday import timestamp_hhmm
from opscore.tracking import PlannedDay
from opscore.viz.routing import ROUTE_COLOURS, Roads, SafeLabels, add_background, offline_leaflet
from opscore.viz.theme import plain, styled

RISK_COLOURS = {"late": "#B8483E", "at risk": "#E07B39", "on time": "#3A9D5D"}
STATUS_FILL = {"delivered": "#3A9D5D", "failed": "#B8483E"}


def _hm(t: object) -> str:
    return "" if pd.isna(t) else timestamp_hhmm(t)


def _colours(day: PlannedDay) -> dict[str, str]:
    return {v: ROUTE_COLOURS[k % len(ROUTE_COLOURS)] for k, v in enumerate(day.vans["vehicle_id"])}


def _map(points: list[tuple[float, float]], tiles: bool, roads: Roads | None, leaflet_base_url: str | None,
         height: int) -> folium.Map:
    m = folium.Map(location=[sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)],
                   zoom_start=12, tiles=None, height=height, control_scale=True)
    offline_leaflet(m, leaflet_base_url)
    add_background(m, points, roads, tiles)
    return m


def _fit(m: folium.Map, points: list[tuple[float, float]]) -> None:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if max(lats) - min(lats) > 1e-6 or max(lons) - min(lons) > 1e-6:
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))


def tracking_map(day: PlannedDay, etas: pd.DataFrame, positions: pd.DataFrame, *, tiles: bool = False,
                 roads: Roads | None = None, paths: Mapping[str, np.ndarray] | None = None,
                 leaflet_base_url: str | None = None, height: int = 520) -> folium.Map:
    """Dispatcher map: depot, each van's stops in order (filled = done, ringed red/orange = late/at risk),
    the planned route line, and each van's last known position. ``roads``: road lines and classes drawn as the
    background (no internet needed); ``paths``: per vehicle_id the planned route along the roads ((k, 2) lat/lon;
    else straight lines stop to stop); ``tiles``: OpenStreetMap tiles, fetched from openstreetmap.org."""
    colours = _colours(day)
    points = [(float(a), float(b)) for a, b in zip(day.stops["lat"], day.stops["lon"])] + \
             [(float(a), float(b)) for a, b in zip(day.vans["depot_lat"], day.vans["depot_lon"])]
    m = _map(points, tiles, roads, leaflet_base_url, height)
    for d in day.vans.drop_duplicates(["depot_lat", "depot_lon"]).itertuples():
        depot = folium.Marker([d.depot_lat, d.depot_lon], icon=folium.DivIcon(
            icon_size=(22, 22), icon_anchor=(11, 11), html="<div style='width:20px;height:20px;border-radius:3px;"
            "background:#1F2A33;color:#fff;font:bold 11px/20px sans-serif;text-align:center'>D</div>")).add_to(m)
        SafeLabels("Depot").add_to(depot)
    for van in day.vans.itertuples():
        colour = colours[van.vehicle_id]
        rows = etas[etas["vehicle_id"] == van.vehicle_id].sort_values("sequence")
        group = folium.FeatureGroup(name=escape(f"{van.vehicle_id}: {len(rows)} stops")).add_to(m)
        line = [(van.depot_lat, van.depot_lon)] + list(zip(rows["lat"], rows["lon"])) + [(van.depot_lat, van.depot_lon)]
        if paths is not None and van.vehicle_id in paths:
            line = [(float(a), float(b)) for a, b in paths[van.vehicle_id]]
        folium.PolyLine(  # type: ignore[no-untyped-call]  # folium's PolyLine.__init__ is unannotated
            line, color=colour, weight=3, opacity=0.6, dash_array="6 6").add_to(group)
        for r in rows.itertuples():
            done = r.status in STATUS_FILL
            edge = RISK_COLOURS.get(r.risk, colour) if r.risk in ("late", "at risk") else colour
            when = (f"{r.status} {_hm(r.actual_arrival)}" if done else
                    f"ETA {_hm(r.eta)} ({_hm(r.eta_low)}-{_hm(r.eta_high)}), {r.risk}")
            tip = (f"{van.vehicle_id} #{r.sequence} {r.name} ({r.order_id}): {when}; window "
                   f"{_hm(r.window_start)}-{_hm(r.window_end)}")
            stop = folium.CircleMarker([r.lat, r.lon], radius=8, color=edge, weight=4 if edge != colour else 2,
                                       fill=True, fill_color=STATUS_FILL.get(r.status, "#FFFFFF"),
                                       fill_opacity=0.9).add_to(group)
            SafeLabels(tip).add_to(stop)  # escapes once
    for p in positions.itertuples():
        marker = folium.Marker([p.lat, p.lon], icon=folium.DivIcon(icon_size=(34, 20), icon_anchor=(17, 10), html=(
            f"<div style='background:{colours.get(p.vehicle_id, '#333')};color:#fff;border-radius:4px;"
            f"font:bold 11px/20px sans-serif;text-align:center;border:2px solid #fff;"
            f"box-shadow:0 0 3px #333'>{escape(str(p.vehicle_id))}</div>"))).add_to(m)
        SafeLabels(f"{p.vehicle_id}: {p.doing}, {p.stops_done} of {p.stops_planned} stops done").add_to(marker)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, points)
    return m


def customer_map(lat: float, lon: float, label: str, *, tiles: bool = False, roads: Roads | None = None,
                 leaflet_base_url: str | None = None, height: int = 320) -> folium.Map:
    """The customer's own delivery point, nothing else (on the ``roads`` around it, when given)."""
    m = _map([(lat, lon)], tiles, roads, leaflet_base_url, height)
    point = folium.CircleMarker([lat, lon], radius=10, color="#2E6F9E", weight=3, fill=True,
                                fill_opacity=0.8).add_to(m)
    SafeLabels(label).add_to(point)  # escapes once
    return m


def timeline_figure(etas: pd.DataFrame, now: object | None = None) -> go.Figure:
    """Per van: planned arrivals (open circles), actual arrivals (filled; red cross = failed) and ETAs with
    their window (diamonds coloured on time / at risk / late)."""
    fig = go.Figure()
    hover = (etas["vehicle_id"] + " #" + etas["sequence"].astype(str) + " " + etas["name"].astype(str) +
             " (" + etas["order_id"].astype(str) + ")").map(plain)
    vans = etas["vehicle_id"].map(plain)  # the category axis: van ids as plain text
    fig.add_trace(go.Scatter(x=etas["planned_arrival"], y=vans, mode="markers", name="Planned",
                             marker=dict(symbol="circle-open", size=11, color="#6E7B85"), text=hover,
                             hovertemplate="%{text}<br>planned %{x|%H:%M}<extra></extra>"))
    for status, symbol, colour, name in (("delivered", "circle", "#3A9D5D", "Delivered"),
                                         ("failed", "x", "#B8483E", "Failed attempt")):
        d = etas[etas["status"] == status]
        fig.add_trace(go.Scatter(x=d["actual_arrival"], y=vans[d.index], mode="markers", name=name,
                                 marker=dict(symbol=symbol, size=9, color=colour), text=hover[d.index],
                                 hovertemplate="%{text}<br>arrived %{x|%H:%M}<extra></extra>"))
    for risk, colour in RISK_COLOURS.items():
        d = etas[etas["risk"] == risk]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(
            x=d["eta"], y=vans[d.index], mode="markers", name=f"ETA: {risk}",
            marker=dict(symbol="diamond", size=10, color=colour), text=hover[d.index],
            error_x=dict(type="data", symmetric=False, color=colour, thickness=1.2,
                         array=(d["eta_high"] - d["eta"]).dt.total_seconds() * 1000,
                         arrayminus=(d["eta"] - d["eta_low"]).dt.total_seconds() * 1000),
            hovertemplate="%{text}<br>ETA %{x|%H:%M}<extra></extra>"))
    if now is not None:
        fig.add_vline(x=pd.Timestamp(now), line_dash="dot", line_color="#1F2A33")
    fig.update_xaxes(title="Time of day", tickformat="%H:%M")
    fig.update_yaxes(title="Van", categoryorder="category descending")
    fig.update_layout(legend=dict(orientation="h", y=-0.25))
    return styled(fig, height=max(260, 90 * etas["vehicle_id"].nunique() + 140))


def accuracy_figure(summary: pd.DataFrame) -> go.Figure:
    """Mean absolute ETA error (bars, minutes) and share of arrivals inside the ETA window, by minutes ahead."""
    x = summary["horizon_minutes"].astype(str) + " min ahead"
    fig = go.Figure(go.Bar(x=x, y=summary["mean_abs_error_min"], name="Mean absolute error (min)",
                           text=summary["mean_abs_error_min"].round(1), textposition="outside", marker_color="#2E6F9E"))
    fig.add_trace(go.Scatter(x=x, y=summary["share_within_window"] * 100, name="Inside the ETA window (%)",
                             yaxis="y2", mode="lines+markers", marker_color="#E07B39"))
    fig.update_layout(yaxis=dict(title="minutes"), yaxis2=dict(title="%", overlaying="y", side="right", range=[0, 100]),
                      legend=dict(orientation="h", y=-0.25))
    return styled(fig, height=320)
