"""The store: versioned schema, whitelisted identifiers, atomic writes, concurrent readers."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from opscore.store import LATEST_VERSION, TABLES, Store, StoreError, load_order, open_store
from opscore.store.migrations import MIGRATIONS


def _site(site_id: str) -> pd.DataFrame:
    return pd.DataFrame({"site_id": [site_id], "name": ["Depot"], "kind": ["depot"], "lat": [53.8], "lon": [-1.55]})


def test_new_file_gets_every_table_and_the_latest_schema_version(tmp_path: Path) -> None:
    """Opening a new file creates all tables and records each migration once; reopening applies nothing twice."""
    store = open_store(tmp_path / "w.duckdb")
    assert store.schema_version() == LATEST_VERSION
    assert set(store.row_counts()) == {t.name for t in TABLES}
    store.close()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    con.close()
    assert versions == [m.version for m in MIGRATIONS]
    open_store(tmp_path / "w.duckdb").close()  # a second open is a no-op, not an error


def test_migrations_are_ordered_and_cover_every_table() -> None:
    """Versions increase by one and every table in the schema is created by some migration."""
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    created = {name for m in MIGRATIONS for name in m.creates}
    assert created == {t.name for t in TABLES}


def test_references_point_to_tables_loaded_earlier() -> None:
    """load_order puts every referenced table before the tables that refer to it."""
    order = load_order()
    for table in TABLES:
        for col in table.columns:
            if col.references:
                assert order.index(col.references.split(".")[0]) <= order.index(table.name)


def test_unknown_table_or_column_is_refused_before_any_sql(tmp_path: Path) -> None:
    """Identifiers are whitelisted: an injection attempt is a KeyError naming the valid choices."""
    store = open_store(tmp_path / "w.duckdb")
    with pytest.raises(KeyError, match="unknown table"):
        store.table("sites; DROP TABLE sales")
    with pytest.raises(KeyError, match="no column"):
        store.table("sites", columns=['name" FROM sites; --'])
    with pytest.raises(KeyError, match="no column"):
        store.table("sites", where={"1=1 OR name": "x"})
    store.close()


def test_values_are_parameters_not_sql(tmp_path: Path) -> None:
    """A filter value containing SQL is matched literally."""
    store = open_store(tmp_path / "w.duckdb")
    with store.transaction() as w:
        w.append("sites", _site("D1"))
    assert store.table("sites", where={"site_id": "D1' OR '1'='1"}).empty
    assert len(store.table("sites", where={"site_id": ["D1", "X"]})) == 1
    store.close()


def test_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    """An exception inside a transaction rolls back every write in it, and the data version stays."""
    store = open_store(tmp_path / "w.duckdb")
    with store.transaction() as w:
        w.append("sites", _site("D1"))
    version = store.data_version()
    with pytest.raises(StoreError, match="nothing changed"):
        with store.transaction() as w:
            w.append("sites", _site("D2"))
            w.append("sites", _site("D1"))  # duplicate key
    assert store.table("sites")["site_id"].tolist() == ["D1"]
    assert store.data_version() == version
    store.close()


def test_each_commit_bumps_the_data_version(tmp_path: Path) -> None:
    """Caches keyed by the data version see every committed change."""
    store = open_store(tmp_path / "w.duckdb")
    before = store.data_version()
    with store.transaction() as w:
        w.append("sites", _site("D1"))
    assert store.data_version() == before + 1
    store.close()


def test_saving_a_scenario_keeps_cached_results(tmp_path: Path) -> None:
    """A saved scenario is a record no analysis reads: it leaves the data version (and the pages' caches) alone."""
    from opscore.scenarios import list_scenarios, save_scenario

    store = open_store(tmp_path / "w.duckdb")
    before = store.data_version()
    save_scenario(store, "Two EVs", "sustainability", {"vans": 2}, {"co2e_kg": 3.0})
    assert store.data_version() == before
    assert [s.name for s in list_scenarios(store)] == ["Two EVs"]
    store.close()


def test_delete_needs_a_filter(tmp_path: Path) -> None:
    """Emptying a table by accident through delete() is refused."""
    store = open_store(tmp_path / "w.duckdb")
    with pytest.raises(StoreError, match="needs a filter"):
        with store.transaction() as w:
            w.delete("sites", {})
    store.close()


def test_read_only_store_refuses_writes(sample_db: Path) -> None:
    """A notebook can open a workspace read-only; writing then says so."""
    store = open_store(sample_db, read_only=True)
    assert store.count("products") == 120
    with pytest.raises(StoreError, match="read-only"):
        with store.transaction():
            pass
    store.close()


def test_readers_never_see_a_half_written_table(sample_store: Store) -> None:
    """Two reader threads during repeated imports see either the old or the new table, never a mix, and no lock
    error."""
    sales = sample_store.table("sales")
    doubled = sales.assign(quantity=sales["quantity"] * 2)
    totals = {int(sales["quantity"].sum()), int(doubled["quantity"].sum())}
    rows = len(sales)
    errors: list[BaseException] = []
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                frame = sample_store.table("sales", columns=["quantity"])
                seen.append((len(frame), int(frame["quantity"].sum())))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for frame in (doubled, sales, doubled, sales):
            with sample_store.transaction() as w:
                w.replace("sales", frame)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    assert seen, "readers did not run"
    assert all(n == rows and total in totals for n, total in seen)


def test_data_model_doc_is_current() -> None:
    """docs/data-model.md is exactly what the schema renders (regenerate with python -m opscore.store.docs)."""
    from opscore.store.docs import render_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"
    assert doc.read_text() == render_markdown()
