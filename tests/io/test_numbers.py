"""Reading numbers as clients write them: each convention, and what a column's values prove about it."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opscore.io import NumberFormat, parse_number
from opscore.io.numbers import read_convention

POINT, COMMA = NumberFormat.DECIMAL_POINT, NumberFormat.DECIMAL_COMMA


@pytest.mark.parametrize(("text", "as_point", "as_comma"), [
    ("9,80", None, 9.8),
    ("1.234,50", None, 1234.5),
    ("10.42", 10.42, None),
    ("1,234.5", 1234.5, None),
    ("1,234", 1234.0, 1.234),
    ("1.500", 1.5, 1500.0),
    ("0,500", None, 0.5),
    ("0.500", 0.5, None),
    ("12,345,678", 12345678.0, None),
    ("1.234.567", None, 1234567.0),
    ("1'234.50", 1234.5, None),
    ("1\u2019234,50", None, 1234.5),
    ("1\u00a0234,50", None, 1234.5),
    ("1\u202f234.5", 1234.5, None),
    ("£1,234.56", 1234.56, None),
    ("€ 1.234,56", None, 1234.56),
    ("1.234,56 €", None, 1234.56),
    ("$-5", -5.0, -5.0),
    ("-£5.20", -5.2, None),
    ("12-", -12.0, -12.0),
    ("(12.50)", -12.5, None),
    ("(£1,234.00)", -1234.0, None),
    ("£(1,234.00)", -1234.0, None),
    ("1.234,50- €", None, -1234.5),
    ("\u22123", -3.0, -3.0),
    ("+7", 7.0, 7.0),
    ("1e-05", 1e-05, 1e-05),
    (".5", 0.5, None),
    ("007", 7.0, 7.0),
])
def test_each_convention_reads_what_it_can(text: str, as_point: float | None, as_comma: float | None) -> None:
    """Thousands marks in threes (comma, point, apostrophe, spaces), currency signs and the three ways of
    writing a minus; None where the text is not a number in that convention."""
    assert parse_number(text, POINT) == as_point
    assert parse_number(text, COMMA) == as_comma


@pytest.mark.parametrize("text", ["", "-", "abc", "1,2,3", "1.23.4", "5.", "+-5", "(-5)", "(5", "5 5", "1,23,4",
                                  "12,34,567", "inf", "nan", "1.234,567.8", "£", "5%", "£5€"])
def test_text_that_is_no_number_in_either_convention(text: str) -> None:
    """Broken groups, stray signs and words are never turned into a number."""
    assert parse_number(text, POINT) is None
    assert parse_number(text, COMMA) is None


GROUP_MARKS = {POINT: [",", "'", " ", "\u00a0", "\u202f", ""], COMMA: [".", "'", " ", "\u00a0", "\u202f", ""]}


@given(whole=st.integers(0, 10**15), decimals=st.text("0123456789", max_size=8),
       fmt=st.sampled_from(list(NumberFormat)),
       group=st.integers(0, 5), sign=st.sampled_from(["", "-{}", "{}-", "({})", "+{}"]),
       currency=st.sampled_from(["", "£{}", "{} €", "$ {}"]))
def test_any_number_written_in_a_convention_reads_back(whole: int, decimals: str, fmt: NumberFormat, group: int,
                                                       sign: str, currency: str) -> None:
    """Whatever number, thousands mark, sign style and currency sign: the text reads back as the same float."""
    mark = GROUP_MARKS[fmt][group]
    digits = f"{whole:,}".replace(",", mark)
    text = digits + ((("." if fmt is POINT else ",") + decimals) if decimals else "")
    text = (currency or "{}").format((sign or "{}").format(text))
    expected = float(f"{whole}.{decimals or '0'}") * (-1 if sign and "+" not in sign else 1)
    assert parse_number(text, fmt) == expected


@pytest.mark.parametrize(("values", "evident", "differ"), [
    (["9,80", "12", "1.234,50"], COMMA, 0),
    (["10.42", "1,234"], POINT, 1),
    (["1.500", "2.250", "12"], None, 2),
    (["1,234", "5,678"], None, 2),
    (["12", "3"], None, 0),
    (["9,80", "10.42"], None, 0),
])
def test_a_column_proves_its_convention_only_by_its_own_values(values: list[str], evident: NumberFormat | None,
                                                                differ: int) -> None:
    """'9,80' proves a decimal comma and '10.42' a decimal point; '1.500' and '1,234' prove nothing; a column
    with both kinds of proof settles nothing."""
    reading = read_convention(pd.Series(values))
    assert reading.evident == evident
    assert len(reading.differ) == differ


def test_a_reading_outside_the_columns_range_does_not_count() -> None:
    """A latitude of '53.776' cannot be 53,776, so it proves a decimal point; '1.500' stays open without a range."""
    assert read_convention(pd.Series(["53.776"]), lambda x: -90 <= x <= 90).evident is POINT
    assert read_convention(pd.Series(["53.776"])).evident is None


def test_excel_number_cells_prove_nothing() -> None:
    """Real number cells (not text) are the same number in any convention."""
    assert read_convention(pd.Series([1.5, 1500, "1.500"], dtype=object)).differ == (2,)


@pytest.mark.parametrize("text", ["1" + " " * 2000 + "x", "1 " * 3000, "€" + " " * 500 + "-" + " " * 500 + "1x",
                                  "9" * 65])
def test_long_or_space_padded_text_is_no_number(text: str) -> None:
    """Long runs of spaces are not split between the pattern's optional parts (that took minutes per cell, a
    one-cell CSV froze the server); text longer than MAX_NUMBER_CHARS is no number without being matched."""
    assert parse_number(text, NumberFormat.DECIMAL_COMMA) is None
    assert parse_number(text, NumberFormat.DECIMAL_POINT) is None
