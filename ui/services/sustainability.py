"""The Sustainability page's cached work: the footprint of a reporting period and the greener what-ifs, each keyed
by the workspace ``key`` (:func:`ui.state.cache_key`), the footprint's assumptions and the period.

Charts are kept with ``st.cache_resource`` (building plotly figures dominates a rerun): shared objects, not copies,
as charts are only read.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore import sustainability as su
from opscore.store.aggregates import monthly_revenue
from opscore.store.footprint_sums import received_by_supplier_day
from opscore.suppliers import eco_origin, eco_scores
from opscore.viz import sustainability as vz
from ui.state import store_for, table_at


@st.cache_data(show_spinner=False, max_entries=8)
def emission_factors(key: str) -> pd.DataFrame:
    """The workspace's emission factors (the UK government's 2025 factors where it has none of its own)."""
    return su.factors_from(table_at(key, "emission_factors"))


@st.cache_data(show_spinner=False, max_entries=8)
def revenue_by_month(key: str) -> pd.Series:
    """Sales revenue per month, GBP, summed in the store."""
    return monthly_revenue(store_for(key))


@st.cache_data(show_spinner=False, max_entries=8)
def delivery_stops(key: str) -> pd.DataFrame:
    """Every delivery stop of the history, in each van's planned order."""
    return su.delivery_stops(deliveries=table_at(key, "deliveries"), orders=table_at(key, "orders"),
                             customers=table_at(key, "customers"), vehicles=table_at(key, "vehicles"),
                             sites=table_at(key, "sites"))


@st.cache_data(show_spinner=False, max_entries=8)
def van_days(key: str, circuity: float) -> pd.DataFrame:
    """Km, kg CO2e and running cost per van per day."""
    return su.van_day_emissions({"vehicles": table_at(key, "vehicles")}, emission_factors(key), circuity,
                                stops=delivery_stops(key))


@st.cache_data(show_spinner=False, max_entries=8)
def received(key: str) -> pd.DataFrame:
    """Received purchase orders summed per supplier and day in the store (the same whatever the road factor)."""
    return received_by_supplier_day(store_for(key))


@st.cache_data(show_spinner=False, max_entries=8)
def inbound(key: str, circuity: float) -> pd.DataFrame:
    """Inbound tonne-km per supplier and day."""
    return su.inbound_by_supplier_day(received(key), table_at(key, "suppliers"), table_at(key, "sites"), circuity)


@st.cache_data(show_spinner=False, max_entries=8)
def order_volumes(key: str) -> pd.DataFrame:
    """Product volume (litres) and delivery date of every packed order."""
    return su.packed_order_volumes(table_at(key, "orders"), table_at(key, "order_lines"), table_at(key, "products"))


@st.cache_data(show_spinner=False, max_entries=8)
def activities(key: str, settings: su.FootprintSettings) -> pd.DataFrame:
    """Every emission-causing activity by day."""
    tables = {name: table_at(key, name) for name in ("cartons", "assets", "sensor_readings", "emission_factors")}
    return su.activities(tables, settings, van_days(key, settings.circuity), inbound(key, settings.circuity),
                         order_volumes(key))


@st.cache_data(show_spinner=False, max_entries=8)
def overview(key: str, settings: su.FootprintSettings, period: su.ReportingPeriod) -> su.FootprintOverview:
    """Footprint by month and source, intensities by month and the period's totals."""
    return su.footprint_overview(activities(key, settings), table_at(key, "orders"), revenue_by_month(key),
                                 period.start, period.end)


@st.cache_resource(show_spinner=False, max_entries=16)
def overview_figures(key: str, settings: su.FootprintSettings,
                     period: su.ReportingPeriod) -> tuple[go.Figure, go.Figure]:
    """The footprint and intensity charts, built once per workspace version, assumptions and period."""
    shown = overview(key, settings, period)
    return vz.footprint_figure(shown.monthly), vz.intensity_figure(shown.intensity)


@st.cache_data(show_spinner=False, max_entries=32)
def electric_switch(key: str, circuity: float, period: su.ReportingPeriod, n_vans: int, ev_cost: float,
                    ev_range: float, top_up: float) -> su.ElectricSwitch:
    """``n_vans`` diesel or petrol vans switched to electric over the period."""
    return su.switch_to_electric(period.rows_in(van_days(key, circuity), "date"), table_at(key, "vehicles"),
                                 emission_factors(key), n_vans=n_vans, ev_cost_per_km=ev_cost, ev_range_km=ev_range,
                                 top_up_km=top_up)


@st.cache_resource(show_spinner=False, max_entries=32)
def range_figure(key: str, circuity: float, period: su.ReportingPeriod, switched: tuple[str, ...],
                 ev_range: float) -> go.Figure:
    """The switched vans' daily km against the range (shared, only read)."""
    return vz.range_figure(period.rows_in(van_days(key, circuity), "date"), switched, ev_range)


@st.cache_resource(show_spinner=False, max_entries=64)
def whatif_figure(shown: tuple[su.WhatIf, ...]) -> go.Figure:
    """The what-ifs chart (shared, only read)."""
    return vz.whatif_figure(shown)


@st.cache_data(show_spinner=False, max_entries=32)
def fewer_days(key: str, circuity: float, period: su.ReportingPeriod, days_per_week: int) -> su.WhatIf:
    """Each customer delivered on at most ``days_per_week`` fixed weekdays over the period."""
    return su.consolidate_delivery_days(period.rows_in(delivery_stops(key), "date"), table_at(key, "vehicles"),
                                        emission_factors(key), days_per_week, circuity)


@st.cache_data(show_spinner=False, max_entries=32)
def packaging(key: str, period: su.ReportingPeriod, policy: su.PackagingPolicy) -> su.WhatIf:
    """The period's packed orders in the cartons, materials and reuse of ``policy``."""
    volumes = period.rows_in(order_volumes(key), "delivery_date")["litres"]
    return su.change_packaging(volumes, table_at(key, "cartons"), emission_factors(key), policy)


@st.cache_data(show_spinner=False, max_entries=8)
def supplier_eco_scores(key: str, circuity: float) -> pd.Series:
    """Eco score by supplier id, as on the Suppliers page."""
    origin = eco_origin(table_at(key, "sites"))
    scores = eco_scores(table_at(key, "suppliers"), origin.lat, origin.lon,
                        su.factors_from(table_at(key, "emission_factors")), circuity=circuity)
    return scores.set_index("supplier_id")["eco_score"]


@st.cache_data(show_spinner=False, max_entries=32)
def greener_suppliers(key: str, circuity: float, period: su.ReportingPeriod, share: float) -> su.WhatIf:
    """``share`` of the spend of low eco-score suppliers moved to greener ones over the period."""
    return su.shift_supplier_spend(period.rows_in(inbound(key, circuity), "received_date"),
                                   supplier_eco_scores(key, circuity), emission_factors(key), share)
