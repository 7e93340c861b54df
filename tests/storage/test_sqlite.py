"""SqliteStore and open_store: migrations, transactions, locking, and clear errors."""

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

from bot.storage import Migration, SqliteStore, StoreError, open_store

V1 = Migration(1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
V2 = Migration(2, "items: colour; tags", """
    ALTER TABLE items ADD COLUMN colour TEXT;
    CREATE TABLE tags (item INTEGER NOT NULL, tag TEXT NOT NULL)
""")


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


# -- migrations -----------------------------------------------------------------------------


async def test_migrations_applied_once_and_recorded(tmp_path: Path) -> None:
    """First run applies every version; the next runs apply nothing; each is recorded."""
    async with SqliteStore(str(tmp_path / "m.db")) as s:
        assert await s.migrate("test", [V1, V2]) == [1, 2]
        assert await s.migrate("test", [V1, V2]) == []
        await s.execute("INSERT INTO items (name, colour) VALUES ('a', 'red')")
        await s.execute("INSERT INTO tags (item, tag) VALUES (1, 'x')")
        rows = await s.fetch_all(
            "SELECT namespace, version, name, checksum FROM schema_migrations ORDER BY version")
    assert rows == [
        {"namespace": "test", "version": 1, "name": "items", "checksum": V1.checksum},
        {"namespace": "test", "version": 2, "name": "items: colour; tags",
         "checksum": V2.checksum},
    ]
    async with SqliteStore(str(tmp_path / "m.db")) as again:
        assert await again.migrate("test", [V1, V2]) == []
        assert await again.fetch_all("SELECT name, colour FROM items") == [
            {"name": "a", "colour": "red"}]


async def test_new_migration_is_applied_after_older_ones(tmp_path: Path) -> None:
    """A later release adds version 2; only it runs."""
    async with SqliteStore(str(tmp_path / "m.db")) as s:
        assert await s.migrate("test", [V1]) == [1]
    async with SqliteStore(str(tmp_path / "m.db")) as s:
        assert await s.migrate("test", [V1, V2]) == [2]


async def test_namespaces_are_independent(store: SqliteStore) -> None:
    """Version 1 of another namespace is not version 1 of this one."""
    other = Migration(1, "other", "CREATE TABLE other_things (x INTEGER)")
    assert await store.migrate("other", [other]) == [1]
    assert await store.migrate("test", [V1]) == []


async def test_edited_released_migration_is_refused(store: SqliteStore) -> None:
    """Changing the SQL of an applied version is an error that says what to do instead."""
    edited = Migration(1, "items", V1.sql + ", extra TEXT")
    with pytest.raises(StoreError, match=r"migration test v1 \(items\) was edited") as info:
        await store.migrate("test", [edited])
    assert "add a new migration" in str(info.value)


@pytest.mark.parametrize("versions", [(2, 1), (1, 1), (1, 3, 2)])
async def test_non_increasing_versions_are_refused(tmp_path: Path,
                                                   versions: tuple[int, ...]) -> None:
    """Versions must be distinct and increasing; nothing is applied otherwise."""
    migrations = [Migration(v, f"m{v}", f"CREATE TABLE t{i} (x INTEGER)")
                  for i, v in enumerate(versions)]
    async with SqliteStore(str(tmp_path / "m.db")) as s:
        with pytest.raises(StoreError, match="distinct increasing versions"):
            await s.migrate("test", migrations)
        assert await s.fetch_all("SELECT * FROM schema_migrations") == []


async def test_failing_migration_leaves_nothing_behind(store: SqliteStore) -> None:
    """A migration whose second statement fails is rolled back and not recorded."""
    broken = Migration(2, "broken", "CREATE TABLE half (x INTEGER); CREATE TABLE items (y)")
    with pytest.raises(StoreError, match=r"migration test v2 \(broken\) failed.*already exists"):
        await store.migrate("test", [V1, broken])
    assert await store.fetch_all("SELECT name FROM sqlite_master WHERE name = 'half'") == []
    versions = await store.fetch_all("SELECT version FROM schema_migrations")
    assert versions == [{"version": 1}]


# -- transactions ---------------------------------------------------------------------------


async def test_transaction_commits_together(store: SqliteStore, tmp_path: Path) -> None:
    """Nothing is visible to others until the block ends; then everything is."""
    async with store.transaction() as tx:
        first = await tx.execute("INSERT INTO items (name) VALUES ('a')")
        await tx.execute("INSERT INTO items (name) VALUES ('b')")
        assert [r["name"] for r in await tx.fetch_all("SELECT name FROM items")] == ["a", "b"]
        assert raw_names(tmp_path / "test.db") == []
    assert first == 1
    assert raw_names(tmp_path / "test.db") == ["a", "b"]


async def test_transaction_rolls_back_on_exception(store: SqliteStore, tmp_path: Path) -> None:
    """An error inside the block undoes every statement of it, and the error propagates."""
    await store.execute("INSERT INTO items (name) VALUES ('kept')")
    with pytest.raises(RuntimeError, match="halfway"):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('lost')")
            await tx.execute("UPDATE items SET name = 'changed' WHERE name = 'kept'")
            raise RuntimeError("halfway")
    assert raw_names(tmp_path / "test.db") == ["kept"]
    assert await store.fetch_all("SELECT name FROM items") == [{"name": "kept"}]


async def test_failed_statement_rolls_back_the_transaction(store: SqliteStore) -> None:
    """A database error in the middle (NOT NULL) also undoes the earlier statements."""
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('first')")
            await tx.execute("INSERT INTO items (name) VALUES (NULL)")
    assert await store.fetch_all("SELECT name FROM items") == []


async def test_execute_returns_row_ids_and_counts(store: SqliteStore) -> None:
    """INSERT gives the new row's id, UPDATE and DELETE the number of rows changed."""
    assert await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": "a"}) == 1
    assert await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": "b"}) == 2
    assert await store.execute("UPDATE items SET name = name || '!'") == 2
    assert await store.fetch_one("SELECT name FROM items WHERE id = :id", {"id": 2}) == {
        "name": "b!"}
    assert await store.fetch_one("SELECT name FROM items WHERE id = 99") is None
    assert await store.execute("DELETE FROM items WHERE id = 1") == 1


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


async def test_store_used_inside_its_own_transaction_is_an_error(store: SqliteStore) -> None:
    """Using the store (not the transaction) inside a transaction would deadlock: refused."""
    with pytest.raises(StoreError, match="use the transaction object"):
        async with store.transaction():
            await store.execute("INSERT INTO items (name) VALUES ('x')")
    assert await store.fetch_all("SELECT * FROM items") == []


async def test_statement_error_is_a_store_error(store: SqliteStore) -> None:
    """Outside a transaction, a database error comes out as StoreError."""
    with pytest.raises(StoreError, match="no such table"):
        await store.execute("INSERT INTO nowhere (x) VALUES (1)")


async def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    """What was committed is there after closing and opening again."""
    path = str(tmp_path / "d.db")
    async with SqliteStore(path) as s:
        await s.migrate("test", [V1])
        await s.execute("INSERT INTO items (name) VALUES ('durable')")
    async with SqliteStore(path) as s:
        assert await s.fetch_all("SELECT name FROM items") == [{"name": "durable"}]


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
def test_postgres_url_is_not_available_yet(url: str) -> None:
    """PostgreSQL is announced but not there: say so."""
    with pytest.raises(StoreError, match="PostgreSQL storage is not available yet") as info:
        open_store(url)
    assert "u:p" not in str(info.value)


@pytest.mark.parametrize("url", ["mysql://localhost/vigie", "vigie.db", "", "sqlite:/x.db"])
def test_unsupported_url_is_refused(url: str) -> None:
    """Anything else is a StoreError that shows the expected form."""
    with pytest.raises(StoreError, match=r"unsupported database URL.*sqlite:///"):
        open_store(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_url_without_a_file_is_refused(url: str) -> None:
    """`sqlite:///` alone names no file."""
    with pytest.raises(StoreError, match="no database file given"):
        open_store(url)
