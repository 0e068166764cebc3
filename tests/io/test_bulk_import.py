"""Large files through DuckDB (opscore.io.bulk): the same rows, problems and guarantees as the pandas path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from table_files import checksums

from opscore.io import NumberFormat, bulk, import_file, import_frames, read_file, validation
from opscore.io.bulk import import_large_file, preview_large_file
from opscore.store import Store, open_store, staging

SALES = ("date;sku;quantity;price;promotion;notes\n"
         "01/10/2026;DAI-001;5;1.234,50;yes;first\n"
         "01/10/2026;DAI-002;3;6,30;no;\n"
         "02/10/2026;DAI-001;12;0,99;TRUE;'=SUM(A1)\n")



@pytest.fixture
def twin(sample_db: Path, tmp_path: Path) -> Store:
    """A second private copy of the sample workspace, for the pandas path to import into."""
    path = tmp_path / "twin" / "workbench.duckdb"
    path.parent.mkdir()
    shutil.copyfile(sample_db, path)
    store = open_store(path)
    yield store
    store.close()


def _write(tmp_path: Path, text: str, name: str = "sales.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_same_rows_as_the_pandas_path_with_decimal_commas_and_day_first_dates(
        sample_store: Store, twin: Store, tmp_path: Path) -> None:
    """A ';' file with decimal commas, thousands points and DD/MM/YYYY dates gives exactly the pandas path's rows."""
    path = _write(tmp_path, SALES)
    bulk = import_large_file(sample_store, "sales", path)
    small = import_frames(twin, {"sales": read_file(path.read_bytes(), path.name)})
    assert bulk.ok and small.ok, (bulk.problems, small.problems)
    assert bulk.rows_written == small.rows_written == {"sales": 3}
    assert bulk.rows_removed == small.rows_removed
    pd.testing.assert_frame_equal(sample_store.table("sales"), twin.table("sales"))
    assert sample_store.table("sales")["price"].tolist() == [1234.5, 6.3, 0.99]
    assert (any("decimal comma" in n for n in bulk.notices)
            and "sales: 1 column not used by sales was ignored: 'notes'" in bulk.notices)


def test_the_number_grammar_matches_parse_number(sample_store: Store, twin: Store, tmp_path: Path) -> None:
    """Signs, brackets, currency, thousands marks and exponents read as opscore.io.numbers reads them."""
    prices = ["£1,234.50", "(12.50)", "12.50-", "€ 7", "1'234.5", "1 234.25", "1.5e2", ".5", "+3.25", "0.10"]
    rows = "".join(f'2026-10-{i + 1:02d},DAI-001,1,"{p}",false\n' for i, p in enumerate(prices))
    path = _write(tmp_path, "date,sku,quantity,price,promotion\n" + rows)
    bulk = import_large_file(sample_store, "sales", path)
    small = import_frames(twin, {"sales": read_file(path.read_bytes(), path.name)})
    assert [p.message for p in bulk.problems] == [p.message for p in small.problems]
    assert [p.row for p in bulk.problems] == [p.row for p in small.problems]
    assert not bulk.ok  # (12.50) and 12.50- are negative prices in both


def test_every_kind_of_problem_is_found_in_one_pass_with_row_numbers(sample_store: Store, tmp_path: Path) -> None:
    """Empty, unreadable, out-of-range, future, disallowed-case, duplicate and unknown-code rows all come back at once,
    each on its spreadsheet row, and nothing changes."""
    before = checksums(sample_store)
    as_of = sample_store.as_of()
    path = _write(tmp_path, (
        "date,sku,quantity,price,promotion\n"
        "2026-10-01,DAI-001,5,10.42,false\n"      # row 2: fine
        ",DAI-002,3,6.30,true\n"                  # row 3: date empty
        "2026-10-01,DAI-002,x,6.30,true\n"        # row 4: quantity not a number
        "2026-10-01,DAI-003,2.5,6.30,true\n"      # row 5: quantity not whole
        "2026-10-01,DAI-004,-1,6.30,true\n"       # row 6: negative
        "2099-01-01,DAI-005,1,6.30,true\n"        # row 7: future
        "2026-10-01,DAI-006,1,6.30,perhaps\n"     # row 8: not yes/no
        "2026-10-01,DAI-001,1,6.30,false\n"       # row 9: repeats row 2's key
        "2026-10-01,NOPE-1,1,6.30,false\n"        # row 10: unknown sku
        "31/02/2026,DAI-007,1,6.30,false\n"       # row 11: not a date
    ))
    report = import_large_file(sample_store, "sales", path)
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "date"), (4, "quantity"), (5, "quantity"), (6, "quantity"), (7, "date"), (8, "promotion"),
            (9, "date+sku"), (10, "sku"), (11, "date")} <= found
    text = "\n".join(str(p) for p in report.problems)
    assert "row 3, column date: is empty; a value is required" in text
    assert "row 4, column quantity: is not a number written with a decimal point (like 1,234.50): 'x'" in text
    assert "row 5, column quantity: is not a whole number: '2.5'" in text
    assert "row 6, column quantity: is negative" in text
    assert f"row 7, column date: is after the workspace date {as_of:%d %b %Y}" in text
    assert "row 8, column promotion: is not yes/no" in text
    assert "row 9, column date+sku: repeats the key date+sku of row 2" in text
    assert "row 10, column sku: 'NOPE-1' is not in products" in text
    assert "row 11, column date: is not a valid date (use YYYY-MM-DD or DD/MM/YYYY): '31/02/2026'" in text
    assert checksums(sample_store) == before


