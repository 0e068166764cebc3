"""One pass, every problem: a file is checked completely (columns, values, rows, references) before anything is
reported, blank rows and totals lines are left out with a note, and row numbers stay those of the spreadsheet."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_files import checksums, workbook

from opscore.io import NumberFormat, export_csv, import_file, import_frames, read_file
from opscore.store import Store

JOBS = ("Event,Asset,Date,Type,Downtime\n"
        "W1,A01,2026-10-01,failure,2.5\n"
        "W2,A02,2026-10-02,Preventive,1\n"
        "W3,A03,31/13/2026,inspection,0.5\n"
        ",,,,\n"
        "W4,A04,2026-10-03,breakdown,three\n"
        "W5,Z99,2026-10-04,failure,-1\n"
        "W2,A05,2026-10-05,INSPECTION,1\n"
        "W6,A06,2026-12-01,failure,1\n"
        "Total,,,,5\n")
"""A maintenance export with a problem of every kind; the header is row 1, the blank line row 5, the total row 10."""




def test_a_file_with_every_kind_of_problem_gets_them_all_in_one_report(sample_store: Store) -> None:
    """Missing column, bad date, bad number, future date, bad allowed value, negative value, repeated key and unknown
    code all come back at once, each on its spreadsheet row; 'Preventive' and 'INSPECTION' are accepted; the blank
    line and the total line are left out with a note; nothing is written."""
    before = checksums(sample_store)
    report = import_file(sample_store, "maintenance_events", JOBS.encode(), "jobs.csv")
    table = "maintenance_events"
    assert [str(p) for p in report.problems] == [
        f"{table}, column cost: required column missing from the file; choose the file's column for it in Match the "
        "columns, or add the column to the file",
        f"{table}, row 4, column date: is not a valid date (use YYYY-MM-DD or DD/MM/YYYY): '31/13/2026'",
        f"{table}, row 6, column downtime_hours: is not a number written with a decimal point (like 1,234.50): 'three'",
        f"{table}, row 9, column date: is after the workspace date 02 Nov 2026; future dates are not allowed here",
        f"{table}, row 6, column kind: 'breakdown' is not an allowed value; use one of failure, preventive, inspection",
        f"{table}, row 7, column downtime_hours: is negative",
        f"{table}, row 8, column event_id: repeats the key event_id of row 3",
        f"{table}, row 7, column asset_id: 'Z99' is not in assets; import it into assets first (choose assets in Table "
        "to fill) or fix the code",
    ]
    assert report.notices[:2] == (f"{table}: 1 blank row skipped (row 5)",
                                  f"{table}: row 10 ('Total') is a totals line and was left out")
    assert f"{table}: column 'Type' was read as kind (known export name)" in report.notices
    assert (f"{table}: column kind: 2 value(s) written in another case were stored in the allowed spelling (first on "
            "row 3: 'Preventive' as 'preventive')") in report.notices
    assert report.summary() == f"Nothing was imported: 8 problem(s) found. First: {report.problems[0]}"
    assert checksums(sample_store) == before


def test_problems_of_every_table_in_a_batch_come_back_together(sample_store: Store) -> None:
    """A products file and a sales file, each with problems: all are reported; a sales row using a SKU that only the
    products file brings is not one of them."""
    products = sample_store.table("products").iloc[:2].copy()
    products.loc[0, "sku"] = "NEW-001"
    products.loc[1, "temperature_class"] = "cold"
    sales = pd.DataFrame({"date": ["2026-10-01", "2026-10-01", "2026-10-02"], "sku": ["NEW-001", "DAI-001", "NOPE"],
                          "quantity": ["1", "x", "2"], "price": ["1.0", "1.0", "1.0"], "promotion": ["no"] * 3})
    raw = {"products": read_file(export_csv(products), "p.csv"), "sales": read_file(export_csv(sales), "s.csv")}
    report = import_frames(sample_store, raw, mode="refresh")
    assert [str(p) for p in report.problems] == [
        "products, row 3, column temperature_class: 'cold' is not an allowed value; use one of ambient, chilled, "
        "fresh, frozen",
        "sales, row 3, column quantity: is not a number written with a decimal point (like 1,234.50): 'x'",
        "sales, row 4, column sku: 'NOPE' is not in products; import it into products first (choose products in Table "
        "to fill) or fix the code",
    ]


def test_a_column_matched_twice_is_fixed_in_match_the_columns_and_the_rest_is_still_checked(
        sample_store: Store) -> None:
    """Two file columns chosen for quantity: the message says where to fix it, and a bad date is still found."""
    text = "date,sku,units,qty,price,promotion\n2026-10-01,DAI-001,1,1,1.0,no\n2026-13-01,DAI-002,1,1,1.0,no\n"
    mapping = {"date": "date", "sku": "sku", "units": "quantity", "qty": "quantity", "price": "price",
               "promotion": "promotion"}
    report = import_file(sample_store, "sales", text.encode(), "sales.csv", mapping=mapping)
    assert [str(p) for p in report.problems] == [
        "sales, column quantity: is matched to 2 file columns ('units', 'qty'); choose it only once in Match the "
        "columns",
        "sales, row 3, column date: is not a valid date (use YYYY-MM-DD or DD/MM/YYYY): '2026-13-01'",
    ]


def test_a_number_question_stays_a_question_beside_the_problems(sample_store: Store) -> None:
    """Prices like '1.500' are asked about (not guessed) while the unknown SKU on the same file is reported too."""
    text = "date;sku;quantity;price;promotion\n2026-10-01;DAI-001;1;1.500;no\n2026-10-02;NOPE;1;2.250;no\n"
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [(a.column, a.rows) for a in report.ambiguities] == [("price", (2, 3))]
    assert [(p.row, p.column) for p in report.problems] == [(3, "sku")]
    report = import_file(sample_store, "sales", text.encode(), "sales.csv",
                         number_formats={"price": NumberFormat.DECIMAL_COMMA})
    assert report.ambiguities == () and [(p.row, p.column) for p in report.problems] == [(3, "sku")]


def test_blank_excel_rows_and_a_totals_line_are_left_out_and_rows_keep_their_numbers(sample_store: Store) -> None:
    """A workbook with two empty rows in the middle and a 'Grand total' line at the bottom: the problem after the
    blank rows names its real row (7), and once fixed the three sales rows are imported, the total left out."""
    rows: list[list[object]] = [["Date", "SKU", "Units Sold", "Avg Price", "Promo"],
                                ["2026-10-01", "DAI-001", 4, 1.5, "no"], [None] * 5,
                                ["2026-10-02", "DAI-001", 5, 1.5, "no"],
                                [None] * 5, ["", "", None, None, ""], ["2026-10-03", "DAI-002", -2, 2.0, "yes"],
                                [None, "Grand total", 7, None, None]]
    report = import_file(sample_store, "sales", workbook(rows), "sales.xlsx")
    assert [str(p) for p in report.problems] == ["sales, row 7, column quantity: is negative"]
    assert report.notices[:2] == ("sales: 3 blank rows skipped (first on row 3)",
                                  "sales: row 8 ('Grand total') is a totals line and was left out")
    rows[6][2] = 2
    report = import_file(sample_store, "sales", workbook(rows), "sales.xlsx")
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 3}
    assert sample_store.table("sales")["quantity"].tolist() == [4, 5, 2]


def test_semicolon_blank_lines_and_a_sum_line_in_a_csv(sample_store: Store) -> None:
    """';;;;' lines (what Excel writes for empty rows) are skipped; a 'Summe' line is left out, so its decimal-comma
    amount does not clash with the decimal points of the prices."""
    text = ("Datum;Artikel;Menge;Preis;Aktion\n01.10.2026;DAI-001;2;1.5;no\n;;;;\n02.10.2026;DAI-002;1;2.25;yes\n"
            ";Summe;3;3,75;\n")
    mapping = {"Datum": "date", "Artikel": "sku", "Menge": "quantity", "Preis": "price", "Aktion": "promotion"}
    report = import_file(sample_store, "sales", text.encode(), "s.csv", mapping=mapping)
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 2}
    assert report.notices[:2] == ("sales: 1 blank row skipped (row 3)",
                                  "sales: row 5 ('Summe') is a totals line and was left out")
    assert sample_store.table("sales")["price"].tolist() == [1.5, 2.25]


def test_a_row_that_only_mentions_total_is_not_left_out(sample_store: Store) -> None:
    """A product named 'Total' (other text cells filled) is a product, not a totals line."""
    products = sample_store.table("products")
    products.loc[0, "name"] = "Total"
    report = import_file(sample_store, "products", export_csv(products), "products.csv")
    assert report.ok, report.problems
    assert not any("totals line" in n for n in report.notices)
    assert sample_store.table("products")["name"].iloc[0] == "Total"


def test_allowed_values_are_matched_whatever_their_case(sample_store: Store) -> None:
    """'Chilled', 'FROZEN' and ' fresh ' are stored as chilled, frozen and fresh."""
    products = sample_store.table("products").iloc[:3]
    products = products.assign(temperature_class=["Chilled", "FROZEN", " fresh "])
    report = import_file(sample_store, "products", export_csv(products), "products.csv", mode="refresh")
    assert report.ok, report.problems
    stored = sample_store.table("products").set_index("sku").loc[products["sku"], "temperature_class"]
    assert stored.tolist() == ["chilled", "frozen", "fresh"]


def test_a_file_of_only_blank_and_total_rows_would_empty_the_table(sample_store: Store) -> None:
    """Replacing with a file whose rows are all left out is refused like a header-only file."""
    before = checksums(sample_store)
    report = import_file(sample_store, "sales", b"date,sku,quantity,price,promotion\n,,,,\n,Total,5,10,\n", "s.csv")
    assert [str(p) for p in report.problems] == [
        "sales: the file has a header but no data rows; importing it would empty the table"]
    assert checksums(sample_store) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blanks=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=4),
       bad=st.integers(min_value=0, max_value=6), total=st.booleans())
def test_row_numbers_survive_any_blank_rows(sample_store: Store, blanks: list[int], bad: int, total: bool) -> None:
    """Blank lines inserted anywhere (and maybe a totals line at the end): the one negative quantity is reported on
    the line it is on in the file."""
    lines = [f"2026-10-{day:02d},DAI-001,{-1 if day - 1 == bad else 1},1.0,no" for day in range(1, 8)]
    for position in sorted(blanks, reverse=True):
        lines.insert(position, ",,,,")
    if total:
        lines.append(",TOTAL,7,,")
    line = next(i for i, text in enumerate(lines) if ",-1," in text) + 2
    report = import_file(sample_store, "sales", ("date,sku,quantity,price,promotion\n" + "\n".join(lines)).encode(),
                         "s.csv")
    assert [(p.row, p.column) for p in report.problems] == [(line, "quantity")]


@pytest.mark.parametrize("mode", ["append", "upsert"])
def test_an_unknown_mode_is_refused(sample_store: Store, mode: str) -> None:
    with pytest.raises(ValueError, match="mode must be one of replace, refresh"):
        import_file(sample_store, "sales", b"date,sku,quantity,price,promotion\n", "s.csv", mode=mode)  # type: ignore[arg-type]
