"""The page's quicker path (purchase orders summed in DuckDB, parts worked out once) gives the same numbers as the
footprint computed line by line in pandas from whole tables, on the sample workspace."""

from __future__ import annotations

import pandas as pd
import pytest

from opscore import sustainability as su
from opscore.store.footprint_sums import received_by_supplier_day

CIRCUITY = 1.3


def test_duckdb_sums_equal_the_line_by_line_inbound(sample_store):
    """Tonnes, tonne-km and spend per supplier and day from the store's sums equal those of every received line."""
    tables = su.load_tables(sample_store)
    lines = su.inbound_tonne_km(tables["purchase_orders"], tables["products"], tables["suppliers"], tables["sites"],
                                CIRCUITY)
    summed = su.inbound_by_supplier_day(received_by_supplier_day(sample_store), tables["suppliers"], tables["sites"],
                                        CIRCUITY)
    expected = (lines.groupby(["supplier_id", "received_date"], as_index=False)[["tonnes", "tonne_km", "spend_gbp"]]
                .sum())
    assert len(lines) > len(summed) > 0
    assert summed["supplier_id"].tolist() == expected["supplier_id"].tolist()
    assert (summed["received_date"] == expected["received_date"]).all()
    for column in ("tonnes", "tonne_km", "spend_gbp"):
        assert summed[column].to_numpy() == pytest.approx(expected[column].to_numpy(), rel=1e-12), column


def test_page_path_gives_the_same_footprint_and_whatifs(sample_store):
    """Monthly footprint, packaging and supplier what-ifs: the page's inputs (van days from stops worked out once,
    inbound sums, packed order volumes) against everything computed from whole tables."""
    tables = su.load_tables(sample_store)
    factors = su.factors_from(tables["emission_factors"])
    start, end = su.last_full_months(sample_store.as_of())
    old = su.monthly_footprint(su.activities(tables), start, end)
    stops = su.delivery_stops(deliveries=tables["deliveries"], orders=tables["orders"],
                              customers=tables["customers"], vehicles=tables["vehicles"], sites=tables["sites"])
    van_days = su.van_day_emissions({"vehicles": tables["vehicles"]}, factors, stops=stops)
    inbound = su.inbound_by_supplier_day(received_by_supplier_day(sample_store), tables["suppliers"], tables["sites"])
    volumes = su.packed_order_volumes(tables["orders"], tables["order_lines"], tables["products"])
    few = {name: tables[name] for name in ("cartons", "assets", "sensor_readings", "emission_factors")}
    new = su.monthly_footprint(su.activities(few, van_days=van_days, inbound=inbound, volumes=volumes), start, end)
    assert old[["month", "source", "unit"]].equals(new[["month", "source", "unit"]])
    for column in ("activity", "kg_co2e"):
        assert new[column].to_numpy() == pytest.approx(old[column].to_numpy(), rel=1e-12), column
    pd.testing.assert_frame_equal(van_days, su.van_day_emissions(tables, factors))

    orders = tables["orders"]
    when = pd.to_datetime(orders["delivery_date"])
    packed = orders[orders["status"].isin(("delivered", "failed")) & (when >= pd.Timestamp(start))
                    & (when <= pd.Timestamp(end))]
    lines = tables["order_lines"]
    old_volumes = su.order_volumes(lines[lines["order_id"].isin(packed["order_id"])], tables["products"])
    in_period = volumes[(volumes["delivery_date"] >= pd.Timestamp(start)) & (volumes["delivery_date"]
                                                                            <= pd.Timestamp(end))]["litres"]
    pd.testing.assert_series_equal(in_period, old_volumes, check_exact=True)

    scores = pd.Series(range(len(tables["suppliers"])), index=tables["suppliers"]["supplier_id"], dtype=float)
    rows = su.inbound_tonne_km(tables["purchase_orders"], tables["products"], tables["suppliers"], tables["sites"])
    old_shift = su.shift_supplier_spend(rows[rows["received_date"].between(pd.Timestamp(start), pd.Timestamp(end))],
                                        scores, factors, 0.3)
    new_shift = su.shift_supplier_spend(
        inbound[inbound["received_date"].between(pd.Timestamp(start), pd.Timestamp(end))], scores, factors, 0.3)
    assert new_shift.baseline_kg_co2e == pytest.approx(old_shift.baseline_kg_co2e, rel=1e-12)
    assert new_shift.scenario_kg_co2e == pytest.approx(old_shift.scenario_kg_co2e, rel=1e-12)
    assert new_shift.note == old_shift.note


def test_purchase_of_an_unknown_product_is_named(sample_store):
    """A received line whose SKU is not in products stops the inbound estimate, naming the SKU, as line by line."""
    sku = sample_store.table("purchase_orders").dropna(subset=["received_date"]).iloc[0]["sku"]
    with sample_store.transaction() as w:
        w.delete("products", {"sku": sku})
    sums = received_by_supplier_day(sample_store)
    tables = su.load_tables(sample_store)
    named = f"SKU\\(s\\) \\['{sku}'\\] that are not in products"
    with pytest.raises(ValueError, match=named):
        su.inbound_by_supplier_day(sums, tables["suppliers"], tables["sites"])
    with pytest.raises(ValueError, match=named):
        su.inbound_tonne_km(tables["purchase_orders"], tables["products"], tables["suppliers"], tables["sites"])