def test_many_bad_rows_are_listed_twenty_then_counted(sample_store: Store, tmp_path: Path) -> None:
    rows = "".join(f"2026-10-01,DAI-{i:03d},-1,1.0,false\n" for i in range(1, 31))
    report = import_large_file(sample_store, "sales", _write(tmp_path, "date,sku,quantity,price,promotion\n" + rows))
    negative = [p for p in report.problems if p.column == "quantity"]
    assert [p.row for p in negative[:20]] == list(range(2, 22))
    assert negative[20].row is None and negative[20].message == "is negative: 10 more rows like this"


def test_refresh_of_an_overlapping_month_doubles_nothing(sample_store: Store, tmp_path: Path) -> None:
    """Re-importing the last month with "refresh" replaces its rows: the table keeps its size, other days stay."""
    sales = sample_store.table("sales")
    last = sales["date"].max()
    month = sales[sales["date"] > last - pd.Timedelta(days=30)].copy()
    month["quantity"] = month["quantity"] + 1
    path = tmp_path / "month.csv"
    month.assign(date=month["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    report = import_large_file(sample_store, "sales", path, mode="refresh")
    assert report.ok, report.problems
    assert report.rows_written == report.rows_removed == {"sales": len(month)}
    after = sample_store.table("sales")
    assert len(after) == len(sales)
    assert after.loc[after["date"] > last - pd.Timedelta(days=30), "quantity"].sum() == month["quantity"].sum()
    assert sample_store.data_version() > 0


def test_parquet_files_import(sample_store: Store, twin: Store, tmp_path: Path) -> None:
    """A Parquet file with typed columns (dates, numbers, booleans) gives the same rows as the CSV of it."""
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02"]), "sku": ["DAI-001", "DAI-002"],
                          "quantity": [5, 3], "price": [10.42, 6.3], "promotion": [False, True]})
    path = tmp_path / "sales.parquet"
    frame.to_parquet(path)
    assert preview_large_file(path).columns == ("date", "sku", "quantity", "price", "promotion")
    report = import_large_file(sample_store, "sales", path)
    assert report.ok, report.problems
    csv = tmp_path / "sales.csv"
    frame.to_csv(csv, index=False)
    assert import_frames(twin, {"sales": read_file(csv.read_bytes(), csv.name)}).ok
    pd.testing.assert_frame_equal(sample_store.table("sales"), twin.table("sales"))


