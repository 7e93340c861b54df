"""Batched writes: nothing lost on a failed write, bounded memory, everything written at stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.batching import BatchedWriter
from bot.storage import SqliteStore, StoreError, Transaction


class Notes(BatchedWriter[str]):
    """Writes strings to a table; can be told to fail."""

    def __init__(self, store: SqliteStore, **options: Any) -> None:
        super().__init__(store, "test-notes", **{"period": 60.0, "size": 3, **options})
        self.fail = False

    async def _write(self, tx: Transaction, batch: list[str]) -> None:
        for text in batch:
            await tx.execute("INSERT INTO notes (text) VALUES (:t)", {"t": text})
        if self.fail:
            raise StoreError("disk full")


@pytest.fixture
async def store(tmp_path: Path) -> SqliteStore:
    """A database with a notes table."""
    db = SqliteStore(str(tmp_path / "b.db"))
    await db.open()
    await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    yield db  # type: ignore[misc]
    await db.close()


async def texts(store: SqliteStore) -> list[str]:
    """What was written, in order."""
    return [r["text"] for r in await store.fetch_all("SELECT text FROM notes ORDER BY id")]


async def test_failed_write_keeps_the_batch(store: SqliteStore) -> None:
    """A failed transaction writes nothing and the items are written by the next flush."""
    notes = Notes(store)
    notes.add("a")
    notes.add("b")
    notes.fail = True
    with pytest.raises(StoreError):
        await notes.flush()
    assert await texts(store) == []
    notes.add("c")
    notes.fail = False
    assert await notes.flush() == 3
    assert await texts(store) == ["a", "b", "c"]


async def test_queue_is_bounded(store: SqliteStore) -> None:
    """Past the limit, the oldest items go first."""
    notes = Notes(store, limit=5, size=2)
    for i in range(7):
        notes.add(str(i))
    await notes.flush()
    assert await texts(store) == ["2", "3", "4", "5", "6"]


async def test_stop_writes_what_remains(store: SqliteStore) -> None:
    """Stopping the loop writes the queue; a full batch is written without waiting a period."""
    notes = Notes(store)
    notes.start()
    notes.add("x")
    await notes.stop()
    assert await texts(store) == ["x"]
