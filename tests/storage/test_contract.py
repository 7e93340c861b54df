"""The Store contract on both backends (SQLite and PostgreSQL): migrations, transactions,
parameters, ids and counts, constraint errors and faults."""

from __future__ import annotations

import sqlite3

import pytest

from bot.storage import ConstraintError, Migration, Store, StoreError, open_store
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import MakeStore

V1 = Migration(1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
V2 = Migration(2, "items: colour; tags", """
    ALTER TABLE items ADD COLUMN colour TEXT;
    CREATE TABLE tags (item INTEGER NOT NULL, tag TEXT NOT NULL)
""")


@pytest.fixture
async def store(make_store: MakeStore) -> Store:
    """An open store with the `items` table."""
    s = await make_store()
    await s.migrate("test", [V1])
    return s


async def committed_names(url: str) -> list[str]:
    """Item names as another connection sees them (only what is committed)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return [row[0] for row in conn.execute("SELECT name FROM items ORDER BY id")]
    async with open_store(url) as other:
        return [r["name"] for r in await other.fetch_all("SELECT name FROM items ORDER BY id")]


# -- migrations -----------------------------------------------------------------------------


def test_released_core_migrations_are_unchanged() -> None:
    """Versions 1-3 were released: their SQL (and so their checksums) must never change."""
    assert [m.checksum for m in CORE_MIGRATIONS[:3]] == [
        "5f0bcaae4d694694", "87d8eb1f53a41ba9", "821213ffa45fc584"]


async def test_migrations_applied_once_and_recorded(make_store: MakeStore) -> None:
    """First run applies every version; the next runs apply nothing; each is recorded."""
    s = await make_store()
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
    [applied] = await s.fetch_all("SELECT applied_at FROM schema_migrations WHERE version = 1")
    assert isinstance(applied["applied_at"], str) and applied["applied_at"][:2] == "20"
    await s.close()
    again = await make_store()
    assert await again.migrate("test", [V1, V2]) == []
    assert await again.fetch_all("SELECT name, colour FROM items") == [
        {"name": "a", "colour": "red"}]


async def test_core_and_plugin_migrations_apply(make_store: MakeStore) -> None:
    """Every migration shipped (core and plugins) applies, written once for both backends."""
    from plugins.contests.schema import MIGRATIONS as CONTESTS
    from plugins.escalation.alerts import MIGRATIONS as ESCALATION
    from plugins.faq.schema import MIGRATIONS as FAQ

    s = await make_store()
    assert await s.migrate("core", CORE_MIGRATIONS) == [m.version for m in CORE_MIGRATIONS]
    for name, migrations in (("contests", CONTESTS), ("escalation", ESCALATION), ("faq", FAQ)):
        assert await s.migrate(name, migrations) == [m.version for m in migrations]
    first = await s.execute("INSERT INTO faq_misses (ts, community, channel, lang, text, terms,"
                            " score) VALUES ('t', 'c', 'ch', 'en', 'x', '', 0.5)")
    second = await s.execute("INSERT INTO faq_misses (ts, community, channel, lang, text,"
                             " terms, score) VALUES ('t', 'c', 'ch', 'en', 'y', '', 2)")
    assert (first, second) == (1, 2)
    assert await s.fetch_all("SELECT score FROM faq_misses ORDER BY id") == [
        {"score": 0.5}, {"score": 2.0}]


async def test_new_migration_is_applied_after_older_ones(make_store: MakeStore) -> None:
    """A later release adds version 2; only it runs."""
    s = await make_store()
    assert await s.migrate("test", [V1]) == [1]
    await s.close()
    s = await make_store()
    assert await s.migrate("test", [V1, V2]) == [2]


async def test_namespaces_are_independent(store: Store) -> None:
    """Version 1 of another namespace is not version 1 of this one."""
    other = Migration(1, "other", "CREATE TABLE other_things (x INTEGER)")
    assert await store.migrate("other", [other]) == [1]
    assert await store.migrate("test", [V1]) == []


async def test_edited_released_migration_is_refused(store: Store) -> None:
    """Changing the SQL of an applied version is an error that says what to do instead."""
    edited = Migration(1, "items", V1.sql + ", extra TEXT")
    with pytest.raises(StoreError, match=r"migration test v1 \(items\) was edited") as info:
        await store.migrate("test", [edited])
    assert "add a new migration" in str(info.value)


@pytest.mark.parametrize("versions", [(2, 1), (1, 1), (1, 3, 2)])
async def test_non_increasing_versions_are_refused(make_store: MakeStore,
                                                   versions: tuple[int, ...]) -> None:
    """Versions must be distinct and increasing; nothing is applied otherwise."""
    migrations = [Migration(v, f"m{v}", f"CREATE TABLE t{i} (x INTEGER)")
                  for i, v in enumerate(versions)]
    s = await make_store()
    with pytest.raises(StoreError, match="distinct increasing versions"):
        await s.migrate("test", migrations)
    assert await s.fetch_all("SELECT * FROM schema_migrations") == []


async def test_failing_migration_leaves_nothing_behind(store: Store) -> None:
    """A migration whose second statement fails is rolled back and not recorded."""
    broken = Migration(2, "broken", "CREATE TABLE half (x INTEGER); CREATE TABLE items (y TEXT)")
    with pytest.raises(StoreError, match=r"migration test v2 \(broken\) failed.*already exists"):
        await store.migrate("test", [V1, broken])
    with pytest.raises(StoreError, match="half"):
        await store.fetch_all("SELECT * FROM half")
    versions = await store.fetch_all("SELECT version FROM schema_migrations")
    assert versions == [{"version": 1}]


# -- transactions ---------------------------------------------------------------------------


async def test_transaction_commits_together(store: Store, store_url: str) -> None:
    """Nothing is visible to others until the block ends; then everything is."""
    async with store.transaction() as tx:
        first = await tx.execute("INSERT INTO items (name) VALUES ('a')")
        await tx.execute("INSERT INTO items (name) VALUES ('b')")
        assert [r["name"] for r in await tx.fetch_all("SELECT name FROM items")] == ["a", "b"]
        assert await committed_names(store_url) == []
    assert first == 1
    assert await committed_names(store_url) == ["a", "b"]


async def test_transaction_rolls_back_on_exception(store: Store, store_url: str) -> None:
    """An error inside the block undoes every statement of it, and the error propagates."""
    await store.execute("INSERT INTO items (name) VALUES ('kept')")
    with pytest.raises(RuntimeError, match="halfway"):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('lost')")
            await tx.execute("UPDATE items SET name = 'changed' WHERE name = 'kept'")
            raise RuntimeError("halfway")
    assert await committed_names(store_url) == ["kept"]
    assert await store.fetch_all("SELECT name FROM items") == [{"name": "kept"}]


async def test_failed_statement_rolls_back_the_transaction(store: Store) -> None:
    """A broken constraint (NOT NULL) is a ConstraintError and undoes the earlier statements."""
    with pytest.raises(ConstraintError) as info:
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO items (name) VALUES ('first')")
            await tx.execute("INSERT INTO items (name) VALUES (NULL)")
    assert not info.value.unique
    assert await store.fetch_all("SELECT name FROM items") == []
    await store.execute("INSERT INTO items (name) VALUES ('after')")
    assert await store.fetch_all("SELECT name FROM items") == [{"name": "after"}]


async def test_unique_violation_is_a_constraint_error(store: Store) -> None:
    """A second row with the same key says so (callers may expect it); not a fault."""
    await store.execute("CREATE TABLE claims (k TEXT NOT NULL, PRIMARY KEY (k))")
    await store.execute("INSERT INTO claims (k) VALUES (:k)", {"k": "x"})
    with pytest.raises(ConstraintError) as info:
        await store.execute("INSERT INTO claims (k) VALUES (:k)", {"k": "x"})
    assert info.value.unique
    with pytest.raises(ConstraintError):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO claims (k) VALUES (:k)", {"k": "x"})
    assert await store.fetch_all("SELECT k FROM claims") == [{"k": "x"}]


async def test_execute_returns_row_ids_and_counts(store: Store) -> None:
    """INSERT gives the new row's id, UPDATE and DELETE the number of rows changed."""
    assert await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": "a"}) == 1
    assert await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": "b"}) == 2
    assert await store.execute("UPDATE items SET name = name || '!'") == 2
    assert await store.fetch_one("SELECT name FROM items WHERE id = :id", {"id": 2}) == {
        "name": "b!"}
    assert await store.fetch_one("SELECT name FROM items WHERE id = 99") is None
    assert await store.execute("DELETE FROM items WHERE id = 1") == 1
    assert await store.execute("INSERT INTO items (name) VALUES ('c')") == 3
    assert await store.execute("INSERT INTO items (name) VALUES ('d'), ('e')") == 5


async def test_parameters_casts_and_literals(store: Store) -> None:
    """`:name` is a parameter; `::`, quoted `:words` and doubled quotes are left alone; a name
    used twice is one value; integers are accepted where text is stored, as SQLite does."""
    await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": "it's :n"})
    rows = await store.fetch_all(
        "SELECT name, ':n' AS quoted, 'don''t' AS doubled, :n AS again,"
        " CAST(:x AS INTEGER) + 1 AS plus FROM items WHERE name = :n OR name = ':n'",
        {"n": "it's :n", "x": 41})
    assert rows == [{"name": "it's :n", "quoted": ":n", "doubled": "don't", "again": "it's :n",
                     "plus": 42}]
    await store.execute("INSERT INTO items (name) VALUES (:n)", {"n": 12345})
    assert await store.fetch_all("SELECT name FROM items WHERE name = :n", {"n": "12345"}) == [
        {"name": "12345"}]
    with pytest.raises(StoreError):
        await store.fetch_all("SELECT name FROM items WHERE name = :missing", {})


async def test_optional_parameters_tested_with_is_null(store: Store) -> None:
    """`(:x IS NULL OR col = :x)` works with a value or None, in a transaction too."""
    await store.execute("CREATE TABLE nums (n INTEGER NOT NULL, label TEXT)")
    await store.execute("INSERT INTO nums (n, label) VALUES (1, 'one'), (2, NULL)")
    query = "SELECT n FROM nums WHERE (:n IS NULL OR n = :n) ORDER BY n"
    async with store.transaction() as tx:
        assert await tx.fetch_all(query, {"n": 2}) == [{"n": 2}]
        assert await tx.fetch_all(query, {"n": None}) == [{"n": 1}, {"n": 2}]
        await tx.execute("UPDATE nums SET label = 'two' WHERE :l IS NOT NULL AND n = 2",
                         {"l": "x"})
    assert await store.fetch_all(
        "SELECT label FROM nums WHERE :l IS NULL OR label = :l ORDER BY n", {"l": None}) == [
        {"label": "one"}, {"label": "two"}]


async def test_numbers_round_trip(store: Store) -> None:
    """Big integers, reals and sums come back as Python ints and floats."""
    await store.execute("CREATE TABLE nums (big INTEGER NOT NULL, r REAL NOT NULL)")
    await store.execute("INSERT INTO nums (big, r) VALUES (:b, :r)", {"b": 2 ** 40, "r": 1.5})
    await store.execute("INSERT INTO nums (big, r) VALUES (:b, :r)", {"b": 1, "r": 2})
    row = await store.fetch_one(
        "SELECT SUM(big) AS total, SUM(r) AS rs, COUNT(*) AS n, MAX(big) AS top FROM nums")
    assert row == {"total": 2 ** 40 + 1, "rs": 3.5, "n": 2, "top": 2 ** 40}
    assert all(type(v) in (int, float) for v in row.values())


async def test_store_used_inside_its_own_transaction_is_an_error(store: Store) -> None:
    """Using the store (not the transaction) inside a transaction would deadlock: refused."""
    with pytest.raises(StoreError, match="use the transaction object"):
        async with store.transaction():
            await store.execute("INSERT INTO items (name) VALUES ('x')")
    assert await store.fetch_all("SELECT * FROM items") == []


async def test_statement_error_is_a_store_error(store: Store) -> None:
    """Outside a transaction, a database error comes out as StoreError naming the table."""
    with pytest.raises(StoreError, match="nowhere"):
        await store.execute("INSERT INTO nowhere (x) VALUES (1)")


async def test_data_survives_close_and_reopen(make_store: MakeStore) -> None:
    """What was committed is there after closing and opening again."""
    s = await make_store()
    await s.migrate("test", [V1])
    await s.execute("INSERT INTO items (name) VALUES ('durable')")
    await s.close()
    s = await make_store()
    assert await s.fetch_all("SELECT name FROM items") == [{"name": "durable"}]


async def test_closed_store_says_so(store_url: str) -> None:
    """A store that is not open raises a StoreError of kind `closed`."""
    s = open_store(store_url)
    with pytest.raises(StoreError, match="not open") as info:
        await s.fetch_all("SELECT 1")
    assert info.value.kind == "closed"


async def test_execute_many_writes_every_row_in_the_transaction(store: Store) -> None:
    """A batch goes in with its transaction, in order; a failing row undoes the whole batch."""
    async with store.transaction() as tx:
        await tx.execute_many("INSERT INTO items (name) VALUES (:name)",
                              [{"name": f"n{i}"} for i in range(50)])
    rows = await store.fetch_all("SELECT name FROM items ORDER BY id")
    assert [r["name"] for r in rows] == [f"n{i}" for i in range(50)]
    with pytest.raises((ConstraintError, StoreError)):
        async with store.transaction() as tx:
            await tx.execute_many("INSERT INTO items (id, name) VALUES (:id, :name)",
                                  [{"id": 1000, "name": "a"}, {"id": 1000, "name": "b"}])
    assert len(await store.fetch_all("SELECT id FROM items")) == 50


async def test_an_opened_case_is_what_the_database_holds(make_store: MakeStore) -> None:
    """`CaseLog.open` answers without reading the case back: what it answers must be exactly
    the stored row, on both backends (times to the stored precision, empty defaults)."""
    from datetime import timedelta

    from bot.cases import CaseLog
    from bot.clock import ManualClock
    from tests.harness import START

    s = await make_store()
    await s.migrate("core", CORE_MIGRATIONS)
    log = CaseLog(s, ManualClock(START + timedelta(microseconds=123_457)))
    for kwargs in ({}, {"duration": timedelta(minutes=90), "reason": "flood", "refs": (1, 2),
                        "channel": "console:general", "event_id": "console:m1",
                        "evidence": "automod/flood", "revision": "abc"}):
        opened = await log.open(community="console:c", action="timeout",
                                target_id="console:bob", target_name="bob",
                                author_id="rule:automod/flood", author_name="Vigie", **kwargs)
        assert opened == await log.get_by_id(opened.id)
