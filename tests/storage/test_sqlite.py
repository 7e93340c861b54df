"""SqliteStore and open_store: what is SQLite's own (files, locks, one writer) and URLs.

What every backend does (migrations, transactions, errors) is in test_contract.py."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage import Migration, PostgresStore, SqliteStore, StoreError, open_store

V1 = Migration(1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """An open store on a fresh file, with the `items` table."""
    s = SqliteStore(str(tmp_path / "test.db"))
    await s.open()
    await s.migrate("test", [V1])
    yield s
    await s.close()


def raw_names(path: Path) -> list[str]:
    """Item names as another connection sees them (only what is committed)."""
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM items ORDER BY id")]


# -- one writer at a time ---------------------------------------------------------------------


async def test_other_tasks_wait_for_the_transaction(store: SqliteStore, tmp_path: Path) -> None:
    """A write by another task neither lands inside an open transaction nor dies with it."""
    inside = asyncio.Event()
    writer_started = asyncio.Event()

    async def writer() -> None:
        await inside.wait()
        writer_started.set()
        await store.execute("INSERT INTO items (name) VALUES ('other task')")

    task = asyncio.create_task(writer())
    seen_inside: list[str] = []
    with pytest.raises(RuntimeError, match="abort"):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('mine')")
            inside.set()
            await writer_started.wait()
            for _ in range(20):  # give the writer every chance to run
                await asyncio.sleep(0)
            await tx.execute("SELECT 1")
            assert not task.done()
            seen_inside = [r["name"] for r in await tx.fetch_all("SELECT name FROM items")]
            raise RuntimeError("abort")
    await task
    assert seen_inside == ["mine"]
    assert raw_names(tmp_path / "test.db") == ["other task"]


async def test_closed_store_says_so(tmp_path: Path) -> None:
    """A store that is not open raises a StoreError, not an AttributeError."""
    s = SqliteStore(str(tmp_path / "c.db"))
    with pytest.raises(StoreError, match="not open"):
        await s.fetch_all("SELECT 1")


# -- databases that cannot be used ------------------------------------------------------------


async def test_locked_database_is_reported_at_open(tmp_path: Path) -> None:
    """Another process holding the database gives a clear 'locked' error at open()."""
    path = tmp_path / "locked.db"
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("CREATE TABLE t (x INTEGER)")
        other.execute("BEGIN EXCLUSIVE")
        s = SqliteStore(str(path))
        with pytest.raises(StoreError, match="locked") as info:
            await s.open()
        assert str(path) in str(info.value)
        with pytest.raises(StoreError, match="not open"):
            await s.fetch_all("SELECT 1")
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture(params=["file and folder", "file only"])
def read_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A database Vigie used before, made read-only (and its folder too, or not)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "ro.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x INTEGER)")
    conn.close()
    path.chmod(0o444)
    if request.param == "file and folder":
        folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def _can_write(path: Path) -> bool:
    try:
        with path.open("ab"):
            pass
    except PermissionError:
        return False
    return True


OPEN_SCRIPT = """
import asyncio, sys
from bot.storage import SqliteStore, StoreError
async def main():
    try:
        await SqliteStore(sys.argv[1]).open()
    except StoreError as exc:
        print("StoreError:", exc)
    else:
        print("opened")
