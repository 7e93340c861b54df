"""Copy a SQLite database into another store (PostgreSQL): resumable, then verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.storage.base import ConstraintError, Migration, Row, Store, StoreError
from bot.storage.sqlite import SqliteStore

__all__ = ["PROGRESS_TABLE", "MigrateRefused", "MigrateReport", "TableCheck", "migrate_database"]

PROGRESS_TABLE = "vigie_migrate_progress"
_OWN = {"schema_migrations", PROGRESS_TABLE}
_PROGRESS_DDL = (f"CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} ("
                 " table_name TEXT PRIMARY KEY, source_hash TEXT NOT NULL,"
                 " last_key TEXT, rows_copied INTEGER NOT NULL, done INTEGER NOT NULL)")
_MOD = 1 << 256
_MAX_PARAMS = 30_000  # parameters in one statement: PostgreSQL takes 65,535, SQLite 32,766
BatchCallback = Callable[[str, int], None]
"""Called after each committed batch with the table and the rows copied so far."""


@dataclass
class TableCheck:
    """One table compared on both sides after the copy."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str
    copied_now: int = 0

    @property
    def ok(self) -> bool:
        """Same number of rows and the same checksum."""
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


@dataclass
class MigrateReport:
    """What was copied and what the verification found."""

    source: str
    target: str
    resumed: bool = False
    tables: list[TableCheck] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every table and the case numbering are identical on both sides."""
        return not self.differences and all(t.ok for t in self.tables)


class MigrateRefused(StoreError):
    """The target cannot receive the copy (not empty, or another copy in progress)."""


def _quote(name: str) -> str:
    """A quoted SQL identifier (table and column names come from the source's catalogue)."""
    return '"' + name.replace('"', '""') + '"'


def source_hash(source: SqliteStore) -> str:
    """What identifies the source of a copy in the progress table: its file's full path."""
    return hashlib.sha256(str(Path(source.path).resolve()).encode()).hexdigest()[:16]


async def _tables_of(store: Store) -> list[str]:
    """The ordinary tables of a store (its current schema on PostgreSQL)."""
    if store.dialect == "postgresql":
        rows = await store.fetch_all(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    else:
        rows = await store.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(str(row["name"]) for row in rows)


async def _in_dependency_order(source: Store, tables: Sequence[str]) -> list[str]:
    """The tables, each after the tables its foreign keys point to (then by name)."""
    parents: dict[str, set[str]] = {}
    for table in tables:
        links = await source.fetch_all(f"PRAGMA foreign_key_list({_quote(table)})")
        parents[table] = {str(link["table"]) for link in links} & set(tables) - {table}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables if t not in ordered and parents[t] <= set(ordered))
        if not ready:  # a cycle: copy the rest by name, the target reports what it refuses
            ready = sorted(t for t in tables if t not in ordered)
        ordered.extend(ready)
    return ordered


async def _keys_and_columns(source: Store, table: str) -> tuple[list[str], list[str]]:
    """A source table's key columns (in key order) and all its columns."""
    info = await source.fetch_all(f"PRAGMA table_info({_quote(table)})")
    columns = [str(row["name"]) for row in info]
    keys = [str(row["name"]) for row in sorted(info, key=lambda r: int(r["pk"])) if row["pk"]]
    return keys or columns, columns


def _after(keys: Sequence[str], last: Sequence[Any] | None) -> tuple[str, dict[str, Any]]:
    """The keyset condition `(k1, k2) > (:k0, :k1)` of the next batch, and its parameters."""
    if last is None:
        return "", {}
    names = ", ".join(_quote(k) for k in keys)
    marks = ", ".join(f":k{i}" for i in range(len(keys)))
    condition = f"({names}) > ({marks})" if len(keys) > 1 else f"{names} > {marks}"
    return f" WHERE {condition}", {f"k{i}": value for i, value in enumerate(last)}


async def _batches(store: Store, table: str, keys: Sequence[str], size: int,
                   last: Sequence[Any] | None = None) -> AsyncIterator[list[Row]]:
    """Every row of a table after `last`, in batches, in the store's key order."""
    order = ", ".join(_quote(k) for k in keys)
    while True:
        where, params = _after(keys, last)
        rows = await store.fetch_all(
            f"SELECT * FROM {_quote(table)}{where} ORDER BY {order} LIMIT {int(size)}", params)
        if not rows:
            return
        yield rows
        last = [rows[-1][k] for k in keys]
        if len(rows) < size:
            return


def _row_digest(row: Row, columns: Sequence[str]) -> int:
    """One row's hash over the named columns (1.0 and 1 are one number on both backends)."""
    values = [row.get(c) for c in columns]
    for index, value in enumerate(values):
        if type(value) is float and value.is_integer():
            values[index] = int(value)
        elif isinstance(value, bytes | bytearray | memoryview):
            values[index] = bytes(value).hex()
    text = json.dumps(values, ensure_ascii=False, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


async def _checksum(store: Store, table: str, keys: Sequence[str], columns: Sequence[str],
                    size: int) -> tuple[int, str]:
    """Rows and a checksum of a table: the sum of its rows' hashes, so that it does not depend
    on how each backend orders text keys (collations differ)."""
    count = 0
    total = 0
    async for rows in _batches(store, table, keys, size):
        count += len(rows)
        for row in rows:
            total = (total + _row_digest(row, columns)) % _MOD
    return count, f"{total:064x}"[:16]


async def _numbering(store: Store) -> dict[str, tuple[int, int, int, int]]:
    """Per community: cases, lowest and highest number, distinct numbers."""
    rows = await store.fetch_all(
        "SELECT community, COUNT(*) AS n, MIN(number) AS lo, MAX(number) AS hi,"
        " COUNT(DISTINCT number) AS d FROM cases GROUP BY community")
    return {str(r["community"]): (int(r["n"]), int(r["lo"]), int(r["hi"]), int(r["d"]))
            for r in rows}


async def _check_numbering(source: Store, target: Store, report: MigrateReport) -> None:
    """Case numbers per community: the same on both sides, without gap or duplicate."""
    theirs = await _numbering(source)
    ours = await _numbering(target)
    for community in sorted(set(theirs) | set(ours)):
        before, after = theirs.get(community), ours.get(community)
        if before != after:
            report.differences.append(
                f"cases of {community}: source (count, min, max, distinct)={before}, "
                f"target={after}")
        elif after is not None and after != (after[0], 1, after[0], after[0]):
            report.differences.append(
                f"cases of {community}: numbering has a gap or a duplicate on both sides "
                f"(count, min, max, distinct)={after}")


async def _refuse_unless_ours(target: Store, tag: str) -> bool:
    """True when resuming our own copy; MigrateRefused when the target holds other data."""
    tables = await _tables_of(target)
    if PROGRESS_TABLE in tables:
        owners = {r["source_hash"] for r in await target.fetch_all(
            f"SELECT DISTINCT source_hash FROM {PROGRESS_TABLE}")}
        if owners == {tag}:
            return True
        if owners:
            raise MigrateRefused(f"{target.url} holds a copy started from another source "
                                 f"({PROGRESS_TABLE}); use an empty database", "other")
    filled = [t for t in tables if t not in _OWN and (await target.fetch_all(
        f"SELECT 1 AS x FROM {_quote(t)} LIMIT 1"))]
    if filled:
        raise MigrateRefused(f"{target.url} is not empty (rows in {', '.join(filled)}): "
                             "vigie migrate only copies into an empty database", "other")
    return False


async def _apply_migrations(source: Store, target: Store,
                            migrations: Sequence[tuple[str, Sequence[Migration]]]) -> None:
    """Build every known schema on the target; refuse a source that is newer than this code."""
    known: dict[str, int] = {}
    for namespace, ms in migrations:
        known[namespace] = max([known.get(namespace, 0), *(m.version for m in ms)])
    rows = await source.fetch_all(
        "SELECT namespace, MAX(version) AS v FROM schema_migrations GROUP BY namespace")
    for row in rows:
        namespace, version = str(row["namespace"]), int(row["v"])
        if version > known.get(namespace, 0):
            what = (f"knows up to v{known[namespace]}" if namespace in known
                    else "is not installed")
            raise MigrateRefused(f"the source has {namespace} v{version}, but {namespace} {what}"
                                 ": upgrade Vigie (or install the plugin) first", "other")
    for namespace, ms in migrations:
        if ms:
            await target.migrate(namespace, ms)


def _insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> tuple[str, dict[str, Any]]:
    """One INSERT of several rows, `:r<row>c<column>` parameters."""
    names = ", ".join(_quote(c) for c in columns)
    values = ", ".join("(" + ", ".join(f":r{r}c{c}" for c in range(len(columns))) + ")"
                       for r in range(len(rows)))
    params = {f"r{r}c{c}": row[column] for r, row in enumerate(rows)
              for c, column in enumerate(columns)}
    return f"INSERT INTO {_quote(table)} ({names}) VALUES {values}", params


async def _copy_table(source: Store, target: Store, table: str, tag: str, size: int,
                      on_batch: BatchCallback | None) -> int:
    """Copy the rows not copied yet, one transaction per batch with its progress; rows copied."""
    keys, columns = await _keys_and_columns(source, table)
    state = await target.fetch_one(
        f"SELECT last_key, rows_copied, done FROM {PROGRESS_TABLE} WHERE table_name = :t",
        {"t": table})
    if state is None:
        await target.execute(
            f"INSERT INTO {PROGRESS_TABLE} (table_name, source_hash, last_key, rows_copied, done)"
            " VALUES (:t, :h, NULL, 0, 0)", {"t": table, "h": tag})
        state = {"last_key": None, "rows_copied": 0, "done": 0}
    if state["done"]:
        return 0
    last = json.loads(state["last_key"]) if state["last_key"] else None
    copied = int(state["rows_copied"])
    now = 0
    per_statement = max(1, _MAX_PARAMS // len(columns))
    async for rows in _batches(source, table, keys, size, last):
        last = [rows[-1][k] for k in keys]
        copied += len(rows)
        async with target.transaction() as tx:
            for start in range(0, len(rows), per_statement):
                sql, params = _insert(table, columns, rows[start:start + per_statement])
                await tx.execute(sql, params)
            await tx.execute(
                f"UPDATE {PROGRESS_TABLE} SET last_key = :k, rows_copied = :n"
                " WHERE table_name = :t", {"k": json.dumps(last), "n": copied, "t": table})
        now += len(rows)
        if on_batch is not None:
            on_batch(table, copied)
    await target.execute(f"UPDATE {PROGRESS_TABLE} SET done = 1 WHERE table_name = :t",
                         {"t": table})
    return now


async def _reset_sequences(target: Store, tables: Sequence[str]) -> None:
    """Move PostgreSQL identity sequences past the copied ids, so new rows do not collide."""
    if target.dialect != "postgresql":
        return
    for table in tables:
        identity = await target.fetch_one(
            "SELECT 1 AS x FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = :t AND column_name = 'id'"
            " AND (is_identity = 'YES' OR column_default LIKE 'nextval%')", {"t": table})
        if identity is None:
            continue
        await target.fetch_all(
            f"SELECT setval(pg_get_serial_sequence(:t, 'id'), MAX(id)) AS v FROM {_quote(table)}"
            " HAVING MAX(id) IS NOT NULL", {"t": table})


async def migrate_database(source: Store, target: Store,
                           migrations: Sequence[tuple[str, Sequence[Migration]]], *,
                           batch_size: int = 500,
                           on_batch: BatchCallback | None = None) -> MigrateReport:
    """Copy every table of the open SQLite `source` into the open `target`, then verify.

    `migrations` are (namespace, migrations) of the core and every plugin, applied to the
    target first. Raises MigrateRefused if the target holds data that is not our own copy."""
    if not isinstance(source, SqliteStore):
        raise MigrateRefused(f"the source must be a SQLite database, not {source.url}", "other")
    tag = source_hash(source)
    report = MigrateReport(source=source.url, target=target.url)
    report.resumed = await _refuse_unless_ours(target, tag)
    await _apply_migrations(source, target, migrations)
    await target.execute(_PROGRESS_DDL)
    wanted = await _in_dependency_order(
        source, [t for t in await _tables_of(source) if t not in _OWN])
    missing = sorted(set(wanted) - set(await _tables_of(target)))
    if missing:
        raise MigrateRefused(f"no migration creates {', '.join(missing)} on the target: is the "
                             "plugin that owns it installed?", "other")
    copied: dict[str, int] = {}
    for table in wanted:
        try:
            copied[table] = await _copy_table(source, target, table, tag, batch_size, on_batch)
        except ConstraintError as exc:
            raise StoreError(f"the target refused a row of {table}: {exc}") from exc
    await _reset_sequences(target, wanted)
    for table in wanted:
        keys, columns = await _keys_and_columns(source, table)
        rows_s, sum_s = await _checksum(source, table, keys, columns, batch_size)
        rows_t, sum_t = await _checksum(target, table, keys, columns, batch_size)
        report.tables.append(TableCheck(table, rows_s, rows_t, sum_s, sum_t, copied[table]))
    if "cases" in wanted:
        await _check_numbering(source, target, report)
    return report
