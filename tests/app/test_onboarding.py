"""Issue 16: a whole onboarding in AppTest. A new workspace "northfield" is created on the Workspaces page, the
client's own files are imported on the Data page with no column chosen by hand (tests/data/onboarding/, a seeded
Shopify export and an Excel stock count from tests/onboarding_files.py), then every page shows the client's numbers
or says which table it still needs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import onboarding_files as nf
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_pages_render import REGISTERED

from opscore.store import Store, open_store
from opscore.workspaces import workspace

ROOT = Path(__file__).resolve().parents[2]
MIME = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _shown(markdown: str) -> str:
    """Text as it shows: without bold markers and the escapes and word joiners of ui.text.md."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", "")).replace("\u2060", "")


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [_shown(e.value) for e in at.error]


@dataclass
class Step:
    """What one import showed: the question asked before it (if any), its notices and its summary."""

    question: str | None
    infos: list[str]
    summary: str
    sure: list[str] = field(default_factory=list)
    """How each preset column match was made (the captions under the column choices)."""


@dataclass
class Onboarding:
    """The app after the whole onboarding, its data folder and what each import showed."""

    at: AppTest
    data: Path
    steps: dict[str, Step]
    again: Step
    """The Shopify export imported a second time over the same days."""

    def store(self) -> Store:
        return open_store(workspace(nf.WORKSPACE, self.data).path)

    def table(self, name: str) -> pd.DataFrame:
        store = self.store()
        try:
            return store.table(name)
        finally:
            store.close()


def _import(at: AppTest, table: str, filename: str, data: bytes) -> Step:
    """Import one file on the Data page as a client would: choose the table, upload, check, confirm if asked."""
    at.selectbox(key="import_table").set_value(table).run()
    at.file_uploader(key="upload").upload(filename, data, MIME[Path(filename).suffix]).run()
    _ok(at)
    unmatched = [s.label for s in at.selectbox if s.label.endswith("\\*") and s.value == "(not in file)"]
    assert unmatched == [], f"{filename}: required columns not matched without a click: {unmatched}"
    sure = [c.value for c in at.caption if c.value.split(":")[0] in ("same name", "known export name",
                                                                      "similar name", "remembered from the last file")]
    check = next(b for b in at.button if b.label == "Check and import")
    assert not check.disabled, f"{filename}: the page asks how numbers are written"
    check.click().run()
    _ok(at)
    question = None
    if [b for b in at.button if b.label == "Yes, import"]:
        [question] = [_shown(w.value) for w in at.warning]
        next(b for b in at.button if b.label == "Yes, import").click().run()
        _ok(at)
    summaries = [_shown(s.value) for s in at.success if _shown(s.value).startswith("Imported")]
    assert len(summaries) == 1, (filename, [_shown(s.value) for s in at.success], [_shown(i.value) for i in at.info])
    return Step(question, [_shown(i.value) for i in at.info], summaries[0], sure)


@pytest.fixture(scope="module")
def onboarding(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Onboarding]:
    """The whole onboarding, once for the module: workspace, then sites, suppliers, products, bins, sales, stock."""
    data = tmp_path_factory.mktemp("onboarding") / "data"
    data.mkdir()
    shutil.copyfile(sample_db, data / "workbench.duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OPSCORE_DATA_DIR", str(data))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.run()
        at.switch_page("views/workspaces.py").run()
        _ok(at)
        next(t for t in at.text_input if t.label == "Name").set_value(nf.WORKSPACE)
        next(d for d in at.date_input if d.label == "Data as of").set_value(nf.AS_OF)
        next(b for b in at.button if b.label == "Create an empty workspace").click().run()
        _ok(at)
        created = [_shown(s.value) for s in at.success]
        assert created == [f"Created {nf.WORKSPACE} with data as of 31 Oct 2026 and opened it. Import its data on "
                           "the Data page."]
        assert f"{nf.WORKSPACE} · data as of 31 Oct 2026" in _shown(at.sidebar.caption[0].value)  # at once
        at.switch_page("views/data.py").run()
        _ok(at)
        assert _shown(at.caption[0].value).startswith(f"Workspace {nf.WORKSPACE}, data as of 31 Oct 2026.")
        steps = {}
        for table in ("sites", "suppliers", "products", "bins"):
            steps[table] = _import(at, table, f"{table}.csv", (nf.FOLDER / f"{table}.csv").read_bytes())
        steps["sales"] = _import(at, "sales", "orders_export_1.csv", nf.shopify_export())
        steps["inventory"] = _import(at, "inventory", "stock_count_31-10-2026.xlsx", nf.stock_workbook())
        again = _import(at, "sales", "orders_export_1.csv", nf.shopify_export())  # next week's export, same days
        yield Onboarding(at, data, steps, again)


