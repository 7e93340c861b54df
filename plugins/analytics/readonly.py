"""A SQLite file read without its process lock: reports run beside the Vigie that writes it."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

from bot.storage import Row, StoreError, Transaction
from bot.storage.base import Params

__all__ = ["ReadOnlySqlite"]


class ReadOnlySqlite(Transaction):
    """Queries a SQLite file opened read-only (`mode=ro`), one connection per query."""

    def __init__(self, path: str) -> None:
        if not Path(path).exists():
            raise StoreError(f"the database {path} does not exist", "io")
        self.path = path

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Refused: this store only reads."""
        raise StoreError(f"the database {self.path} is open read-only", "read_only")

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        """Rows of a query, read in a thread."""
        return await asyncio.to_thread(self._read, sql, dict(params or {}))

    def _read(self, sql: str, params: dict[str, object]) -> list[Row]:
        try:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro",
                                                    uri=True)) as conn:
                conn.row_factory = sqlite3.Row
                return [dict(r) for r in conn.execute(sql, params)]
        except sqlite3.Error as exc:
            raise StoreError(f"the database {self.path}: {exc}", "other") from None
