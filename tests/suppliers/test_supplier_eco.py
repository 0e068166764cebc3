"""Eco score: transport CO2e from distance and the HGV factor, certifications and packaging, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from opscore.suppliers import eco_scores, environmental_certifications, tonnes_per_year
from opscore.emission_factors import default_factors

HGV_2025 = 0.10163
"""UK GHG Conversion Factors 2025, HGV all diesel, average laden: kg CO2e per tonne-km."""
KM_PER_DEGREE_LAT = 6371.0088 * 3.141592653589793 / 180  # 111.195 km


@pytest.fixture
def suppliers():
    """A at the site; B one degree of latitude north (111.2 km great circle) with two environmental schemes."""
    return pd.DataFrame({"supplier_id": ["A", "B"], "lat": [53.0, 54.0], "lon": [-1.5, -1.5],
                         "certifications": ["BRCGS", "ISO 14001;LEAF Marque;SALSA"],
                         "recyclable_packaging_share": [0.3, None]})


def test_transport_co2e_by_hand(suppliers):
    """B: 111.195 km x circuity 1.3 = 144.55 road km; x 0.10163 kg/t-km = 14.69 kg CO2e per tonne; 20 t/year
    -> 293.8 kg/year. A at the site emits nothing."""
    e = eco_scores(suppliers, 53.0, -1.5, default_factors(), tonnes_per_year=pd.Series({"B": 20.0})).set_index("supplier_id")
    road = 1.3 * KM_PER_DEGREE_LAT
    assert e.loc["B", "road_km"] == pytest.approx(road, rel=1e-6)
    assert e.loc["B", "kg_co2e_per_tonne"] == pytest.approx(road * HGV_2025, rel=1e-6)
    assert e.loc["B", "kg_co2e_per_year"] == pytest.approx(20 * road * HGV_2025, rel=1e-6)
    assert e.loc["A", "kg_co2e_per_year"] == 0.0 and e.loc["A", "tonnes_per_year"] == 0.0


def test_eco_score_by_hand(suppliers):
    """A: certs 0 (BRCGS is food safety), transport 1, packaging 0.3 -> 100 x 1.3 / 3 = 43.3.
    B: certs min(2/2, 1) = 1, transport 1 - 144.55/500, packaging missing = 0 -> 100 x (2 - 0.2891) / 3."""
    e = eco_scores(suppliers, 53.0, -1.5).set_index("supplier_id")
    assert e.loc["A", "eco_score"] == pytest.approx(100 * 1.3 / 3)
    transport_b = 1 - 1.3 * KM_PER_DEGREE_LAT / 500
    assert e.loc["B", "eco_score"] == pytest.approx(100 * (1 + transport_b) / 3, rel=1e-6)
    assert e.loc["B", "environmental_certifications"] == "ISO 14001; LEAF Marque"
    weighted = eco_scores(suppliers, 53.0, -1.5, weights={"certifications": 0, "transport": 0, "packaging": 1})
    assert weighted.set_index("supplier_id").loc["A", "eco_score"] == pytest.approx(30.0)


def test_certifications_are_matched_case_insensitively():
    """'iso 14001; msc ; BRCGS' holds two environmental schemes; a missing list holds none."""
    assert environmental_certifications("iso 14001; msc ; BRCGS") == ["ISO 14001", "MSC"]
    assert environmental_certifications(None) == []


def test_tonnes_per_year_from_received_pos():
    """100 units of 2 kg received in a 73-day period = 0.2 t -> 1.0 t per year (x 365 / 73)."""
    po = pd.DataFrame({"supplier_id": ["A"], "sku": ["X"], "received_date": [pd.Timestamp("2026-01-10")],
                       "qty_received": [100]})
    t = tonnes_per_year(po, pd.DataFrame({"sku": ["X"], "weight_kg": [2.0]}), "2026-01-01", "2026-03-14")
    assert t["A"] == pytest.approx(1.0)


def test_bad_input(suppliers):
    """A site that is not a latitude/longitude, odd eco weights and a missing column are refused."""
    with pytest.raises(ValueError, match="latitude"):
        eco_scores(suppliers, 95.0, 0.0)
    with pytest.raises(ValueError, match="eco weights"):
        eco_scores(suppliers, 53.0, -1.5, weights={"transport": 1.0})
    with pytest.raises(ValueError, match="lat"):
        eco_scores(suppliers.drop(columns="lat"), 53.0, -1.5)
