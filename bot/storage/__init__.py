"""Storage: one interface, SQLite or PostgreSQL, core tables and their migrations."""

from __future__ import annotations

from pathlib import Path

from bot.storage.base import (
    FAULT_KINDS,
    ConstraintError,
    Migration,
    Row,
    Store,
    StoreError,
    Transaction,
)
from bot.storage.postgres import PostgresStore, mask_url
from bot.storage.sqlite import SqliteStore

__all__ = ["FAULT_KINDS", "ConstraintError", "Migration", "PostgresStore", "Row", "SqliteStore",
           "Store", "StoreError", "Transaction", "open_store"]


def open_store(url: str, base: Path | None = None) -> Store:
    """A store for `url`: `sqlite:///relative/path.db`, `sqlite:////abs/path.db`, `sqlite://:memory:`,
    `postgresql://user:password@host:5432/database`."""
    if url.startswith("sqlite://"):
        rest = url.removeprefix("sqlite://")
        if rest in (":memory:", "/:memory:"):
            return SqliteStore(":memory:")
        path = rest.removeprefix("/")
        if not path:
            raise StoreError(f"{url}: no database file given (e.g. sqlite:///data/vigie.db)")
        resolved = Path(path) if Path(path).is_absolute() or base is None else base / path
        return SqliteStore(str(resolved))
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresStore(url)
    shown = mask_url(url) if "@" in url else url
    raise StoreError(f"unsupported database URL {shown!r}: expected sqlite:///path/to/file.db "
                     "or postgresql://user@host/database")
