"""The workspace store: one DuckDB file, read by many threads, written through one path.

This is the only module of opscore that speaks SQL. Table and column names are
checked against :mod:`opscore.store.schema` before they reach a statement, and
values always travel as parameters.

Concurrency: DuckDB lets one program at a time write a file. A ``Store`` from :func:`open_store`
holds its file until closed; one from :func:`share_store` (the app's and notebooks') opens it only
while a read, a write or a :meth:`Store.session` runs and waits its turn when another program has it.
Threads read through their own cursors; a session reads from one snapshot (DuckDB's MVCC), so a page
sees one data version even while an import commits. Writes go through :meth:`Store.transaction`,
serialised by a lock and committed atomically.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from opscore.store.migrations import migrate, quote
from opscore.store.schema import SQL_TYPES, TABLE_BY_NAME, Table, get_table

RECORDS_ONLY = frozenset({"scenarios", "column_mappings"})
"""Tables no analysis reads: writing only these leaves the data version, and every result cached on it, as is."""


class StoreError(RuntimeError):
    """A store operation failed; the message says which table and why."""


def _check_columns(table: Table, columns: Sequence[str]) -> None:
    unknown = [c for c in columns if c not in table.column_names]
    if unknown:
        raise KeyError(f"table {table.name} has no column(s) {unknown}; columns are {table.column_names}")


def _where_sql(table: Table, where: Mapping[str, object] | None,
               between: tuple[str, object, object] | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for col, value in (where or {}).items():
        _check_columns(table, [col])
        if isinstance(value, (list, tuple, set, frozenset)):
            values = list(value)
            if not values:
                clauses.append("FALSE")
                continue
            clauses.append(f"{quote(col)} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
        elif value is None:
            clauses.append(f"{quote(col)} IS NULL")
        else:
            clauses.append(f"{quote(col)} = ?")
            params.append(value)
    if between is not None:
        col, lo, hi = between
        _check_columns(table, [col])
        if lo is not None:
            clauses.append(f"{quote(col)} >= ?")
            params.append(lo)
        if hi is not None:
            clauses.append(f"{quote(col)} <= ?")
            params.append(hi)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class Writer:
    """Write operations inside one transaction (see :meth:`Store.transaction`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, only: frozenset[str] | None = None) -> None:
        self._con = con
        self._only = only
        self.changed: set[str] = set()

    def _may_write(self, name: str) -> None:
        if self._only is not None and name not in self._only:
            raise StoreError(f"this workspace keeps its data as it is (only {', '.join(sorted(self._only))} can be "
                             f"saved in it), so nothing was changed in {name}: duplicate the workspace to change "
                             "its data")

    def _insert(self, table: Table, frame: pd.DataFrame) -> int:
        self._may_write(table.name)
        if frame.empty:
            return 0
        _check_columns(table, list(frame.columns))
        missing = [c.name for c in table.columns if c.required and c.name not in frame.columns]
        if missing:
            raise StoreError(f"table {table.name}: missing required column(s) {missing}")
        cols = [c for c in table.columns if c.name in frame.columns]
        view = f"incoming_{threading.get_ident()}"
        # a view left registered by a failed insert is replaced by the next register of the same name
        self._con.register(view, frame[[c.name for c in cols]])
        select = ", ".join(f"CAST({quote(c.name)} AS {SQL_TYPES[c.kind]})" for c in cols)
        self._con.execute(
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in cols)}) "
            f"SELECT {select} FROM {quote(view)}"
        )
        self._con.unregister(view)
        self.changed.add(table.name)
        return len(frame)

    def append(self, name: str, frame: pd.DataFrame) -> int:
        """Insert rows; a duplicate key aborts the whole transaction."""
        return self._insert(get_table(name), frame)

    def replace(self, name: str, frame: pd.DataFrame) -> int:
        """Make the table's contents exactly ``frame``."""
        table = get_table(name)
        self._may_write(table.name)
        self._con.execute(f"DELETE FROM {quote(table.name)}")
        self.changed.add(table.name)
        return self._insert(table, frame)

    def refresh(self, name: str, frame: pd.DataFrame) -> tuple[int, int]:
        """Replace the stored rows ``frame`` covers (see :attr:`Table.refresh_by`) by its rows.

        Returns ``(removed, inserted)`` row counts.
        """
        table = get_table(name)
        self._may_write(table.name)
        if frame.empty:
            return 0, 0
        with _covered(self._con, table, frame) as (sql, params):
            removed = int(self._con.execute(f"SELECT count(*) FROM {quote(table.name)} AS t{sql}",
                                            params).fetchall()[0][0])
            self._con.execute(f"DELETE FROM {quote(table.name)} AS t{sql}", params)
        self.changed.add(table.name)
        return removed, self._insert(table, frame)

    def load_parquet(self, name: str, path: Path, mode: Literal["replace", "refresh"]) -> tuple[int, int]:
        """Replace the table by (``"replace"``), or refresh it with (``"refresh"``, see :meth:`refresh`), the rows of
        a Parquet file whose columns are columns of the table in its types (as :mod:`opscore.store.staging` writes
        them); DuckDB streams the file. Returns ``(removed, inserted)`` row counts."""
        table = get_table(name)
        self._may_write(table.name)
        source = "read_parquet(?)"
        columns = [r[0] for r in self._con.execute(f"DESCRIBE SELECT * FROM {source}", [str(path)]).fetchall()]
        _check_columns(table, columns)
        if mode == "replace":
            removed = self._con.execute(f"DELETE FROM {quote(table.name)}").fetchall()[0][0]
        elif table.refresh_by:
            col = quote(table.refresh_by)
            lo, hi = self._con.execute(f"SELECT min({col}), max({col}) FROM {source}", [str(path)]).fetchall()[0]
            removed = self._con.execute(f"DELETE FROM {quote(table.name)} WHERE {col} BETWEEN ? AND ?",
                                        [lo, hi]).fetchall()[0][0]
        else:
            match = " AND ".join(f"t.{quote(k)} = f.{quote(k)}" for k in table.key)
            removed = self._con.execute(f"DELETE FROM {quote(table.name)} AS t WHERE EXISTS "
                                        f"(SELECT 1 FROM {source} AS f WHERE {match})", [str(path)]).fetchall()[0][0]
        names = ", ".join(quote(c) for c in columns)
        inserted = self._con.execute(f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} FROM {source}",
                                     [str(path)]).fetchall()[0][0]
        self.changed.add(table.name)
        return int(removed), int(inserted)

    def delete(self, name: str, where: Mapping[str, object]) -> int:
        """Delete the rows matching ``where`` (equality / IN); refuses an empty filter."""
        table = get_table(name)
        self._may_write(table.name)
        if not where:
            raise StoreError(f"delete from {name} needs a filter; use replace() to empty a table")
        sql, params = _where_sql(table, where, None)
        counted = self._con.execute(f"SELECT count(*) FROM {quote(table.name)}{sql}", params).fetchone()
        assert counted is not None  # an aggregate without GROUP BY always returns one row
        n = counted[0]
        self._con.execute(f"DELETE FROM {quote(table.name)}{sql}", params)
        self.changed.add(table.name)
        return int(n)

    def update(self, name: str, values: Mapping[str, object], where: Mapping[str, object]) -> None:
        """Set columns to ``values`` on the rows matching ``where``."""
        table = get_table(name)
        self._may_write(table.name)
        _check_columns(table, list(values))
        if not where:
            raise StoreError(f"update of {name} needs a filter")
        sets = ", ".join(f"{quote(c)} = ?" for c in values)
        sql, params = _where_sql(table, where, None)
        self._con.execute(f"UPDATE {quote(table.name)} SET {sets}{sql}", [*values.values(), *params])
        self.changed.add(table.name)

    def set_as_of(self, day: date) -> None:
        """Set the workspace's as-of date (its 'today'); every analysis depends on it, so the data version moves."""
        self._may_write("workspace_meta")
        self.set_meta("as_of_date", day.isoformat())
        self.changed.add("workspace_meta")

    def remember_mapping(self, table_name: str, source: str, mapping: Mapping[str, str], saved_at: datetime) -> None:
        """Keep ``mapping`` (file column -> column of ``table_name``) as the one for files from ``source``."""
        table = get_table(table_name)
        _check_columns(table, list(mapping.values()))
        self._may_write("column_mappings")
        self._con.execute("DELETE FROM column_mappings WHERE table_name = ? AND source = ?", [table_name, source])
        self._con.executemany(
            "INSERT INTO column_mappings VALUES (?, ?, ?, ?, ?)",
            [[table_name, source, file_column, target, saved_at] for file_column, target in mapping.items()],
        )
        self.changed.add("column_mappings")

    def set_meta(self, key: str, value: str) -> None:
        self._con.execute(
            "INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)", [key, value]
        )


