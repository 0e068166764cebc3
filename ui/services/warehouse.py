"""The Warehouse page's cached work: last month's picks, a day's picks, pick paths, cart trips, waves, slotting and
cartons, each keyed by the workspace ``key`` (:func:`ui.state.cache_key`) and its settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from opscore import warehouse as wh
from opscore.emission_factors import factors_from
from opscore.warehouse.cartonization import Objective
from opscore.warehouse.routing import Method
from ui.state import store_for, table_at


@st.cache_data(show_spinner=False, max_entries=8)
def recent(key: str) -> wh.RecentPicks:
    """The last month's pick lines, each SKU's bin, and stock/picks per aisle and bay."""
    return wh.recent_picks(orders=table_at(key, "orders"), order_lines=table_at(key, "order_lines"),
                           products=table_at(key, "products"), inventory=table_at(key, "inventory"),
                           bins=table_at(key, "bins"), as_of=store_for(key).as_of(), days=wh.MONTH_DAYS)


@st.cache_data(show_spinner=False, max_entries=8)
def first_day(key: str) -> date:
    """The first delivery day from the workspace's today: what the day pickers open on."""
    return wh.first_delivery_day(table_at(key, "orders"), store_for(key).as_of())


@st.cache_data(show_spinner=False, max_entries=8)
def bin_contents(key: str) -> pd.DataFrame:
    """Every bin with what it holds today."""
    return wh.bin_contents(table_at(key, "bins"), table_at(key, "inventory"), table_at(key, "products"))


@st.cache_data(show_spinner=False, max_entries=16)
def day_picks(key: str, day: date) -> pd.DataFrame:
    """The pick lines of the orders due on ``day``."""
    ids = wh.orders_due(table_at(key, "orders"), day)
    return wh.pick_lines(table_at(key, "order_lines"), table_at(key, "products"), table_at(key, "inventory"),
                         table_at(key, "bins"), ids)


@st.cache_data(show_spinner=False, max_entries=32)
def routes(key: str, layout: wh.Layout, aisles: tuple[int, ...], bays: tuple[int, ...]) -> list[wh.Route]:
    """One order's pick path by each routing method (S-shape, largest gap, optimal)."""
    return [wh.route(layout, np.asarray(aisles, dtype=int), np.asarray(bays, dtype=int), m) for m in wh.METHODS]


@st.cache_data(show_spinner="Grouping orders into cart trips...", max_entries=32)
def batches(key: str, layout: wh.Layout, day: date, cart: wh.Cart, routing: Method) -> dict[str, wh.BatchPlan]:
    """The day's orders grouped into cart trips by the savings and the seed methods."""
    picks = day_picks(key, day)
    return {m: wh.batch_orders(layout, picks, cart, m, routing) for m in ("savings", "seed")}


@st.cache_data(show_spinner="Planning waves...", max_entries=32)
def waves(key: str, layout: wh.Layout, day: date, cart: wh.Cart, routing: Method,
          shift: wh.WaveSettings) -> pd.DataFrame:
    """The day's picking waves, earliest customer windows first."""
    priority = wh.window_priority(table_at(key, "orders"), table_at(key, "customers"))
    return wh.plan_waves(layout, day_picks(key, day), priority, shift.start, shift.ready_by, shift.pickers,
                         shift.wave_minutes, cart, routing)


@st.cache_data(show_spinner=False, max_entries=16)
def walks(key: str, layout: wh.Layout, routing: Method) -> pd.Series:
    """Last month's orders walked with today's bins: the same for every number of products moved."""
    m = recent(key)
    return wh.order_distances(layout, m.picks, m.bins, routing)


@st.cache_data(show_spinner="Re-walking last month's orders...", max_entries=16)
def slotting(key: str, layout: wh.Layout, top_n: int, routing: Method) -> wh.SlottingPlan:
    """The ``top_n`` fast movers moved nearer the packing station, and the walking that saves."""
    m = recent(key)
    return wh.suggest_slotting(layout, m.picks, m.bins, table_at(key, "bins"), top_n, routing,
                               before=walks(key, layout, routing))


@st.cache_data(show_spinner=False, max_entries=32)
def pack(key: str, order_id: str, objective: Objective) -> wh.CartonPlan:
    """One order packed into the cartons that suit ``objective`` best."""
    picks = table_at(key, "order_lines")
    items = wh.order_items(picks[picks["order_id"] == order_id], table_at(key, "products"))
    return wh.cartonize(items, wh.carton_types(table_at(key, "cartons")), objective,
                        factors_from(table_at(key, "emission_factors")))


@st.cache_data(show_spinner=False, max_entries=8)
def standard_carton(key: str) -> str:
    """The catalogue's standard box (named 'standard', else the first carton)."""
    return wh.standard_carton(table_at(key, "cartons"))


def compare_packaging(key: str, standard: str, objective: Objective,
                      progress: Callable[[float], None] | None = None) -> wh.PackagingComparison:
    """Last month's orders packed right-sized against always in the ``standard`` box. Not cached: it runs when
    asked for (a button) with a progress bar, and the page keeps its answer for the session."""
    per_order = wh.compare_packaging(recent(key).picks, table_at(key, "products"), table_at(key, "cartons"),
                                     standard, objective, factors_from(table_at(key, "emission_factors")),
                                     progress=progress)
    return wh.PackagingComparison(wh.summarise_packaging(per_order))