asyncio.run(main())
"""


def _open_without_root_overrides(path: Path) -> str | None:
    """Open the store in a child that has root's permission overrides dropped (capsh)."""
    capsh = shutil.which("capsh")
    if os.geteuid() != 0 or capsh is None:
        return None
    command = shlex.join([sys.executable, "-c", OPEN_SCRIPT, str(path)])
    done = subprocess.run(
        [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", command],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parents[2])
    return done.stdout.strip() if done.returncode == 0 and done.stdout else None


async def test_read_only_database_is_reported(read_only: Path) -> None:
    """A file Vigie cannot write to gives a clear 'read-only' error at open()."""
    assert not stat.S_IWUSR & read_only.stat().st_mode
    if _can_write(read_only):
        # Root ignores chmod; without capsh to drop that power, there is nothing to test.
        answer = _open_without_root_overrides(read_only)
        if answer is None:
            pytest.skip(f"running as uid {os.getuid()} with permission overrides: chmod "
                        "cannot make the file read-only here")
    else:
        try:
            await SqliteStore(str(read_only)).open()
        except StoreError as exc:
            answer = f"StoreError: {exc}"
        else:
            answer = "opened"
    assert answer.startswith("StoreError: the database ")
    assert "is read-only: Vigie needs to write to it" in answer


async def test_directory_path_is_a_clear_error(tmp_path: Path) -> None:
    """Pointing the store at a folder says so."""
    folder = tmp_path / "a folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a directory, not a database file"):
        await SqliteStore(str(folder)).open()


async def test_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    """A path below a plain file cannot get its folder created."""
    (tmp_path / "plain").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the database folder"):
        await SqliteStore(str(tmp_path / "plain" / "sub" / "v.db")).open()


async def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is not SQLite is named as such."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a valid SQLite database"):
        await SqliteStore(str(path)).open()


async def test_missing_folder_is_created(tmp_path: Path) -> None:
    """The default `data/vigie.db` works on a fresh checkout: the folder is made."""
    async with SqliteStore(str(tmp_path / "data" / "nested" / "v.db")) as s:
        await s.execute("CREATE TABLE t (x INTEGER)")
    assert (tmp_path / "data" / "nested" / "v.db").is_file()


# -- URLs -------------------------------------------------------------------------------------


async def test_relative_sqlite_url_is_relative_to_base(tmp_path: Path) -> None:
    """`sqlite:///data/v.db` lands under the base folder."""
    s = open_store("sqlite:///data/rel.db", base=tmp_path)
    assert isinstance(s, SqliteStore)
    async with s:
        await s.execute("CREATE TABLE t (x INTEGER)")
    assert (tmp_path / "data" / "rel.db").is_file()


async def test_relative_sqlite_url_without_base_is_relative_to_cwd(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a base, the working directory is the base."""
    monkeypatch.chdir(tmp_path)
    s = open_store("sqlite:///rel.db")
    async with s:
        await s.execute("CREATE TABLE t (x INTEGER)")
    assert (tmp_path / "rel.db").is_file()


async def test_absolute_sqlite_url(tmp_path: Path) -> None:
    """`sqlite:////abs/path.db` is absolute, whatever the base."""
    target = tmp_path / "abs" / "abs.db"
    s = open_store(f"sqlite:///{target}", base=tmp_path / "elsewhere")
    assert isinstance(s, SqliteStore)
    assert Path(s.path) == target
    async with s:
        await s.execute("CREATE TABLE t (x INTEGER)")
    assert target.is_file()
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("url", ["sqlite://:memory:", "sqlite:///:memory:"])
async def test_memory_url(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An in-memory database works and leaves no file."""
    monkeypatch.chdir(tmp_path)
    s = open_store(url, base=tmp_path)
    assert isinstance(s, SqliteStore)
    async with s:
        assert await s.migrate("test", [V1]) == [1]
        await s.execute("INSERT INTO items (name) VALUES ('m')")
        assert await s.fetch_all("SELECT name FROM items") == [{"name": "m"}]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["postgres://u:p@localhost/vigie",
                                 "postgresql://localhost:5432/vigie"])
def test_postgres_url_gives_a_postgres_store(url: str) -> None:
    """PostgreSQL URLs (both spellings) open a PostgresStore; the password is never shown."""
    store = open_store(url)
    assert isinstance(store, PostgresStore)
    assert ":p@" not in store.url and ":p@" not in repr(store)


@pytest.mark.parametrize("url", ["mysql://localhost/vigie", "vigie.db", "", "sqlite:/x.db"])
def test_unsupported_url_is_refused(url: str) -> None:
    """Anything else is a StoreError that shows the expected form."""
    with pytest.raises(StoreError, match=r"unsupported database URL.*sqlite:///.*postgresql://"):
        open_store(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_url_without_a_file_is_refused(url: str) -> None:
    """`sqlite:///` alone names no file."""
    with pytest.raises(StoreError, match="no database file given"):
        open_store(url)
