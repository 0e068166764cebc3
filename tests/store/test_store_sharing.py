"""One workspace used by the app and a notebook at once: shared stores open the file only while they use it, wait
their turn, say what to do when another program keeps the file, and a session reads one data version throughout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd
import pytest

from opscore.store import StoreError, open_store, share_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_path(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "workspace.duckdb"
    shutil.copyfile(sample_db, path)
    return path


def _marked(products: pd.DataFrame, mark: int) -> pd.DataFrame:
    """Every product's price set to ``mark``: an import whose every row says which one it was."""
    return products.assign(unit_price=float(mark))


def test_a_session_reads_one_data_version_while_imports_commit(shared_path: Path) -> None:
    """Two readers each read the data version, products and the version again inside a session, while a writer
    commits 30 imports: every session sees one version and one import's rows, never a mix."""
    store = share_store(shared_path)
    products = store.table("products")
    with store.transaction() as w:
        w.replace("products", _marked(products, 0))
    errors: list[BaseException] = []
    seen: list[tuple[int, int, frozenset[float]]] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                with store.session():
                    first = store.data_version()
                    prices = frozenset(store.table("products", columns=["unit_price"])["unit_price"])
                    seen.append((first, store.data_version(), prices))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for mark in range(1, 31):
            with store.transaction() as w:
                w.replace("products", _marked(products, mark))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    assert len(seen) > 10
    assert all(first == last for first, last, _ in seen)
    assert all(len(prices) == 1 for *_, prices in seen), "a session saw rows of two imports"


def test_a_session_sees_its_own_write_at_once(shared_path: Path) -> None:
    store = share_store(shared_path)
    with store.session():
        before = store.data_version()
        with store.transaction() as w:
            w.delete("sales", {"sku": "DAI-001"})
        assert store.data_version() == before + 1
        assert store.table("sales", where={"sku": "DAI-001"}).empty


def test_a_shared_store_lets_go_of_the_file_between_uses(shared_path: Path) -> None:
    """Between reads another program can open the file, even for writing."""
    store = share_store(shared_path)
    assert store.count("products") == 120
    other = _python(f"""
        from opscore.store import open_store
        s = open_store({str(shared_path)!r})
        with s.transaction() as w:
            w.delete("sales", {{"sku": "DAI-001"}})
        s.close()
    """)
    assert other.returncode == 0, other.stderr
    assert store.table("sales", where={"sku": "DAI-001"}).empty


def test_a_program_keeping_the_file_gets_a_message_saying_what_to_do(shared_path: Path) -> None:
    """A notebook that opened the file with open_store() and kept it: the app waits, then says how to share it."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from opscore.store import open_store
        s = open_store({str(shared_path)!r})
        print("holding", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreError, match=r"in use by another program.*open_workspace\(\.\.\.\).*try again"):
            share_store(shared_path, wait_seconds=0.5).count("products")
    finally:
        holder.kill()
        holder.wait()


def test_a_notebook_and_the_app_write_one_workspace_together(shared_path: Path) -> None:
    """Two real processes: a notebook-style script saves 40 scenarios and refreshes a day of sales 20 times through
    ``open_workspace``, while this process (as the app does) renders sessions and saves 40 scenarios of its own.
    Neither fails nor loses a write."""
    from opscore.scenarios import list_scenarios, save_scenario

    root = shared_path.parent / "data"
    root.mkdir()
    shutil.copyfile(shared_path, root / "workbench.duckdb")
    notebook = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import pandas as pd
        from pathlib import Path
        from opscore.scenarios import save_scenario
        from opscore.workspaces import open_workspace
        store = open_workspace("sample", Path({str(root)!r}))
        day = store.table("sales", between=("date", "2026-10-01", "2026-10-01"))
        for i in range(40):
            save_scenario(store, f"notebook {{i}}", "inventory", {{}}, {{"i": i}})
            if i % 2 == 0:
                with store.transaction() as w:
                    w.refresh("sales", day.assign(quantity=i))
        print("done", flush=True)
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
    app = share_store(root / "workbench.duckdb")
    for i in range(40):
        with app.session():
            app.data_version()
            app.table("sales", between=("date", "2026-10-01", "2026-10-01"))
        save_scenario(app, f"app {i}", "inventory", {}, {"i": i})
    out, err = notebook.communicate(timeout=300)
    assert notebook.returncode == 0 and out.strip() == "done", err
    names = {s.name for s in list_scenarios(app)}
    assert {f"notebook {i}" for i in range(40)} | {f"app {i}" for i in range(40)} <= names
    assert set(app.table("sales", between=("date", "2026-10-01", "2026-10-01"))["quantity"]) == {38}


def test_taking_the_file_waits_for_sessions_and_holds_new_ones(shared_path: Path) -> None:
    """exclusive() (before a copy, replace or delete) waits for a running session; a session asked for meanwhile
    starts after it."""
    store = share_store(shared_path)
    order: list[str] = []
    in_session, taken = threading.Event(), threading.Event()

    def session() -> None:
        with store.session():
            in_session.set()
            taken.wait(0.3)  # exclusive() must not get in while this runs
            order.append("session ends")

    def take() -> None:
        in_session.wait()
        with store.exclusive():
            order.append("file taken")
            taken.set()

    threads = [threading.Thread(target=session), threading.Thread(target=take)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order == ["session ends", "file taken"]


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT,
                          env=_env(), timeout=120)


def test_open_store_still_holds_the_file(shared_path: Path) -> None:
    """open_store() keeps the file until close(), as scripts that own a workspace expect."""
    store = open_store(shared_path)
    other = _python(f"""
        from opscore.store import share_store, StoreError
        try:
            share_store({str(shared_path)!r}, wait_seconds=0.2).count("products")
        except StoreError:
            print("refused")
    """)
    store.close()
    assert other.stdout.strip() == "refused"
