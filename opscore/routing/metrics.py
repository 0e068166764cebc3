"""Plan metrics per vehicle and in total: km, hours, running cost, fuel or energy, kg CO2e.

CO2e = km x the UK Government GHG Conversion Factors 2025 per-km factor for the van's fuel
(diesel 0.25561, petrol 0.21335, battery electric 0.06315 + 0.00662 grid losses; the table is data,
see :mod:`opscore.emission_factors`). Fuel litres (or kWh) are implied by the same table:
per-km factor / per-litre (or per-kWh generated) factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opscore.emission_factors import default_factors, factor
from opscore.routing.plan import RoutePlan, emission_rate
from opscore.routing.problem import RoutingProblem, Vehicle

ENERGY_FACTORS = {"diesel": ("van_diesel_km", "diesel_litre"), "petrol": ("van_petrol_km", "petrol_litre"),
                  "electric": ("van_electric_km", "electricity_kwh")}
"""(per-km factor, per-litre or per-kWh factor) used to convert km into litres or kWh."""


@dataclass(frozen=True)
class PlanMetrics:
    """Totals of a plan."""

    km: float
    """Road distance, km."""
    hours: float
    """Route time from departure to return, hours."""
    cost_gbp: float
    """Running cost: km x cost per km + hours x cost per hour, GBP."""
    fuel_litres: float
    """Diesel and petrol burnt, litres."""
    energy_kwh: float
    """Electricity used by electric vans, kWh."""
    kg_co2e: float
    """Greenhouse gas emissions, kg CO2e."""
    stops_served: int
    stops_unassigned: int
    vans_used: int


def energy_per_km(vehicle: Vehicle, factors: pd.DataFrame) -> float:
    """Litres (diesel, petrol) or kWh (electric) per km implied by the factor table."""
    per_km, per_unit = ENERGY_FACTORS[vehicle.fuel]
    base = factor(factors, per_km) if vehicle.kg_co2e_per_km is None else vehicle.kg_co2e_per_km
    return base / factor(factors, per_unit)


def vehicle_metrics(problem: RoutingProblem, plan: RoutePlan, factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per used van: stops, km, hours, cost (GBP), litres or kWh, kg CO2e, load and fill (%)."""
    if problem.distance_unit != "km" or problem.time_unit != "min":
        raise ValueError("plan metrics need a problem in km and minutes (not a benchmark file)")
    table = default_factors() if factors is None else factors
    rows = []
    for r in plan.routes:
        v = problem.vehicles[r.vehicle_index]
        hours = r.duration / 60.0
        energy = r.distance * energy_per_km(v, table)
        rows.append({
            "vehicle_id": v.vehicle_id, "name": v.name, "fuel": v.fuel, "stops": len(r.visits),
            "km": r.distance, "hours": hours, "cost_gbp": r.distance * v.cost_per_km + hours * v.cost_per_hour,
            "fuel_litres": 0.0 if v.fuel == "electric" else energy,
            "energy_kwh": energy if v.fuel == "electric" else 0.0,
            "kg_co2e": r.distance * emission_rate(v, table), "load_kg": r.load_kg,
            "fill_pct": 100.0 * r.load_kg / v.capacity_kg,
        })
    return pd.DataFrame(rows, columns=["vehicle_id", "name", "fuel", "stops", "km", "hours", "cost_gbp",
                                       "fuel_litres", "energy_kwh", "kg_co2e", "load_kg", "fill_pct"])


def plan_metrics(problem: RoutingProblem, plan: RoutePlan, factors: pd.DataFrame | None = None) -> PlanMetrics:
    """Totals of :func:`vehicle_metrics`."""
    per = vehicle_metrics(problem, plan, factors)
    return PlanMetrics(km=float(per["km"].sum()), hours=float(per["hours"].sum()),
                       cost_gbp=float(per["cost_gbp"].sum()), fuel_litres=float(per["fuel_litres"].sum()),
                       energy_kwh=float(per["energy_kwh"].sum()), kg_co2e=float(per["kg_co2e"].sum()),
                       stops_served=int(per["stops"].sum()), stops_unassigned=len(plan.unassigned),
                       vans_used=len(per))


def compare_plans(plans: dict[str, tuple[RoutingProblem, RoutePlan]],
                  factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per named plan: km, hours, cost (GBP), kg CO2e, vans used, orders planned and not planned."""
    rows = []
    for name, (problem, plan) in plans.items():
        t = plan_metrics(problem, plan, factors)
        rows.append({"plan": name, "km": t.km, "hours": t.hours, "cost_gbp": t.cost_gbp, "kg_co2e": t.kg_co2e,
                     "vans": t.vans_used, "planned": t.stops_served, "not_planned": t.stops_unassigned})
    return pd.DataFrame(rows, columns=["plan", "km", "hours", "cost_gbp", "kg_co2e", "vans", "planned",
                                       "not_planned"])
