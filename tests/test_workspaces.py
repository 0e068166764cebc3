"""Workspaces: one file per client, names checked, kept apart, the sample always restorable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opscore.io import import_file
from opscore.sample import build_sample_workspace
from opscore.store import open_store
from opscore.workspaces import (
    SAMPLE,
    create_workspace,
    delete_workspace,
    duplicate_workspace,
    find_workspace,
    imports_dir,
    list_workspaces,
    rename_workspace,
    workspace,
)


def test_create_list_duplicate_delete(tmp_path: Path) -> None:
    """A new workspace is an empty store; a duplicate copies its data under a new id; delete removes only that
    workspace, with the files put aside for its imports."""
    acme = create_workspace("acme-foods", tmp_path)
    assert [w.name for w in list_workspaces(tmp_path)] == [SAMPLE, "acme-foods"]
    store = open_store(acme.path)
    assert store.count("products") == 0
    store.close()
    copy = duplicate_workspace(acme, "acme-copy", tmp_path)
    assert copy.path.exists() and copy.path != acme.path and copy.id != acme.id
    imports_dir(copy, tmp_path).mkdir(parents=True)
    (imports_dir(copy, tmp_path) / "sales.csv").write_text("date,sku,quantity\n")
    delete_workspace(copy, tmp_path)
    assert [w.name for w in list_workspaces(tmp_path)] == [SAMPLE, "acme-foods"]
    assert not copy.path.exists() and not imports_dir(copy, tmp_path).exists()


def test_an_id_stays_through_a_rename_and_a_recreated_name_gets_a_new_one(tmp_path: Path) -> None:
    """Links and caches key on the id: a rename keeps it, a delete and re-create under the same name does not."""
    first = create_workspace("acme", tmp_path)
    renamed = rename_workspace(first, "acme-foods", tmp_path)
    assert renamed.id == first.id and workspace(first.id, tmp_path).name == "acme-foods"
    assert find_workspace("acme", tmp_path) is None
    delete_workspace(renamed, tmp_path)
    again = create_workspace("acme-foods", tmp_path)
    assert again.id != first.id and find_workspace(first.id, tmp_path) is None
    with pytest.raises(ValueError, match="already exists"):
        rename_workspace(create_workspace("other", tmp_path), "acme-foods", tmp_path)
    with pytest.raises(ValueError, match="keeps its name"):
        rename_workspace(workspace(SAMPLE, tmp_path), "mine", tmp_path)


def test_two_people_creating_one_name_at_once_get_one_workspace(tmp_path: Path) -> None:
    """Creation holds a lock: of eight simultaneous creates of one name, one succeeds and the rest are told why."""
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_: int) -> str:
        try:
            return create_workspace("acme", tmp_path).id
        except ValueError as exc:
            return str(exc)

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(8)))
    made = [o for o in outcomes if "already exists" not in o]
    assert len(made) == 1 and [w.id for w in list_workspaces(tmp_path)] == [SAMPLE, made[0]]


def test_files_of_the_earlier_layout_are_adopted_with_their_data(sample_db: Path, tmp_path: Path) -> None:
    """A ``workspaces/<name>.duckdb`` file from before ids existed is listed under its name, in a folder of its own."""
    import shutil

    (tmp_path / "workspaces").mkdir()
    shutil.copyfile(sample_db, tmp_path / "workspaces" / "old-client.duckdb")
    [adopted] = list_workspaces(tmp_path)[1:]
    assert adopted.name == "old-client" and adopted.path == tmp_path / "workspaces" / adopted.id / "workspace.duckdb"
    store = open_store(adopted.path, read_only=True)
    assert store.count("products") == 120
    store.close()
    assert list_workspaces(tmp_path)[1:] == [adopted]


def test_duplicate_keeps_changes_not_yet_checkpointed(sample_db: Path, tmp_path: Path) -> None:
    """A copy made while the source is open holds every committed change, even those still only in DuckDB's
    write-ahead log; after a checkpoint (as the Workspaces page does first) too."""
    import shutil

    (tmp_path / "workspaces").mkdir()
    shutil.copyfile(sample_db, tmp_path / "workspaces" / "client-a.duckdb")
    src = workspace("client-a", tmp_path)
    store = open_store(src.path)
    store.checkpoint()
    before = store.count("sales")
    with store.transaction() as w:
        w.delete("sales", {"sku": store.table("products")["sku"].iloc[0]})
    after = store.count("sales")
    assert after < before
    for name, checkpoint in (("copy-wal", False), ("copy-checkpointed", True)):
        if checkpoint:
            store.checkpoint()
        copy = open_store(duplicate_workspace(src, name, tmp_path).path, read_only=True)
        assert copy.count("sales") == after and copy.count("products") == store.count("products")
        copy.close()
    store.close()


@pytest.mark.parametrize("name", ["", "Acme", "../etc", "a b", "x" * 41, "sample", "-lead"])
def test_bad_names_are_refused_with_the_rule(tmp_path: Path, name: str) -> None:
    """Names that could escape the folder or clash with the sample are refused, saying what is allowed."""
    with pytest.raises(ValueError, match="reserved|not allowed"):
        create_workspace(name, tmp_path)


def test_the_sample_cannot_be_deleted(tmp_path: Path) -> None:
    """The sample is restored, never deleted."""
    with pytest.raises(ValueError, match="restore"):
        delete_workspace(workspace(SAMPLE, tmp_path))


def test_data_imported_into_one_workspace_does_not_appear_in_another(sample_db: Path, tmp_path: Path) -> None:
    """Importing into client A leaves client B (a duplicate of the same data) untouched."""
    a = duplicate_workspace(workspace(SAMPLE, sample_db.parent), "client-a", tmp_path)
    b = duplicate_workspace(workspace(SAMPLE, sample_db.parent), "client-b", tmp_path)
    store_a, store_b = open_store(a.path), open_store(b.path)
    before_b = store_b.checksum("sales")
    report = import_file(store_a, "sales", b"date,sku,quantity,price,promotion\n2026-10-01,DAI-001,1,1,no\n", "s.csv")
    assert report.ok
    assert store_a.count("sales") == 1
    assert store_b.checksum("sales") == before_b
    store_a.close()
    store_b.close()


def test_restoring_the_sample_undoes_changes(tmp_path: Path) -> None:
    """Rebuilding the sample file from the CSVs brings back the shipped data."""
    path = build_sample_workspace(tmp_path / "workbench.duckdb")
    store = open_store(path)
    shipped = store.checksum("products")
    with store.transaction() as w:
        w.delete("products", {"sku": "DAI-001"})
    store.close()
    build_sample_workspace(path)
    store = open_store(path)
    assert store.checksum("products") == shipped
    assert isinstance(store.table("products"), pd.DataFrame)
    store.close()


def test_deleting_a_workspace_while_a_page_lists_workspaces_finishes(sample_db: Path, tmp_path: Path) -> None:
    """A render holds the workspace and lists workspaces (an unadoptable old-layout file lies around) while a delete
    waits for the render: the listing does not wait for the delete, so both finish."""
    import threading

    from opscore.store import share_store

    ws = duplicate_workspace(workspace(SAMPLE, sample_db.parent), "client", tmp_path)
    (tmp_path / "workspaces" / "Not Valid.duckdb").write_bytes(b"")
    store = share_store(ws.path)
    in_render, listed = threading.Event(), []

    def render() -> None:
        with store.session():
            in_render.set()
            threading.Event().wait(0.3)  # the delete is waiting now
            listed.append([w.name for w in list_workspaces(tmp_path)])

    def delete() -> None:
        in_render.wait()
        delete_workspace(ws, tmp_path, store=store)

    threads = [threading.Thread(target=render), threading.Thread(target=delete)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert listed == [[SAMPLE, "client"]] and [w.name for w in list_workspaces(tmp_path)] == [SAMPLE]
    assert (tmp_path / "workspaces" / "Not Valid.duckdb.unadopted").exists()


def test_two_sample_builds_at_once_both_give_a_whole_sample(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "workbench.duckdb"
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: build_sample_workspace(path), range(2)))
    store = open_store(path, read_only=True)
    assert store.count("products") == 120
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workbench.duckdb"]


def test_deleting_through_a_held_store_lets_go_of_the_file(tmp_path: Path) -> None:
    """A script that holds a workspace with open_store() can delete it through that store without an error."""
    ws = create_workspace("acme", tmp_path)
    store = open_store(ws.path)
    delete_workspace(ws, tmp_path, store=store)
    assert [w.name for w in list_workspaces(tmp_path)] == [SAMPLE] and not ws.path.exists()