def test_the_workspace_holds_exactly_the_clients_files(onboarding: Onboarding) -> None:
    """Row counts and key values of every imported table, as the files say."""
    sites = onboarding.table("sites").set_index("site_id")
    assert sites[["name", "kind"]].apply(tuple, axis=1).to_dict() == nf.SITES
    assert sites.loc["NF-BAKE", "address"] == "Unit 4, Kirkstall Road, Leeds LS3 1HS"
    suppliers = onboarding.table("suppliers").set_index("supplier_id")
    assert suppliers["name"].to_dict() == nf.SUPPLIERS
    assert suppliers.loc["SUP-DAIRY", "certifications"] == "BRCGS;Red Tractor"
    assert suppliers["recyclable_packaging_share"].to_dict() == {"SUP-MILL": 0.9, "SUP-DAIRY": 0.75, "SUP-DELI": 0.6}
    products = onboarding.table("products").set_index("sku")
    assert len(products) == 9 and {"BAK-037", "DAI-001", "DAI-003"} <= set(products.index)
    assert products["temperature_class"].to_dict() == nf.PRODUCT_CLASSES
    assert products.loc["DAI-001", "name"] == "Whole milk, 4 pint"
    assert products["unit_cost"].to_dict() == {s: c[2] for s, c in nf.CATALOGUE.items()}
    assert products["unit_price"].to_dict() == {s: c[1] for s, c in nf.CATALOGUE.items()}
    assert products.loc["AMB-300", "weight_kg"] == 0.45 and products.loc["BAK-051", "weight_kg"] == 0.07
    assert products.loc["AMB-300", ["shelf_life_days", "lead_time_days", "moq", "order_multiple"]].tolist() == \
        [365, 5, 12, 12]
    bins = onboarding.table("bins").set_index("bin_id")
    assert bins["zone"].to_dict() == nf.BINS
    assert bins.loc["D-02-1", ["site_id", "capacity_units"]].tolist() == ["NF-DELI", 160]


def test_the_shopify_export_becomes_exactly_its_daily_totals(onboarding: Onboarding) -> None:
    """895 daily rows over 120 days, equal to the totals known by construction; the last day pinned."""
    sales = onboarding.table("sales").sort_values(["date", "sku"], ignore_index=True)
    expected = nf.expected_daily()
    assert len(sales) == nf.EXPORT_ROWS == len(expected)
    assert int(sales["quantity"].sum()) == nf.EXPORT_UNITS
    assert round(float((sales["quantity"] * sales["price"]).sum()), 2) == nf.EXPORT_REVENUE
    assert sales["date"].min() == pd.Timestamp(nf.FIRST_DAY) and sales["date"].max() == pd.Timestamp(nf.AS_OF)
    assert sales[["date", "sku", "quantity", "promotion"]].astype(str).values.tolist() == \
        expected[["date", "sku", "quantity", "promotion"]].astype(str).values.tolist()
    assert (sales["price"] - expected["price"]).abs().max() < 1e-9
    last = sales[sales["date"] == pd.Timestamp(nf.AS_OF)]
    assert [(r.sku, r.quantity, round(r.price, 6), bool(r.promotion)) for r in last.itertuples()] == \
        [(s, q, round(p, 6), pr) for s, q, p, pr in nf.LAST_DAY]


