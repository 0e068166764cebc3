"""The Workspaces page: a new workspace gets the as-of date typed for it, and the date can be changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opscore.store import open_store
from opscore.workspaces import workspace


def _as_of(data_dir: Path, name: str) -> date:
    store = open_store(workspace(name, data_dir).path)  # the same configuration as the app's connection
    try:
        return store.as_of()
    finally:
        store.close()


def test_a_new_workspace_is_as_of_the_date_chosen_and_it_can_be_changed(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/workspaces.py")
    at.text_input[0].input("acme-foods")
    at.date_input[0].set_value(date(2025, 3, 31))
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Created **acme-foods** with data as of 31 Mar 2025" in at.success[0].value
    assert _as_of(data_dir, "acme-foods") == date(2025, 3, 31)
    at.run()  # the sidebar is drawn before the page: it shows the new workspace from the next run on
    assert "31 Mar 2025" in at.sidebar.caption[0].value
    at.switch_page("views/data.py").run()  # the switcher keeps the new workspace on other pages
    assert not at.exception and "acme\\-foods · data as of 31 Mar 2025" == at.sidebar.caption[0].value
    at.switch_page("views/workspaces.py").run()

    at.date_input[1].set_value(date(2025, 4, 30))
    at.button[1].click().run()
    assert not at.exception and not at.error
    assert _as_of(data_dir, "acme-foods") == date(2025, 4, 30)
    at.run()
    assert "30 Apr 2025" in at.sidebar.caption[0].value


def test_an_as_of_date_before_the_data_says_what_becomes_the_future(open_page) -> None:  # type: ignore[no-untyped-def]
    """The sample's sales run to 01 Nov 2026 and its stock snapshot is of 02 Nov 2026: moving the date to
    31 Oct 2026 is done, with a warning naming both."""
    at = open_page("views/workspaces.py")
    at.date_input[1].set_value(date(2026, 10, 31))
    at.button[1].click().run()
    assert not at.exception and not at.error
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("The workspace holds sales up to 01 Nov 2026 and stock snapshots up to 02 Nov 2026, "
                              "after 31 Oct 2026")
