"""Storage faults: a full disk, a failing commit, and one process per database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.i18n import Catalog
from bot.storage import FAULT_KINDS, SqliteStore, StoreError

ROOT = Path(__file__).parents[2]
BIG = "x" * 5000  # more than a 4 KiB page holds: writing it needs a new page


@pytest.fixture
async def full(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """A store whose file may not grow (SQLite's max_page_count: a real SQLITE_FULL)."""
    store = SqliteStore(str(tmp_path / "full.db"))
    await store.open()
    await store.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    await store.execute("INSERT INTO items (name) VALUES ('kept')")
    row = await store.fetch_one("PRAGMA page_count")
    assert row is not None
    await store.execute(f"PRAGMA max_page_count = {row['page_count']}")
    assert await store.fetch_one("PRAGMA freelist_count") == {"freelist_count": 0}
    yield store
    await store.close()


async def names(store: SqliteStore) -> list[str]:
    """What the table holds."""
    return [r["name"] for r in await store.fetch_all("SELECT name FROM items ORDER BY id")]


# -- a full disk --------------------------------------------------------------------------------


async def test_disk_full_in_a_transaction_is_one_clear_error(full: SqliteStore) -> None:
    """SQLite rolls back by itself; the rollback after it does not raise a second error."""
    with pytest.raises(StoreError) as info:
        async with full.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('small')")
            await tx.execute("INSERT INTO items (name) VALUES (:n)", {"n": BIG})
    assert info.value.kind == "full"
    message = str(info.value)
    assert message.startswith(f"the disk holding the database {full.path} is full")
    assert "not recorded" in message
    assert "rollback" not in message
    assert await names(full) == ["kept"]


async def test_store_works_again_after_a_full_disk(full: SqliteStore) -> None:
    """No transaction is left open: reads and writes that fit still work, in transactions too."""
    with pytest.raises(StoreError, match="is full"):
        await full.execute("INSERT INTO items (name) VALUES (:n)", {"n": BIG})
    async with full.transaction() as tx:
        await tx.execute("INSERT INTO items (name) VALUES ('fits')")
    assert await names(full) == ["kept", "fits"]


async def test_a_failed_commit_is_rolled_back_and_reported(tmp_path: Path) -> None:
    """COMMIT refused (a deferred constraint): rolled back, one StoreError, the store usable."""
    async with SqliteStore(str(tmp_path / "c.db")) as store:
        await store.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        await store.execute("CREATE TABLE child (parent INTEGER REFERENCES parent (id)"
                            " DEFERRABLE INITIALLY DEFERRED)")
        with pytest.raises(StoreError, match="FOREIGN KEY constraint failed"):
            async with store.transaction() as tx:
                await tx.execute("INSERT INTO parent (id) VALUES (1)")
                await tx.execute("INSERT INTO child (parent) VALUES (2)")
        assert await store.fetch_all("SELECT * FROM parent") == []
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO parent (id) VALUES (3)")
        assert await store.fetch_all("SELECT id FROM parent") == [{"id": 3}]


async def test_a_database_read_only_at_run_time_is_named(full: SqliteStore) -> None:
    """Writes refused while running (here SQLite's query_only) say read-only, with the kind."""
    await full.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="is read-only: Vigie needs to write to it") as info:
        async with full.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('no')")
    assert info.value.kind == "read_only"
    assert await names(full) == ["kept"]


async def test_a_database_locked_by_another_program_at_run_time_is_named(
        full: SqliteStore) -> None:
    """Another program holding the write lock (past the busy timeout): 'locked', no hang."""
    other = sqlite3.connect(full.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="is locked by another process") as info:
            async with full.transaction() as tx:
                await tx.execute("INSERT INTO items (name) VALUES ('no')")
        assert info.value.kind == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with full.transaction() as tx:
        await tx.execute("INSERT INTO items (name) VALUES ('later')")
    assert await names(full) == ["kept", "later"]


def test_every_fault_kind_is_explained_in_both_languages() -> None:
    """A StoreError's kind is what a CM is told (`store.<kind>`), in French and English."""
    catalog = Catalog()
    for kind in FAULT_KINDS:
        assert catalog.has(f"store.{kind}")
    assert StoreError("x", "no such kind").kind == "other"


# -- one process per database -------------------------------------------------------------------


async def test_a_second_opener_is_refused_until_the_first_closes(tmp_path: Path) -> None:
    """The lock is held from open to close; the message names the holder's pid."""
    path = str(tmp_path / "one.db")
    first = SqliteStore(path)
    await first.open()
    second = SqliteStore(path)
    with pytest.raises(StoreError) as info:
        await second.open()
    assert info.value.kind == "in_use"
    assert str(info.value).startswith(
        f"the database {path} is in use by another Vigie process (pid {os.getpid()})")
    with pytest.raises(StoreError, match="not open"):
        await second.fetch_all("SELECT 1")
    await first.close()
    async with second:
        await second.execute("CREATE TABLE t (x INTEGER)")
    async with SqliteStore(path) as third:
        assert await third.fetch_all("SELECT x FROM t") == []


async def test_a_failed_open_lets_go_of_the_lock(tmp_path: Path) -> None:
    """A file that is not a database is refused as such each time, never as 'in use'."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database" * 500)
    for _ in range(2):
        with pytest.raises(StoreError, match="not a valid SQLite database"):
            await SqliteStore(str(path)).open()


async def test_memory_databases_take_no_lock(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Any number of in-memory stores at once; no lock file appears."""
    monkeypatch.chdir(tmp_path)
    async with SqliteStore(":memory:") as one, SqliteStore(":memory:") as two:
        await one.execute("CREATE TABLE t (x INTEGER)")
        await two.execute("CREATE TABLE t (x INTEGER)")
    assert list(tmp_path.iterdir()) == []


HOLD = """
import asyncio, sys
from bot.storage import SqliteStore
async def main():
    store = SqliteStore(sys.argv[1])
    await store.open()
    print("open", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await store.close()
asyncio.run(main())
"""


async def test_another_process_holding_the_database_is_named(tmp_path: Path) -> None:
    """A store open in another process: refused with that process's pid; free once it ends."""
    path = str(tmp_path / "shared.db")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(StoreError, match=rf"in use by another Vigie process \(pid "
                                             rf"{holder.pid}\)"):
            await SqliteStore(path).open()
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
        holder.wait()
    async with SqliteStore(path) as store:
        assert await store.fetch_one("SELECT 1 AS one") == {"one": 1}


async def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    """The OS drops the lock when the process dies, whatever the lock file still says."""
    path = str(tmp_path / "crash.db")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None
    assert holder.stdout.readline() == "open\n"
    holder.kill()
    holder.wait()
    assert Path(f"{path}.lock").read_text().strip() == str(holder.pid)
    async with SqliteStore(path) as store:
        assert await store.fetch_one("SELECT 1 AS one") == {"one": 1}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