def test_the_stock_count_skips_its_blank_row_and_total_line(onboarding: Onboarding) -> None:
    """Exactly the 11 lots are imported; the blank row 8 and the 'Total' line (row 14) are left out, with notices."""
    step = onboarding.steps["inventory"]
    assert f"inventory: 1 blank row skipped (row {nf.BLANK_ROW})" in step.infos
    assert f"inventory: row {nf.TOTAL_ROW} ('Total') is a totals line and was left out" in step.infos
    assert step.summary == "Imported 11 rows into inventory (1 day, 31 Oct 2026)."
    stock = onboarding.table("inventory")
    assert len(stock) == len(nf.STOCK) == 11
    assert sorted(stock[["bin_id", "sku", "lot", "quantity"]].itertuples(index=False, name=None)) == \
        sorted((b, s, lot, q) for b, s, lot, q, _, _ in nf.STOCK)
    assert set(stock["snapshot_date"]) == {pd.Timestamp(nf.AS_OF)}
    by_lot = stock.set_index("lot")
    assert by_lot.loc["HM-0510", ["received_date", "expiry_date"]].tolist() == \
        [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-26")]
    costs = onboarding.table("products").set_index("sku")["unit_cost"]
    assert round(float((stock["quantity"] * stock["sku"].map(costs)).sum()), 2) == nf.STOCK_VALUE
    assert int(stock["quantity"].sum()) == nf.STOCK_UNITS


def test_each_import_said_what_it_did_with_no_question_on_an_empty_workspace(onboarding: Onboarding) -> None:
    """The first import into an empty table removes nothing, so nothing is asked; the summaries count the rows."""
    steps = onboarding.steps
    assert {name: s.question for name, s in steps.items()} == dict.fromkeys(steps)
    assert steps["sites"].summary == "Imported 2 rows into sites."
    assert steps["suppliers"].summary == "Imported 3 rows into suppliers."
    assert steps["products"].summary == "Imported 9 rows into products."
    assert steps["bins"].summary == "Imported 8 rows into bins."
    assert steps["sales"].summary == \
        f"Imported {nf.EXPORT_ROWS} rows into sales (120 days from 04 Jul 2026 to 31 Oct 2026)."
    assert any(i.startswith("This file looks like a Shopify orders export") for i in steps["sales"].infos)
    # the typed CSVs' columns were all matched by name or a known export name, none only by a similar spelling
    for name in ("sites", "suppliers", "products", "bins", "inventory"):
        assert steps[name].sure and not any(c.startswith("similar name") for c in steps[name].sure), name


def test_importing_the_export_again_asks_first_and_doubles_nothing(onboarding: Onboarding) -> None:
    """The same 120 days again: the page asks before replacing the 895 stored rows; the table stays the same."""
    span = "895 rows into sales (120 days from 04 Jul 2026 to 31 Oct 2026), replacing 895 rows already there"
    assert onboarding.again.question == ("Add or update rows: all 895 stored rows of sales dated 04 Jul 2026 to "
                                         "31 Oct 2026, whatever their SKU, are replaced by the file's 895 rows. "
                                         "Continue?")
    assert onboarding.again.summary == f"Imported {span}."
    sales = onboarding.table("sales")
    assert len(sales) == nf.EXPORT_ROWS and int(sales["quantity"].sum()) == nf.EXPORT_UNITS


def test_the_data_page_counts_the_clients_rows(onboarding: Onboarding) -> None:
    """About the data lists the workspace's row counts."""
    at = onboarding.at
    at.switch_page("views/about_data.py").run()
    _ok(at)
    rows = at.dataframe[0].value.set_index("Table")["Rows"]
    assert rows[["sites", "suppliers", "products", "bins", "sales", "inventory"]].tolist() == \
        [2, 3, 9, 8, nf.EXPORT_ROWS, 11]


def _needs(at: AppTest) -> list[str]:
    """The needs-data messages on the page (ui.widgets.needs_data)."""
    return [_shown(i.value) for i in at.info if "which this workspace does not have yet" in _shown(i.value)]


MISSING = {
    "views/routes.py": ["Planning routes (vans leave from and return to a depot) needs `vehicles` (your vans)"],
    "views/tracking.py": ["Tracking the vans needs `deliveries` (delivery attempts), `orders` (customer orders), "
                          "`customers` (delivery customers) and `vehicles` (your vans)"],
    "views/delivery_options.py": ["needs `customers` (delivery customers), `orders` (customer orders), "
                                  "`deliveries` (delivery attempts) and `vehicles` (your vans)"],
    "views/suppliers.py": ["Scoring suppliers from their record needs `purchase_orders` (purchase history)"],
    "views/warehouse.py": ["needs `orders` (customer orders) and `order_lines` (what each order holds)"],
    "views/maintenance.py": ["needs `assets` (equipment register), `maintenance_events` (breakdowns and services) "
                             "and `sensor_readings` (daily condition readings)"],
    "views/sustainability.py": ["A complete footprint (van deliveries, inbound freight, packaging and chiller "
                                "electricity) needs `deliveries`"],
}
"""Pages whose tables the client has not sent: the start of (or a phrase in) the needs-data message each shows."""


@pytest.mark.parametrize("page", REGISTERED)
def test_every_page_works_on_the_new_workspace(onboarding: Onboarding, page: str) -> None:
    """Every page runs on northfield without an exception or error, shows its title and either the client's
    figures or which tables it needs from the Data page."""
    at = onboarding.at
    at.switch_page(page).run()
    _ok(at)
    assert at.session_state["workspace"] == workspace(nf.WORKSPACE, onboarding.data).id
    assert at.title and at.title[0].value
    needs = _needs(at)
    for phrase in MISSING.get(page, []):
        assert any(phrase in n for n in needs), (page, needs)
        assert any("on the Data page" in n for n in needs), (page, needs)
    if page == "views/home.py":
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Stock value"] == nf.STOCK_VALUE_SHOWN
        assert metrics["Expired / expiring"] == f"{nf.EXPIRED_UNITS} / {nf.EXPIRING_UNITS}"
        assert metrics["Late purchase orders"] == "—" and metrics["Deliveries today"] == "—"
        assert any("needs `purchase_orders` (purchase history)" in n for n in needs), needs
        assert "Saturday 31 October 2026" in at.caption[0].value
    elif page == "views/forecast.py":
        product = next(s for s in at.selectbox if s.label == "Product")
        assert [o.split(" · ")[0] for o in product.options] == sorted(nf.SKUS)
        assert product.value == "AMB-300"
        assert not needs
    elif page == "views/inventory.py":
        assert not needs
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
        assert any(sku in shown for sku in nf.SKUS), "the simulator shows none of the client's SKUs"
    elif page == "views/scenarios.py":
        assert any(i.value.startswith("No scenarios yet") for i in at.info)
    elif page not in MISSING:
        assert not any("`products`" in n or "`sales`" in n or "`inventory`" in n for n in needs), (page, needs)
