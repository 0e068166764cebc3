"""Client files as they arrive (tests/data/ and workbooks built with openpyxl), each with the exact rows it must
give."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import pytest
from table_files import checksums, workbook

from opscore.io import NumberFormat, import_file, number_questions, read_file
from opscore.store import Store, get_table
from opscore.store.aggregates import stockout_days

DATA = Path(__file__).resolve().parents[1] / "data"
SALES_MAPPING = {"Datum": "date", "Artikel": "sku", "Menge": "quantity", "Preis": "price", "Aktion": "promotion"}
PO_MAPPING = {"Bestellnr": "po_id", "Lieferant": "supplier_id", "Artikel": "sku", "Bestelldatum": "order_date",
              "Zugesagt": "promised_date", "Eingang": "received_date", "Menge bestellt": "qty_ordered",
              "Menge erhalten": "qty_received", "Menge defekt": "qty_defective", "Stückpreis": "unit_price"}
COMMA = NumberFormat.DECIMAL_COMMA




def test_european_sales_csv_imports_with_decimal_commas(sample_store: Store) -> None:
    """tests/data/sales_eu.csv (';', dd.mm.yyyy, '9,80', '1.234,50', '€ 10,00', '1 500' with a no-break space)
    gives exactly these rows, and says the price column was read with a decimal comma. (Before: 9,80 -> 980.)"""
    report = import_file(sample_store, "sales", (DATA / "sales_eu.csv").read_bytes(), "sales_eu.csv",
                         mapping=SALES_MAPPING)
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 5}
    assert any("price" in n and "decimal comma" in n and "'9,80'" in n for n in report.notices)
    sales = sample_store.table("sales")
    assert sales["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-01", "2026-10-02", "2026-10-02",
                                                              "2026-10-03"]
    assert sales["sku"].tolist() == ["DAI-001", "DAI-002", "DAI-001", "DAI-003", "DAI-002"]
    assert sales["quantity"].tolist() == [5, 12, 1500, 2, 3]
    assert sales["price"].tolist() == [9.8, 1234.5, 10.0, 0.99, 2000.0]
    assert sales["promotion"].tolist() == [False, True, False, False, True]


def test_ambiguous_quantities_are_asked_not_guessed(sample_store: Store) -> None:
    """tests/data/purchase_orders_eu.csv (Windows-1252) has quantities '1.200' and '2.400': 1.2 or 1200? The
    import stops with one typed question per column (examples read both ways) and writes nothing; the price
    column, proven by '7,42', is not asked about."""
    before = checksums(sample_store)
    data = (DATA / "purchase_orders_eu.csv").read_bytes()
    report = import_file(sample_store, "purchase_orders", data, "po.csv", mode="refresh", mapping=PO_MAPPING,
                         encoding="cp1252")
    assert not report.ok and report.problems == ()
    assert checksums(sample_store) == before
    assert [a.column for a in report.ambiguities] == ["qty_ordered", "qty_received"]
    ordered = report.ambiguities[0]
    assert ordered.rows == (2, 3, 4) and ordered.values == ("1.200", "2.400", "600")
    assert ordered.as_point == (1.2, 2.4, 600.0) and ordered.as_comma == (1200.0, 2400.0, 600.0)
    assert list(ordered.preview().columns) == ["row", "in the file", "decimal point", "decimal comma"]
    assert "qty_ordered" in report.summary() and "decimal comma" in report.summary()
    raw = read_file(data, "po.csv", encoding="cp1252")
    assert number_questions(raw, get_table("purchase_orders"), PO_MAPPING) == report.ambiguities


def test_the_chosen_convention_is_applied_exactly(sample_store: Store) -> None:
    """With a decimal comma chosen for both quantity columns the three orders import exactly as written."""
    report = import_file(sample_store, "purchase_orders", (DATA / "purchase_orders_eu.csv").read_bytes(), "po.csv",
                         mode="refresh", mapping=PO_MAPPING, encoding="cp1252",
                         number_formats={"qty_ordered": COMMA, "qty_received": COMMA})
    assert report.ok, (report.problems, report.ambiguities)
    rows = sample_store.table("purchase_orders").set_index("po_id").loc[["PO900001", "PO900002", "PO900003"]]
    assert rows["qty_ordered"].tolist() == [1200, 2400, 600]
    assert rows["qty_received"].astype(object).where(rows["qty_received"].notna(), None).tolist() == [1200, None, 598]
    assert rows["unit_price"].tolist() == [7.42, 7.35, 1020.0]
    assert rows["order_date"].dt.strftime("%d.%m.%Y").tolist() == ["05.10.2026", "12.10.2026", "19.10.2026"]
    assert rows["received_date"].isna().tolist() == [False, True, False]


def test_a_point_chosen_for_thousands_is_refused_by_row(sample_store: Store) -> None:
    """Choosing a decimal point makes '1.200' units 1.2, which is not a whole number: refused on rows 2 and 3."""
    before = checksums(sample_store)
    report = import_file(sample_store, "purchase_orders", (DATA / "purchase_orders_eu.csv").read_bytes(), "po.csv",
                         mode="refresh", mapping=PO_MAPPING, encoding="cp1252",
                         number_formats={"qty_ordered": NumberFormat.DECIMAL_POINT, "qty_received": COMMA})
    assert [(p.row, p.column) for p in report.problems] == [(2, "qty_ordered"), (3, "qty_ordered")]
    assert "is not a whole number: '1.200'" in report.problems[0].message
    assert checksums(sample_store) == before


@pytest.mark.parametrize(("prices", "message"), [
    (["9,80", "10.42"], "mixes decimal points (row 3: '10.42') and decimal commas (row 2: '9,80')"),
])
def test_a_column_mixing_conventions_is_refused(sample_store: Store, prices: list[str], message: str) -> None:
    """A column proving both conventions is not guessed at: one problem names an example of each."""
    text = "date;sku;quantity;price;promotion\n" + "".join(
        f"2026-10-0{i + 1};DAI-001;1;{p};no\n" for i, p in enumerate(prices))
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [str(p) for p in report.problems] == [f"sales, column price: {message}; write every number of the column "
                                                 "the same way"]


def test_semicolons_alone_do_not_settle_a_column(sample_store: Store) -> None:
    """';' separators with prices all like '1.500' stay a question: point-decimal tools write ';' files too."""
    text = "date;sku;quantity;price;promotion\n2026-10-01;DAI-001;1;1.500;no\n2026-10-02;DAI-001;1;2.250;no\n"
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [(a.column, a.as_point, a.as_comma) for a in report.ambiguities] == [
        ("price", (1.5, 2.25), (1500.0, 2250.0))]
    report = import_file(sample_store, "sales", text.encode(), "sales.csv",
                         number_formats={"price": NumberFormat.DECIMAL_POINT})
    assert report.ok and sample_store.table("sales")["price"].tolist() == [1.5, 2.25]


def test_a_value_not_written_in_the_proven_convention_names_row_and_column(sample_store: Store) -> None:
    """In a decimal-comma column, '1,2,3' is a problem on its row, quoting the value."""
    text = "date;sku;quantity;price;promotion\n2026-10-01;DAI-001;1;9,80;no\n2026-10-02;DAI-001;1;1,2,3;no\n"
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [str(p) for p in report.problems] == [
        "sales, row 3, column price: is not a number written with a decimal comma (like 1.234,50): '1,2,3'"]


def test_excel_number_cells_keep_their_value_and_text_cells_follow_the_column(sample_store: Store) -> None:
    """Number cells (9.8, 1500) are taken as numbers; text cells in the same columns ('1.234,50') are read by
    the convention they prove; real date cells are dates. (Before: '1.234,50' -> 1.2345.)"""
    data = workbook([["date", "sku", "quantity", "price", "promotion"],
                      [date(2026, 10, 1), "DAI-001", 1500, 9.8, False],
                      [date(2026, 10, 2), "DAI-001", "7", "1.234,50", True]])
    report = import_file(sample_store, "sales", data, "sales.xlsx")
    assert report.ok, report.problems
    sales = sample_store.table("sales")
    assert sales["quantity"].tolist() == [1500, 7]
    assert sales["price"].tolist() == [9.8, 1234.5]
    assert sales["promotion"].tolist() == [False, True]
    assert sales["date"].tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]


def test_excel_date_and_datetime_cells_import(sample_store: Store) -> None:
    """A deliveries workbook with real date cells (planned_date) and date-time cells with a time of day
    (planned_arrival, actual_arrival) imports exactly. (Before: 'not a valid date', from '2026-10-01 00:00:00'.)"""
    header = ["delivery_id", "order_id", "vehicle_id", "attempt", "planned_date", "planned_arrival", "actual_arrival",
              "outcome", "failure_reason"]
    data = workbook([header,
                      ["D900001", "O002104", "V1", 1, date(2026, 10, 1), datetime(2026, 10, 1, 7, 30),
                       datetime(2026, 10, 1, 7, 42, 15), "delivered", None],
                      ["D900002", "O002104", "V1", 2, datetime(2026, 10, 2), datetime(2026, 10, 2, 14, 5), None,
                       "failed", "customer absent"]])
    report = import_file(sample_store, "deliveries", data, "deliveries.xlsx", mode="refresh")
    assert report.ok, report.problems
    rows = sample_store.table("deliveries").set_index("delivery_id").loc[["D900001", "D900002"]]
    assert rows["planned_date"].tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]
    assert rows["planned_arrival"].tolist() == [pd.Timestamp("2026-10-01 07:30"), pd.Timestamp("2026-10-02 14:05")]
    assert (rows["actual_arrival"].iloc[0] == pd.Timestamp("2026-10-01 07:42:15")
            and pd.isna(rows["actual_arrival"].iloc[1]))
    assert rows["failure_reason"].tolist()[1] == "customer absent"


def test_excel_time_cells_import_as_clock_times(sample_store: Store) -> None:
    """Real time cells (07:30, 16:45:30) fill a customer's delivery window as HH:MM; number cells fill lat/lon."""
    data = workbook([["customer_id", "name", "segment", "lat", "lon", "window_start", "window_end", "service_minutes"],
                      ["C900", "Corner Café", "cafe", 53.8, -1.55, time(7, 30), time(16, 45, 30), 5]])
    report = import_file(sample_store, "customers", data, "customers.xlsx", mode="refresh")
    assert report.ok, report.problems
    row = sample_store.table("customers").set_index("customer_id").loc["C900"]
    assert (row["window_start"], row["window_end"], row["lat"], row["lon"]) == ("07:30", "16:45", 53.8, -1.55)


