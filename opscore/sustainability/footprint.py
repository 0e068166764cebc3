"""The operations footprint: kg CO2e by month and source, and intensities per order and per GBP.

Every source is activity x factor (GHG Protocol Corporate Standard, ch. 6; DESNZ 2025 factors):
deliveries (van km x van factor by fuel), inbound (tonne-km x HGV factor), packaging (carton
kg x material factor) and refrigeration electricity (kWh x grid factor incl. losses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from opscore.emission_factors import (
    electricity_kg_co2e_per_kwh,
    factors_from,
    hgv_kg_co2e_per_tonne_km,
    van_kg_co2e_per_km,
)
from opscore.fleet_history import delivery_stops, vehicle_day_km
from opscore.geo import DEFAULT_CIRCUITY
from opscore.store import Store
from opscore.sustainability.electricity import DEFAULT_KW, refrigeration_kwh
from opscore.sustainability.inbound import inbound_tonne_km
from opscore.sustainability.packaging import PackagingPolicy, cartons_for_orders, order_volumes

SOURCES = ("deliveries", "inbound", "packaging", "electricity")
TABLES = ("deliveries", "orders", "order_lines", "customers", "vehicles", "sites", "products", "suppliers",
          "purchase_orders", "cartons", "assets", "sensor_readings", "sales", "emission_factors")
"""Workspace tables the footprint reads."""
PACKED_STATUSES = ("delivered", "failed")
"""Orders that were packed and sent out."""


@dataclass(frozen=True)
class FootprintSettings:
    """Assumptions of the footprint estimate."""

    circuity: float = DEFAULT_CIRCUITY
    """Road km per great-circle km."""
    packaging: PackagingPolicy = field(default_factory=PackagingPolicy)
    kw_by_type: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_KW))
    """Refrigeration electrical input while running, kW by asset type."""

    def __post_init__(self) -> None:
        if not 1.0 <= self.circuity < float("inf"):
            raise ValueError(f"circuity {self.circuity} must be 1 or more: road km per straight-line km "
                             "(1.2-1.4 is typical in the UK)")
        bad = {kind: kw for kind, kw in self.kw_by_type.items() if not 0.0 <= kw < float("inf")}
        if bad:
            raise ValueError(f"refrigeration power must be 0 kW or more, got {bad}")


@dataclass(frozen=True)
class FootprintSummary:
    """Totals over a period."""

    start: date
    end: date
    total_kg_co2e: float
    """kg CO2e over the period."""
    by_source_kg_co2e: dict[str, float]
    """kg CO2e per source."""
    orders: int
    """Orders delivered in the period."""
    revenue_gbp: float
    """Sales revenue in the period, GBP."""
    kg_per_order: float
    """kg CO2e per delivered order."""
    g_per_gbp: float
    """g CO2e per GBP of revenue."""


def load_tables(store: Store) -> dict[str, pd.DataFrame]:
    """The tables the footprint needs, read from a workspace."""
    return {name: store.table(name) for name in TABLES}


def van_day_emissions(tables: Mapping[str, pd.DataFrame], factors: pd.DataFrame,
                      circuity: float = DEFAULT_CIRCUITY, stops: pd.DataFrame | None = None) -> pd.DataFrame:
    """Km, kg CO2e and running cost per vehicle per day from delivery history.

    ``stops``: :func:`~opscore.fleet_history.delivery_stops` of ``tables`` already worked out, if
    at hand (``tables`` then needs only ``vehicles``). Columns: vehicle_id, date, stops, km, fuel, kg_co2e,
    cost_gbp (km x cost_per_km).
    """
    if stops is None:
        stops = delivery_stops(deliveries=tables["deliveries"], orders=tables["orders"],
                               customers=tables["customers"], vehicles=tables["vehicles"], sites=tables["sites"])
    days = vehicle_day_km(stops, circuity)
    vans = tables["vehicles"][["vehicle_id", "fuel", "cost_per_km"]]
    days = days.merge(vans, on="vehicle_id", how="left")
    per_km = {fuel: van_kg_co2e_per_km(fuel, factors) for fuel in days["fuel"].dropna().unique()}
    days["kg_co2e"] = days["km"] * days["fuel"].map(per_km)
    days["cost_gbp"] = days["km"] * days["cost_per_km"]
    return days.drop(columns="cost_per_km")


def packed_order_volumes(orders: pd.DataFrame, order_lines: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Product volume of every packed order (status in :data:`PACKED_STATUSES`) with lines, indexed by order_id.

    Columns: litres (:func:`~opscore.sustainability.packaging.order_volumes`), delivery_date.
    """
    packed = orders[orders["status"].isin(PACKED_STATUSES)]
    lines = order_lines.merge(packed[["order_id"]], on="order_id")  # the packed orders' lines, in table order
    volumes = order_volumes(lines, products)
    dates = packed.set_index("order_id")["delivery_date"].reindex(volumes.index)
    return pd.DataFrame({"litres": volumes, "delivery_date": pd.to_datetime(dates)})


