"""Importing a user's file: every kind of bad input gives a clear message and leaves the store unchanged."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_files import checksums

from opscore.io import export_csv, import_file, read_file
from opscore.store import Store

GOOD_SALES = "date,sku,quantity,price,promotion\n2026-10-01,DAI-001,5,10.42,false\n2026-10-01,DAI-002,3,6.30,true\n"



@pytest.fixture
def before(sample_store: Store) -> dict[str, str]:
    return checksums(sample_store)


def _reject(store: Store, before: dict[str, str], data: bytes, filename: str = "sales.csv",
            table: str = "sales", **kw: object) -> str:
    """Import, assert it was refused and nothing changed, and return all messages as one text."""
    report = import_file(store, table, data, filename, **kw)  # type: ignore[arg-type]
    assert not report.ok
    assert checksums(store) == before
    return "\n".join(str(p) for p in report.problems)


def test_good_file_is_imported(sample_store: Store) -> None:
    """The control case: a valid two-row file replaces the sales table."""
    report = import_file(sample_store, "sales", GOOD_SALES.encode(), "sales.csv")
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 2}
    assert sample_store.count("sales") == 2


def test_malformed_csv_names_the_line(sample_store: Store, before: dict[str, str]) -> None:
    """A row with an extra unquoted separator is reported with its line number."""
    text = GOOD_SALES + "2026-10-02,DAI-001,5,10,42,false\n"
    msg = _reject(sample_store, before, text.encode())
    assert "line 4" in msg and "6 values" in msg and "5 columns" in msg


def test_wrong_delimiter_is_explained(sample_store: Store, before: dict[str, str]) -> None:
    """A semicolon file read with a forced comma says which separator the file seems to use."""
    text = GOOD_SALES.replace(",", ";")
    msg = _reject(sample_store, before, text.encode(), delimiter=",")
    assert "';'" in msg and "separator" in msg


def test_semicolon_file_is_detected_automatically(sample_store: Store) -> None:
    """European exports with ';' import without any setting."""
    report = import_file(sample_store, "sales", GOOD_SALES.replace(",", ";").encode(), "sales.csv")
    assert report.ok, report.problems


def test_non_utf8_bytes_name_the_byte_and_line_and_offer_a_fix(sample_store: Store, before: dict[str, str]) -> None:
    """Windows-1252 text read as UTF-8 is refused with the byte, the line and the fix; choosing cp1252 works."""
    data = b"sku,name\n" + "DAI-001,Café crème\n".encode("cp1252")
    msg = _reject(sample_store, before, data, filename="products.csv", table="products")
    assert "0xE9" in msg and "line 2" in msg and "UTF-8" in msg
    raw = read_file(data, "products.csv", encoding="cp1252")
    assert raw.loc[0, "name"] == "Café crème"


def test_missing_required_columns_are_listed(sample_store: Store, before: dict[str, str]) -> None:
    """A file without 'quantity' and 'price' names both missing columns."""
    msg = _reject(sample_store, before, b"date,sku,promotion\n2026-10-01,DAI-001,no\n")
    assert "quantity" in msg and "price" in msg and "missing" in msg


def test_extra_columns_are_ignored_with_a_notice(sample_store: Store) -> None:
    """An extra column does not block the import; the user is told it was ignored."""
    text = "date,sku,quantity,price,promotion,till\n2026-10-01,DAI-001,5,1.0,no,T1\n"
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert report.ok
    assert any("'till'" in n and "ignored" in n for n in report.notices)


def test_negative_quantity_names_row_and_column(sample_store: Store, before: dict[str, str]) -> None:
    """Row 3 of the file (the second data row) with -3 units is named precisely."""
    text = GOOD_SALES.replace("DAI-002,3,", "DAI-002,-3,")
    msg = _reject(sample_store, before, text.encode())
    assert "sales, row 3, column quantity: is negative" in msg


def test_duplicate_keys_are_reported(sample_store: Store, before: dict[str, str]) -> None:
    """The same date and SKU twice: the second occurrence is named, with the row it repeats."""
    text = GOOD_SALES + "2026-10-01,DAI-001,7,10.42,false\n"
    msg = _reject(sample_store, before, text.encode())
    assert msg == "sales, row 4, column date+sku: repeats the key date+sku of row 2"


def test_unknown_sku_is_reported(sample_store: Store, before: dict[str, str]) -> None:
    """A SKU that is not in products is named with the table it is missing from."""
    msg = _reject(sample_store, before, (GOOD_SALES + "2026-10-01,NOPE-1,1,1.0,no\n").encode())
    assert "'NOPE-1' is not in products" in msg and "row 4" in msg


def test_dates_after_the_workspace_date_are_refused(sample_store: Store, before: dict[str, str]) -> None:
    """Sales cannot be recorded for a day after the workspace's as-of date (2 Nov 2026)."""
    msg = _reject(sample_store, before, (GOOD_SALES + "2027-01-01,DAI-001,1,1.0,no\n").encode())
    assert "after the workspace date" in msg and "row 4" in msg