def test_a_time_of_day_in_a_date_only_column_is_refused(sample_store: Store) -> None:
    """A date-time cell with a time of day in a date column is refused on its row, not silently cut to the day."""
    data = workbook([["date", "sku", "quantity", "price", "promotion"],
                      [datetime(2026, 10, 1, 9, 15), "DAI-001", 1, 1.0, False]])
    report = import_file(sample_store, "sales", data, "sales.xlsx")
    assert [(p.row, p.column) for p in report.problems] == [(2, "date")]
    assert "has a time of day" in report.problems[0].message


def test_european_daily_stock_export_imports_exactly(sample_store: Store) -> None:
    """tests/data/stock_history_eu.csv (a warehouse system's end-of-day stock: ';', CRLF, BOM, German headers,
    dd.mm.yyyy, '6,25', '1.250,0') is matched without help (Artikelnr, Datum, Endbestand; Artikelbezeichnung and ME
    ignored) and gives exactly these rows; as a refresh it replaces the 5 days it covers (120 SKUs x 5 = 600 rows).
    DAI-001 closes at 0 on 30 and 31 Oct, DAI-005 on 1 Nov: three stock-out days."""
    report = import_file(sample_store, "stock_history", (DATA / "stock_history_eu.csv").read_bytes(),
                         "stock_history_eu.csv", mode="refresh")
    assert report.ok, (report.problems, report.ambiguities)
    assert report.rows_written == {"stock_history": 15}
    assert "replacing 600 rows" in report.summary()
    assert any("on_hand" in n and "decimal comma" in n for n in report.notices)
    assert any("'Artikelbezeichnung', 'ME'" in n for n in report.notices)
    rows = sample_store.table("stock_history", between=("date", date(2026, 10, 28), date(2026, 11, 1)))
    assert rows["sku"].tolist() == ["DAI-001"] * 5 + ["DAI-002"] * 5 + ["DAI-005"] * 5
    assert rows["date"].dt.strftime("%d.%m").tolist() == ["28.10", "29.10", "30.10", "31.10", "01.11"] * 3
    assert rows["on_hand"].tolist() == [14.0, 3.0, 0.0, 0.0, 36.0, 1250.0, 1198.0, 1164.0, 1130.0, 1097.0,
                                        7.5, 6.25, 6.25, 2.75, 0.0]
    days = stockout_days(sample_store, ["DAI-001", "DAI-002", "DAI-005"])
    assert days is not None
    in_file = days[days["date"] >= pd.Timestamp("2026-10-28")]
    assert [(s, f"{d:%d.%m}") for s, d in zip(in_file["sku"], in_file["date"])] == [
        ("DAI-001", "30.10"), ("DAI-001", "31.10"), ("DAI-005", "01.11")]


