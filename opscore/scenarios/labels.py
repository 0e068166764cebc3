"""Words for saved scenario settings and results, and values written as a person would read them.

A scenario stores its settings and results under the names the code uses (``lead_change_days``,
``backtest_mase``); comparisons and reports show these labels instead, and values without JSON or "None".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

KPI_LABELS: dict[str, str] = {
    "cost_gbp": "Cost (£)",
    "service_level_pct": "Service level (%)",
    "fill_rate_pct": "Fill rate (%)",
    "co2e_kg": "Emissions (kg CO2e)",
    "km": "Distance (km)",
    "co2e_saving_kg": "CO2e saved (kg; each what-if against today, added up)",
    "revenue_at_risk_gbp": "Revenue at risk (£)",
    "forecast_units": "Forecast demand (units)",
    "first_attempt_success_pct": "First-attempt success (%)",
    "waste_units": "Units thrown away",
    "saving_gbp": "Saving against run-to-failure (£ a year)",
    "hours": "Van hours",
    "orders_planned": "Orders planned",
    "packaging_kg": "Packaging (kg)",
    "void_litres": "Empty space in cartons (litres)",
    "standard_packaging_kg_co2e": "Packaging emissions, one standard carton (kg CO2e)",
    "standard_cost_gbp": "Packaging cost, one standard carton (£)",
    "first_attempt_success_today_pct": "First-attempt success today (%)",
    "customers_better_served": "Customers better served",
    "plain_forecast_units": "Forecast before adjustments (units)",
    "backtest_mase": "Forecast error against a naive forecast (MASE; below 1 is better)",
    "fill_rate_do_nothing_pct": "Fill rate if nothing is done (%)",
    "electric_running_cost_change_gbp": "Running cost change of the electric vans (£)",
    "co2e_saving_electric_vans_kg": "CO2e saved by electric vans (kg)",
    "co2e_saving_fewer_days_kg": "CO2e saved by fewer delivery days (kg)",
    "co2e_saving_packaging_kg": "CO2e saved by packaging (kg)",
    "co2e_saving_greener_suppliers_kg": "CO2e saved by greener suppliers (kg)",
}
"""Shared KPI names (with units) so scenarios from different pages line up in comparisons."""

PARAM_LABELS: dict[str, str] = {
    # recorded with every scenario
    "data_as_of": "Data as of",
    "data_version": "Data version (changes with every import)",
    "demand_source": "Demand from",
    "seed": "Random seed",
    "days": "Days simulated",
    "replications": "Simulated runs",
    "skus": "Items",
    # inventory
    "policy": "Ordering rule",
    "target_kind": "Service measured as",
    "target": "Service target (one for all items)",
    "holding_rate": "Yearly holding cost (share of unit cost)",
    "ordering_cost": "Cost of an order line (£)",
    "review_days": "Days between reviews",
    "lost_sales": "Unmet demand is lost",
    "scope": "Items",
    "choice": "Class or item",
    "demand_growth": "Demand change (share)",
    "lead_change_days": "Every delivery longer by (days)",
    "delayed_supplier": "Late supplier",
    "supplier_delay_days": "Late supplier's extra days",
    "what_if_holding_rate": "What-if yearly holding cost (share of unit cost)",
    "replan": "Reorder levels adjusted to the what-if",
    # forecast
    "level": "Forecast level",
    "item": "Item or category",
    "freq": "Periods",
    "horizon": "Periods ahead",
    "method": "Method",
    "drivers": "Drivers used",
    "uplift_pct": "Uplift (%)",
    "price_change_pct": "Price change (%)",
    "elasticity": "Price elasticity",
    "promotions": "Promotion periods",
    "promotion_lift": "Promotion lift (x)",
    # maintenance
    "asset_type": "Asset type",
    "preventive_cost": "Cost of a service (£)",
    "failure_cost": "Cost of a failure (£)",
    "downtime_cost_per_hour": "Downtime cost (£ an hour)",
    "crew_hours": "Crew hours a week",
    "interval_days": "Service every (days)",
    # routes
    "day": "Delivery day",
    "vans": "Vans",
    "goal": "Plan for",
    "time_limit_s": "Solver time (s)",
    "circuity": "Road km per straight-line km",
    "speed_kmh": "Average speed (km/h)",
    "type_speeds": "Speed by van type (km/h)",
    "breaks": "Drivers' breaks",
    "penalty": "Penalty for an unplanned order (£)",
    "optimised": "Optimised",
    # suppliers
    "supplier": "Supplier",
    "kind": "Disruption",
    "weeks": "Weeks",
    "extra_days": "Extra days",
    "service_target_pct": "Service target (%)",
    "expedite_premium": "Expediting premium (share of unit cost)",
    "expedite_fee_gbp": "Expediting fee (£ an order)",
    "switch_fee_gbp": "Fee to switch supplier (£)",
    "extra_safety_days": "Extra safety stock (days)",
    "supplier_rank": "Suppliers by rank",
    # sustainability
    "chiller_kw": "Chiller power (kW)",
    "freezer_kw": "Freezer power (kW)",
    "months": "Months",
    "n_vans": "Vans switched to electric",
    "ev_cost_per_km": "Electric van cost (£ a km)",
    "ev_range_km": "Electric van range (km)",
    "top_up_km": "Top-up charge during the day (km)",
    "days_per_week": "Delivery days a week",
    "cartons": "Cartons allowed",
    "to_board": "Plastic cartons to board",
    "returnable": "Returnable crates",
    "trips": "Trips per crate",
    "share_pct": "Spend moved to greener suppliers (%)",
    # warehouse and delivery options
    "standard_carton": "Standard carton",
    "objective": "Pack for",
    "new_slot": "New delivery slot",
    "own_rate": "Own success rate (%)",
}
"""Human names of the settings pages save with a scenario."""

UNIT_SUFFIXES = (("_pct", " (%)"), ("_gbp", " (£)"), ("_kg", " (kg)"), ("_km", " (km)"), ("_days", " (days)"),
                 ("_kwh", " (kWh)"), ("_units", " (units)"), ("_m", " (m)"), ("_l", " (litres)"), ("_c", " (°C)"))
"""Name suffixes that carry a unit, and the unit as written in a heading."""


def words(name: str) -> str:
    """A field name as a heading: the unit from its suffix, underscores as spaces, first letter capitalised
    (``walk_distance_m`` -> "Walk distance (m)")."""
    unit = ""
    for suffix, said in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name, unit = name[: -len(suffix)], said
            break
    text = re.sub(r"_+", " ", name).strip()
    return (text[:1].upper() + text[1:] + unit) if text else name


def kpi_label(key: str) -> str:
    """The human name of a result key (:data:`KPI_LABELS`, else words from the key)."""
    return KPI_LABELS.get(key) or words(key)


def param_label(key: str) -> str:
    """The human name of a setting key (:data:`PARAM_LABELS`, else words from the key)."""
    return PARAM_LABELS.get(key) or words(key)


def show_value(value: Any) -> str:
    """A setting's value as text: '—' for none, yes/no, numbers to 6 significant figures (whole numbers from
    10,000 up, with thousands separators), lists joined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{param_label(str(k))}: {show_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(show_value(v) for v in value) or "—"
    return str(value)
