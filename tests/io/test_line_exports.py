"""Line-level exports (Shopify orders, till lines) added up into daily sales rows, each file with its exact result."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.io import LineLayout, NumberFormat, aggregate_lines, detect_layout, import_frames, read_file
from opscore.io.lines import CANCELLED, NEGATIVE, NO_SKU, REFUNDED, SALES_COLUMNS
from opscore.store import Store

DATA = Path(__file__).resolve().parents[1] / "data"


def _file(name: str) -> pd.DataFrame:
    return read_file((DATA / name).read_bytes(), name)


def _layout(raw: pd.DataFrame) -> LineLayout:
    layout = detect_layout(raw.columns)
    assert layout is not None
    return layout


def _rows(sales: pd.DataFrame) -> list[tuple[str, str, int, float, bool]]:
    """Daily rows as (day, sku, quantity, price to the cent, promotion)."""
    return [(d.strftime("%Y-%m-%d"), s, int(q), round(float(p), 2), bool(pr))
            for d, s, q, p, pr in sales.itertuples(index=False)]


def _till(rows: list[list[str]], header: tuple[str, ...] = ("Timestamp", "Till", "SKU", "Qty", "Unit Price",
                                                             "Discount", "Promo")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(header), dtype=object)


def test_shopify_orders_csv_adds_up_to_exact_daily_rows() -> None:
    """tests/data/shopify_orders.csv: 8 orders, 15 lines. Order-level fields sit on each order's first line only
    (WELCOME10 on #1002 also promotes its BAK-037 line; #1007's second line has no Created at). #1004 is cancelled,
    #1006 refunded, a gift card and a shipping-protection line have no SKU. #1005 at 00:31 +0100 is 2 October
    (the shop's day as written; in UTC it would be 1 October)."""
    raw = _file("shopify_orders.csv")
    layout = _layout(raw)
    assert layout.name == "Shopify orders export"
    result = aggregate_lines(raw, layout)
    assert result.ok, result.problems
    assert list(result.sales.columns) == list(SALES_COLUMNS)
    assert _rows(result.sales) == [
        ("2026-10-01", "BAK-037", 1, 3.50, True),    # #1002: discount code on the order's first line
        ("2026-10-01", "DAI-001", 5, 10.87, True),   # 2×11.32 + (2×11.32 − 2.26) + 11.32 (compare-at 12.50) = 54.34/5
        ("2026-10-01", "DAI-003", 1, 10.27, False),
        ("2026-10-02", "BAK-037", 5, 3.50, False),   # #1005 2 + #1007 3 (compare-at equal to the price: no promotion)
        ("2026-10-02", "DAI-001", 3, 10.99, True),   # 11.32 + (2×11.32 − 1.00) = 32.96 / 3; line discount
        ("2026-10-02", "DAI-003", 1, 10.27, False),  # #1005, created 2026-10-02 00:31:09 +0100
    ]
    assert result.sales["price"].iloc[1] == pytest.approx(54.34 / 5)
    assert (result.lines_read, result.lines_used, result.days, result.rows, result.skus) == (15, 10, 2, 6, 3)
    assert {s.reason: s.rows for s in result.skipped} == {CANCELLED: (8, 9), NO_SKU: (7, 12), REFUNDED: (13,)}
    assert result.channels == ("pos", "web")
    assert result.summary() == ("15 order lines became 6 daily sales rows (2 days, 3 SKUs, 2 channels); 5 lines "
                                "skipped: 2 cancelled or voided, 2 without a SKU, 1 from refunded orders.")


def test_shopify_rows_in_any_order_give_the_same_days() -> None:
    """Order-level fields are carried by order Name, not by position: the file upside down adds up the same."""
    raw = _file("shopify_orders.csv")
    layout = _layout(raw)
    upside_down = aggregate_lines(raw.iloc[::-1], layout)
    pd.testing.assert_frame_equal(upside_down.sales, aggregate_lines(raw, layout).sales)


def test_european_till_export_adds_up_to_exact_daily_rows() -> None:
    """tests/data/till_export_eu.csv: ';', German headers, DD.MM.YYYY HH:MM:SS, decimal commas, channels Laden and
    Online, a promotion column, a 4-for-3 discount written as -3,50, a return (-1) and a carrier bag without SKU."""
    raw = _file("till_export_eu.csv")
    layout = _layout(raw)
    assert (layout.name, layout.timestamp, layout.sku, layout.quantity, layout.unit_price, layout.discount,
            layout.promotion, layout.channel, layout.order) == (
        "Till export", "Zeitpunkt", "Artikelnr", "Menge", "Einzelpreis", "Rabatt", "Aktion", "Kanal", "Bon-Nr")
    result = aggregate_lines(raw, layout)
    assert result.ok, result.problems
    assert _rows(result.sales) == [
        ("2026-10-01", "BAK-037", 5, 2.80, True),    # 1×3.50 + (4×3.50 − 3.50) = 14.00 / 5
        ("2026-10-01", "DAI-001", 4, 11.04, True),   # 2×11.32 + (11.32 − 1.12) + 11.32 = 44.16 / 4
        ("2026-10-01", "DAI-003", 3, 10.27, False),  # the return of one on bon 5004 is skipped
        ("2026-10-02", "BAK-037", 2, 3.50, False),
        ("2026-10-02", "DAI-001", 3, 11.32, False),
        ("2026-10-02", "DAI-003", 2, 9.25, True),    # 2×10.27 − 2.04 = 18.50 / 2
    ]
    assert (result.lines_read, result.lines_used, result.days, result.rows) == (11, 9, 2, 6)
    assert {s.reason: s.rows for s in result.skipped} == {NO_SKU: (10,), NEGATIVE: (8,)}
    assert result.channels == ("Laden", "Online")
    assert any("Einzelpreis" in n and "decimal comma" in n for n in result.notices)
    assert result.summary() == ("11 till lines became 6 daily sales rows (2 days, 3 SKUs, 2 channels); 2 lines "
                                "skipped: 1 without a SKU, 1 with a negative quantity or price (returns).")


def test_daily_rows_import_into_the_sales_table(sample_store: Store) -> None:
    """The added-up frame is what the sales import takes as it is (the page's last step)."""
    raw = _file("till_export_eu.csv")
    result = aggregate_lines(raw, _layout(raw))
    report = import_frames(sample_store, {"sales": result.sales})
    assert report.ok, report.problems
    assert report.rows_written == {"sales": 6}
    stored = sample_store.table("sales").sort_values(["date", "sku"])
    assert _rows(stored) == _rows(result.sales)


@pytest.mark.parametrize(("columns", "name"), [
    (list(_file("shopify_orders.csv").columns), "Shopify orders export"),
    (["  name", "CREATED AT", "lineitem  quantity", "LineItem Price", "Lineitem-SKU"], "Shopify orders export"),
    (["Date", "Time", "Register", "PLU", "Qty", "Unit Price", "Promo"], "Till export"),
    (["Transaction Date", "Store", "Item Code", "Units", "Price", "Line Total"], "Till export"),
    (["date_time", "sku", "quantity", "unit price"], "Till export"),
    (["Datum", "Bon", "Artikel", "Menge", "Preis"], "Till export"),
])
def test_layouts_are_recognised_from_headers_in_any_case_and_spacing(columns: list[str], name: str) -> None:
    layout = detect_layout(columns)
    assert layout is not None and layout.name == name


@pytest.mark.parametrize("columns", [
    list(_file("sales_eu.csv").columns),                      # a daily file: one row per day and SKU already
    ["date", "sku", "quantity", "price", "promotion"],
    ["Timestamp", "SKU", "Qty"],                              # no price
    ["Bestellnr", "Lieferant", "Artikel", "Bestelldatum", "Menge bestellt", "Stückpreis"],  # purchase orders
])
def test_daily_and_other_files_are_not_line_exports(columns: list[str]) -> None:
    assert detect_layout(columns) is None


def test_date_and_time_pair_reads_the_date_column() -> None:
    """A till export with separate Date and Time columns: the day comes from Date."""
    layout = detect_layout(["Date", "Time", "SKU", "Qty", "Unit Price"])
    assert layout is not None and (layout.timestamp, layout.order) == ("Date", None)


def test_excel_till_export_with_date_time_and_number_cells() -> None:
    """An .xlsx with real date cells (one carrying a time), time cells, number cells and a numeric PLU."""
    book = openpyxl.Workbook()
    for row in (["Date", "Time", "Register", "PLU", "Qty", "Unit Price", "Promo"],
                [datetime(2026, 10, 1), time(8, 5), "Till 1", 4011, 2, 0.25, "no"],
                [datetime(2026, 10, 1, 23, 59), time(23, 59), "Till 2", 4011, 3, 0.2, "yes"],
                [datetime(2026, 10, 2), time(9, 0), "Till 1", "DAI-001", 1, 11.32, None]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_file(buffer.getvalue(), "till.xlsx")
    result = aggregate_lines(raw, _layout(raw))
    assert result.ok, result.problems
    assert _rows(result.sales) == [("2026-10-01", "4011", 5, 0.22, True),  # (0.50 + 0.60) / 5
                                   ("2026-10-02", "DAI-001", 1, 11.32, False)]
    assert result.channels == ("Till 1", "Till 2")


def test_the_day_is_the_day_written_not_utc() -> None:
    """Offsets are read and ignored: 23:30 -0700 and 00:15 +0200 stay on the day written."""
    raw = _till([["2026-10-01 23:30:00 -0700", "web", "A", "1", "2.00", "0", "0"],
                 ["2026-10-02T00:15:00+02:00", "web", "A", "1", "4.00", "0", "0"],
                 ["01/10/2026 12:00", "web", "A", "2", "3.00", "0", "0"]])
    result = aggregate_lines(raw, _layout(raw))
    assert _rows(result.sales) == [("2026-10-01", "A", 3, 2.67, False), ("2026-10-02", "A", 1, 4.00, False)]
    assert result.summary() == ("3 till lines became 2 daily sales rows (2 days, 1 SKU, 1 channel); "
                                "no lines skipped.")


def test_a_day_of_zero_units_keeps_the_plain_unit_price() -> None:
    raw = _till([["2026-10-01 10:00", "T", "A", "0", "2.00", "", ""],
                 ["2026-10-01 11:00", "T", "A", "0", "3.00", "", ""]])
    assert _rows(aggregate_lines(raw, _layout(raw)).sales) == [("2026-10-01", "A", 0, 2.5, False)]


def test_every_problem_is_reported_in_one_pass() -> None:
    """Each problem names the spreadsheet row (header = 1), the file column and a fix; lines that are skipped anyway
    (no SKU) are not checked."""
    raw = _till([
        ["2026-10-01 10:00", "T1", "A", "1.5", "2.00", "0", ""],        # row 2: half a unit
        ["31.09.2026 10:00", "T1", "A", "1", "2.00", "0", ""],          # row 3: 31 September
        ["", "T1", "A", "1", "2.00", "0", ""],                          # row 4: no timestamp
        ["2026-10-01 10:00", "T1", "A", "2", "", "0", ""],              # row 5: no price
        ["2026-10-01 10:00", "T1", "A", "1", "2.00", "10%", ""],        # row 6: a percentage
        ["2026-10-01 10:00", "T1", "A", "1", "2.00", "5.00", ""],       # row 7: more off than the line
        ["2026-10-01 10:00", "T1", "", "x", "y", "z", ""],              # row 8: no SKU, skipped unchecked
        ["2026-10-01 25:00", "T1", "A", "", "2.00", "0", ""],           # row 9: hour 25, no quantity
    ])
    result = aggregate_lines(raw, _layout(raw))
    assert not result.ok and result.sales.empty and result.lines_used == 0
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "Qty"), (3, "Timestamp"), (4, "Timestamp"), (5, "Unit Price"), (6, "Discount"),
                     (7, "Discount"), (9, "Timestamp"), (9, "Qty")}
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert "not a whole number" in messages[(2, "Qty")]
    assert "DD.MM.YYYY HH:MM" in messages[(3, "Timestamp")]
    assert "more than the line's quantity × unit price" in messages[(7, "Discount")]
    assert all(p.table == "sales" for p in result.problems)
    assert {s.reason: s.rows for s in result.skipped} == {NO_SKU: (8,)}
    assert result.summary().startswith("Nothing was added up: 8 problem(s) found in the till lines.")


def test_ambiguous_numbers_are_asked_not_guessed() -> None:
    """'1.500' units and '1.250' prices read as 1.5 or 1500 and 1.25 or 1250: both columns come back as questions;
    the answers give the rows."""
    raw = _till([["01.10.2026 10:00", "T", "A", "1.500", "1.250", "", ""],
                 ["01.10.2026 11:00", "T", "A", "2", "1.250", "", ""]])
    layout = _layout(raw)
    asked = aggregate_lines(raw, layout)
    assert not asked.ok and not asked.problems and asked.sales.empty
    assert [(q.table, q.column, q.rows) for q in asked.questions] == [("sales", "Qty", (2, 3)),
                                                                      ("sales", "Unit Price", (2, 3))]
    assert asked.summary() == ("Nothing was added up yet: choose a decimal point or a decimal comma for column(s) "
                               "Qty, Unit Price.")
    answers = {"Qty": NumberFormat.DECIMAL_COMMA, "Unit Price": NumberFormat.DECIMAL_POINT}
    answered = aggregate_lines(raw, layout, answers)
    assert answered.ok
    assert _rows(answered.sales) == [("2026-10-01", "A", 1502, 1.25, False)]


def test_a_layout_column_missing_from_the_file_is_a_problem() -> None:
    layout = LineLayout("Till export", "till lines", "Timestamp", "SKU", "Qty", "Unit Price", discount="Discount")
    result = aggregate_lines(_till([["2026-10-01 10:00", "A", "1", "2.00"]], ("Timestamp", "SKU", "Qty", "Unit Price")),
                             layout)
    assert [(p.row, p.column) for p in result.problems] == [(None, "Discount")]


Line = tuple[int, str, int, int, float, bool, str]
LINES = st.lists(st.tuples(
    st.integers(1, 3),                  # day of October 2026
    st.sampled_from(["A", "B", "C"]),   # SKU
    st.integers(-2, 6),                 # units (negative: a return)
    st.integers(0, 5000),               # unit price, pence
    st.floats(0, 1),                    # discount as a share of the line
    st.booleans(),                      # promotion flag
    st.sampled_from(["Shop", "Web"]),
), min_size=1, max_size=30)


def _frame(lines: list[Line]) -> pd.DataFrame:
    rows = []
    for i, (day, sku, qty, pence, share, promo, till) in enumerate(lines):
        off = round(max(qty, 0) * pence * share) / 100
        rows.append([f"{day:02d}.10.2026 {i % 24:02d}:{i % 60:02d}", till, sku, str(qty), f"{pence / 100:.2f}",
                     f"{off:.2f}", "1" if promo else "0"])
    return _till(rows)


@settings(max_examples=60, deadline=None)
@given(lines=LINES)
def test_units_are_preserved(lines: list[Line]) -> None:
    """The daily units add up to the units of the used lines; every line is used or skipped as a return."""
    raw = _frame(lines)
    result = aggregate_lines(raw, _layout(raw))
    assert result.ok, result.problems
    assert int(result.sales["quantity"].sum()) == sum(q for _, _, q, *_ in lines if q >= 0)
    assert result.lines_used + result.lines_skipped == result.lines_read == len(lines)
    assert result.lines_skipped == sum(q < 0 for _, _, q, *_ in lines)


@settings(max_examples=60, deadline=None)
@given(lines=LINES)
def test_price_lies_between_the_days_net_unit_prices(lines: list[Line]) -> None:
    """With units sold, the price lies within the day's net unit prices; without, it is the mean unit price."""
    raw = _frame(lines)
    result = aggregate_lines(raw, _layout(raw))
    numbers = raw.assign(day=raw["Timestamp"].str[:2].astype(int), qty=raw["Qty"].astype(int),
                         unit=raw["Unit Price"].astype(float), off=raw["Discount"].astype(float))
    numbers = numbers[numbers["qty"] >= 0]
    for row in result.sales.itertuples(index=False):
        day = numbers[(numbers["day"] == row.date.day) & (numbers["SKU"] == row.sku)]
        selling = day[day["qty"] > 0]
        if row.quantity > 0:
            net = selling["unit"] - selling["off"] / selling["qty"]
            assert net.min() - 1e-9 <= row.price <= net.max() + 1e-9
        else:
            assert row.price == pytest.approx(day["unit"].mean())
        assert row.promotion == bool(day["Promo"].eq("1").any() or day["off"].gt(0).any())


@settings(max_examples=60, deadline=None)
@given(lines=LINES, data=st.data())
def test_row_order_does_not_matter(lines: list[Line], data: st.DataObject) -> None:
    raw = _frame(lines)
    order = data.draw(st.permutations(range(len(raw))))
    layout = _layout(raw)
    shuffled = aggregate_lines(raw.iloc[list(order)], layout)
    original = aggregate_lines(raw, layout)
    pd.testing.assert_frame_equal(shuffled.sales, original.sales)
    assert shuffled.summary() == original.summary()


def test_unknown_skus_and_future_days_are_named_by_their_file_rows() -> None:
    """Checked on the lines, not on the daily rows they become: BAK-037 sits on file rows 5, 11 and 14 (the
    daily rows would be 1 and 4); with the workspace as of 1 October, the five used lines of 2 October are named."""
    raw = read_file((DATA / "shopify_orders.csv").read_bytes(), "orders_export.csv")
    result = aggregate_lines(raw, detect_layout(raw.columns), known_skus={"DAI-001", "DAI-003"},
                             as_of=date(2026, 10, 1))
    assert not result.ok and result.sales.empty
    assert [(p.row, p.column) for p in result.problems if "not in products" in p.message] == \
        [(5, "Lineitem sku"), (11, "Lineitem sku"), (14, "Lineitem sku")]
    assert [p.row for p in result.problems if "after the workspace date 01 Oct 2026" in p.message] == \
        [10, 11, 14, 15, 16]
