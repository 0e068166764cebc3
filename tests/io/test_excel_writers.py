"""Every workbook the app offers is written by opscore.io.export_excel: each former writer, given a text cell that
starts with "=", writes it as a text cell, never a formula."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from opscore import compliance as co
from opscore.forecast import ForecastResult
from opscore.forecast.explore import adjust_forecast, forecast_table
from opscore.forecast.whatif import WhatIf
from opscore.inventory import plan_to_excel
from opscore.io import export_excel, tables_workbook
from opscore.scenarios import list_scenarios, report_excel, save_scenario
from opscore.store import Store

FORMULA = '=HYPERLINK("http://evil.example","click")'


def _cells(book: bytes) -> list[openpyxl.cell.Cell]:
    loaded = openpyxl.load_workbook(io.BytesIO(book))
    return [cell for sheet in loaded.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_neutral(book: bytes, text: str = FORMULA) -> None:
    """No cell is a formula, and ``text`` is there as a plain text cell."""
    cells = _cells(book)
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == text and c.data_type == "s" for c in cells)


def _data_page_workbook(store: Store) -> bytes:
    """The Data page's 'all tables as one Excel workbook'."""
    products = store.table("products")
    products.loc[0, "name"] = FORMULA
    with store.transaction() as w:
        w.replace("products", products)
    return tables_workbook(store)


def _table_download(store: Store) -> bytes:
    """ui.widgets.download_buttons (the Data page's export of one table, and other pages' tables)."""
    import streamlit as st

    from ui.widgets import download_buttons

    got: dict[str, bytes] = {}

    class Column:
        def download_button(self, label: str, data: bytes, file_name: str, mime: str, key: str) -> None:
            got[file_name] = data

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(st, "columns", lambda n: [Column() for _ in range(n)])
        download_buttons(pd.DataFrame({"name": [FORMULA], "value": [-1.5]}), "products", key="t")
    return got["products.xlsx"]


def _scenario_report(store: Store) -> bytes:
    """The Scenarios page's workshop report (Excel)."""
    save_scenario(store, FORMULA, "inventory", {"note": FORMULA}, {"cost_gbp": -10.0})
    return report_excel("=ws", date(2026, 11, 2), list_scenarios(store))


def _compliance_report(store: Store) -> bytes:
    """The Compliance page's monthly report (Excel)."""
    violations = pd.DataFrame({
        "rule_id": ["R1"], "name": [FORMULA], "regulation": ["@SUM(A1)"], "severity": ["critical"], "check": ["x"],
        "date": [pd.Timestamp("2026-10-01 08:00")], "subject": ["-2+3"], "value": [-4.5], "threshold": [0.0],
        "unit": ["kg"], "detail": ["+1"], "record": [{"a": 1}]})
    return co.report_to_excel(co.compliance_report(violations, date(2026, 10, 1), date(2026, 10, 31)))


def _purchase_plan(store: Store) -> bytes:
    """The Inventory page's purchase plan (Excel)."""
    return plan_to_excel(pd.DataFrame({"sku": ["A"], "reason": [FORMULA], "value": [-1.5]}))


WRITERS: dict[str, Callable[[Store], bytes]] = {
    "export_excel": lambda store: export_excel({"t": pd.DataFrame({"name": [FORMULA]})}),
    "data page workbook": _data_page_workbook, "table download": _table_download,
    "scenario report": _scenario_report, "compliance report": _compliance_report, "purchase plan": _purchase_plan,
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_excel_writer_writes_a_leading_equals_as_text(writer: str, sample_store: Store) -> None:
    _assert_neutral(WRITERS[writer](sample_store))


def test_the_forecast_download_is_numbers_and_headings_never_a_formula() -> None:
    """The Forecast explorer's Excel download (nothing in it is typed by a user): dates and numbers stay typed,
    headings are text."""
    index = pd.date_range("2026-11-08", periods=3, freq="W-SUN")
    band = {lv: pd.Series([1.0, 2.0, 3.0], index) for lv in (80, 95)}
    result = ForecastResult(pd.Series([2.0, 3.0, 4.0], index), band, {lv: s * 3 for lv, s in band.items()}, "naive",
                            ("naive",), (1.0,), "", "", pd.DataFrame(), pd.DataFrame(), pd.Series(dtype=float), 1,
                            (), None)
    cells = _cells(export_excel({"forecast": forecast_table(adjust_forecast(result, WhatIf(-10.0)))}))
    assert all(c.data_type != "f" for c in cells)
    assert [c.value for c in cells[:6]] == ["period", "forecast", "low 80%", "high 80%", "low 95%", "high 95%"]
    assert cells[7].data_type == "n" and np.isclose(cells[7].value, 1.8)
    assert cells[6].is_date
