"""Warehouse charts: layout coloured by stock or picks, pick paths, batches and waves, cartons in 3-D."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from opscore.timeofday import parse_hhmm
from opscore.viz.theme import PALETTE, plain, styled
from opscore.warehouse import METHOD_LABELS, BatchPlan, Layout, PackedCarton, Route

_Line: TypeAlias = list[float | None]
"""Coordinates of one axis of a polyline, None marking a gap."""

ROUTE_COLOURS = {"s_shape": PALETTE[1], "largest_gap": PALETTE[4], "optimal": PALETTE[2]}


def _frame(layout: Layout, fig: go.Figure) -> None:
    """Cross aisles as grey bands, the depot as a star, equal axis scale."""
    x0, x1 = -layout.aisle_spacing_m / 2, float(layout.aisle_x(layout.n_aisles)) + layout.aisle_spacing_m / 2
    half = layout.cross_aisle_width_m / 2
    shapes = [{"type": "rect", "x0": x0, "x1": x1, "y0": y - half, "y1": y + half, "fillcolor": "#EEF1F4",
               "line": {"width": 0}, "layer": "below"} for y in layout.cross_ys]
    shapes += [{"type": "line", "x0": x, "x1": x, "y0": layout.front_y, "y1": layout.back_y,
                "line": {"color": "#D5DAE0", "width": 1}, "layer": "below"}
               for x in (float(layout.aisle_x(a)) for a in range(1, layout.n_aisles + 1))]
    fig.update_layout(shapes=shapes)  # one call: add_shape per shape is slow
    dx, dy = layout.depot
    fig.add_scatter(x=[dx], y=[dy], mode="markers+text", text=["Packing"], textposition="bottom center",
                    marker={"symbol": "star", "size": 16, "color": "#333"}, name="Depot (packing)",
                    hovertemplate="Depot / packing station<extra></extra>")
    fig.update_xaxes(title="Across aisles (m)",
                     tickvals=[float(layout.aisle_x(a)) for a in range(1, layout.n_aisles + 1)],
                     ticktext=[f"A{a:02d}" for a in range(1, layout.n_aisles + 1)], showgrid=False, zeroline=False)
    fig.update_yaxes(title="Along aisles (m)", scaleanchor="x", scaleratio=1, showgrid=False, zeroline=False)


def layout_figure(layout: Layout, cells: pd.DataFrame, colour_by: str = "units", routes: list[Route] | None = None,
                  title: str | None = None, picks: pd.DataFrame | None = None) -> go.Figure:
    """Bins per aisle and bay coloured by ``colour_by`` (a column of ``cells``), optional pick paths on top.

    ``cells``: one row per aisle and bay with ``aisle``, ``bay``, ``colour_by`` and a ``label`` for hover (plain
    text, a line per bin); ``picks``: the order's pick lines (``aisle``, ``bay``, ``sku``), circled. ``title`` is
    plotly text as given (escape data in it with :func:`opscore.viz.theme.plain`).
    """
    fig = go.Figure()
    _frame(layout, fig)
    x = layout.aisle_x(cells["aisle"].to_numpy(float))
    y = layout.bay_y(cells["bay"].to_numpy(float))
    value = cells[colour_by].astype(float)
    fig.add_scatter(x=x, y=y, mode="markers", name=colour_by.replace("_", " "), showlegend=False,
                    marker={"symbol": "square", "size": 13, "color": value, "colorscale": "YlOrRd", "cmin": 0,
                            "colorbar": {"title": colour_by.replace("_", " "), "thickness": 12},
                            "line": {"color": "#9AA4AE", "width": 0.5}},
                    text=cells.get("label", pd.Series([""] * len(cells), index=cells.index)).map(
                        lambda t: plain(t).replace("\n", "<br>")), customdata=value,
                    hovertemplate="%{text}<br>" + colour_by.replace("_", " ") + ": %{customdata:,.0f}<extra></extra>")
    if picks is not None and len(picks):
        fig.add_scatter(x=layout.aisle_x(picks["aisle"].to_numpy(float)), y=layout.bay_y(picks["bay"].to_numpy(float)),
                        mode="markers", name="Order's picks", text=picks["sku"].map(plain) if "sku" in picks else None,
                        marker={"symbol": "circle-open", "size": 18, "color": "#111", "line": {"width": 2.5}},
                        hovertemplate="%{text}<extra>pick</extra>")
    shown = routes or []
    for k, r in enumerate(shown):
        w = np.asarray(r.waypoints, dtype=float)
        offset = (k - (len(shown) - 1) / 2) * 0.35  # side by side where routes share an aisle
        fig.add_scatter(x=w[:, 0] + offset, y=w[:, 1] + offset, mode="lines",
                        line={"color": ROUTE_COLOURS.get(r.method, PALETTE[k % len(PALETTE)]), "width": 3},
                        name=f"{METHOD_LABELS.get(r.method, r.method)}: {r.distance_m:,.0f} m",
                        hovertemplate=f"{METHOD_LABELS.get(r.method, r.method)}: {r.distance_m:,.1f} m<extra></extra>")
    return styled(fig, title, height=560)


def slotting_figure(layout: Layout, cells: pd.DataFrame, moves: pd.DataFrame, bins: pd.DataFrame) -> go.Figure:
    """The layout coloured by picks with an arrow from each SKU's bin to its suggested bin."""
    fig = layout_figure(layout, cells, "picks", title="Suggested moves: fast movers towards the packing station")
    where = bins.set_index("bin_id")[["aisle", "bay"]]
    arrows = []
    for m in moves.itertuples(index=False):
        a, b = where.loc[m.from_bin], where.loc[m.to_bin]
        arrows.append({"x": float(layout.aisle_x(b.aisle)), "y": float(layout.bay_y(b.bay)),
                       "ax": float(layout.aisle_x(a.aisle)), "ay": float(layout.bay_y(a.bay)), "xref": "x", "yref": "y",
                       "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2, "arrowwidth": 1.5,
                       "arrowcolor": PALETTE[0], "hovertext": plain(f"{m.sku}: {m.from_bin} -> {m.to_bin}"),
                       "text": ""})
    fig.update_layout(annotations=arrows)
    return fig


