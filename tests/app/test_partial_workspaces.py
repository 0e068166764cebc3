"""Every page on client workspaces holding only some tables (see partial_workspaces.PARTIAL): no crash, the missing
tables named with a link to the Data page, and no 0 shown for a figure whose table is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from page_tabs import each_tab
from partial_workspaces import PARTIAL

from opscore import visibility as vis
from opscore.compliance import CHECK_TABLES
from opscore.store import open_store

ROOT = Path(__file__).resolve().parents[2]
REGISTERED = sorted(set(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text())))

STAGES: dict[str, tuple[tuple[str, ...], ...]] = {
    "views/home.py": (vis.SOURCE_TABLES,),
    "views/forecast.py": (("sales",),),
    "views/inventory.py": (("sales", "inventory"),),
    "views/routes.py": (("vehicles", "sites"), ("customers", "orders", "order_lines")),
    "views/tracking.py": (("deliveries", "orders", "customers", "vehicles", "sites"),),
    "views/delivery_options.py": (("customers", "orders", "deliveries", "vehicles", "sites"),),
    "views/suppliers.py": (("suppliers", "purchase_orders"), ("inventory", "sales")),
    "views/warehouse.py": (("bins", "inventory", "orders", "order_lines", "products"), ("cartons",)),
    "views/maintenance.py": (("assets", "maintenance_events", "sensor_readings"),),
    "views/sustainability.py": (("sites",), ("deliveries", "vehicles", "purchase_orders", "orders", "order_lines",
                                             "cartons", "assets", "sensor_readings")),
    "views/compliance.py": (tuple(dict.fromkeys(t for tables in CHECK_TABLES.values() for t in tables)),),
}
"""Per page, the tables it must name when they are missing, stage by stage: a page stops at the first stage with
a table missing, so later stages are named only once every earlier table is there."""
ZERO = re.compile(r"^(£)?0(\.0+)?%?( (/ 0|SKUs|kg|km|h))?$|nan", re.IGNORECASE)


def expected_missing(page: str, empty: frozenset[str]) -> list[str]:
    """The tables ``page`` must name on a workspace whose empty tables are ``empty``."""
    for stage in STAGES.get(page, ()):
        missing = [t for t in stage if t in empty]
        if missing:
            return missing
    return []


@pytest.mark.parametrize("page", REGISTERED)
@pytest.mark.parametrize("name", list(PARTIAL))
def test_page_copes_with_a_partial_workspace(open_partial, partial_empty, name: str, page: str) -> None:  # type: ignore[no-untyped-def]
    """The page runs to the end under its title without the error boundary; each missing table it needs is
    named (as in the schema) next to a link to the Data page, and no metric shows 0 or nan for want of data."""
    notes, links, metrics = [], [], []
    for at in each_tab(open_partial(name, page), page):
        assert not at.exception, [e.value for e in at.exception]
        assert not [e.value for e in at.error if "could not be shown" in e.value]
        assert at.title and at.title[0].value
        notes += [i.value for i in at.info]
        links += [link.proto.page for link in at.get("page_link")]
        metrics += list(at.metric)
    missing = expected_missing(page, partial_empty[name])
    if not missing:
        return
    notes = " ".join(notes)
    assert "which this workspace does not have yet" in notes
    for table in missing:
        assert f"`{table}`" in notes, (table, notes)
    assert any(link.endswith("data") for link in links), "no link to the Data page"
    for metric in metrics:
        partial_count = "could be checked" in metric.proto.help
        assert partial_count or not ZERO.search(str(metric.value)), (metric.label, metric.value)


def test_home_without_a_stock_snapshot_shows_unknown_not_zero(open_partial) -> None:  # type: ignore[no-untyped-def]
    """Products, suppliers and sales but no inventory: stock value, SKUs at risk, dead and expiring stock are '—'
    (not £0 / 0 at risk / every SKU at risk), and the message names `inventory` (stock snapshot)."""
    at = open_partial("no-stock")
    shown = {m.label: m.value for m in at.metric}
    for label in ("Stock value", "SKUs at risk", "Dead stock", "Expired / expiring"):
        assert shown[label] == "—", (label, shown[label])
    assert any("`inventory` (stock snapshot)" in i.value for i in at.info)
    assert not at.get("plotly_chart"), "stock charts drawn without stock data"


def test_home_keeps_the_figures_it_has(open_partial) -> None:  # type: ignore[no-untyped-def]
    """Without sites (so without bins, stock and deliveries), late purchase orders are still counted: 5 in the
    sample."""
    at = open_partial("no-sites")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Late purchase orders"] == "5" and shown["Deliveries today"] == "—"


def test_a_year_of_daily_sales_is_backtested_on_the_forecast_page(open_partial) -> None:  # type: ignore[no-untyped-def]
    """365 days of sales: weekly periods (the default) compare the methods on held-out weeks, and daily
    periods use the weekly season; neither says the history is too short to backtest."""
    at = open_partial("one-year", "views/forecast.py")
    for freq in ("Weekly", "Daily"):
        if freq == "Daily":
            at.selectbox(key="fc_freq").set_value("Daily").run()
        assert not at.exception and not at.error
        assert not any("too short to backtest" in i.value for i in at.info), freq
        board = next(d.value for d in at.dataframe if "Model" in d.value.columns)
        assert len(board) >= 2, freq


def test_stock_position_without_a_snapshot_is_unknown(partial_dbs) -> None:  # type: ignore[no-untyped-def]
    """The pure service: with no inventory rows, on hand and value are NA, no SKU is 'at risk', and the summary
    leaves every stock figure None while keeping the figures whose tables are there."""
    store = open_store(partial_dbs["no-sites"], read_only=True)
    try:
        t = {n: store.table(n) for n in ("products", "inventory", "sales", "purchase_orders", "suppliers")}
        as_of = store.as_of()
    finally:
        store.close()
    pos = vis.stock_position(t["products"], t["inventory"], t["sales"], t["purchase_orders"], as_of)
    assert pos["on_hand"].isna().all() and pos["value"].isna().all() and not pos["at_risk"].any()
    late = vis.late_purchase_orders(t["purchase_orders"], t["suppliers"], as_of)
    empty = pd.DataFrame(columns=["status", "quantity"])
    s = vis.summarise(position=pos, dead=vis.dead_stock(pos), expiring=empty, late=late, today=pd.DataFrame(),
                      have={"sales", "purchase_orders"})
    assert set(s.unknown) == {"stock_value", "stock_units", "skus_at_risk", "dead_stock_value", "expired_units",
                              "expiring_units", "deliveries_today"}
    assert s.late_purchase_orders == len(late) > 0