def test_values_of_the_wrong_type_are_reported(sample_store: Store, before: dict[str, str]) -> None:
    """Text in a number column, a half unit, a bad date and a bad yes/no are each named."""
    text = ("date,sku,quantity,price,promotion\n31/13/2026,DAI-001,five,1.0,no\n"
            "2026-10-01,DAI-002,1.5,1.0,maybe\n")
    msg = _reject(sample_store, before, text.encode())
    assert "row 2, column date: is not a valid date" in msg
    assert "row 2, column quantity: is not a number" in msg
    assert "row 3, column quantity: is not a whole number" in msg
    assert "row 3, column promotion: is not yes/no" in msg


def test_empty_file_and_header_only_file(sample_store: Store, before: dict[str, str]) -> None:
    """An empty file is 'empty'; a header with no rows would empty the table and is refused."""
    assert "is empty" in _reject(sample_store, before, b"")
    assert "no data rows" in _reject(sample_store, before, b"date,sku,quantity,price,promotion\n")


def test_replacing_products_cannot_orphan_sales(sample_store: Store, before: dict[str, str]) -> None:
    """A products file that drops SKUs still used by sales is refused, naming the dependent table."""
    products = sample_store.table("products").iloc[:10]
    msg = _reject(sample_store, before, export_csv(products), filename="products.csv", table="products")
    assert "still used by" in msg and "sales.sku" in msg


def test_excel_file_with_renamed_columns_imports_with_a_mapping(sample_store: Store) -> None:
    """An .xlsx with the client's own headers imports once the columns are matched."""
    frame = pd.DataFrame({"Day": ["01/10/2026", "02/10/2026"], "Product": ["DAI-001", "DAI-001"],
                          "Units": [4, 5], "Price £": [1.5, 1.5], "Promo": ["Y", "N"]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    mapping = {"Day": "date", "Product": "sku", "Units": "quantity", "Price £": "price", "Promo": "promotion"}
    report = import_file(sample_store, "sales", buffer.getvalue(), "sales.xlsx", mapping=mapping)
    assert report.ok, report.problems
    sales = sample_store.table("sales")
    assert sales["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
    assert sales["promotion"].tolist() == [True, False]


def test_delivery_events_go_through_the_tracking_checks(sample_store: Store, before: dict[str, str]) -> None:
    """Events whose order matters (times going backwards, a failed attempt without a reason) cannot slip in
    through the generic import: it refuses the table and names the page that checks events."""
    events = (b"event_id,vehicle_id,order_id,kind,ts,lat,lon,reason,source\n"
              b"e1,V1,,departed,2026-11-02 10:00,,,,csv\n"
              b"e2,V1,O000157,failed,2026-11-02 09:00,,,,csv\n")
    message = _reject(sample_store, before, events, "events.csv", table="delivery_events")
    assert "delivery_events" in message and "Tracking page" in message


def test_export_then_import_round_trips(sample_store: Store) -> None:
    """Exporting a table to CSV and importing it back leaves it identical."""
    for name in ("products", "purchase_orders", "deliveries"):
        before = sample_store.checksum(name)
        report = import_file(sample_store, name, export_csv(sample_store.table(name)), f"{name}.csv")
        assert report.ok, report.problems[:3]
        assert sample_store.checksum(name) == before


def test_a_50_mb_file_with_one_bad_row_is_refused_quickly(sample_store: Store, before: dict[str, str]) -> None:
    """A 50 MB sales export (1.6 million rows) with one negative quantity near the end: refused, row named."""
    skus = sample_store.table("products")["sku"].to_numpy()
    n = 1_600_000
    i = np.arange(n)
    frame = pd.DataFrame({
        "date": (pd.Timestamp("1985-01-01") + pd.to_timedelta(i // len(skus), unit="D")).strftime("%Y-%m-%d"),
        "sku": skus[i % len(skus)], "quantity": (i % 17) + 1, "price": 2.5, "promotion": "false",
    })
    frame.loc[n - 10, "quantity"] = -4
    data = frame.to_csv(index=False).encode()
    assert len(data) > 50e6
    msg = _reject(sample_store, before, data)
    assert f"row {n - 10 + 2}, column quantity: is negative" in msg


def test_files_over_the_size_limit_are_refused_before_parsing(sample_store: Store, before: dict[str, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A file above the limit (lowered to 100 MB here, to keep the test small) is refused by size, naming the limit."""
    monkeypatch.setattr("opscore.io.reading.MAX_FILE_MB", 100)
    msg = _reject(sample_store, before, b"x" * (101 * 1_000_000))
    assert "limit is 100 MB" in msg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_or_change_anything(sample_store: Store, payload: bytes) -> None:
    """Whatever bytes arrive, the import answers with a report and never a traceback; a refusal commits nothing."""
    version = sample_store.data_version()
    report = import_file(sample_store, "sales", payload, "upload.csv")
    if not report.ok:
        assert sample_store.data_version() == version
        assert all(p.message for p in report.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=6), st.text(max_size=6)),
                      min_size=1, max_size=8))
def test_arbitrary_cells_are_refused_with_row_level_reasons(sample_store: Store,
                                                            cells: list[tuple[str, str, str]]) -> None:
    """Random text in the sku/quantity/price cells never crashes and never half-imports."""
    version = sample_store.data_version()
    frame = pd.DataFrame([{"date": "2026-10-01", "sku": s, "quantity": q, "price": p, "promotion": "no"}
                          for s, q, p in cells])
    report = import_file(sample_store, "sales", export_csv(frame), "sales.csv")
    if not report.ok:
        assert sample_store.data_version() == version