def batching_figure(plans: dict[str, BatchPlan]) -> go.Figure:
    """Total walking per batching method against picking one order at a time."""
    any_plan = next(iter(plans.values()))
    names = ["One order at a time"] + list(plans)
    dist = [any_plan.single_order_distance_m] + [p.distance_m for p in plans.values()]
    trips = [len(any_plan.batches) if any_plan.method == "single" else None] + [len(p.batches) for p in plans.values()]
    fig = go.Figure(go.Bar(x=names, y=dist, marker_color=[PALETTE[5]] + PALETTE[: len(plans)],
                           text=[f"{d:,.0f} m" for d in dist], textposition="outside",
                           customdata=[t if t is not None else "" for t in trips],
                           hovertemplate="%{x}: %{y:,.0f} m<extra></extra>"))
    fig.update_layout(yaxis_title="Walking for the day (m)", showlegend=False)
    return styled(fig, "Walking for the day's orders", height=340)


def waves_figure(waves: pd.DataFrame, ready_by: str) -> go.Figure:
    """Each wave as a bar from its start to its end time, with the van departure marked (the next day's when
    not after the first wave starts, as :func:`opscore.warehouse.plan_waves` reads it)."""
    day = pd.Timestamp("2000-01-01")
    fig = go.Figure()
    for w in waves.itertuples(index=False):
        start, end = (day + pd.Timedelta(minutes=parse_hhmm(t)) for t in (w.start, w.end))
        fig.add_bar(base=[start], x=[(end - start).total_seconds() * 1000], y=[f"Wave {w.wave}"], orientation="h",
                    marker_color=PALETTE[0] if w.on_time else PALETTE[3], showlegend=False,
                    hovertemplate=f"Wave {w.wave}: {w.orders} orders, {w.trips} trips, "
                                  f"{w.start}-{w.end}<extra></extra>")
    ready = parse_hhmm(ready_by)
    if not waves.empty and ready <= parse_hhmm(waves["start"].iloc[0]):
        ready += 24 * 60
    fig.add_vline(x=day + pd.Timedelta(minutes=ready), line_dash="dash", line_color="#333")
    fig.update_xaxes(type="date", tickformat="%H:%M", title="Time of day")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, f"Picking waves (dashed: vans leave at {ready_by})", height=120 + 40 * len(waves))


_CORNERS = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], float)
_FACES = np.array([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
                   [3, 2, 6], [3, 6, 7], [0, 3, 7], [0, 7, 4], [1, 2, 6], [1, 6, 5]])


