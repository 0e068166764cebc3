"""The Data page's import flow (AppTest, real uploads): refresh by default, Replace confirmed with its count,
line-level exports added up, column matches remembered for the next file from the same source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from client_workspace import CLIENT, client_path

from opscore.io import NumberFormat
from opscore.store import open_store
from opscore.workspaces import imports_dir, workspace

DATA = Path(__file__).resolve().parents[1] / "data"
OCTOBER = (b"date,sku,quantity,price,promotion\n"
           b"2026-10-01,DAI-001,7,1.10,no\n2026-10-02,DAI-001,8,1.20,yes\n")
ODD_HEADERS = "Day;Item;Stk;Each;Deal\n{}\n"


def _sales(client_dir: Path) -> pd.DataFrame:
    store = open_store(client_path(client_dir))
    try:
        return store.table("sales")
    finally:
        store.close()


def _shown(markdown: str) -> str:
    """Text as it shows: without the escapes and word joiners of ui.text.md."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def _check(at) -> None:  # type: ignore[no-untyped-def]
    _button(at, "Check and import").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_add_rows_is_the_default_and_replaces_only_the_days_in_the_file(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    before = _sales(client_dir)
    in_span = before["date"].between("2026-10-01", "2026-10-02")
    at = open_client_page("views/data.py")
    assert at.radio(key="import_mode").value == "refresh"
    at.file_uploader(key="upload").upload("october.csv", OCTOBER, "text/csv").run()
    _check(at)
    [question] = [_shown(w.value) for w in at.warning]
    assert question == (f"Add or update rows: all {in_span.sum():,} stored rows of sales dated 01 Oct 2026 to "
                        "02 Oct 2026, whatever their SKU, are replaced by the file's 2 rows. Continue?")
    assert len(_sales(client_dir)) == len(before)  # nothing yet
    _button(at, "Yes, import").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = _sales(client_dir)
    assert len(after) == len(before) - in_span.sum() + 2
    assert after[after["date"].between("2026-10-01", "2026-10-02")]["quantity"].tolist() == [7, 8]
    assert [_shown(s.value) for s in at.success] == [f"Imported 2 rows into sales (2 days from 01 Oct 2026 to "
                                                     f"02 Oct 2026), replacing {in_span.sum():,} rows already there."]
    assert f"holds {len(after):,} rows now" in at.caption[1].value


def test_replace_says_how_many_rows_go_and_cancel_changes_nothing(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    before = _sales(client_dir)
    at = open_client_page("views/data.py")
    at.radio(key="import_mode").set_value("replace").run()
    at.file_uploader(key="upload").upload("october.csv", OCTOBER, "text/csv").run()
    _check(at)
    assert [_shown(w.value) for w in at.warning] == [f"Replace the table: this removes all {len(before):,} rows "
                                                     "of sales. Continue?"]
    _button(at, "Cancel").click().run()
    assert not at.warning
    assert len(_sales(client_dir)) == len(before)


def test_a_shopify_export_is_added_up_into_daily_sales(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_client_page("views/data.py")
    at.file_uploader(key="upload").upload("orders_export.csv", (DATA / "shopify_orders.csv").read_bytes(),
                                          "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Shopify" in at.info[0].value
    assert _shown(at.success[0].value).startswith("15 order lines became 6 daily sales rows "
                                                  "(2 days, 3 SKUs, 2 channels)")
    _check(at)
    _button(at, "Yes, import").click().run()
    assert not at.error, [e.value for e in at.error]
    sales = _sales(client_dir)
    october = sales[sales["date"].between("2026-10-01", "2026-10-02")].round({"price": 2})
    assert october[["sku", "quantity", "price", "promotion"]].values.tolist() == [
        ["BAK-037", 1, 3.5, True], ["DAI-001", 5, 10.87, True], ["DAI-003", 1, 10.27, False],
        ["BAK-037", 5, 3.5, False], ["DAI-001", 3, 10.99, True], ["DAI-003", 1, 10.27, False]]


def test_columns_matched_by_hand_are_remembered_for_next_months_file(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """'Day;Item;Stk;Each;Deal' needs three columns chosen by hand once; the next file with those headers
    arrives matched, marked as remembered."""
    first = ODD_HEADERS.format("01.10.2026;DAI-001;4;1,10;no").encode()
    at = open_client_page("views/data.py")
    at.file_uploader(key="upload").upload("till.csv", first, "text/csv").run()
    by_label = {s.label: s for s in at.selectbox}
    assert by_label["quantity \\*"].value == "(not in file)"
    by_label["quantity \\*"].set_value("Stk")
    by_label["price \\*"].set_value("Each")
    by_label["promotion \\*"].set_value("Deal").run()
    _check(at)
    _button(at, "Yes, import").click().run()
    assert not at.error, [e.value for e in at.error]

    at = open_client_page("views/data.py")
    second = ODD_HEADERS.format("02.10.2026;DAI-001;6;1,20;no").encode()
    at.file_uploader(key="upload").upload("till-next-month.csv", second, "text/csv").run()
    by_label = {s.label: s.value for s in at.selectbox}
    assert [by_label[f"{c} \\*"] for c in ("date", "sku", "quantity", "price", "promotion")] == \
        ["Day", "Item", "Stk", "Each", "Deal"]
    assert sum(c.value == "remembered from the last file" for c in at.caption) == 5


def test_a_parquet_file_on_this_machine_streams_through_duckdb(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A file copied into data/imports is offered on the page; Parquet is read and checked by DuckDB."""
    before = _sales(client_dir)
    folder = imports_dir(workspace(CLIENT, client_dir), client_dir)  # each workspace has its own
    folder.mkdir(parents=True)
    frame = pd.DataFrame({"Day": ["2026-10-01", "2026-10-01"], "SKU": ["DAI-001", "DAI-003"], "Units Sold": [3, 4],
                          "Unit Price": [1.5, 2.0], "Promo": ["no", "yes"]})
    frame.to_parquet(folder / "sales-october.parquet")
    at = open_client_page("views/data.py")
    at.radio(key="import_source").set_value("folder").run()
    assert at.selectbox(key="import_file").value.name == "sales-october.parquet"
    assert any("read and checked in one pass" in _shown(m.value) for m in at.markdown)
    day = before["date"].eq("2026-10-01")
    _check(at)  # the whole file is checked in DuckDB first, so the question has its counts
    assert [_shown(w.value) for w in at.warning] == [
        f"Add or update rows: all {day.sum()} stored rows of sales on 01 Oct 2026, whatever their SKU, are replaced "
        "by the file's 2 rows. Continue?"]
    assert len(_sales(client_dir)) == len(before)
    _button(at, "Yes, import").click().run()
    assert not at.error, [e.value for e in at.error]
    after = _sales(client_dir)
    assert len(after) == len(before) - day.sum() + 2
    assert after[after["date"].eq("2026-10-01")][["sku", "quantity"]].values.tolist() == [["DAI-001", 3],
                                                                                          ["DAI-003", 4]]
    assert _shown(at.success[0].value).startswith("Imported 2 rows into sales (1 day, 01 Oct 2026)")


def test_the_browser_upload_limit_is_the_importers() -> None:
    """Streamlit refuses uploads over server.maxUploadSize before the page sees them: it must be MAX_FILE_MB."""
    import tomllib

    from opscore.io import MAX_FILE_MB

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB >= 1000


def test_a_question_asked_in_one_workspace_is_not_answered_in_another(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Replace asked about the client's rows; after switching workspace the same file shows no pending question."""
    from opscore.workspaces import create_workspace

    create_workspace("other", client_dir)
    at = open_client_page("views/data.py")
    at.radio(key="import_mode").set_value("replace").run()
    at.file_uploader(key="upload").upload("october.csv", OCTOBER, "text/csv").run()
    _check(at)
    assert [w.value for w in at.warning]
    at.session_state["workspace"] = "other"
    at.run()
    assert not at.warning and not [b for b in at.button if b.label == "Yes, import"]


def test_a_question_only_the_whole_of_a_large_file_raises_is_asked(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Prices past the first 10,000 rows ('1.234') read two ways: checking the whole file asks how they are written,
    and the answer is applied."""
    skus = sorted(_sales(client_dir)["sku"].unique())[:100]
    days = pd.date_range("2026-07-01", periods=101).strftime("%Y-%m-%d")
    frame = pd.DataFrame([(d, s) for d in days for s in skus], columns=["date", "sku"])
    frame["quantity"] = 1
    frame["price"] = ["3"] * 10_020 + ["1.234"] * (len(frame) - 10_020)
    frame["promotion"] = "no"
    folder = imports_dir(workspace(CLIENT, client_dir), client_dir)
    folder.mkdir(parents=True)
    frame.to_parquet(folder / "summer.parquet")
    at = open_client_page("views/data.py")
    at.radio(key="import_source").set_value("folder").run()
    assert not [r for r in at.radio if r.label == "price"]  # the head alone leaves nothing open
    _check(at)
    [question] = [r for r in at.radio if r.label == "price"]
    question.set_value(NumberFormat.DECIMAL_COMMA).run()
    _check(at)
    _button(at, "Yes, import").click().run()
    assert not at.error, [e.value for e in at.error]
    sales = _sales(client_dir)
    summer = sales[sales["date"].between("2026-07-01", "2026-10-09")]
    assert len(summer) == len(frame) and sorted(summer["price"].unique()) == [3.0, 1234.0]


def test_a_sales_export_chosen_for_another_table_says_which_table_it_fills(open_client_page) -> None:  # type: ignore[no-untyped-def]
    """A Shopify export loaded for inventory: the page says it fills sales, and the 70-odd unused columns make one
    notice, not one each."""
    at = open_client_page("views/data.py")
    at.selectbox(key="import_table").set_value("inventory").run()
    at.file_uploader(key="upload").upload("orders_export.csv", (DATA / "shopify_orders.csv").read_bytes(),
                                          "text/csv").run()
    assert [_shown(w.value) for w in at.warning] == [
        "This file looks like a **Shopify orders export** (its rows are order lines), which fills **sales**: choose "
        "sales in *Table to fill*."]
    _check(at)
    ignored = [_shown(i.value) for i in at.info if "not used by inventory" in _shown(i.value)]
    assert len(ignored) == 1 and ignored[0].startswith("inventory: 7")
