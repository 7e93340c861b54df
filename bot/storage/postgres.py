"""PostgreSQL through asyncpg: a connection pool shared by several Vigie processes."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.storage.base import (
    ConstraintError,
    Migration,
    Params,
    Row,
    Store,
    StoreError,
    Transaction,
)
from bot.storage.sqltext import translate

__all__ = ["PostgresStore", "mask_url"]

log = logging.getLogger("vigie.storage")
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?([A-Za-z_][A-Za-z0-9_]*)\"?", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)
_INTS = {"int2", "int4", "int8"}
_FLOATS = {"float4", "float8", "numeric"}
_TEXTS = {"text", "varchar", "bpchar", "name"}
# SQLSTATE prefixes and codes -> fault kind (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_KINDS = {"53100": "full", "25006": "read_only", "55P03": "locked", "40P01": "locked",
          "40001": "locked", "XX001": "invalid", "XX002": "invalid"}
_KIND_PREFIXES = {"08": "io", "57": "io", "58": "io", "53": "io"}
_MIGRATE_LOCK = "hashtext('vigie'), hashtext('migrate')"


def mask_url(url: str) -> str:
    """The URL with its password replaced by `***`, fit for logs and messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rsplit("@", 1)[-1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "postgresql://***"


def _value(value: Any) -> Any:
    """A column value as SQLite would give it (SUM and AVG are numeric in PostgreSQL)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _pg_type(value: Any) -> str:
    """The PostgreSQL type a Python value stands for (text when it is None)."""
    if isinstance(value, bool | int):
        return "BIGINT"
    if isinstance(value, float):
        return "DOUBLE PRECISION"
    return "TEXT"


def _coerce(value: Any, type_name: str) -> Any:
    """Give asyncpg the Python type it wants for a parameter, as SQLite would have converted."""
    if value is None:
        return None
    if type_name in _INTS:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
    elif type_name in _FLOATS and isinstance(value, int | bool):
        return float(value)
    elif type_name in _TEXTS and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    elif type_name in _TEXTS and isinstance(value, bool):
        return str(int(value))
    return value


class _PgTransaction(Transaction):
    """Statements on one pooled connection (inside or outside a transaction block)."""

    def __init__(self, conn: Any, store: PostgresStore) -> None:
        self._conn = conn
        self._store = store

    async def _args(self, sql: str, params: Params | None) -> tuple[str, list[Any]]:
        translated = translate(sql, self._store._casts.get(sql, ()))
        given = dict(params or {})
        missing = [name for name in translated.names if name not in given]
        if missing:
            raise StoreError(f"no value given for the parameter(s) {', '.join(missing)}",
                             "other")
        args = [given[name] for name in translated.names]
        if args:
            types = self._store._param_types.get(translated.sql)
            if types is None:
                try:
                    # In a savepoint: a failed PREPARE must not abort the caller's transaction.
                    async with self._conn.transaction():
                        statement = await self._conn.prepare(translated.sql)
                except (asyncpg.AmbiguousParameterError, asyncpg.IndeterminateDatatypeError):
                    # `:x IS NULL` alone says nothing of x's type: take it from the value.
                    casts = tuple((name, _pg_type(given[name])) for name in translated.nulls)
                    self._store._casts[sql] = casts
                    translated = translate(sql, casts)
                    statement = await self._conn.prepare(translated.sql)
                types = tuple(t.name for t in statement.get_parameters())
                self._store._param_types[translated.sql] = types
            args = [_coerce(a, t) for a, t in zip(args, types, strict=True)]
        return translated.sql, args

    async def _has_id(self, table: str) -> bool:
        known = self._store._id_tables.get(table)
        if known is None:
            known = bool(await self._conn.fetchval(
                "SELECT 1 FROM information_schema.columns WHERE table_name = $1"
                " AND column_name = 'id' AND table_schema = ANY (current_schemas(false))"
                " AND data_type IN ('bigint', 'integer', 'smallint') LIMIT 1", table))
            self._store._id_tables[table] = known
        return known

    async def lock(self, key: str) -> None:
        """An advisory lock on `key`, released at commit or rollback."""
        try:
            await self._conn.execute(
                "SELECT pg_advisory_xact_lock(hashtext('vigie'), hashtext($1))", key)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise self._store.fault(exc) from exc

    async def execute(self, sql: str, params: Params | None = None) -> int:
        try:
            text, args = await self._args(sql, params)
            insert = _INSERT.match(sql)
            if insert and not _RETURNING.search(sql) and await self._has_id(insert.group(1)):
                ids = await self._conn.fetch(text + " RETURNING id", *args)
                return int(ids[-1][0]) if ids else 0  # the last row's, as SQLite's lastrowid
            status = await self._conn.execute(text, *args)
            if _DDL.match(sql):
                self._store._id_tables.clear()
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise self._store.fault(exc) from exc
        last = str(status).rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        """Every row in one `executemany` (one round trip), the statement translated once."""
        try:
            batch = [await self._args(sql, params) for params in rows]
            if batch:
                await self._conn.executemany(batch[0][0], [args for _, args in batch])
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise self._store.fault(exc) from exc

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        try:
            text, args = await self._args(sql, params)
            records = await self._conn.fetch(text, *args)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise self._store.fault(exc) from exc
        return [{key: _value(value) for key, value in record.items()} for record in records]


class PostgresStore(Store):
    """A PostgreSQL database shared by several processes; a pool of connections.

    As with SQLite, the transactions of one process run one at a time (code written for one
    writer stays correct); single statements run concurrently on the pool. Between processes,
    `Transaction.lock` serialises what must be (case numbers) and jobs are claimed with
    `FOR UPDATE SKIP LOCKED`. The search path (a schema) can be set in the URL:
    `postgresql://user@host/db?search_path=vigie`.
    """

    dialect = "postgresql"

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10) -> None:
        self.dsn = url
        self.url = mask_url(url)
        self._min_size = min_size
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._param_types: dict[str, tuple[str, ...]] = {}
        self._casts: dict[str, tuple[tuple[str, str], ...]] = {}
        self._id_tables: dict[str, bool] = {}

    @property
    def pool(self) -> asyncpg.Pool:
        """The open pool."""
        if self._pool is None:
            raise StoreError("the database is not open", "closed")
        return self._pool

    async def open(self) -> None:
        """Connect the pool and prove we can write (a read-only server is refused here)."""
        try:
            self._pool = await asyncpg.create_pool(
                self.dsn, min_size=self._min_size, max_size=self._max_size, timeout=10)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, ValueError) as exc:
            raise self.fault(exc) from None
        try:
            async with self.pool.acquire() as conn:
                read_only = await conn.fetchval("SHOW transaction_read_only")
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            await self.close()
            raise self.fault(exc) from None
        if read_only == "on":
            await self.close()
            raise StoreError(f"the database {self.url} is read-only: Vigie needs to write to it",
                             "read_only")

    def fault(self, exc: BaseException) -> Exception:
        """A StoreError in plain words with its kind, or a ConstraintError (not a fault)."""
        if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
            error = ConstraintError(f"{exc.__class__.__name__}: {exc}")
            error.unique = isinstance(exc, asyncpg.UniqueViolationError)
            return error
        if isinstance(exc, StoreError):
            return exc
        return StoreError(*self._explain(exc))

    def _explain(self, exc: BaseException) -> tuple[str, str]:
        text = str(exc) or exc.__class__.__name__
        code = str(getattr(exc, "sqlstate", "") or "")
        kind = _KINDS.get(code) or _KIND_PREFIXES.get(code[:2], "other")
        if self._pool is None and isinstance(exc, OSError | asyncio.TimeoutError):
            return (f"cannot reach the database server {self.url} ({text}): is PostgreSQL "
                    "running, and the host and port right?", "io")
        if isinstance(exc, asyncpg.InterfaceError) and "clos" in text:
            return f"the database {self.url} is closed ({text})", "closed"
        if kind == "full":
            return (f"the disk holding the database {self.url} is full ({text}): what was "
                    "being written was not recorded; free some space", "full")
        if kind == "read_only":
            return f"the database {self.url} is read-only: Vigie needs to write to it", kind
        if kind == "locked":
            return (f"the database {self.url} is locked by another transaction ({text})",
                    "locked")
        if kind == "invalid":
            return (f"the database {self.url} reports damaged data ({text}): check the server",
                    "invalid")
        if code in ("28000", "28P01"):
            return (f"the database server refused the login for {self.url}: check the user "
                    "and password", "other")
        if code == "3D000":
            return f"the database named in {self.url} does not exist ({text})", "other"
        if kind == "io" or isinstance(exc, OSError | asyncpg.InterfaceError):
            return (f"the database {self.url} could not be read or written ({text}): check "
                    "the server and the connection", "io")
        return f"database {self.url}: {text}", kind

    async def migrate(self, namespace: str, migrations: Sequence[Migration]) -> list[int]:
        """Apply migrations one process at a time: workers starting together on an empty
        database would otherwise both create the same tables."""
        try:
            conn = await self.pool.acquire()
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise self.fault(exc) from exc
        try:
            try:
                await conn.execute(f"SELECT pg_advisory_lock({_MIGRATE_LOCK})")
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                raise self.fault(exc) from exc
            try:
                return await super().migrate(namespace, migrations)
            finally:
                try:
                    await conn.execute(f"SELECT pg_advisory_unlock({_MIGRATE_LOCK})")
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                    log.error("releasing the migration lock on %s: %s", self.url, exc)
        finally:
            await self.pool.release(conn)

    async def close(self) -> None:
        """Close the pool (waiting for statements in progress)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except (TimeoutError, asyncpg.PostgresError, OSError) as exc:
                log.error("closing the pool of %s: %s", self.url, exc)
                pool.terminate()

    def _check_not_nested(self) -> None:
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("use the transaction object inside a transaction, not the store")

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement in its own transaction."""
        self._check_not_nested()
        async with self.pool.acquire() as conn:
            return await _PgTransaction(conn, self).execute(sql, params)

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        """Rows of a query."""
        self._check_not_nested()
        async with self.pool.acquire() as conn:
            return await _PgTransaction(conn, self).fetch_all(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN ... COMMIT on one pooled connection, or ROLLBACK on error."""
        self._check_not_nested()
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                try:
                    conn = await self.pool.acquire()
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                    raise self.fault(exc) from exc
                try:
                    tx = conn.transaction()
                    try:
                        await tx.start()
                    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                        raise self.fault(exc) from exc
                    try:
                        yield _PgTransaction(conn, self)
                    except BaseException:
                        await self._rollback(tx)
                        raise
                    try:
                        await tx.commit()
                    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                        await self._rollback(tx)
                        raise self.fault(exc) from exc
                finally:
                    await self.pool.release(conn)
            finally:
                self._owner = None

    async def _rollback(self, tx: Any) -> None:
        """Undo the open transaction, never raising: the first error is the one to report."""
        try:
            await tx.rollback()
        except Exception as exc:
            log.error("rollback failed on %s (the first error is reported): %s", self.url, exc)

    def __repr__(self) -> str:
        return f"PostgresStore({self.url!r})"

    async def __aenter__(self) -> PostgresStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