ACTIVITY_COLUMNS = ("date", "source", "activity", "unit", "kg_co2e")


def activities(tables: Mapping[str, pd.DataFrame], settings: FootprintSettings = FootprintSettings(),
               van_days: pd.DataFrame | None = None, inbound: pd.DataFrame | None = None,
               volumes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every emission-causing activity by day. Columns: date, source, activity, unit, kg_co2e.

    Already worked out with the same factors and circuity, if at hand (the tables they come from may then be left
    out of ``tables``): ``van_days`` (:func:`van_day_emissions`), ``inbound`` (rows with received_date and tonne_km:
    :func:`~opscore.sustainability.inbound.inbound_tonne_km` or its sums by supplier and day) and ``volumes``
    (:func:`packed_order_volumes`).
    """
    factors = factors_from(tables.get("emission_factors"))
    vans = van_days if van_days is not None else van_day_emissions(tables, factors, settings.circuity)
    if inbound is None:
        inbound = inbound_tonne_km(tables["purchase_orders"], tables["products"], tables["suppliers"],
                                   tables["sites"], settings.circuity)
    if volumes is None:
        volumes = packed_order_volumes(tables["orders"], tables["order_lines"], tables["products"])
    packs = (cartons_for_orders(volumes["litres"], tables["cartons"], factors, settings.packaging)
             if not tables["cartons"].empty  # no catalogue: packaging unknown
             else pd.DataFrame({"packaging_kg": [], "kg_co2e": []}, index=volumes.index[:0]))
    pack_dates = volumes["delivery_date"].reindex(packs.index)
    kwh = refrigeration_kwh(tables["sensor_readings"], tables["assets"], settings.kw_by_type)
    hgv, grid = hgv_kg_co2e_per_tonne_km(factors), electricity_kg_co2e_per_kwh(factors)
    parts = [
        pd.DataFrame({"date": vans["date"], "source": "deliveries", "activity": vans["km"], "unit": "km",
                      "kg_co2e": vans["kg_co2e"]}),
        pd.DataFrame({"date": inbound["received_date"], "source": "inbound", "activity": inbound["tonne_km"],
                      "unit": "tonne-km", "kg_co2e": inbound["tonne_km"] * hgv}),
        pd.DataFrame({"date": pd.to_datetime(pack_dates.to_numpy()), "source": "packaging",
                      "activity": packs["packaging_kg"].to_numpy(), "unit": "kg packaging",
                      "kg_co2e": packs["kg_co2e"].to_numpy()}),
        pd.DataFrame({"date": kwh["date"], "source": "electricity", "activity": kwh["kwh"], "unit": "kWh",
                      "kg_co2e": kwh["kwh"] * grid}),
    ]
    found = [p for p in parts if not p.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=list(ACTIVITY_COLUMNS))


def last_full_months(as_of: date, months: int = 12) -> tuple[date, date]:
    """(first day, last day) of the last ``months`` complete calendar months up to ``as_of``: its own month counts
    when ``as_of`` is that month's last day (data as of 31 October holds all of October)."""
    if months < 1:
        raise ValueError(f"months {months} must be 1 or more")
    end = (pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_period("M").to_timestamp() - pd.Timedelta(days=1)
    start = (end.to_period("M") - (months - 1)).to_timestamp()
    return start.date(), end.date()


@dataclass(frozen=True)
class FootprintOverview:
    """The footprint of a period: by month and source, intensities by month, and the period's totals."""

    monthly: pd.DataFrame
    """kg CO2e and activity per month and source (:func:`monthly_footprint`)."""
    intensity: pd.DataFrame
    """kg CO2e, delivered orders, revenue (GBP), kg per order and g per GBP per month (:func:`monthly_intensity`)."""
    summary: FootprintSummary
    """Totals over the period (:func:`summarise`)."""


def footprint_overview(acts: pd.DataFrame, orders: pd.DataFrame, revenue: pd.Series, start: date,
                       end: date) -> FootprintOverview:
    """The footprint of [start, end] from :func:`activities`, with intensities per delivered order and per GBP of
    ``revenue`` (GBP by first day of the month, e.g. summed in the store)."""
    monthly = monthly_footprint(acts, start, end)
    intensity = monthly_intensity(monthly, orders, None, revenue)
    return FootprintOverview(monthly, intensity, summarise(monthly, intensity, start, end))


def _between(frame: pd.DataFrame, column: str, start: date, end: date) -> pd.DataFrame:
    dates = pd.to_datetime(frame[column])
    return frame[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]


def monthly_footprint(acts: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """kg CO2e and activity per month and source within [start, end].

    Columns: month, source, activity, unit, kg_co2e.
    """
    if start > end:
        raise ValueError(f"the period starts ({start}) after it ends ({end}); swap the dates")
    rows = _between(acts, "date", start, end)
    month = pd.to_datetime(rows["date"]).dt.to_period("M").dt.to_timestamp()
    out = (rows.assign(month=month).groupby(["month", "source", "unit"], as_index=False)[["activity", "kg_co2e"]]
           .sum())
    out["source"] = pd.Categorical(out["source"], categories=SOURCES, ordered=True)
    return out.sort_values(["month", "source"]).reset_index(drop=True)[["month", "source", "activity", "unit",
                                                                       "kg_co2e"]]


def monthly_intensity(monthly: pd.DataFrame, orders: pd.DataFrame, sales: pd.DataFrame | None,
                      revenue: pd.Series | None = None) -> pd.DataFrame:
    """Per month: kg CO2e, delivered orders, revenue (sales quantity x price, GBP), kg per order, g per GBP.

    ``revenue`` by first day of the month (e.g. summed in the store) is used instead of reading ``sales`` when given.
    """
    kg = monthly.groupby("month")["kg_co2e"].sum()
    delivered = orders[orders["status"] == "delivered"]
    n = delivered.groupby(pd.to_datetime(delivered["delivery_date"]).dt.to_period("M").dt.to_timestamp()).size()
    if revenue is None:
        if sales is None:
            raise ValueError("monthly_intensity needs the sales table or revenue by month; pass one of them")
        revenue = (sales["quantity"] * sales["price"]).groupby(
            pd.to_datetime(sales["date"]).dt.to_period("M").dt.to_timestamp()).sum()
    out = pd.DataFrame({"kg_co2e": kg, "orders": n.reindex(kg.index).fillna(0).astype(int),
                        "revenue_gbp": revenue.reindex(kg.index).fillna(0.0)})
    out["kg_per_order"] = out["kg_co2e"] / out["orders"].where(out["orders"] > 0)
    out["g_per_gbp"] = 1000 * out["kg_co2e"] / out["revenue_gbp"].where(out["revenue_gbp"] > 0)
    return out.rename_axis("month").reset_index()


def summarise(monthly: pd.DataFrame, intensity: pd.DataFrame, start: date, end: date) -> FootprintSummary:
    """Period totals and intensities from :func:`monthly_footprint` and :func:`monthly_intensity`."""
    total = float(monthly["kg_co2e"].sum())
    orders, revenue = int(intensity["orders"].sum()), float(intensity["revenue_gbp"].sum())
    by_source = {s: float(monthly.loc[monthly["source"] == s, "kg_co2e"].sum()) for s in SOURCES}
    return FootprintSummary(start, end, total, by_source, orders, revenue,
                            total / orders if orders else float("nan"),
                            1000 * total / revenue if revenue else float("nan"))
