"""Header matching: the names real exports use map without clicks, with a confidence; remembered mappings win;
unrelated names do not match; the fingerprint finds next month's file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.io import import_file, suggest_mapping
from opscore.io.headers import COMMON, KNOWN, Confidence, HeaderMatch, match_headers, normalise, source_fingerprint
from opscore.store import USER_TABLES, Store, get_table

K = Confidence.KNOWN_NAME
SHOPIFY_PRODUCTS = ["Handle", "Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published", "Option1 Name",
                    "Option1 Value", "Variant SKU", "Variant Grams", "Variant Inventory Qty", "Variant Price",
                    "Variant Compare At Price", "Cost per item", "Status"]
SALES_SUMMARY = ["Date", "SKU", "Product Name", "Units Sold", "Avg Price", "Promo"]
STOCK_REPORT = ["Stock Date", "Bin Location", "Item Code", "Batch", "Qty on hand", "Received Date", "Expiry Date"]


def _mapped(columns: list[str], table: str) -> dict[str, tuple[str, Confidence]]:
    return {m.source: (m.target, m.confidence) for m in match_headers(columns, get_table(table))}


def test_a_shopify_product_export_maps_its_columns() -> None:
    """Title, Type, Vendor, Variant SKU, Variant Price and Cost per item are recognised; the rest is left alone."""
    assert _mapped(SHOPIFY_PRODUCTS, "products") == {
        "Title": ("name", K), "Vendor": ("supplier_id", K), "Type": ("category", K), "Variant SKU": ("sku", K),
        "Variant Price": ("unit_price", K), "Cost per item": ("unit_cost", K)}


def test_a_product_list_with_everyday_names_maps_every_column() -> None:
    """A spreadsheet product list (Cost Price, Sell Price, Storage, Weight (kg), Pack Size...) fills all 15 columns."""
    columns = ["SKU", "Product Name", "Category", "Storage", "Cost Price", "Sell Price", "Weight (kg)", "Length (cm)",
               "Width (cm)", "Height (cm)", "Shelf Life (days)", "Supplier", "Lead Time (days)", "MOQ", "Pack Size"]
    assert suggest_mapping(columns, get_table("products")) == dict(zip(columns, get_table("products").column_names))


def test_a_sales_summary_and_a_stock_report_map_with_their_confidence() -> None:
    assert _mapped(SALES_SUMMARY, "sales") == {
        "Date": ("date", Confidence.EXACT), "SKU": ("sku", Confidence.EXACT), "Units Sold": ("quantity", K),
        "Avg Price": ("price", K), "Promo": ("promotion", K)}
    assert _mapped(STOCK_REPORT, "inventory") == {
        "Stock Date": ("snapshot_date", K), "Bin Location": ("bin_id", K), "Item Code": ("sku", K),
        "Batch": ("lot", K), "Qty on hand": ("quantity", K), "Received Date": ("received_date", Confidence.EXACT),
        "Expiry Date": ("expiry_date", Confidence.EXACT)}
    assert _mapped(["Lineitem sku", "Lineitem quantity", "Lineitem price", "Created at"], "sales") == {
        "Lineitem sku": ("sku", K), "Lineitem quantity": ("quantity", K), "Lineitem price": ("price", K),
        "Created at": ("date", K)}


def test_a_sales_summary_imports_with_no_clicks(sample_store: Store) -> None:
    """The sales summary imports without a mapping; each renamed column is mentioned in a notice."""
    text = ",".join(SALES_SUMMARY) + "\n2026-10-01,DAI-001,Whole milk,4,1.25,No\n"
    report = import_file(sample_store, "sales", text.encode(), "summary.csv")
    assert report.ok, report.problems
    assert "sales: column 'Units Sold' was read as quantity (known export name)" in report.notices
    assert "sales: 1 column not used by sales was ignored: 'Product Name'" in report.notices
    assert sample_store.table("sales")[["quantity", "price"]].to_numpy().tolist() == [[4, 1.25]]


def test_unrelated_names_do_not_match() -> None:
    """'Customer Name' is no product name; 'Price' and 'Cost Price' go to their own columns; 'Cost Price' is not a
    sales price; 'Customer Name' is no customer id."""
    assert _mapped(["Customer Name"], "products") == {}
    assert _mapped(["Price", "Cost Price"], "products") == {"Price": ("unit_price", K), "Cost Price": ("unit_cost", K)}
    assert _mapped(["Cost Price"], "sales") == {}
    assert _mapped(["Customer Name"], "orders") == {}
    assert _mapped(["Customer Name"], "customers") == {"Customer Name": ("name", K)}


def test_close_spellings_are_likely_matches_with_a_lower_score() -> None:
    matches = {m.source: m for m in match_headers(["Unit Prcie", "Quantiy", "Dates"], get_table("sales"))}
    assert {s: (m.target, m.confidence) for s, m in matches.items()} == {
        "Unit Prcie": ("price", Confidence.LIKELY), "Quantiy": ("quantity", Confidence.LIKELY),
        "Dates": ("date", Confidence.LIKELY)}
    assert all(0 < m.score < 0.9 for m in matches.values())


def test_a_remembered_mapping_wins_and_each_column_is_used_once() -> None:
    """Remembered 'Amount' -> quantity beats the known name 'Qty', which is then left unmatched."""
    matches = match_headers(["Day", "Item", "Amount", "Qty", "Price"], get_table("sales"),
                            remembered={"amount": "quantity"})
    assert matches == (HeaderMatch("Day", "date", K, 0.95), HeaderMatch("Item", "sku", K, 0.95),
                       HeaderMatch("Amount", "quantity", Confidence.REMEMBERED, 1.0),
                       HeaderMatch("Price", "price", Confidence.EXACT, 1.0))


def test_the_best_match_wins_a_contested_column() -> None:
    """'price' (same name) beats 'Avg Price' (known name) for sales.price; one column never takes two."""
    assert _mapped(["Avg Price", "price"], "sales") == {"price": ("price", Confidence.EXACT)}
    assert _mapped(["Qty", "Units Sold"], "sales") == {"Units Sold": ("quantity", K)}


def test_the_old_synonyms_still_match() -> None:
    assert suggest_mapping(["qty", "product", "day", "promo", "price"], get_table("sales")) == {
        "qty": "quantity", "product": "sku", "day": "date", "promo": "promotion", "price": "price"}
    assert suggest_mapping(["latitude", "lng", "customer_id"], get_table("customers")) == {
        "latitude": "lat", "lng": "lon", "customer_id": "customer_id"}
    assert suggest_mapping(["po_number", "supplier", "sku_code"], get_table("purchase_orders")) == {
        "po_number": "po_id", "supplier": "supplier_id", "sku_code": "sku"}


def test_known_names_are_about_real_columns_and_never_ambiguous() -> None:
    """Every listed column exists; within a table no name is listed for two columns."""
    for table, columns in KNOWN.items():
        spec = get_table(table)
        assert set(columns) <= set(spec.column_names), table
        names = [normalise(n) for col in columns.values() for n in col]
        assert len(names) == len(set(names)), (table, sorted({n for n in names if names.count(n) > 1}))
    for names in COMMON.values():
        assert len({normalise(n) for n in names}) == len(names)


@settings(deadline=None)
@given(st.permutations(SHOPIFY_PRODUCTS + ["SKU", "Sell Price"]))
def test_the_order_of_the_columns_does_not_change_the_matches(columns: list[str]) -> None:
    """Any order of the same headers gives the same matches (here 'SKU' and 'Sell Price' beat 'Variant SKU' and
    'Variant Price'), and the same fingerprint."""
    first = {m.source: m for m in match_headers(SHOPIFY_PRODUCTS + ["SKU", "Sell Price"], get_table("products"))}
    again = {m.source: m for m in match_headers(columns, get_table("products"))}
    assert again == first
    assert first["SKU"].target == "sku" and first["Sell Price"].target == "unit_price"
    assert source_fingerprint(columns) == source_fingerprint(SHOPIFY_PRODUCTS + ["SKU", "Sell Price"])


@settings(deadline=None)
@given(st.lists(st.sampled_from(SALES_SUMMARY), min_size=1, unique=True), st.data())
def test_case_and_spacing_do_not_change_matches_or_fingerprint(columns: list[str], data: st.DataObject) -> None:
    styled = [data.draw(st.sampled_from([c.upper(), c.lower(), c.replace(" ", "_"), f" {c} "])) for c in columns]
    assert source_fingerprint(styled) == source_fingerprint(columns)
    assert [(m.target, m.confidence) for m in match_headers(styled, get_table("sales"))] == \
           [(m.target, m.confidence) for m in match_headers(columns, get_table("sales"))]


def test_the_fingerprint_is_stable_and_tells_files_apart() -> None:
    """The same value in every run (it is stored); another column set gives another value."""
    assert source_fingerprint(SALES_SUMMARY) == "14d4c24b6ab690ca"
    assert (source_fingerprint(["Date", "SKU", "Product Name", "Units Sold", "Avg Price"])
            != source_fingerprint(SALES_SUMMARY))
    assert source_fingerprint(["Datum", "Menge"]) != source_fingerprint(["Datum", "Stückpreis"])


@pytest.mark.parametrize("header", ["", "  ", "\x80", "数量"])
def test_headers_without_latin_letters_neither_crash_nor_match(header: str) -> None:
    assert match_headers([header], get_table("sales")) == ()


@pytest.mark.parametrize("table", USER_TABLES)
def test_a_table_s_own_column_names_are_exact_matches(table: str) -> None:
    """An exported table (and the template) maps to itself, all same-name matches, in any case."""
    columns = get_table(table).column_names
    assert match_headers([c.upper() for c in columns], get_table(table)) == tuple(
        HeaderMatch(c.upper(), c, Confidence.EXACT, 1.0) for c in columns)