def _boxes_mesh(boxes: list[tuple[float, ...]], colour: str, name: str) -> go.Mesh3d:
    """Solid boxes (x, y, z, dx, dy, dz) as one mesh: 8 corners and 12 triangles each."""
    verts = np.vstack([_CORNERS * b[3:] + b[:3] for b in boxes])
    faces = np.vstack([_FACES + 8 * k for k in range(len(boxes))])
    return go.Mesh3d(x=verts[:, 0], y=verts[:, 1], z=verts[:, 2], i=faces[:, 0], j=faces[:, 1], k=faces[:, 2],
                     color=colour, opacity=0.85, flatshading=True, name=name, hovertemplate=name + "<extra></extra>")


def _edges(x: float, y: float, z: float, dx: float, dy: float, dz: float) -> tuple[_Line, _Line, _Line]:
    """The 12 edges of a box as one polyline with gaps (None) for a Scatter3d trace."""
    c = [(x + i * dx, y + j * dy, z + k * dz) for i in (0, 1) for j in (0, 1) for k in (0, 1)]
    pairs = [(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1]
    xs: _Line = []
    ys: _Line = []
    zs: _Line = []
    for a, b in pairs:
        xs += [c[a][0], c[b][0], None]
        ys += [c[a][1], c[b][1], None]
        zs += [c[a][2], c[b][2], None]
    return xs, ys, zs


def carton_figure(packed: PackedCarton, title: str | None = None) -> go.Figure:
    """A carton in 3-D: its outline and every item as a solid box with its edges (one colour per SKU)."""
    c = packed.carton
    fig = go.Figure()
    skus = sorted({p.item.sku for p in packed.placements})
    colour = {s: PALETTE[k % len(PALETTE)] for k, s in enumerate(skus)}
    ex: _Line = []
    ey: _Line = []
    ez: _Line = []
    for sku in skus:
        mine = [p for p in packed.placements if p.item.sku == sku]
        it = mine[0].item
        fig.add_trace(_boxes_mesh([(p.x, p.y, p.z, p.dx, p.dy, p.dz) for p in mine], colour[sku],
                                  f"{plain(sku)} x {len(mine)} "
                                  f"({it.length_cm:g} x {it.width_cm:g} x {it.height_cm:g} cm, "
                                  f"{it.weight_kg:g} kg each)"))
    for p in packed.placements:
        xs, ys, zs = _edges(p.x, p.y, p.z, p.dx, p.dy, p.dz)
        ex, ey, ez = ex + xs, ey + ys, ez + zs
    fig.add_scatter3d(x=ex, y=ey, z=ez, mode="lines", line={"color": "white", "width": 2}, hoverinfo="skip")
    xs, ys, zs = _edges(0, 0, 0, c.length_cm, c.width_cm, c.height_cm)
    fig.add_scatter3d(x=xs, y=ys, z=zs, mode="lines", line={"color": "#333", "width": 4}, name=plain(c.name),
                      hoverinfo="skip")
    fig.update_layout(scene={"aspectmode": "data", "xaxis_title": "length (cm)", "yaxis_title": "width (cm)",
                             "zaxis_title": "height (cm)", "camera": {"eye": {"x": 1.6, "y": -1.6, "z": 1.2}}},
                      showlegend=False)
    return styled(fig, title or f"{plain(c.name)} ({plain(c.carton_id)}): {100 * packed.fill_rate:.0f}% full, "
                                f"{packed.content_weight_kg:.1f} of {c.max_weight_kg:g} kg", height=460)


def packaging_figure(summary: pd.DataFrame) -> go.Figure:
    """Right-sized against standard box: material (kg), packaging CO2e (kg) and empty space (m3)."""
    measures = {"packaging_kg": "Carton material (kg)", "kg_co2e": "Packaging CO2e (kg)", "void_m3": "Empty space (m³)"}
    s = summary.assign(void_m3=summary["void_l"] / 1000.0)
    fig = go.Figure()
    for k, way in enumerate(s.index):
        fig.add_bar(x=list(measures.values()), y=[s.at[way, m] for m in measures], name=str(way),
                    marker_color=PALETTE[k], text=[f"{s.at[way, m]:,.1f}" for m in measures], textposition="outside")
    fig.update_layout(barmode="group", yaxis_title="Total for the period")
    return styled(fig, "Packaging: right-sized cartons against always the standard box", height=360)

