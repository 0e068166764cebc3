"""Eco score: transport CO2e from distance and the HGV factor, certifications and packaging, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from opscore.emission_factors import default_factors
from opscore.suppliers import eco_scores, environmental_certifications, tonnes_per_year

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
    e = eco_scores(suppliers, 53.0, -1.5, default_factors(),
                   tonnes_per_year=pd.Series({"B": 20.0})).set_index("supplier_id")
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


SITES = pd.DataFrame({"site_id": ["SHOP", "DC", "DC2"], "name": ["Farm shop", "Main depot", "Overflow"],
                      "kind": ["shop", "warehouse", "warehouse"], "lat": [52.0, 53.5, 54.0],
                      "lon": [-1.0, -1.5, -2.0]})
"""A shop listed before the warehouses: the origin is the first warehouse, not the first site."""


def test_eco_origin_is_the_sustainability_pages_warehouse():
    """One origin for every eco score: the first warehouse (the first site when none is marked warehouse), the
    very site :func:`opscore.sustainability.warehouse_location` gives the inbound footprint; with no site it is
    refused as there, or, given the suppliers, their centre."""
    from opscore.suppliers import SUPPLIER_CENTRE, eco_origin
    from opscore.sustainability import warehouse_location

    for sites in (SITES, SITES.assign(kind="depot"), SITES.iloc[[1]], SITES.iloc[[2, 0]]):
        origin = eco_origin(sites)
        assert (origin.lat, origin.lon) == warehouse_location(sites)
    assert eco_origin(SITES) == (53.5, -1.5, "DC", "Main depot")
    with pytest.raises(ValueError, match="sites table is empty") as ours:
        eco_origin(SITES.iloc[:0])
    with pytest.raises(ValueError) as theirs:
        warehouse_location(SITES.iloc[:0])
    assert str(ours.value) == str(theirs.value)
    sup = pd.DataFrame({"supplier_id": ["A", "B"], "lat": [53.0, 55.0], "lon": [-1.0, -2.0]})
    assert eco_origin(SITES.iloc[:0], sup) == (54.0, -1.5, None, SUPPLIER_CENTRE)


def test_supplier_scorecard_and_sustainability_measure_eco_scores_from_the_same_site(sample_store):
    """The supplier page's scorecard measures road distances to :func:`eco_origin`, the warehouse the sustainability
    page's inbound footprint uses: its eco scores equal eco_scores at ``warehouse_location``, on the sample and with
    a shop listed before the warehouse."""
    from opscore.store.aggregates import received_kg
    from opscore.suppliers import annual_tonnes, eco_origin, ordered_between, supplier_scorecard
    from opscore.sustainability import warehouse_location

    as_of = pd.Timestamp(sample_store.as_of())
    start = as_of - pd.Timedelta(days=365)
    lines = ordered_between(sample_store, start.date(), as_of.date())
    every = sample_store.table("purchase_orders")
    assert len(lines) == pd.to_datetime(every["order_date"]).between(start, as_of).sum() > 0
    suppliers, factors = sample_store.table("suppliers"), sample_store.table("emission_factors")
    kg = received_kg(sample_store, start.date(), as_of.date())
    sample_sites = sample_store.table("sites")
    for sites in (sample_sites, pd.concat([SITES.iloc[[0]], sample_sites], ignore_index=True)):
        card = supplier_scorecard(lines, suppliers, sites, factors, kg, start, as_of)
        assert card.origin == eco_origin(sites) and (card.origin.lat, card.origin.lon) == warehouse_location(sites)
        expected = eco_scores(suppliers, *warehouse_location(sites), factors, annual_tonnes(kg, start, as_of))
        pd.testing.assert_frame_equal(card.eco, expected)
    assert card.origin.site_id == sample_sites["site_id"].iloc[0]  # the sample's one site is its warehouse
