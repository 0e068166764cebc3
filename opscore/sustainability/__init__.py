"""Sustainability: emission factors as data, the operations footprint and greener what-ifs.

Typical use::

    from opscore import sustainability as su
    tables = su.load_tables(store)
    acts = su.activities(tables)
    start, end = su.last_full_months(store.as_of())
    monthly = su.monthly_footprint(acts, start, end)
"""

from opscore.emission_factors import (
                                      default_factors,
                                      electricity_kg_co2e_per_kwh,
                                      factor,
                                      factors_from,
                                      hgv_kg_co2e_per_tonne_km,
                                      packaging_kg_co2e_per_kg,
                                      save_factors,
                                      van_kg_co2e_per_km,
)
from opscore.fleet_history import delivery_stops, route_legs, vehicle_day_km
from opscore.sustainability.electricity import DEFAULT_KW, refrigeration_kwh
from opscore.sustainability.footprint import (
                                      SOURCES,
                                      FootprintOverview,
                                      FootprintSettings,
                                      FootprintSummary,
                                      activities,
                                      footprint_overview,
                                      last_full_months,
                                      load_tables,
                                      monthly_footprint,
                                      monthly_intensity,
                                      packed_order_volumes,
                                      summarise,
                                      van_day_emissions,
)
from opscore.sustainability.inbound import inbound_by_supplier_day, inbound_tonne_km, warehouse_location
from opscore.sustainability.packaging import PackagingPolicy, cartons_for_orders, order_volumes
from opscore.sustainability.periods import REPORT_MONTHS, ReportingPeriod, reporting_period
from opscore.sustainability.whatifs import (
                                      OPTION_SLUGS,
                                      ElectricSwitch,
                                      GreenerOptions,
                                      WhatIf,
                                      change_packaging,
                                      consolidate_delivery_days,
                                      fuel_litres_equivalent,
                                      right_sized_cartons,
                                      shift_supplier_spend,
                                      switch_to_electric,
)

__all__ = [
    "DEFAULT_KW", "OPTION_SLUGS", "REPORT_MONTHS", "SOURCES", "ElectricSwitch", "FootprintOverview",
    "FootprintSettings", "FootprintSummary", "GreenerOptions", "PackagingPolicy", "ReportingPeriod", "WhatIf",
    "activities", "cartons_for_orders", "change_packaging", "consolidate_delivery_days", "default_factors",
    "delivery_stops", "electricity_kg_co2e_per_kwh", "factor", "factors_from", "footprint_overview",
    "fuel_litres_equivalent", "hgv_kg_co2e_per_tonne_km", "inbound_by_supplier_day", "inbound_tonne_km",
    "last_full_months", "load_tables", "monthly_footprint", "monthly_intensity", "order_volumes",
    "packaging_kg_co2e_per_kg", "packed_order_volumes", "refrigeration_kwh", "reporting_period",
    "right_sized_cartons", "route_legs", "save_factors", "shift_supplier_spend", "summarise", "switch_to_electric",
    "van_day_emissions", "van_kg_co2e_per_km", "vehicle_day_km", "warehouse_location",
]