class Store:
    """A workspace's DuckDB file. Open with :func:`open_store` (holds the file from open to :meth:`close`) or
    :func:`share_store` (opens the file only while it is used, so other programs can use it in between)."""

    def __init__(self, path: str | Path, read_only: bool = False, *, shared: bool = False,
                 wait_seconds: float = 30.0, only: frozenset[str] | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.only = only
        self.shared = shared
        self.wait_seconds = wait_seconds
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._state = threading.Condition()  # guards _con, _holders and _blocked
        self._holders = 0
        self._blocked = 0
        self._migrated = read_only
        self._opened = False
        self.commits = 0  # writes committed through this object: a cheap "has anything changed" for this program
        self._local = threading.local()
        self._write_lock = threading.Lock()
        if not shared:
            self._connect()
            self._holders = 1  # held until close()
            self._local.held = 0

    # -- the connection --------------------------------------------------------
    def _connect(self) -> None:
        """Open the file, retrying while another program holds its lock, for up to ``wait_seconds``. While it waits
        it leaves a turn marker beside the file, so a busy program using the file lets go and gives it a turn."""
        if self._opened and not self.path.exists():
            raise StoreError(f"the workspace file {self.path.name} is gone: the workspace was deleted")
        deadline, pause = time.monotonic() + self.wait_seconds, 0.02
        turn = _turn_marker(self.path)
        try:
            while True:
                try:
                    con = duckdb.connect(str(self.path), read_only=self.read_only)
                    break
                except duckdb.ConnectionException as exc:
                    raise StoreError(f"this program already has {self.path.name} open in another mode (read-only "
                                     f"or not): use one store per workspace in a program. DuckDB: {exc}") from exc
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                        raise StoreError(_lock_message(self.path, self.wait_seconds, exc)) from exc
                    turn.touch()
                    time.sleep(pause)
                    pause = min(pause * 2, 0.25)
        finally:
            turn.unlink(missing_ok=True)
        try:
            if not self._migrated:
                migrate(con)
                self._migrated = True
        except BaseException:
            con.close()
            raise
        self._con, self._opened = con, True

    def _acquire(self) -> None:
        """Count this thread as a user of the file, opening it if needed. A thread that holds it already goes on;
        others wait while the file is being taken (:meth:`exclusive`) or another program waits for its turn."""
        with self._state:
            mine = getattr(self._local, "held", 0)
            while not mine and (self._blocked or (self.shared and self._holders and _turn_wanted(self.path))):
                self._state.wait(0.05)
            if self._con is None:
                if not mine and self.shared:
                    self._give_way()
                self._connect()
            self._holders += 1
            self._local.held = mine + 1

    def _give_way(self) -> None:
        """Before opening the file again, give another program waiting for it up to a second to take its turn."""
        end = time.monotonic() + 1.0
        while _turn_wanted(self.path) and time.monotonic() < end:
            self._state.wait(0.05)

    def _release(self) -> None:
        with self._state:
            self._holders -= 1
            self._local.held -= 1
            if self.shared and self._holders == 0 and self._con is not None:
                self._con.close()  # lets other programs open the file
                self._con = None
            self._state.notify_all()

    @contextmanager
    def session(self) -> Iterator[Store]:
        """Hold the file and read from one snapshot for the block: every read in it sees the same data version,
        whatever other threads or programs commit meanwhile (except this thread's own writes, seen at once).
        Re-entrant; a page render runs inside one."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield self
            finally:
                self._local.depth -= 1
            return
        self._acquire()
        try:
            cursor = self._snapshot_cursor()
            self._local.cursor, self._local.depth = cursor, 1
            try:
                yield self
            finally:
                self._local.cursor, self._local.depth = None, 0
                cursor.close()
        finally:
            self._release()

    def _snapshot_cursor(self) -> duckdb.DuckDBPyConnection:
        assert self._con is not None
        cursor = self._con.cursor()
        cursor.execute("BEGIN TRANSACTION")
        return cursor

    @contextmanager
    def _reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one read: the session's snapshot, a held store's per-thread cursor, or a short session."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is not None:
            yield cursor
        elif not self.shared:
            cursor = getattr(self._local, "own", None)
            if cursor is None:
                assert self._con is not None, f"workspace {self.path.name} is closed"
                cursor = self._local.own = self._con.cursor()
            yield cursor
        else:
            with self.session():
                yield self._local.cursor

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Wait (up to ``wait_seconds``) until no thread of this process uses the file, keep new ones waiting, and hold
        the file, checkpointed so it alone holds every committed change, for the block: to copy, replace or delete
        it. A held store (:func:`open_store`) opens the file at its path again afterwards."""
        if getattr(self._local, "held", 0):
            raise StoreError("the workspace is in use by this thread; take it for itself outside any session or write")
        deadline = time.monotonic() + self.wait_seconds
        with self._state:
            self._blocked += 1
            try:
                while self._holders > (0 if self.shared else 1):
                    if time.monotonic() >= deadline:
                        raise StoreError(f"the workspace {self.path.name} stayed in use by other pages for "
                                         f"{self.wait_seconds:.0f} s; nothing was changed, try again in a moment")
                    self._state.wait(0.05)
                if self._con is None:
                    self._connect()
                if not self.read_only:
                    assert self._con is not None
                    self._con.execute("CHECKPOINT")
            except BaseException:
                self._blocked -= 1
                self._drop_if_unused()
                self._state.notify_all()
                raise
        try:
            yield
        finally:
            with self._state:
                self._blocked -= 1
                if self._con is not None:
                    self._con.close()
                    self._con = None
                if not self.shared and self.path.exists():  # a held store follows a replaced file, not a deleted one
                    self._connect()
                self._state.notify_all()

    def _drop_if_unused(self) -> None:
        if self.shared and self._holders == 0 and self._con is not None:
            self._con.close()
            self._con = None

    # -- reading -------------------------------------------------------------
    def table(
        self,
        name: str,
        columns: Sequence[str] | None = None,
        where: Mapping[str, object] | None = None,
        between: tuple[str, object, object] | None = None,
        order_by: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Read a table (optionally some columns, equality/IN filters and an inclusive range).

        Rows come ordered by the table's key unless ``order_by`` says otherwise.
        """
        table = get_table(name)
        cols = list(columns) if columns else table.column_names
        _check_columns(table, cols)
        order = list(order_by) if order_by else list(table.key)
        _check_columns(table, order)
        sql, params = _where_sql(table, where, between)
        query = (
            f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(table.name)}{sql} "
            f"ORDER BY {', '.join(quote(c) for c in order)}"
        )
        with self._reading() as cur:
            frame = cur.execute(query, params).df()
        return _normalise(frame, table)

    def _frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """Run a read-only query written inside :mod:`opscore.store` (identifiers checked, values as parameters)."""
        with self._reading() as cur:
            return cur.execute(sql, list(params)).df()

    def count(self, name: str) -> int:
        table = get_table(name)
        with self._reading() as cur:
            return int(cur.execute(f"SELECT count(*) FROM {quote(table.name)}").fetchall()[0][0])

    def row_counts(self) -> dict[str, int]:
        """Rows per table, in schema order."""
        return {name: self.count(name) for name in TABLE_BY_NAME}

    def checksum(self, name: str) -> str:
        """A content hash of a table, independent of row order (for change detection)."""
        frame = self.table(name)
        digest = hashlib.sha256()
        digest.update(str(len(frame)).encode())
        if not frame.empty:
            hashes = pd.util.hash_pandas_object(frame.astype(str), index=False).sort_values()
            digest.update(hashes.to_numpy().tobytes())
        return digest.hexdigest()

    def fingerprint(self, name: str) -> str:
        """A content fingerprint of a table computed in DuckDB, independent of row order: row count and the sum of
        row hashes (cheap on millions of rows; for telling whether data changed since a result was made)."""
        table = get_table(name)
        cols = ", ".join(quote(c) for c in table.column_names)
        frame = self._frame(f"SELECT count(*) AS n, CAST(coalesce(sum(CAST(hash({cols}) AS HUGEINT)), 0) AS VARCHAR) "
                            f"AS h FROM {quote(table.name)}")
        return f"{int(frame['n'].iloc[0])}:{frame['h'].iloc[0]}"

    def distinct_values(self, name: str, column: str) -> pd.Series:
        """The distinct non-empty values of one column (e.g. the codes a table uses), in no particular order."""
        table = get_table(name)
        _check_columns(table, [column])
        with self._reading() as cur:
            frame = cur.execute(
                f"SELECT DISTINCT {quote(column)} FROM {quote(table.name)} WHERE {quote(column)} IS NOT NULL").df()
        return frame[column]

    def latest(self, name: str, column: str) -> date | None:
        """The latest day in a date or timestamp column, or None for an empty table."""
        table = get_table(name)
        _check_columns(table, [column])
        if table.column(column).kind not in ("date", "timestamp"):
            raise StoreError(f"{name}.{column} holds no dates")
        with self._reading() as cur:
            value = cur.execute(f"SELECT max({quote(column)}) FROM {quote(table.name)}").fetchall()[0][0]
        return None if value is None else pd.Timestamp(value).date()

    def covered(self, name: str, frame: pd.DataFrame) -> int:
        """How many stored rows a refresh with ``frame`` would replace (see :meth:`Writer.refresh`)."""
        table = get_table(name)
        if frame.empty:
            return 0
        with self._reading() as con, _covered(con, table, frame) as (sql, params):
            return int(con.execute(f"SELECT count(*) FROM {quote(table.name)} AS t{sql}", params).fetchall()[0][0])

    def remembered_mappings(self, table_name: str) -> list[tuple[str, dict[str, str]]]:
        """Mappings remembered for ``table_name``, newest first: ``(source, {file column: table column})``."""
        get_table(table_name)
        with self._reading() as cur:
            rows = cur.execute(
                "SELECT source, file_column, target_column FROM column_mappings WHERE table_name = ? "
                "ORDER BY saved_at DESC, source, target_column", [table_name]).fetchall()
        found: dict[str, dict[str, str]] = {}
        for source, file_column, target in rows:
            found.setdefault(source, {})[file_column] = target
        return list(found.items())

    def meta(self) -> dict[str, str]:
        with self._reading() as cur:
            rows = cur.execute("SELECT key, value FROM workspace_meta").fetchall()
        return {k: v for k, v in rows}

    def as_of(self) -> date:
        """The workspace's 'today': the as-of date of its data (defaults to the real today)."""
        value = self.meta().get("as_of_date")
        return date.fromisoformat(value) if value else date.today()

    def data_version(self) -> int:
        """A counter bumped by every committed write to a table analyses read (not RECORDS_ONLY); cache keys
        include it."""
        return int(self.meta().get("data_version", "0"))

    def schema_version(self) -> int:
        with self._reading() as cur:
            return int(cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0])

    # -- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """Run writes atomically: all of them commit, or none (on any exception). Inside a :meth:`session`, the
        session's later reads see the write."""
        if self.read_only:
            raise StoreError(f"workspace {self.path.name} is open read-only")
        self._acquire()
        try:
            with self._write_lock:
                assert self._con is not None
                con = self._con.cursor()
                try:
                    con.execute("BEGIN TRANSACTION")
                    writer = Writer(con, self.only)
                    try:
                        yield writer
                        if writer.changed - RECORDS_ONLY:
                            row = con.execute("SELECT value FROM workspace_meta WHERE key = 'data_version'").fetchall()
                            writer.set_meta("data_version", str(int(row[0][0]) + 1 if row else 1))
                        con.execute("COMMIT")
                        self.commits += 1
                    except duckdb.ConstraintException as exc:
                        con.execute("ROLLBACK")
                        raise StoreError(f"the write was refused and nothing changed: {exc}") from exc
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                finally:
                    con.close()
            snapshot = getattr(self._local, "cursor", None)
            if snapshot is not None:  # move this thread's session past its own write
                snapshot.execute("ROLLBACK")
                snapshot.execute("BEGIN TRANSACTION")
        finally:
            self._release()

    def checkpoint(self) -> None:
        """Write every committed change from the write-ahead log into the database file (before copying it)."""
        self._acquire()
        try:
            with self._write_lock:
                # On the root connection: DuckDB refuses a CHECKPOINT from a cursor that has written
                # ("other write transactions active"), even after its COMMIT.
                assert self._con is not None
                self._con.execute("CHECKPOINT")
        finally:
            self._release()

    def close(self) -> None:
        """Let go of the file (a shared store holds it only while used, so this only matters for a held one)."""
        with self._state:
            if not self.shared and self._holders:
                self._holders = 0
            if self._holders == 0 and self._con is not None:
                self._con.close()
                self._con = None


def _lock_message(path: Path, waited: float, exc: Exception) -> str:
    """What to do when another program holds a workspace file (DuckDB allows one writing program per file)."""
    return (f"The workspace file {path.name} stayed in use by another program for {waited:.0f} s (DuckDB: {exc}). "
            "If that is a notebook or script that opened it with open_store(), it keeps the file until "
            "store.close(): open it there with opscore.workspaces.open_workspace(...) instead, which lets go of the "
            "file between reads and writes. Otherwise the other program is busy with a long read or write: try "
            "again in a moment.")


def _turn_marker(path: Path) -> Path:
    """A file beside the workspace saying another program is waiting for it (see :meth:`Store._connect`)."""
    return path.with_name(f"{path.name}.waiting-{os.getpid()}")


def _turn_wanted(path: Path) -> bool:
    """Whether another program waits for the file (a turn marker touched in the last 2 s)."""
    now = time.time()
    mine = _turn_marker(path).name
    try:
        return any(m.name != mine and now - m.stat().st_mtime < 2.0 for m in path.parent.glob(f"{path.name}.waiting-*"))
    except OSError:
        return False


@contextmanager
def _covered(con: duckdb.DuckDBPyConnection, table: Table, frame: pd.DataFrame) -> Iterator[tuple[str, list[object]]]:
    """A WHERE clause (on alias ``t``) for the stored rows ``frame`` covers: those dated within its first and last
    ``refresh_by`` date, or, for a table without one, those sharing a key with one of its rows."""
    if table.refresh_by:
        col = table.column(table.refresh_by)
        span = pd.to_datetime(frame[col.name]).dropna()
        if span.empty:
            yield " WHERE FALSE", []
            return
        lo, hi = span.min(), span.max()
        bounds = [lo.date(), hi.date()] if col.kind == "date" else [lo.to_pydatetime(), hi.to_pydatetime()]
        yield f" WHERE t.{quote(col.name)} BETWEEN ? AND ?", bounds
        return
    _check_columns(table, list(table.key))
    view = f"covering_{threading.get_ident()}"
    con.register(view, frame[list(table.key)])
    try:
        match = " AND ".join(f"t.{quote(k)} = CAST(f.{quote(k)} AS {SQL_TYPES[table.column(k).kind]})"
                             for k in table.key)
        yield f" WHERE EXISTS (SELECT 1 FROM {quote(view)} AS f WHERE {match})", []
    finally:
        con.unregister(view)


def _normalise(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give date columns a plain datetime64 dtype and text NULLs as None."""
    for col in table.columns:
        if col.name not in frame.columns:
            continue
        if col.kind in ("date", "timestamp"):
            frame[col.name] = pd.to_datetime(frame[col.name])
    return frame


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file: committed changes not yet checkpointed into it."""
    return path.with_name(path.name + ".wal")


def open_store(path: str | Path, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the workspace file at ``path`` and hold it until ``close()``: no
    other program can write it meanwhile (nor read it, unless both open it read-only)."""
    return Store(path, read_only=read_only)


def share_store(path: str | Path, read_only: bool = False, wait_seconds: float = 30.0,
                only: frozenset[str] | None = None) -> Store:
    """The workspace file at ``path``, opened only for each read, write or :meth:`Store.session` and let go after,
    so the app and notebooks can use one workspace together. Waits up to ``wait_seconds`` for another program's
    turn, then raises :class:`StoreError` saying what to do. ``only`` names the tables it may write (the shared
    sample's keep its data as shipped); any other write is refused, saying so."""
    return Store(path, read_only=read_only, shared=True, wait_seconds=wait_seconds, only=only)
