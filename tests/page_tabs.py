"""Pages whose tabs run only while open (``ui.widgets.open_tab_only``), for tests that look at a whole page."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

TABS_RUN_WHEN_OPEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "views/inventory.py": ("inv_tab", ("Today's purchase plan", "What if...", "Cost versus service", "ABC-XYZ classes",
                                       "Reorder levels")),
    "views/warehouse.py": ("wh_tab", ("Stock by bin", "Pick paths", "Batches and waves", "Slotting", "Packing")),
    "views/suppliers.py": ("sup_tab", ("Scorecard", "Ranking", "Risk", "Disruption what-if")),
}
"""Per page: the session key of its tabs and their labels, the first opened by default."""


def open_tab(at: AppTest, page: str, label: str) -> AppTest:
    """Click the tab ``label`` of ``page``: the page reruns with that tab's content."""
    at.session_state[TABS_RUN_WHEN_OPEN[page][0]] = label
    return at.run()


def each_tab(at: AppTest, page: str) -> Iterator[AppTest]:
    """``at`` once per tab of ``page``, each opened in turn (just once for a page whose tabs all run together)."""
    yield at
    for label in TABS_RUN_WHEN_OPEN.get(page, ("", ("",)))[1][1:]:
        yield open_tab(at, page, label)
