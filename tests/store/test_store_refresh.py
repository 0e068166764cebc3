"""Refreshing a table with a newer export, remembered column matches, and the workspace's as-of date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

from opscore.store import Store, open_store
from opscore.workspaces import create_workspace


def _month(store: Store, first: str, last: str) -> pd.DataFrame:
    sales = store.table("sales")
    return sales[(sales["date"] >= first) & (sales["date"] <= last)].copy()


def test_a_refresh_replaces_exactly_the_days_the_file_covers(sample_store: Store) -> None:
    """Re-importing March (with one day's quantities changed and one SKU-day dropped) replaces March only."""
    before = sample_store.table("sales")
    march = _month(sample_store, "2024-03-01", "2024-03-31")
    assert not march.empty
    newer = march.iloc[1:].copy()
    newer["quantity"] += 1
    assert sample_store.covered("sales", newer) == len(march)
    version = sample_store.data_version()
    with sample_store.transaction() as writer:
        removed, inserted = writer.refresh("sales", newer)
    after = sample_store.table("sales")
    assert (removed, inserted) == (len(march), len(march) - 1)
    assert len(after) == len(before) - 1
    outside = ~after["date"].between("2024-03-01", "2024-03-31")
    pd.testing.assert_frame_equal(after[outside].reset_index(drop=True),
                                  before[~before["date"].between("2024-03-01", "2024-03-31")].reset_index(drop=True))
    assert after.loc[~outside, "quantity"].sum() == newer["quantity"].sum()
    assert sample_store.data_version() == version + 1


def test_refreshing_twice_doubles_nothing(sample_store: Store) -> None:
    march = _month(sample_store, "2024-03-01", "2024-03-31")
    for _ in range(2):
        with sample_store.transaction() as writer:
            writer.refresh("sales", march)
    assert len(_month(sample_store, "2024-03-01", "2024-03-31")) == len(march)


def test_a_refresh_by_key_updates_its_rows_and_keeps_the_others(sample_store: Store) -> None:
    products = sample_store.table("products")
    changed = products.head(2).assign(unit_price=[1.25, 2.5])
    with sample_store.transaction() as writer:
        assert writer.refresh("products", changed) == (2, 2)
    after = sample_store.table("products").set_index("sku")
    assert len(after) == len(products)
    assert after.loc[changed["sku"], "unit_price"].tolist() == [1.25, 2.5]


def test_a_mapping_is_remembered_per_table_and_source_newest_first(sample_store: Store) -> None:
    with sample_store.transaction() as writer:
        writer.remember_mapping("sales", "till", {"Qty": "quantity", "Day": "date"}, datetime(2024, 1, 1))
        writer.remember_mapping("sales", "shop", {"Units Sold": "quantity"}, datetime(2024, 2, 1))
        writer.remember_mapping("sales", "till", {"Qty Sold": "quantity", "Day": "date"}, datetime(2024, 3, 1))
        writer.remember_mapping("products", "till", {"Item": "sku"}, datetime(2024, 3, 1))
    assert sample_store.remembered_mappings("sales") == [
        ("till", {"Day": "date", "Qty Sold": "quantity"}), ("shop", {"Units Sold": "quantity"})]


def test_remembering_a_mapping_leaves_the_data_version(sample_store: Store) -> None:
    version = sample_store.data_version()
    with sample_store.transaction() as writer:
        writer.remember_mapping("sales", "till", {"Qty": "quantity"}, datetime(2024, 1, 1))
    assert sample_store.data_version() == version


def test_a_new_workspace_keeps_the_as_of_date_it_was_given_and_it_can_change(tmp_path: Path) -> None:
    ws = create_workspace("acme", tmp_path, as_of=date(2025, 6, 30))
    store = open_store(ws.path)
    try:
        assert store.as_of() == date(2025, 6, 30)
        version = store.data_version()
        with store.transaction() as writer:
            writer.set_as_of(date(2025, 7, 31))
        assert store.as_of() == date(2025, 7, 31)
        assert store.data_version() == version + 1
    finally:
        store.close()


def test_a_new_workspace_without_a_date_is_pinned_to_the_day_it_was_made(tmp_path: Path) -> None:
    ws = create_workspace("acme", tmp_path)
    store = open_store(ws.path)
    try:
        assert store.meta()["as_of_date"] == date.today().isoformat()
    finally:
        store.close()
