"""The Data page (AppTest, real upload): an ambiguous number column is asked about before anything is imported."""

from __future__ import annotations

import re
from pathlib import Path

from client_workspace import client_path

from opscore.io import NumberFormat
from opscore.store import open_store

AMBIGUOUS = b"date;sku;quantity;price;promotion\n2026-10-01;DAI-001;2;1.500;no\n2026-10-02;DAI-001;3;2.250;no\n"


def test_the_data_page_asks_how_an_ambiguous_column_is_written(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Uploading prices '1.500' and '2.250' shows a choice for 'price' with both readings of each row and no
    default; the import button stays disabled until a choice is made; with 'decimal comma' (and the refresh of
    those two days confirmed) the two rows are stored as 1500 and 2250."""
    at = open_client_page("views/data.py")
    at.file_uploader(key="upload").upload("prices.csv", AMBIGUOUS, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    [question] = [r for r in at.radio if r.label == "price"]
    assert question.value is None and question.options == ["decimal point", "decimal comma"]
    preview = next(d.value for d in at.dataframe if "decimal comma" in d.value.columns)
    assert preview.to_dict("list") == {"row": [2, 3], "in the file": ["1.500", "2.250"],
                                       "decimal point": [1.5, 2.25], "decimal comma": [1500.0, 2250.0]}
    button = next(b for b in at.button if b.label == "Check and import")
    assert button.disabled
    question.set_value(NumberFormat.DECIMAL_COMMA).run()
    button = next(b for b in at.button if b.label == "Check and import")
    assert not button.disabled
    button.click().run()
    next(b for b in at.button if b.label == "Yes, import").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [re.sub(r"\\(.)", r"\1", s.value).replace("\u2060", "") for s in at.success] == [
        "Imported 2 rows into sales (2 days from 01 Oct 2026 to 02 Oct 2026), replacing 195 rows already there."]
    store = open_store(client_path(client_dir))
    try:
        assert store.table("sales", between=("date", "2026-10-01", "2026-10-02"))["price"].tolist() == [1500.0, 2250.0]
    finally:
        store.close()
