"""Exports never carry a live formula or a character a spreadsheet cannot hold, and numbers stay numbers."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from opscore import compliance as co
from opscore.inventory import plan_to_excel
from opscore.io import export_csv, export_excel, import_file
from opscore.scenarios import report_excel, save_scenario
from opscore.store import Store

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tleading tab", "\rleading return", "#N/A"]


def _cells(book_bytes: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"name": HOSTILE, "amount": [-4.5, -1.0, 0.0, 2.0, 3.0, 4.0, 5.0],
                         "count": pd.array([-3, 1, 2, 3, 4, 5, None], dtype="Int64")})


def test_csv_quotes_text_that_starts_like_a_formula_but_not_numbers() -> None:
    """Each hostile text cell gets a leading ' (OWASP); negative numbers in number columns are written as numbers."""
    back = pd.read_csv(io.BytesIO(export_csv(_frame())), keep_default_na=False, dtype=str)
    assert back["name"].tolist() == ["'" + h if h[0] in "=+-@\t\r" else h for h in HOSTILE]
    assert back["amount"].tolist()[:2] == ["-4.5", "-1.0"]
    assert back["count"].tolist()[0] == "-3"


@pytest.mark.parametrize("text", [" =1+1", "\u00a0@SUM(A1)", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"])
def test_csv_quotes_formulas_behind_spaces_or_in_full_width(text: str) -> None:
    """Spaces before a formula, and full-width = + - @ (which some spreadsheets read as ASCII), are quoted too."""
    back = pd.read_csv(io.BytesIO(export_csv(pd.DataFrame({"name": [text]}))), keep_default_na=False, dtype=str)
    assert back["name"].tolist() == ["'" + text]


def test_excel_cells_are_text_never_formulas_and_numbers_stay_numbers() -> None:
    """Loaded back with openpyxl no cell is a formula or an error; the text is exactly what was exported and
    -4.5 is still a number cell."""
    cells = _cells(export_excel({"t": _frame()}))
    assert all(c.data_type != "f" for c in cells)
    by_column = {col: [c for c in cells if c.column_letter == col][1:] for col in "ABC"}
    assert [(c.value, c.data_type) for c in by_column["A"]] == [(h.replace("\r", "\n"), "s")
                                                                for h in HOSTILE]  # XML line ends
    assert [(c.value, c.data_type) for c in by_column["B"]][0] == (-4.5, "n")
    assert [c.value for c in by_column["C"]] == [-3, 1, 2, 3, 4, 5, None]


def test_control_characters_never_break_an_export() -> None:
    """\\x01 and friends (which openpyxl refuses) are dropped from Excel and CSV; tabs and line breaks inside stay."""
    frame = pd.DataFrame({"note": ["bell\x07 and\x01 nul\x00", "two\nlines", "vt\x0bff\x0c"]})
    cells = _cells(export_excel({"notes": frame}))
    assert [c.value for c in cells[1:]] == ["bell and nul", "two\nlines", "vtff"]
    assert pd.read_csv(io.BytesIO(export_csv(frame)))["note"].tolist() == ["bell and nul", "two\nlines", "vtff"]


def test_hostile_text_round_trips_through_csv_export_and_import(sample_store: Store) -> None:
    """A product named '=cmd' is exported as "'=cmd" and imported back as '=cmd', with a notice."""
    products = sample_store.table("products")
    products.loc[0, "name"] = "=cmd|' /C calc'!A0"
    report = import_file(sample_store, "products", export_csv(products), "products.csv")
    assert report.ok, report.problems
    assert sample_store.table("products").loc[0, "name"] == "=cmd|' /C calc'!A0"
    assert any("leading '" in n for n in report.notices)


def test_every_report_writer_neutralises_text(sample_store: Store) -> None:
    """The compliance report (Excel and CSV), the purchase plan and the scenario report hold no formula."""
    violations = pd.DataFrame({
        "rule_id": ["R1"], "name": [HOSTILE[0]], "regulation": [HOSTILE[3]], "severity": ["critical"], "check": ["x"],
        "date": [pd.Timestamp("2026-10-01 08:00")], "subject": [HOSTILE[2]], "value": [-4.5], "threshold": [0.0],
        "unit": ["kg\x01"], "detail": [HOSTILE[1]], "record": [{"a": 1}]})
    report = co.compliance_report(violations, date(2026, 10, 1), date(2026, 10, 31))
    save_scenario(sample_store, "=2+5", "inventory", {"seed": 1}, {"cost_gbp": -10.0})
    books = {"compliance": co.report_to_excel(report),
             "purchase plan": plan_to_excel(pd.DataFrame({"sku": ["A"], "reason": [HOSTILE[0]], "value": [-1.5]})),
             "scenarios": report_excel("=ws", date(2026, 11, 2), []), }
    for name, book in books.items():
        cells = _cells(book)
        assert all(c.data_type != "f" for c in cells), name
        assert any(c.value in (HOSTILE[0], "=ws") and c.data_type == "s" for c in cells), name
    csv = co.report_to_csv(report).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@SUM" in csv and "'-2+3" in csv and ",-4.5," in csv and "\x01" not in csv
    assert "2026-10-01 08:00" in csv


WRITERS = re.compile(r"\.to_excel\(|ExcelWriter|import openpyxl|from openpyxl|\.to_csv\(")


@pytest.mark.parametrize("folder", ["opscore", "ui", "views"])
def test_every_csv_and_excel_writer_goes_through_opscore_io_export(folder: str) -> None:
    """One writer: no module of opscore, ui or the pages writes CSV or Excel itself (the sample generator, which
    writes the shipped sample CSVs byte for byte, is the exception)."""
    allowed = {ROOT / "opscore/io/export.py", ROOT / "opscore/sample/__init__.py"}
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in sorted((ROOT / folder).rglob("*.py")) if p not in allowed
                 for i, line in enumerate(p.read_text().splitlines(), 1) if WRITERS.search(line)]
    assert offenders == []
