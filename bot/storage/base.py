"""One storage interface for every backend: named-parameter SQL, transactions, migrations."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "ConstraintError", "Migration", "Row", "Store", "StoreError",
           "Transaction"]

Row = dict[str, Any]
Params = Mapping[str, Any]


FAULT_KINDS = ("full", "read_only", "locked", "in_use", "io", "invalid", "closed", "other")


class StoreError(Exception):
    """The database cannot be used; the message says why in plain words, `kind` in one word
    (one of FAULT_KINDS: what a person is told, in their language, via `store.<kind>`)."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind if kind in FAULT_KINDS else "other"


class ConstraintError(Exception):
    """A statement broke a constraint (unique, not null, foreign key): not a database fault.

    `unique` says whether it was a unique key (another writer got there first)."""

    unique: bool = False


@dataclass(frozen=True, slots=True)
class Migration:
    """A versioned schema change; never edit one that was released, add a new version."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """Hash of the SQL, to detect a released migration that was edited."""
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


class Transaction(ABC):
    """Statements that commit together or not at all."""

    @abstractmethod
    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run a statement; return the id of an inserted row or the number of rows changed."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        """Rows of a query."""

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement for each set of parameters (a backend may send them at once)."""
        for params in rows:
            await self.execute(sql, params)

    async def fetch_one(self, sql: str, params: Params | None = None) -> Row | None:
        """The first row of a query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def lock(self, key: str) -> None:
        """Hold `key` exclusively until the transaction ends, against every process.

        SQLite needs nothing (one writer at a time); PostgreSQL takes an advisory lock."""
        del key


class Store(Transaction):
    """A database. SQL uses `:name` parameters and portable types (TEXT, INTEGER, REAL)."""

    url: str
    dialect = "sqlite"
    """Which SQL the store speaks beyond the portable part: "sqlite" or "postgresql"."""

    @abstractmethod
    async def open(self) -> None:
        """Connect; raise StoreError with a clear reason if the database cannot be used."""

    @abstractmethod
    async def close(self) -> None:
        """Commit what is pending and disconnect."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """`async with store.transaction() as tx:` groups statements atomically."""

    async def migrate(self, namespace: str, migrations: Sequence[Migration]) -> list[int]:
        """Apply the migrations of `namespace` not applied yet, in order; return their versions."""
        await self.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " namespace TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
            " checksum TEXT NOT NULL, applied_at TEXT NOT NULL,"
            " PRIMARY KEY (namespace, version))"
        )
        versions = [m.version for m in migrations]
        if versions != sorted(set(versions)):
            raise StoreError(f"migrations of {namespace} must have distinct increasing versions")
        rows = await self.fetch_all(
            "SELECT version, checksum FROM schema_migrations WHERE namespace = :ns",
            {"ns": namespace}
        )
        applied = {row["version"]: row["checksum"] for row in rows}
        done = []
        for migration in migrations:
            if migration.version in applied:
                if applied[migration.version] != migration.checksum:
                    raise StoreError(
                        f"migration {namespace} v{migration.version} ({migration.name}) was edited "
                        "after it was applied; add a new migration instead"
                    )
                continue
            try:
                async with self.transaction() as tx:
                    for statement in _statements(migration.sql):
                        await tx.execute(statement)
                    await tx.execute(
                        "INSERT INTO schema_migrations (namespace, version, name, checksum,"
                        " applied_at) VALUES (:ns, :v, :name, :sum, CURRENT_TIMESTAMP)",
                        {"ns": namespace, "v": migration.version, "name": migration.name,
                         "sum": migration.checksum},
                    )
            except Exception as exc:
                raise StoreError(f"migration {namespace} v{migration.version} ({migration.name})"
                                 f" failed and was rolled back: {exc}",
                                 getattr(exc, "kind", "other")) from exc
            done.append(migration.version)
        return done


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (migrations hold no semicolons inside literals)."""
    return [part.strip() for part in sql.split(";") if part.strip()]
