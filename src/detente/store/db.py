"""The DuckDB store: connections, the writer lock, transactions and forward migrations.

Why connections are short-lived: DuckDB lets one process hold a file for writing and then refuses
every other open, even read-only. A long ``detente run`` therefore opens the file only for each
batch it writes, and the dashboard opens it only per request; each side retries briefly when the
other holds it. Writers of this package also take an advisory lock (``<db>.lock``) for their whole
run, so a second writer stops at once with "database in use" instead of interleaving batches.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

import duckdb

from detente.errors import DatabaseInUse, DetenteError

DEFAULT_DB = Path("detente.duckdb")
_BUSY_TIMEOUT_S = 15.0

# Why every connection attaches the file with a small row-group size: each batch a stage commits
# appends a small row group, and DuckDB's checkpoint merges neighbours, doubling, up to the row-group
# size (122,880 rows by default) in every table. So every 2^k batches one commit rewrote a whole
# table up to that size: the dedup features at 64,000 articles, 325 of 328 blocks, a 270 MB
# transient. With 8,192 rows a merge rewrites at most about 30 MB of the widest table (article
# texts, features), whatever the store's size. Never merging instead left a row group per batch
# (500 of 200 rows per table at 100k): every open, scan and commit then grew with their number,
# and the 100k bench peaked at 1,096 MiB against 778. The size is not stored in the file, so a
# plain `duckdb.connect` would merge up to the default again.
ROW_GROUP_ROWS = 8192


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("detente.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _attach(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        options = f"{'READ_ONLY, ' if read_only else ''}ROW_GROUP_SIZE {ROW_GROUP_ROWS}"
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS store ({options})")
        con.execute("USE store")
    except BaseException:
        con.close()
        raise
    return con


def _is_lock_conflict(error: duckdb.Error) -> bool:
    message = str(error)
    return "lock" in message.lower() and ("Conflicting" in message or "Could not set lock" in message)


class Store:
    """A detente database file.

    ``Store(path)`` does not open anything; use ``transaction()`` to write, ``reader()`` to read,
    and ``writer()`` around a whole write command.
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, busy_timeout: float = _BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._lock_file: IO[str] | None = None
        self._migrated = False

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections -------------------------------------------------------------------------
    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.busy_timeout
        delay = 0.02
        while True:
            try:
                return _attach(self.path, read_only)
            except duckdb.Error as error:
                if not _is_lock_conflict(error):
                    raise DetenteError(f"{self.path}: cannot open the database: {error}") from error
                if time.monotonic() >= deadline:
                    raise DatabaseInUse(
                        f"{self.path}: database in use by another process; wait for it to finish or use another --db"
                    ) from error
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One atomic write: everything inside commits together or not at all."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect(read_only=False)
        try:
            if not self._migrated:
                self._migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection; an absent database reads as an empty, migrated one."""
        if not self.path.exists():
            con = duckdb.connect(":memory:")
            try:
                self._apply_all(con)
                yield con
            finally:
                con.close()
            return
        con = self._connect(read_only=True)
        try:
            if self._pending(con):
                con.close()
                with self.transaction():
                    pass  # bring the schema up to date, then read
                con = self._connect(read_only=True)
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def writer(self) -> Iterator[Store]:
        """Hold the advisory writer lock for a whole command; nested use in one process is a no-op."""
        if self._lock_file is not None:
            yield self
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DatabaseInUse(
                f"{self.path}: database in use by a detente writer ({holder}); wait for it to finish "
                "or use another --db"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._lock_file = handle
        try:
            yield self
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
            self._lock_file = None

    # -- migrations --------------------------------------------------------------------------
    @staticmethod
    def _applied(con: duckdb.DuckDBPyConnection) -> set[int]:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()
        if not exists or not exists[0]:
            return set()
        return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}

    def _pending(self, con: duckdb.DuckDBPyConnection) -> bool:
        applied = self._applied(con)
        return any(version not in applied for version, _, _ in _migrations())

    def _apply_all(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
        )
        applied = self._applied(con)
        for version, name, sql in _migrations():
            if version in applied:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, utcnow()])
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        self._apply_all(con)
        self._migrated = True

    def schema_version(self) -> int:
        with self.reader() as con:
            applied = self._applied(con)
        return max(applied, default=0)


def open_store(path: str | os.PathLike[str] = DEFAULT_DB) -> Store:
    return Store(path)


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str] | None, rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows in one statement: each column goes in as one list parameter, which
    ``unnest`` turns back into rows; ``columns`` None means all of the table's, in order.

    DuckDB's ``executemany`` binds row by row (about 0.1 ms a row, more on tables with a key): it
    dominated writing 32 LSH band keys per article. Registering an Arrow table instead made every
    writing process import ``pyarrow.dataset``, about 90 MB resident in each of them."""
    if not rows:
        return
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    )
    if not types:
        raise DetenteError(f"{table}: no such table in the store")
    names = list(columns) if columns is not None else list(types)
    values = ", ".join(f"unnest(?::{types[name]}[])" for name in names)
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {values}",
        [[row[i] for row in rows] for i in range(len(names))],
    )
