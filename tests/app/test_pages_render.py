"""Every page of the app renders headless (AppTest) on the sample workspace without an exception or error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGISTERED = sorted(set(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text())))


def test_every_page_file_is_registered_in_the_router() -> None:
    """No orphan page files: what is in views/ is reachable from the navigation, and vice versa."""
    files = sorted(f"views/{p.name}" for p in (ROOT / "views").glob("*.py"))
    assert sorted(REGISTERED) == files


@pytest.mark.parametrize("page", REGISTERED)
def test_page_renders_with_a_title(open_page, page: str) -> None:  # type: ignore[no-untyped-def]
    """The page runs to the end and its title is the first thing on it (no stray text above it)."""
    at = open_page(page)
    assert at.title and at.title[0].value
    first = next(iter(at.main.children.values()))
    assert first.type == "title", first


def test_home_shows_the_headline_figures_and_charts(open_page) -> None:  # type: ignore[no-untyped-def]
    """The home page shows six KPIs with the sample's values and its two charts."""
    at = open_page("views/home.py")
    labels = [m.label for m in at.metric]
    assert labels == ["Stock value", "SKUs at risk", "Dead stock", "Expired / expiring", "Late purchase orders",
                      "Deliveries today"]
    assert at.metric[0].value.startswith("£")
    charts = at.get("plotly_chart")
    assert len(charts) >= 2 and "Where the stock value sits" in charts[0].proto.spec


def test_switching_to_an_empty_workspace_explains_what_to_do(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A new client workspace has no data: home says to import it instead of failing."""
    from opscore.workspaces import create_workspace

    acme = create_workspace("acme", data_dir)
    at = open_page("views/home.py")
    at.sidebar.selectbox[0].set_value(acme.id).run()
    assert not at.exception
    assert any("no products yet" in i.value for i in at.info)


def test_about_the_data_lists_every_table_with_row_counts(open_page) -> None:  # type: ignore[no-untyped-def]
    """The table list has one row per table, with the sample's 120 products."""
    at = open_page("views/about_data.py")
    frame = at.dataframe[0].value
    assert frame.set_index("Table").loc["products", "Rows"] == 120
