"""The Workspaces page in a live workshop: every action shows at once in the sidebar, the open workspace survives a
reload (it is in the URL), ids keep a re-created name from showing old data, the sample stays as shipped, and one
user's action leaves other users' sessions working."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from opscore.store import open_store
from opscore.workspaces import SAMPLE, find_workspace, list_workspaces, workspace

ROOT = Path(__file__).resolve().parents[2]


def _as_of(data_dir: Path, name: str) -> date:
    store = open_store(workspace(name, data_dir).path)
    try:
        return store.as_of()
    finally:
        store.close()


def _fresh(page: str = "views/home.py", **params: str) -> AppTest:
    """A new browser session (as after a reload), with the URL's query ``params``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(params)
    at.run()
    if page != "views/home.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]


def _press(at: AppTest, label: str) -> None:
    """Click the button whose label starts with ``label``, and run."""
    [button] = [b for b in at.button if b.label.startswith(label)]
    button.click().run()
    _ok(at)


def _create(at: AppTest, name: str, as_of: date | None = None) -> None:
    at.text_input(key="new_ws_name").input(name)
    if as_of is not None:
        at.date_input(key="new_ws_as_of").set_value(as_of)
    _press(at, "Create an empty workspace")


def test_a_new_workspace_is_as_of_the_date_chosen_and_it_can_be_changed(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/workspaces.py")
    _create(at, "acme-foods", date(2025, 3, 31))
    assert "Created **acme\\-foods** with data as of 31 Mar 2025 and opened it" in at.success[0].value
    assert _as_of(data_dir, "acme-foods") == date(2025, 3, 31)
    assert at.sidebar.caption[0].value == "**acme\\-foods** · data as of 31 Mar 2025"  # at once, no second run
    ws = workspace("acme-foods", data_dir)
    assert at.query_params["workspace"] == ws.id
    at.switch_page("views/data.py").run()  # the switcher keeps the new workspace on other pages
    _ok(at)
    assert at.sidebar.caption[0].value == "**acme\\-foods** · data as of 31 Mar 2025"
    at.switch_page("views/workspaces.py").run()

    at.date_input[1].set_value(date(2025, 4, 30))
    _press(at, "Change the as-of date")
    assert _as_of(data_dir, "acme-foods") == date(2025, 4, 30)
    assert "30 Apr 2025" in at.sidebar.caption[0].value


def test_an_as_of_date_before_the_data_says_what_becomes_the_future(open_page) -> None:  # type: ignore[no-untyped-def]
    """The sample's sales and stock history run to 01 Nov 2026 and its stock snapshot is of 02 Nov 2026: moving a
    copy's date to 31 Oct 2026 is done, with a warning naming all three."""
    at = open_page("views/workspaces.py")
    at.text_input(key="copy_sample_name_as_of").input("mine")
    _press(at, "Duplicate the sample")  # the as-of tab offers a copy of the sample first
    at.date_input[1].set_value(date(2026, 10, 31))
    _press(at, "Change the as-of date")
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("The workspace holds sales up to 01 Nov 2026, stock snapshots up to 02 Nov 2026 and "
                              "stock history up to 01 Nov 2026, after 31 Oct 2026")


def test_the_workspace_survives_a_reload_and_a_link_to_a_deleted_one_says_so(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/workspaces.py")
    _create(at, "acme")
    ws_id = workspace("acme", data_dir).id
    reloaded = _fresh("views/inventory.py", workspace=ws_id)
    assert reloaded.sidebar.caption[0].value.startswith("**acme** · data as of")
    assert reloaded.query_params["workspace"] == ws_id
    gone = _fresh(workspace="0123456789ab")
    assert "no longer exists" in gone.sidebar.warning[0].value
    assert gone.sidebar.caption[0].value.startswith("**sample**")
    assert gone.query_params["workspace"] == SAMPLE


def test_duplicate_rename_and_delete_show_at_once_and_never_break_the_next_page(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/workspaces.py")
    _create(at, "acme")
    at.text_input(key="dup_ws_name").input("acme-copy")
    _press(at, "Duplicate 'acme'")
    assert at.sidebar.caption[0].value.startswith("**acme\\-copy**")
    copy = workspace("acme-copy", data_dir)
    at.text_input(key="ren_ws_name").input("acme-2")
    _press(at, "Rename")
    assert at.sidebar.caption[0].value.startswith("**acme\\-2**") and find_workspace(copy.id, data_dir).name == "acme-2"
    at.switch_page("views/home.py").run()
    _ok(at)
    at.switch_page("views/workspaces.py").run()
    at.selectbox(key="del_ws_target").set_value(copy.id)
    at.text_input(key="del_ws_confirm").input("acme-2").run()
    _press(at, "Delete workspace")
    assert "Deleted **acme\\-2** and opened the sample" in at.success[0].value
    assert [w.name for w in list_workspaces(data_dir)] == [SAMPLE, "acme"]
    assert at.sidebar.caption[0].value.startswith("**sample**")
    for page in ("views/home.py", "views/inventory.py", "views/data.py"):
        at.switch_page(page).run()
        _ok(at)


def test_a_recreated_name_never_shows_the_deleted_workspaces_cached_data(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A client copy of the sample is viewed (caches warm), deleted, and a new empty workspace of the same name is
    made: its pages ask for data instead of showing the old client's suppliers."""
    at = open_page("views/workspaces.py")
    at.text_input(key="dup_ws_name").input("client")
    _press(at, "Duplicate 'sample'")
    at.switch_page("views/suppliers.py").run()
    _ok(at)
    assert at.dataframe, "the copy's suppliers are shown"
    at.switch_page("views/workspaces.py").run()
    at.selectbox(key="del_ws_target").set_value(workspace("client", data_dir).id)
    at.text_input(key="del_ws_confirm").input("client").run()
    _press(at, "Delete workspace")
    _create(at, "client")
    at.switch_page("views/suppliers.py").run()
    _ok(at)
    assert not at.dataframe
    assert any("suppliers" in i.value.lower() for i in at.info), [i.value for i in at.info]


def test_restoring_the_sample_while_another_user_is_in_it(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """User B works in the sample when user A restores it: B's next pages show the restored data, and a scenario
    B saves afterwards is in the restored file."""
    from opscore.scenarios import list_scenarios, save_scenario

    b = _fresh("views/home.py")
    store = open_store(workspace(SAMPLE, data_dir).path)
    save_scenario(store, "before the restore", "inventory", {}, {}, "", "")
    store.close()
    a = open_page("views/workspaces.py")
    a.checkbox(key="restore_sure").check().run()
    _press(a, "Restore the sample")
    assert "as shipped again" in a.success[0].value
    b.switch_page("views/scenarios.py").run()
    _ok(b)
    store = open_store(workspace(SAMPLE, data_dir).path)
    assert list_scenarios(store) == []
    store.close()
    b.switch_page("views/inventory.py").run()
    _ok(b)


def test_the_sample_asks_for_a_copy_before_any_import(open_page, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/data.py")
    assert "stays as shipped" in at.info[0].value
    assert not at.radio, "no import choices on the sample"
    at.text_input(key="copy_sample_name_import").input("workshop")
    _press(at, "Duplicate the sample")
    assert at.sidebar.caption[0].value.startswith("**workshop**")
    assert at.radio(key="import_mode").value == "refresh"


def test_the_samples_rules_and_factors_are_kept_and_a_copy_is_offered(open_page) -> None:  # type: ignore[no-untyped-def]
    """Compliance rules and emission factors change everyone's figures: on the sample, a copy is offered instead."""
    for page, button in (("views/compliance.py", "Save rules"), ("views/sustainability.py", "Save factors")):
        at = open_page(page)
        assert not [b for b in at.button if b.label == button]
        assert any("stays as shipped" in i.value for i in at.info)
        assert [b for b in at.button if b.label == "Duplicate the sample"]
