"""SQLite through aiosqlite: one connection that writes, WAL journal, full sync on commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.base import ConstraintError, Params, Row, Store, StoreError, Transaction
from bot.storage.lock import ProcessLock

__all__ = ["SqliteStore"]

log = logging.getLogger("vigie.storage")
# Primary result codes (sqlite3.SQLITE_* exist from Python 3.11 on; spelled out for clarity).
_KINDS = {13: "full", 8: "read_only", 5: "locked", 6: "locked", 10: "io", 11: "invalid",
          26: "invalid", 14: "io"}


def _is_fault(exc: sqlite3.DatabaseError) -> bool:
    """The database failed (disk full, I/O, locked...), as opposed to a refused statement
    (a constraint, a bad parameter), which callers may expect and handle."""
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


def _refusal(exc: sqlite3.DatabaseError, store: SqliteStore) -> Exception:
    """What a failed statement raises: a StoreError (fault), a ConstraintError, or itself."""
    if _is_fault(exc):
        return store.fault(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        error = ConstraintError(str(exc))
        error.unique = "UNIQUE constraint failed" in str(exc) or "PRIMARY KEY" in str(exc)
        return error
    return exc


class _SqliteTransaction(Transaction):
    def __init__(self, conn: aiosqlite.Connection, store: SqliteStore) -> None:
        self._conn = conn
        self._store = store

    async def execute(self, sql: str, params: Params | None = None) -> int:
        try:
            if sql.lstrip()[:6].upper() == "INSERT":  # one trip to SQLite's thread, not two
                row = await self._conn.execute_insert(sql, dict(params or {}))
                return int(row[0]) if row and row[0] is not None else 0
            async with self._conn.execute(sql, dict(params or {})) as cursor:
                return int(cursor.rowcount)
        except sqlite3.DatabaseError as exc:
            error = _refusal(exc, self._store)
            if error is exc:
                raise
            raise error from exc

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        """One call into SQLite for every row: no thread hop per row."""
        try:
            await self._conn.executemany(sql, [dict(params) for params in rows])
        except sqlite3.DatabaseError as exc:
            error = _refusal(exc, self._store)
            if error is exc:
                raise
            raise error from exc

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        try:  # one trip to SQLite's thread (execute, fetch and close there)
            rows = await self._conn.execute_fetchall(sql, dict(params or {}))
        except sqlite3.DatabaseError as exc:
            error = _refusal(exc, self._store)
            if error is exc:
                raise
            raise error from exc
        return [dict(row) for row in rows]


class SqliteStore(Store):
    """A SQLite file (or `:memory:`); statements outside a transaction commit at once.

    A file is used by one process at a time: open() takes an OS lock on `<file>.lock` and a
    second process gets a StoreError naming the first; close() lets go of it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._process_lock = ProcessLock(path) if path != ":memory:" else None

    @property
    def conn(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._conn is None:
            raise StoreError("the database is not open", "closed")
        return self._conn

    async def open(self) -> None:
        """Take the process lock, open the file, switch to WAL, and prove we can write."""
        if self.path != ":memory:":
            folder = Path(self.path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder {folder}: "
                                 f"{exc.strerror}") from None
            if Path(self.path).is_dir():
                raise StoreError(f"{self.path} is a directory, not a database file", "invalid")
        if self._process_lock is not None:
            self._process_lock.acquire()
        try:
            self._conn = await aiosqlite.connect(self.path, timeout=2.0, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            await self._conn.execute("PRAGMA busy_timeout = 2000")
            await self._conn.execute("PRAGMA journal_mode = WAL")
            await self._conn.execute("PRAGMA synchronous = FULL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            # BEGIN IMMEDIATE alone succeeds on a read-only WAL file: write a header field back.
            await self._conn.execute("BEGIN IMMEDIATE")
            async with self._conn.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            await self._conn.execute(f"PRAGMA user_version = {int(row[0]) if row else 0}")
            await self._conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            await self._close_quietly()
            raise self.fault(exc) from None
        except BaseException:
            await self._close_quietly()
            raise

    def fault(self, exc: sqlite3.DatabaseError) -> StoreError:
        """A StoreError that says in plain words what went wrong, with its kind."""
        return StoreError(*self._explain(exc))

    def _explain(self, exc: sqlite3.DatabaseError) -> tuple[str, str]:
        text = str(exc)
        code = getattr(exc, "sqlite_errorcode", None)
        kind = _KINDS.get(code & 0xFF, "other") if isinstance(code, int) else "other"
        if kind == "full" or "disk is full" in text:
            return (f"the disk holding the database {self.path} is full ({text}): what was "
                    "being written was not recorded; free some space", "full")
        if "locked" in text or "busy" in text:
            return (f"the database {self.path} is locked by another process "
                    "(is another Vigie running on it?)", "locked")
        if "readonly" in text or "read-only" in text:
            return (f"the database {self.path} is read-only: Vigie needs to write to it",
                    "read_only")
        if "unable to open" in text:
            return (f"cannot open the database {self.path}: check the path and permissions",
                    "io")
        if "not a database" in text or "malformed" in text:
            return f"{self.path} is not a valid SQLite database ({text})", "invalid"
        if kind == "io" or "disk I/O error" in text:
            return (f"the database {self.path} could not be read or written ({text}): check "
                    "the disk", "io")
        return f"database {self.path}: {text}", kind

    async def _close_quietly(self) -> None:
        try:
            if self._conn is not None:
                with contextlib.suppress(Exception):  # already failing: keep the first error
                    await self._conn.close()
                self._conn = None
        finally:
            if self._process_lock is not None:
                self._process_lock.release()

    async def _rollback(self, conn: aiosqlite.Connection) -> None:
        """Undo the open transaction, never raising: SQLite has already rolled back after a
        full disk or an I/O error ("no transaction is active"), and the error that brought us
        here is the one to report."""
        if not conn.in_transaction:
            return
        try:
            await conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.error("rollback failed on %s (the first error is reported): %s", self.path, exc)

    async def close(self) -> None:
        """Checkpoint and close."""
        if self._conn is not None:
            async with self._lock:
                try:
                    with contextlib.suppress(sqlite3.Error):  # an optimisation, not a must
                        await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    await self._close_quietly()

    def _check_not_nested(self) -> None:
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("use the transaction object inside a transaction, not the store")

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement in its own transaction."""
        self._check_not_nested()
        async with self._lock:
            try:
                return await _SqliteTransaction(self.conn, self).execute(sql, params)
            except sqlite3.DatabaseError as exc:
                raise self.fault(exc) from exc

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        """Rows of a query."""
        self._check_not_nested()
        async with self._lock:
            try:
                return await _SqliteTransaction(self.conn, self).fetch_all(sql, params)
            except sqlite3.DatabaseError as exc:
                raise self.fault(exc) from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error; other tasks wait meanwhile."""
        self._check_not_nested()
        async with self._lock:
            conn = self.conn
            self._owner = asyncio.current_task()
            try:
                try:
                    await conn.execute("BEGIN IMMEDIATE")
                except sqlite3.DatabaseError as exc:
                    raise self.fault(exc) from exc
                try:
                    yield _SqliteTransaction(conn, self)
                except BaseException:
                    await self._rollback(conn)
                    raise
                try:
                    await conn.execute("COMMIT")
                except sqlite3.DatabaseError as exc:
                    await self._rollback(conn)
                    raise self.fault(exc) from exc
            finally:
                self._owner = None

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"

    async def __aenter__(self) -> SqliteStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