def test_a_stock_export_with_errors_names_each_row_and_changes_nothing(sample_store: Store) -> None:
    """Negative stock (a booking error many systems allow), a day after the as-of date, an unknown SKU and a day
    listed twice: one problem each, by row and column, and the workspace keeps its stock history."""
    before = checksums(sample_store)
    lines = (DATA / "stock_history_eu.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    lines[3] = "DAI-001;Vollmilch 4 Pint;30.10.2026;-2,0;Stk"
    lines[5] = "DAI-001;Vollmilch 4 Pint;03.11.2026;36,0;Stk"
    lines[7] = "XYZ-999;Unbekannt;29.10.2026;6,25;Stk"
    lines[9] = "DAI-005;Cheddar gereift 5 kg;28.10.2026;2,75;Stk"
    report = import_file(sample_store, "stock_history", "\r\n".join(lines).encode(), "stock.csv", mode="refresh")
    assert sorted((p.row, p.column) for p in report.problems) == [
        (4, "on_hand"), (6, "date"), (8, "sku"), (10, "sku+date")]
    messages = {p.column: p.message for p in report.problems}
    assert messages["on_hand"] == "is negative"
    assert "after the workspace date 02 Nov 2026" in messages["date"]
    assert "'XYZ-999' is not in products" in messages["sku"]
    assert messages["sku+date"] == "repeats the key sku+date of row 7"
    assert checksums(sample_store) == before