def test_a_bad_byte_names_the_line_and_the_fix(sample_store: Store, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A byte that is not UTF-8 beyond the head is found and named with its line, and the encoding to choose."""
    before = checksums(sample_store)
    good = "".join(f"{day:%Y-%m-%d},DAI-001,1,1.0,false\n" for day in pd.date_range("2026-01-01", periods=59))
    path = tmp_path / "sales.csv"
    path.write_bytes(b"date,sku,quantity,price,promotion\n" + good.encode() + b"2026-10-02,caf\xe9,1,1.0,false\n")
    assert len(preview_large_file(path, rows=10).head) == 10
    monkeypatch.setattr(bulk, "SAMPLE_ROWS", 10)  # the bad byte lies beyond the head: DuckDB meets it
    report = import_large_file(sample_store, "sales", path)
    message = str(report.problems[0])
    assert "byte 0xE9 on line 61 is not valid UTF-8 text" in message and "Windows-1252" in message
    assert checksums(sample_store) == before
    report = import_large_file(sample_store, "sales", path, encoding="cp1252")
    assert [p.message for p in report.problems] == ["'caf\u00e9' is not in products; import it into products first "
                                                    "(choose products in Table to fill) or fix the code"]


def test_orphans_blank_rows_and_totals_lines(sample_store: Store, tmp_path: Path) -> None:
    """Replacing products without a SKU sales use is refused; blank rows and a totals line are left out."""
    products = sample_store.table("products").iloc[1:]
    path = tmp_path / "products.csv"
    products.to_csv(path, index=False)
    report = import_large_file(sample_store, "products", path)
    assert any("still used by sales.sku" in p.message for p in report.problems)
    path = _write(tmp_path, "date,sku,quantity,price,promotion\n2026-10-01,DAI-001,5,10.42,false\n,,,,\n"
                            "Total,,5,10.42,\n")
    report = import_large_file(sample_store, "sales", path)
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 1}
    assert "sales: 1 blank row skipped (row 3)" in report.notices
    assert "sales: row 4 ('Total') is a totals line and was left out" in report.notices


def test_an_ambiguous_column_is_asked_like_the_small_path(sample_store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "date,sku,quantity,price,promotion\n2026-10-01,DAI-001,5,1.500,false\n")
    report = import_large_file(sample_store, "sales", path)
    assert [(a.column, a.rows, a.as_point, a.as_comma) for a in report.ambiguities] == [
        ("price", (2,), (1.5,), (1500.0,))]
    report = import_large_file(sample_store, "sales", path, number_formats={"price": NumberFormat.DECIMAL_COMMA})
    assert report.ok and sample_store.table("sales")["price"].tolist() == [1500.0]


def test_the_sql_vocabulary_is_the_pandas_one() -> None:
    """The words and formats restated for SQL in opscore.store.staging are those of opscore.io.validation."""
    assert set(staging._TRUE) == validation.TRUE and set(staging._FALSE) | {""} == validation.FALSE
    assert staging._DATE_FORMATS == validation.DATE_FORMATS
    assert staging._TIMESTAMP_FORMATS == validation.TIMESTAMP_FORMATS
    assert list(staging._EMPTY) == validation.EMPTY_WORDS
    assert set(staging._TOTAL_WORDS) == validation.TOTAL_WORDS
    assert staging.MAX_EXAMPLES == validation.MAX_EXAMPLES


def test_empty_lines_keep_row_numbers_as_the_pandas_path(sample_store: Store, tmp_path: Path) -> None:
    """DuckDB skips empty lines; rows after them are still named by their line in the file, as pandas does."""
    text = ("date,sku,quantity,price,promotion\n2026-10-01,DAI-001,5,10.42,false\n2026-10-02,DAI-001,5,10.42,false\n"
            "\n\n2026-10-03,DAI-001,abc,10.42,false\n2026-10-03,DAI-001,4,10.42,maybe\n\nTotal,,5,10.42,\n")
    path = _write(tmp_path, text)
    large = import_large_file(sample_store, "sales", path)
    small = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [(p.row, p.column, p.message) for p in large.problems] == \
        [(p.row, p.column, p.message) for p in small.problems]
    assert {(p.row, p.column) for p in large.problems} >= {(6, "quantity"), (7, "promotion")}
    assert "sales: 3 blank rows skipped (first on row 4)" in large.notices
    assert "sales: row 9 ('Total') is a totals line and was left out" in large.notices
    assert [n for n in small.notices if "blank" in n or "Total" in n] == \
        [n for n in large.notices if "blank" in n or "Total" in n]


def test_a_file_name_with_glob_characters_reads_that_file_only(sample_store: Store, tmp_path: Path) -> None:
    """DuckDB expands * ? [ ] in paths; a file called 'sales*.csv' must not pull in 'sales_other.csv'."""
    _write(tmp_path, "date,sku,quantity,price,promotion\n2026-10-01,DAI-001,5,10.42,false\n", name="sales*.csv")
    _write(tmp_path, "date,sku,quantity,price,promotion\n2026-10-02,DAI-001,6,10.42,false\n", name="sales_other.csv")
    report = import_large_file(sample_store, "sales", tmp_path / "sales*.csv")
    assert report.ok and report.rows_written == {"sales": 1}
