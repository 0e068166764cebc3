"""Hostile cells on import: control characters, line breaks, enormous cells and workbooks that unpack to gigabytes."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import openpyxl
import pandas as pd
import pytest
from table_files import checksums

from opscore.io import FileReadError, import_file, read_file
from opscore.store import Store


def _products_with_names(store: Store, names: dict[int, str]) -> bytes:
    """The products table as a client's CSV (written by pandas, not by the app's own safe export)."""
    products = store.table("products")
    for i, name in names.items():
        products.loc[i, "name"] = name
    return products.to_csv(index=False).encode()


def _salesworkbook(sku_chars: int) -> bytes:
    """A one-row sales workbook whose sku cell is ``sku_chars`` times 'A', streamed into the sheet 1 MB at a time
    (openpyxl itself cuts cells to 32,767 characters, so the sheet is patched in the zip)."""
    book = openpyxl.Workbook()
    book.active.append(["date", "sku", "quantity", "price", "promotion"])
    book.active.append(["2026-10-01", "PLACEHOLDER", 1, 1.0, "no"])
    buffer = io.BytesIO()
    book.save(buffer)
    small = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as patched:
        for part in small.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                patched.writestr(part, small.read(part))
                continue
            head, tail = small.read(part).split(b"PLACEHOLDER")
            with patched.open(part.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                for start in range(0, sku_chars, 1_000_000):
                    sheet.write(b"A" * min(1_000_000, sku_chars - start))
                sheet.write(tail)
    return out.getvalue()


def test_control_characters_in_text_are_refused_by_row_and_column(sample_store: Store) -> None:
    """A bell and an ANSI escape in two product names: each named by row, column and character; nothing changes."""
    before = checksums(sample_store)
    data = _products_with_names(sample_store, {1: "Milk\x07 1L", 4: "\x1b[31mRed"})
    report = import_file(sample_store, "products", data, "products.csv")
    assert [str(p) for p in report.problems] == [
        "products, row 3, column name: contains an invisible control character (U+0007 at character 5); delete it in "
        "the file and import again (it usually comes from a damaged export)",
        "products, row 6, column name: contains an invisible control character (U+001B at character 1); delete it in "
        "the file and import again (it usually comes from a damaged export)"]
    assert checksums(sample_store) == before


def test_line_breaks_and_tabs_in_text_become_one_space_with_a_notice(sample_store: Store) -> None:
    """'Two\\r\\nlines' and 'tab\\there' are stored as 'Two lines' and 'tab here', and the user is told."""
    data = _products_with_names(sample_store, {0: "Two\r\nlines", 2: "tab\there"})
    report = import_file(sample_store, "products", data, "products.csv")
    assert report.ok, report.problems
    names = sample_store.table("products")["name"]
    assert (names[0], names[2]) == ("Two lines", "tab here")
    assert any("line breaks" in n and "2 cell(s)" in n and "row 2" in n for n in report.notices)


def test_a_workbook_that_unpacks_to_50_mb_is_refused_before_unpacking(sample_store: Store) -> None:
    """A ~50 kB .xlsx holding one 50 MB cell (it compresses 1000 to 1; the reported file had 200 MB) is refused from
    the zip directory alone: Python allocates under 10 MB on the way, and the message says what to do."""
    data = _salesworkbook(50_000_000)
    assert len(data) < 200_000
    before = checksums(sample_store)
    tracemalloc.start()
    try:
        report = import_file(sample_store, "sales", data, "sales.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    message = str(report.problems[0])
    assert "'xl/worksheets/sheet1.xml' unpacks from" in message and "to 50 MB" in message
    assert "enormous cell" in message and len(message) < 400
    assert checksums(sample_store) == before


def test_the_unpacked_size_limit_is_a_parameter() -> None:
    """An ordinary workbook that unpacks to more than the (lowered) limit is refused, naming both sizes."""
    rows = pd.DataFrame({"sku": [f"SKU-{i:06d}" for i in range(3_000)], "quantity": range(3_000)})
    buffer = io.BytesIO()
    rows.to_excel(buffer, index=False)
    with pytest.raises(FileReadError, match=r"unpacks to 0\.\d MB of sheet data; the limit is 0\.1 MB"):
        read_file(buffer.getvalue(), "big.xlsx", max_expanded_mb=0.1)
    assert len(read_file(buffer.getvalue(), "big.xlsx")) == 3_000


@pytest.mark.parametrize("filename", ["sales.csv", "sales.xlsx"])
def test_a_cell_longer_than_excel_allows_is_refused_naming_row_and_column(sample_store: Store, filename: str) -> None:
    """A 40,000-character cell (Excel holds 32,767) is refused by row and column, without quoting it."""
    data = (_salesworkbook(40_000) if filename.endswith(".xlsx")
            else f"date,sku,quantity,price,promotion\n2026-10-01,{'A' * 40_000},1,1.0,no\n".encode())
    report = import_file(sample_store, "sales", data, filename)
    message = str(report.problems[0])
    assert "row 2, column 'sku': 40,000 characters" in message and "32,767" in message
    assert len(message) < 400


def test_long_values_are_cut_in_messages(sample_store: Store) -> None:
    """An unknown 10,000-character SKU and a long non-number are quoted in 60 characters, ending in an ellipsis;
    both are reported at once."""
    text = (f"date,sku,quantity,price,promotion\n2026-10-01,{'Z' * 10_000},1,1.0,no\n"
            f"2026-10-01,DAI-001,{'9' * 500}x,1,no\n")
    report = import_file(sample_store, "sales", text.encode(), "sales.csv")
    assert [str(p) for p in report.problems] == [
        "sales, row 3, column quantity: is not a number written with a decimal point "
        "(like 1,234.50): '" + "9" * 59 + "…'",
        f"sales, row 2, column sku: '{'Z' * 59}…' is not in products; import it into products first (choose products "
        "in Table to fill) or fix the code"]


def _shared_stringworkbook(text: str, rows: int) -> bytes:
    """A minimal .xlsx whose sales rows all point at one shared string for the SKU (what Excel writes when a
    text repeats; openpyxl writes each cell inline, so the parts are built by hand)."""
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>5</v></c><c r="B{r}" t="s"><v>6</v></c><c r="C{r}"><v>1</v>'
                    f'</c><c r="D{r}"><v>1.5</v></c><c r="E{r}" t="s"><v>7</v></c></row>' for r in range(2, rows + 2))
    header = '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDE")) + "</row>"
    strings = ["date", "sku", "quantity", "price", "promotion", "2026-10-01", text, "no"]
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{header}{cells}</sheetData></worksheet>',
        "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
    return buffer.getvalue()


def test_one_long_text_shared_by_many_cells_is_refused_before_it_is_copied() -> None:
    """A workbook stores a repeated text once (shared strings), so 2,000 cells of 30,000 characters pack into a
    few kB and pass the unpacked-size checks; the total of cell text (60 million characters here, against a lowered
    limit of 10 million) is refused before any per-cell work copies it. The same file with a short text reads."""
    data = _shared_stringworkbook("B" * 30_000, 2_000)
    assert len(data) < 100_000
    with pytest.raises(FileReadError, match=r"holds 60,0\d\d,\d{3} characters of cell text; the limit is 10,000,000"):
        read_file(data, "shared.xlsx", max_text_chars=10_000_000)
    assert read_file(_shared_stringworkbook("DAI-001", 2_000), "shared.xlsx")["sku"].eq("DAI-001").all()
