"""'Add rows' is a refresh: sales and inventory replace the file's date range, other tables replace rows by key, so
re-importing doubles nothing; 'Replace the table' is previewed with the number of rows it removes."""

from __future__ import annotations

import pandas as pd
import pytest
from table_files import checksums

from opscore.io import ImportPreview, export_csv, import_file, import_frames, import_preview, read_file
from opscore.store import TABLES, Store

OCT_15 = pd.Timestamp("2026-10-15")
NOV_01 = pd.Timestamp("2026-11-01")



def _raw(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a client's CSV reads."""
    return read_file(export_csv(frame), "file.csv")


def _second_half_of_october(store: Store) -> pd.DataFrame:
    """The stored sales of 15 Oct - 1 Nov 2026, re-exported by the till with new quantities, a new day-SKU pair and
    one pair missing."""
    sales = store.table("sales", between=("date", OCT_15, NOV_01))
    sales = sales.assign(quantity=sales["quantity"] + 1).iloc[1:]
    extra = pd.DataFrame({"date": [pd.Timestamp("2026-10-20")], "sku": ["DAI-001"], "quantity": [9], "price": [1.0],
                          "promotion": [False]})
    return pd.concat([sales[~((sales["date"] == extra["date"][0]) & (sales["sku"] == "DAI-001"))], extra],
                     ignore_index=True)


def test_re_importing_an_overlapping_period_replaces_exactly_those_days(sample_store: Store) -> None:
    """The stored rows dated 15 Oct - 1 Nov are replaced by the file's rows; every row outside the range stays as it
    was; importing the same file again changes nothing."""
    before = sample_store.table("sales")
    inside = before["date"].between(OCT_15, NOV_01)
    file = _second_half_of_october(sample_store)
    report = import_frames(sample_store, {"sales": _raw(file)}, mode="refresh")
    assert report.ok, report.problems
    assert report.rows_written == {"sales": len(file)} and report.rows_removed == {"sales": int(inside.sum())}
    assert report.spans == {"sales": (OCT_15.date(), NOV_01.date())}
    assert report.summary() == (f"Imported {len(file):,} rows into sales (18 days from 15 Oct 2026 to 01 Nov 2026), "
                                f"replacing {int(inside.sum()):,} rows already there.")
    after = sample_store.table("sales")
    assert len(after) == len(before) - int(inside.sum()) + len(file)
    outside = after[~after["date"].between(OCT_15, NOV_01)].reset_index(drop=True)
    pd.testing.assert_frame_equal(outside, before[~inside].reset_index(drop=True))
    stored = after[after["date"].between(OCT_15, NOV_01)].sort_values(["date", "sku"]).reset_index(drop=True)
    expected = file.sort_values(["date", "sku"]).reset_index(drop=True)
    assert stored[["date", "sku", "quantity"]].astype(str).equals(expected[["date", "sku", "quantity"]].astype(str))
    again = import_frames(sample_store, {"sales": _raw(file)}, mode="refresh")
    assert again.rows_removed == {"sales": len(file)} and sample_store.count("sales") == len(after)


def test_a_month_after_the_stored_data_is_added(sample_store: Store) -> None:
    """A file dated after everything stored removes nothing."""
    file = pd.DataFrame({"date": ["2026-11-02", "2026-11-02"], "sku": ["DAI-001", "DAI-002"], "quantity": [1, 2],
                         "price": [1.0, 2.0], "promotion": [False, True]})
    count = sample_store.count("sales")
    report = import_frames(sample_store, {"sales": _raw(file)}, mode="refresh")
    assert report.summary() == "Imported 2 rows into sales (1 day, 02 Nov 2026)."
    assert report.rows_removed == {"sales": 0} and sample_store.count("sales") == count + 2


def test_an_inventory_snapshot_of_another_day_keeps_the_stored_one(sample_store: Store) -> None:
    """Inventory is refreshed by snapshot date: a 31 Oct snapshot leaves the 2 Nov snapshot untouched; a second
    2 Nov snapshot replaces the first."""
    stock = sample_store.table("inventory")
    older = stock.assign(snapshot_date=pd.Timestamp("2026-10-31"), received_date=pd.Timestamp("2026-10-28"))
    report = import_frames(sample_store, {"inventory": _raw(older)}, mode="refresh")
    assert report.ok, report.problems
    assert report.rows_removed == {"inventory": 0} and sample_store.count("inventory") == 2 * len(stock)
    newer = stock.iloc[:10].assign(quantity=0)
    report = import_frames(sample_store, {"inventory": _raw(newer)}, mode="refresh")
    assert report.rows_removed == {"inventory": len(stock)}
    counts = sample_store.table("inventory").groupby("snapshot_date").size()
    assert counts.to_dict() == {pd.Timestamp("2026-10-31"): len(stock), pd.Timestamp("2026-11-02"): 10}


def test_a_products_refresh_updates_by_sku_and_keeps_the_others(sample_store: Store) -> None:
    """Two changed products and one new: those two rows change, the new one is added, the other 118 are untouched."""
    products = sample_store.table("products")
    file = products.iloc[:2].assign(unit_price=[99.0, 98.0])
    file = pd.concat([file, products.iloc[[5]].assign(sku="NEW-001", name="New cheese")], ignore_index=True)
    report = import_file(sample_store, "products", export_csv(file), "products.csv", mode="refresh")
    assert report.ok, report.problems
    assert report.summary() == "Imported 3 rows into products, replacing 2 rows already there."
    after = sample_store.table("products").set_index("sku")
    assert len(after) == len(products) + 1
    assert after.loc[file["sku"], "unit_price"].tolist() == [99.0, 98.0, products["unit_price"][5]]
    rest = products.iloc[2:].set_index("sku")
    pd.testing.assert_frame_equal(after.loc[rest.index], rest)


def test_a_refresh_never_orphans_what_a_replace_would(sample_store: Store) -> None:
    """A two-product file: as a replace it would drop SKUs sales use (refused); as a refresh it keeps them (fine)."""
    before = checksums(sample_store)
    file = export_csv(sample_store.table("products").iloc[:2])
    replace = import_file(sample_store, "products", file, "products.csv", mode="replace")
    assert "still used by" in str(replace.problems[0]) and checksums(sample_store) == before
    refresh = import_file(sample_store, "products", file, "products.csv", mode="refresh")
    assert refresh.ok, refresh.problems
    assert sample_store.count("products") == 120


def test_no_table_references_a_table_refreshed_by_date_range() -> None:
    """Why a refresh needs no orphan check: refreshed by key, a table keeps every key (each removed row comes back
    with its key); refreshed by date range, it may lose keys, so no table may point at one."""
    by_range = {t.name for t in TABLES if t.refresh_by}
    assert by_range == {"sales", "stock_history", "inventory"}
    assert [(t.name, c.name) for t in TABLES for c in t.columns
            if c.references and c.references.split(".")[0] in by_range] == []


def test_refresh_references_count_the_store_and_the_file(sample_store: Store) -> None:
    """Sales may use a SKU already stored or one the products file of the same batch brings; not one in neither."""
    product = sample_store.table("products").iloc[[1]].assign(sku="NEW-001", weight_kg=2.5)  # no "3.077"-like value
    sales = pd.DataFrame({"date": ["2026-11-02"] * 3, "sku": ["DAI-001", "NEW-001", "NOPE"], "quantity": [1, 1, 1],
                          "price": [1.0, 1.0, 1.0], "promotion": [False] * 3})
    report = import_frames(sample_store, {"products": _raw(product), "sales": _raw(sales)}, mode="refresh")
    assert [(p.table, p.row, p.column) for p in report.problems] == [("sales", 4, "sku")]
    report = import_frames(sample_store, {"products": _raw(product), "sales": _raw(sales.iloc[:2])}, mode="refresh")
    assert report.ok, report.problems
    assert report.rows_written == {"products": 1, "sales": 2}


def test_the_replace_preview_says_how_many_rows_go_and_writes_nothing(sample_store: Store) -> None:
    """Previewing a replace of orders by its own export: every check passes, 8,194 rows would go, nothing changes."""
    before = checksums(sample_store)
    version = sample_store.data_version()
    orders = _raw(sample_store.table("orders"))
    preview = import_preview(sample_store, {"orders": orders}, mode="replace")
    assert isinstance(preview, ImportPreview) and preview.ok
    assert preview.rows_removed == {"orders": 8194} and preview.rows_incoming == {"orders": 8194}
    assert preview.question() == "Replace the table: this removes all 8,194 rows of orders. Continue?"
    assert preview.summary() == "Ready to import 8,194 rows into orders, replacing 8,194 rows already there."
    assert checksums(sample_store) == before and sample_store.data_version() == version
    report = import_frames(sample_store, {"orders": orders}, mode="replace")
    assert report.rows_removed == preview.rows_removed and report.rows_written == preview.rows_incoming


def test_the_refresh_preview_counts_the_rows_it_replaces(sample_store: Store) -> None:
    file = _second_half_of_october(sample_store)
    covered = int(sample_store.table("sales")["date"].between(OCT_15, NOV_01).sum())
    preview = import_preview(sample_store, {"sales": _raw(file)}, mode="refresh")
    assert preview.rows_removed == {"sales": covered} and preview.spans == {"sales": (OCT_15.date(), NOV_01.date())}
    assert preview.question() == (f"Add or update rows: all {covered:,} stored rows of sales dated 15 Oct 2026 to "
                                  f"01 Nov 2026, whatever their SKU, are replaced by the file's {len(file):,} rows. "
                                  "Continue?")


def test_a_preview_with_problems_asks_nothing(sample_store: Store) -> None:
    sales = pd.DataFrame({"date": ["2026-10-01"], "sku": ["NOPE"], "quantity": [1], "price": [1.0],
                          "promotion": [False]})
    preview = import_preview(sample_store, {"sales": _raw(sales)}, mode="replace")
    assert not preview.ok and preview.question() is None and preview.rows_removed == {}
    assert preview.summary().startswith("Nothing can be imported yet: 1 problem(s) found. First: sales, row 2, "
                                        "column sku")
    assert list(preview.problems_frame().columns) == ["table", "row", "column", "problem"]


@pytest.mark.parametrize("mode", ["replace", "refresh"])
def test_a_file_adding_nothing_new_removes_nothing_it_does_not_bring_back(sample_store: Store, mode: str) -> None:
    """Importing a table's own export either way leaves it identical."""
    before = sample_store.checksum("purchase_orders")
    report = import_file(sample_store, "purchase_orders", export_csv(sample_store.table("purchase_orders")), "po.csv",
                         mode=mode)  # type: ignore[arg-type]
    assert report.ok, report.problems
    assert report.rows_removed == {"purchase_orders": 22359}
    assert sample_store.checksum("purchase_orders") == before
