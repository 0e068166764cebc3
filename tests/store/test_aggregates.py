"""The aggregates summed inside the store give what the pandas functions they replace compute from whole tables."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from opscore import compliance as co
from opscore import visibility as vis
from opscore.compliance.expiry import fefo_sales_scope
from opscore.inventory import build_inputs, load_inputs
from opscore.inventory.inputs import LEAD_SAMPLES, purchase_record
from opscore.store import Store
from opscore.store.aggregates import (
    main_supplier_lead_days,
    monthly_revenue,
    open_purchase_lines,
    purchase_terms,
    sales_by_day,
    sales_by_sku,
    sales_totals,
)
from opscore.suppliers.position import annual_revenue, daily_demand


@pytest.fixture
def sales(sample_store: Store) -> pd.DataFrame:
    return sample_store.table("sales")


def test_stock_position_from_store_sums_is_the_pandas_one(sample_store: Store, sales: pd.DataFrame) -> None:
    as_of = sample_store.as_of()
    products, inventory, orders = (sample_store.table(n) for n in ("products", "inventory", "purchase_orders"))
    open_orders = sample_store.table("purchase_orders", where={"received_date": None})
    summed = vis.position_from(products, inventory, sales_by_sku(sample_store, *vis.demand_window(as_of)),
                               open_orders, as_of)
    pd.testing.assert_frame_equal(summed, vis.stock_position(products, inventory, sales, orders, as_of))


def test_inventory_inputs_from_store_sums_are_the_pandas_ones(sample_store: Store, sales: pd.DataFrame) -> None:
    loaded = load_inputs(sample_store)
    built = build_inputs(products=sample_store.table("products"), sales=sales,
                         inventory=sample_store.table("inventory"),
                         purchase_orders=sample_store.table("purchase_orders"), as_of=sample_store.as_of())
    for field in dataclasses.fields(loaded):
        a, b = getattr(loaded, field.name), getattr(built, field.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        elif isinstance(a, np.ndarray) and a.dtype == object:
            assert a.tolist() == b.tolist(), field.name
        elif isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=field.name)
        else:
            assert a == b, field.name


def test_sales_totals_and_monthly_revenue_match_pandas(sample_store: Store, sales: pd.DataFrame) -> None:
    as_of = sample_store.as_of()
    year = sales_totals(sample_store, as_of - timedelta(days=365), as_of)
    pd.testing.assert_series_equal(year["revenue"], annual_revenue(sales, as_of), check_names=False, rtol=1e-12)
    weeks = sales_totals(sample_store, as_of - timedelta(days=56), as_of)
    pd.testing.assert_series_equal(weeks["units"] / 56, daily_demand(sales, as_of, 56), check_names=False)
    by_month = (sales["quantity"] * sales["price"]).groupby(sales["date"].dt.to_period("M").dt.to_timestamp()).sum()
    pd.testing.assert_series_equal(monthly_revenue(sample_store), by_month, check_names=False, check_index_type=False,
                                   check_freq=False, rtol=1e-12)


def test_compliance_on_the_fefo_sales_and_split_runs_is_the_whole_run(sample_store: Store, sales: pd.DataFrame) -> None:
    as_of = sample_store.as_of()
    tables = co.load_tables(sample_store)
    rules = co.rules_from(tables["compliance_rules"])
    whole = co.run_rules(rules, tables, as_of, co.CheckSettings(speed_kmh=40.0))
    skus, first, last = fefo_sales_scope(tables["inventory"], as_of)
    few = {**tables, "sales": sample_store.table("sales", columns=["date", "sku", "quantity"], where={"sku": skus},
                                                 between=("date", first, last))}
    assert len(few["sales"]) < len(sales) / 10
    hours = rules["check"].isin(co.HOURS_CHECKS)
    split = co.combine_violations(co.run_rules(rules[hours], few, as_of, co.CheckSettings(speed_kmh=40.0)),
                                  co.run_rules(rules[~hours], few, as_of))
    assert (whole["check"] == "fefo_order").any()
    pd.testing.assert_frame_equal(split, whole)


@pytest.mark.parametrize(("level", "key"), [("sku", "DAI-001"), ("category", "Dairy"), ("total", None)])
def test_daily_demand_summed_in_duckdb_is_the_forecast_pages(sample_store: Store, level: str, key: str | None) -> None:
    """The forecast page's daily series from DuckDB sums equals ``daily_sales`` over the whole sales table."""
    from opscore.forecast.demand import daily_from_sums, daily_sales, selection_skus

    sales, products = sample_store.table("sales"), sample_store.table("products")
    by_day, first, last = sales_by_day(sample_store, selection_skus(products, level, key))
    pd.testing.assert_frame_equal(daily_from_sums(by_day, first, last, key), daily_sales(sales, products, level, key),
                                  check_freq=False)


def test_purchase_record_from_store_sums_is_the_pandas_one(sample_store: Store) -> None:
    products, orders = sample_store.table("products"), sample_store.table("purchase_orders")
    record = purchase_record(orders, products)
    assert len(record.main_lead_days) < (orders["received_date"].notna()).sum()  # the latest 200 per supplier only
    pd.testing.assert_frame_equal(open_purchase_lines(sample_store), record.open_lines)
    pd.testing.assert_frame_equal(main_supplier_lead_days(sample_store, LEAD_SAMPLES), record.main_lead_days)
    pd.testing.assert_frame_equal(purchase_terms(sample_store), record.terms, rtol=1e-12)
