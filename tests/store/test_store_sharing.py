"""One workspace used by the app and a notebook at once: shared stores open the file only while they use it, wait
their turn, say what to do when another program keeps the file, and a session reads one data version throughout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from datetime import date
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
    from opscore.workspaces import workspace

    root = shared_path.parent / "data"
    (root / "workspaces").mkdir(parents=True)
    shutil.copyfile(shared_path, root / "workspaces" / "client.duckdb")
    notebook = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import pandas as pd
        from pathlib import Path
        from opscore.scenarios import save_scenario
        from opscore.workspaces import open_workspace
        store = open_workspace("client", Path({str(root)!r}))
        day = store.table("sales", between=("date", "2026-10-01", "2026-10-01"))
        for i in range(40):
            save_scenario(store, f"notebook {{i}}", "inventory", {{}}, {{"i": i}})
            if i % 2 == 0:
                with store.transaction() as w:
                    w.refresh("sales", day.assign(quantity=i))
        print("done", flush=True)
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
    app = share_store(workspace("client", root).path)
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


def test_a_notebook_gets_its_turn_while_the_app_is_never_idle(shared_path: Path) -> None:
    """Three users' renders overlap so the app never lets go on its own; a notebook waiting for the file leaves a
    turn marker, the app lets the renders drain and gives it the file, and the notebook reads within its wait."""
    store = share_store(shared_path)
    stop = threading.Event()

    def user() -> None:
        while not stop.is_set():
            with store.session():
                store.count("products")
                stop.wait(0.2)

    users = [threading.Thread(target=user) for _ in range(3)]
    for i, u in enumerate(users):
        u.start()
        stop.wait(0.07 * (i + 1))
    try:
        notebook = _python(f"""
            from opscore.store import share_store
            print(share_store({str(shared_path)!r}, wait_seconds=20).count("products"))
        """)
    finally:
        stop.set()
        for u in users:
            u.join()
    assert notebook.returncode == 0 and notebook.stdout.strip() == "120", notebook.stderr


def test_a_read_inside_a_write_never_waits_for_the_file_to_be_taken(shared_path: Path) -> None:
    """A transaction that reads (as a replace import counts rows) while another thread waits to take the file:
    the transaction finishes first, then the file is taken; neither waits for the other."""
    store = share_store(shared_path)
    in_write, order = threading.Event(), []

    def write() -> None:
        with store.transaction() as w:
            in_write.set()
            threading.Event().wait(0.3)  # exclusive() is now waiting
            w.delete("sales", {"sku": "DAI-001"})
            order.append(f"read {store.count('products')} inside the write")

    def take() -> None:
        in_write.wait()
        with store.exclusive():
            order.append("file taken")

    threads = [threading.Thread(target=write), threading.Thread(target=take)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert order == ["read 120 inside the write", "file taken"]


def test_taking_a_busy_file_gives_up_with_a_message(shared_path: Path) -> None:
    store = share_store(shared_path, wait_seconds=0.3)
    with store.session():
        errors: list[StoreError] = []
        t = threading.Thread(target=lambda: _take(store, errors))
        t.start()
        t.join()
    assert "stayed in use by other pages" in str(errors[0]) and "nothing was changed" in str(errors[0])


def _take(store, errors: list[StoreError]) -> None:  # type: ignore[no-untyped-def]
    try:
        with store.exclusive():
            pass
    except StoreError as exc:
        errors.append(exc)


def test_the_shared_sample_keeps_its_data_and_takes_scenarios(shared_path: Path) -> None:
    """The app's sample: every data write is refused with what to do, scenarios are saved."""
    from opscore.scenarios import list_scenarios, save_scenario
    from opscore.workspaces import SAMPLE_WRITES

    store = share_store(shared_path, only=SAMPLE_WRITES)
    before = store.data_version()
    for write in (lambda w: w.delete("sales", {"sku": "DAI-001"}), lambda w: w.set_as_of(date(2026, 1, 1)),
                  lambda w: w.append("products", store.table("products").head(0))):
        with pytest.raises(StoreError, match="duplicate the workspace to change its data"):
            with store.transaction() as w:
                write(w)
    save_scenario(store, "kept", "inventory", {}, {"x": 1.0})
    assert [s.name for s in list_scenarios(store)] == ["kept"] and store.data_version() == before


def test_one_program_opening_a_file_two_ways_is_told_plainly(shared_path: Path) -> None:
    held = open_store(shared_path, read_only=True)
    try:
        with pytest.raises(StoreError, match="another mode"):
            share_store(shared_path).count("products")
    finally:
        held.close()
