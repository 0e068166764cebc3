"""Imported names holding Markdown, HTML and links show as plain text: no outside image, no clickable outside
link, no formatting, on the pages that show supplier, site, product and scenario names, and on the operations
pages that show customer, van, asset, carton and compliance rule names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from page_tabs import each_tab

from opscore import compliance as co
from opscore.scenarios import save_scenario
from opscore.store import open_store
from ui.text import md

HOSTILE = "<b>B</b> Evil](http://evil.example) ![x](http://evil.example/x.png) **bold** & Sons"
MARKDOWN_ELEMENTS = ("markdown", "caption", "info", "warning", "success", "error", "title", "header", "subheader")
LABELLED_ELEMENTS = ("checkbox", "toggle", "button", "selectbox", "radio", "multiselect", "metric", "expander",
                     "text_input", "slider", "number_input", "tabs")


@pytest.fixture
def hostile(data_dir: Path) -> Path:
    """The sample workspace with every supplier, product and site, and one scenario, named ``HOSTILE`` + a number."""
    store = open_store(data_dir / "workbench.duckdb")
    with store.transaction() as w:
        for table, key in (("suppliers", "supplier_id"), ("products", "sku"), ("sites", "site_id")):
            for i, value in enumerate(store.table(table)[key]):
                w.update(table, {"name": f"{HOSTILE} {i}"}, {key: value})
    save_scenario(store, HOSTILE[:70], "inventory", {"seed": 7}, {"cost_gbp": 1000.0}, author=HOSTILE, notes=HOSTILE)
    store.close()
    return data_dir


def _markdown_shown(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Bodies of the elements Streamlit renders as Markdown, and the labels of widgets, metrics and expanders."""
    texts = [str(e.value) for kind in MARKDOWN_ELEMENTS for e in getattr(at, kind)]
    return texts + [str(e.label) for kind in LABELLED_ELEMENTS for e in getattr(at, kind)]


def _charts(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]


@pytest.mark.parametrize(("page", "shown_in_markdown", "shown_in_charts"), [
    ("views/home.py", False, True),
    ("views/suppliers.py", True, True),
    ("views/inventory.py", True, True),  # the items still short of target and those wasting most
    ("views/scenarios.py", True, True),
])
def test_hostile_names_are_plain_text(hostile: Path, open_page, page: str, shown_in_markdown: bool,  # type: ignore[no-untyped-def]
                                      shown_in_charts: bool) -> None:
    """No Markdown body or label holds link, image, HTML or bold syntax from a name, nor a bare 'http://' that the
    renderer would turn into a link; where a name is shown it is the escaped text. Charts hold the name HTML-escaped
    (plotly reads '<a href>' and '<b>' in labels and hovers), never its raw tags."""
    texts, charts = [], []
    for at in each_tab(open_page(page), page):
        texts += _markdown_shown(at)
        charts += _charts(at)
    for text in texts:
        assert "](http" not in text and "![" not in text and "<b>" not in text and "**bold**" not in text, text
        assert "http://" not in text, text
    assert any(md(HOSTILE[:40]) in t for t in texts) == shown_in_markdown
    assert not any("<b>B</b>" in c for c in charts)
    assert any("&lt;b&gt;B&lt;/b&gt; Evil](http" in c for c in charts) == shown_in_charts



SCRIPT = "${document.title}`"
"""Would run inside a JavaScript template literal (folium's own ``tooltip=``): map text must be bound as JSON."""
TEMPLATE_TOOLTIP = re.compile(r"bindTooltip\(\s*`")


@pytest.fixture
def hostile_ops(hostile: Path) -> Path:
    """``hostile`` plus hostile names for customers (with ``SCRIPT``), vans, assets, cartons and compliance rules,
    hostile customer segments, van types and failure reasons, and a saved carton plan with a hostile name (the
    Sustainability page charts it)."""
    store = open_store(hostile / "workbench.duckdb")
    with store.transaction() as w:
        for table, key in (("customers", "customer_id"), ("vehicles", "vehicle_id"), ("assets", "asset_id"),
                           ("cartons", "carton_id")):
            for i, value in enumerate(store.table(table)[key]):
                w.update(table, {"name": f"{HOSTILE} {SCRIPT if table == 'customers' else ''}{i}"}, {key: value})
        for table, column in (("customers", "segment"), ("vehicles", "type"), ("deliveries", "failure_reason")):
            for value in store.table(table)[column].dropna().unique():
                w.update(table, {column: f"{HOSTILE} {value}"}, {column: value})
    rules = co.default_rules()
    co.save_rules(store, rules.assign(name=[f"{HOSTILE} {i}" for i in range(len(rules))]))
    save_scenario(store, f"{HOSTILE[:50]} cartons", "warehouse", {"days": 30},
                  {"standard_packaging_kg_co2e": 50.0, "co2e_kg": 40.0, "standard_cost_gbp": 30.0, "cost_gbp": 25.0})
    store.close()
    return hostile


@pytest.mark.parametrize(("page", "in_markdown", "in_charts"), [
    ("views/routes.py", md(f"{HOSTILE} large van".capitalize()), False),  # a speed per van type (Assumptions)
    ("views/tracking.py", None, True),
    ("views/compliance.py", None, True),
    ("views/maintenance.py", None, True),
    ("views/warehouse.py", None, True),
    ("views/delivery_options.py", None, True),
    ("views/sustainability.py", None, True),
])
def test_operations_pages_show_hostile_names_as_plain_text(hostile_ops: Path, open_page, page: str,  # type: ignore[no-untyped-def]
                                                           in_markdown: str | None, in_charts: bool) -> None:
    """Customer, van, asset, carton, rule, segment and failure-reason names reach each page's charts (van ids and
    customers on the tracking timeline, rules by violations, assets on the maintenance charts, a carton in 3-D,
    segments and reasons on the delivery charts, a saved plan among the greener what-ifs) HTML-escaped once, and
    its Markdown as escaped text; the tracking map binds its tooltips as JSON, never in a JS template literal."""
    texts, charts = [], []
    for at in each_tab(open_page(page), page):
        texts += _markdown_shown(at)
        charts += _charts(at)
    for text in texts:
        assert "](http" not in text and "![" not in text and "<b>" not in text and "**bold**" not in text, text
        assert "http://" not in text and "${" not in text and "\\\\\\<" not in text, text  # nor escaped twice
    assert in_markdown is None or any(in_markdown in t for t in texts)
    charts = _charts(at)
    assert not any("<b>B</b>" in c or "&amp;lt;" in c for c in charts)
    assert any("&lt;b&gt;B&lt;/b&gt; Evil](http" in c for c in charts) == in_charts
    if page == "views/tracking.py":
        (folium,) = at.get("component_instance")
        script = json.loads(folium.proto.json_args)["script"]
        assert "document.title" in script and not TEMPLATE_TOOLTIP.search(script)
