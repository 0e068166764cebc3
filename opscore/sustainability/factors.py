"""Greenhouse-gas conversion factors as data (kg CO2e per unit of activity), with source and year.

Defaults: UK Government GHG Conversion Factors for Company Reporting 2025 (DESNZ), shipped as
``uk_ghg_factors_2025.csv``. A workspace may hold its own edited copy in the
``emission_factors`` table; :func:`factors_from` prefers it when it is not empty.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DEFAULTS_CSV = Path(__file__).with_name("uk_ghg_factors_2025.csv")
FACTOR_COLUMNS = ["factor_id", "category", "name", "unit", "kg_co2e", "source", "year"]
VAN_FACTORS = {"diesel": ("van_diesel_km",), "petrol": ("van_petrol_km",),
               "electric": ("van_electric_km", "van_electric_losses_km")}
"""Factor ids summed per van fuel: battery electric counts generation plus grid losses."""
PACKAGING_MATERIALS = {
    "board": "packaging_board_t", "paper": "packaging_paper_t", "plastics": "packaging_plastics_t",
    "film": "packaging_film_t", "PET": "packaging_pet_t", "HDPE": "packaging_hdpe_t", "LDPE": "packaging_ldpe_t",
    "PP": "packaging_pp_t", "glass": "packaging_glass_t", "aluminium": "packaging_aluminium_t",
    "steel": "packaging_steel_t", "wood": "packaging_wood_t",
}


def default_factors() -> pd.DataFrame:
    """The shipped UK 2025 factor table."""
    return pd.read_csv(DEFAULTS_CSV)


def factors_from(table: pd.DataFrame | None) -> pd.DataFrame:
    """A workspace's factor table if it has rows, else the defaults."""
    return table[FACTOR_COLUMNS].copy() if table is not None and not table.empty else default_factors()


def factor(factors: pd.DataFrame, factor_id: str) -> float:
    """kg CO2e per unit for ``factor_id``; ``KeyError`` naming the missing id otherwise."""
    row = factors.loc[factors["factor_id"] == factor_id, "kg_co2e"]
    if row.empty:
        raise KeyError(f"emission factor {factor_id!r} is not in the factor table; add it on the Sustainability page")
    return float(row.iloc[0])


def van_kg_co2e_per_km(fuel: str, factors: pd.DataFrame | None = None) -> float:
    """kg CO2e per km for a van of ``fuel`` ('diesel', 'petrol' or 'electric')."""
    if fuel not in VAN_FACTORS:
        raise ValueError(f"unknown van fuel {fuel!r}; use one of {', '.join(VAN_FACTORS)}")
    table = factors if factors is not None else default_factors()
    return sum(factor(table, fid) for fid in VAN_FACTORS[fuel])


def packaging_kg_co2e_per_kg(material: str, factors: pd.DataFrame | None = None) -> float:
    """kg CO2e per kg of packaging ``material`` (the table is per tonne)."""
    if material not in PACKAGING_MATERIALS:
        raise ValueError(f"unknown packaging material {material!r}; use one of {', '.join(PACKAGING_MATERIALS)}")
    table = factors if factors is not None else default_factors()
    return factor(table, PACKAGING_MATERIALS[material]) / 1000.0
