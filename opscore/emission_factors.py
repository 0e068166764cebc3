"""Greenhouse-gas conversion factors as data (kg CO2e per unit of activity), with source and year.

Defaults: UK Government GHG Conversion Factors for Company Reporting 2025 (DESNZ), shipped as
``uk_ghg_factors_2025.csv``. A workspace may hold its own edited copy in the
``emission_factors`` table; :func:`factors_from` prefers it when it is not empty.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opscore.store import Store

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
    ids = factors["factor_id"].to_numpy()  # numpy rather than .loc: this runs once per carton and per van
    row = factors["kg_co2e"].to_numpy()[ids == factor_id]
    if not len(row):
        raise KeyError(f"emission factor {factor_id!r} is not in the factor table; add it on the Sustainability page")
    return float(row[0])


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


ELECTRICITY_FACTORS = ("electricity_kwh", "electricity_losses_kwh")
"""Factor ids summed per kWh of UK grid electricity: generation plus transmission and distribution losses."""
HGV_FACTOR = "hgv_average_laden_tkm"


def electricity_kg_co2e_per_kwh(factors: pd.DataFrame | None = None) -> float:
    """kg CO2e per kWh of UK grid electricity, generation plus grid losses (0.17700 + 0.01853 in 2025)."""
    table = factors if factors is not None else default_factors()
    return sum(factor(table, fid) for fid in ELECTRICITY_FACTORS)


def hgv_kg_co2e_per_tonne_km(factors: pd.DataFrame | None = None) -> float:
    """kg CO2e per tonne-km moved by an average laden diesel HGV (0.10163 in 2025)."""
    return factor(factors if factors is not None else default_factors(), HGV_FACTOR)


def check_factors(factors: pd.DataFrame) -> pd.DataFrame:
    """The factor table cleaned for saving; ``ValueError`` naming the first bad row otherwise."""
    missing = [c for c in FACTOR_COLUMNS if c not in factors.columns]
    if missing:
        raise ValueError(f"the factor table lacks column(s) {missing}; it needs {FACTOR_COLUMNS}")
    table = factors[FACTOR_COLUMNS].copy()
    for i, row in table.iterrows():
        if not isinstance(row["factor_id"], str) or not row["factor_id"].strip():
            raise ValueError(f"factor row {i + 1} has no factor_id; give every factor an id such as van_diesel_km")
        value = pd.to_numeric(pd.Series([row["kg_co2e"]]), errors="coerce").iloc[0]
        if pd.isna(value) or value < 0:
            raise ValueError(f"factor {row['factor_id']!r}: kg_co2e {row['kg_co2e']!r} must be a number of 0 or more")
    dupes = table["factor_id"][table["factor_id"].duplicated()].tolist()
    if dupes:
        raise ValueError(f"factor id(s) {dupes} appear twice; each factor id must be unique")
    table["kg_co2e"] = table["kg_co2e"].astype(float)
    table["year"] = pd.to_numeric(table["year"], errors="coerce").fillna(2025).astype(int)
    return table


def save_factors(store: Store, factors: pd.DataFrame) -> pd.DataFrame:
    """Check and write ``factors`` as the workspace's ``emission_factors`` table (atomic); returns what was saved."""
    table = check_factors(factors)
    with store.transaction() as w:
        w.replace("emission_factors", table)
    return table
