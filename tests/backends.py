"""Both storage backends for tests: a SQLite file, or a fresh schema on the local PostgreSQL.

PostgreSQL is found at $VIGIE_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
Each test gets its own schema (dropped after), so tests never see each other's rows. If the
server cannot be reached, PostgreSQL tests are skipped with the reason, except in CI (CI=true),
where they fail: CI runs PostgreSQL, and a silent skip would hide a broken backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from bot.storage import Store, open_store

__all__ = ["BACKENDS", "PG_URL", "fresh_schema", "harness_url", "make_store", "require_postgres",
           "store_url"]

PG_URL = os.environ.get("VIGIE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")
_reachable: dict[str, str | None] = {}


async def _why_unreachable() -> str | None:
    """None if PostgreSQL answers, else why not (asked once per test session)."""
    if PG_URL not in _reachable:
        try:
            conn = await asyncpg.connect(PG_URL, timeout=5)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
            _reachable[PG_URL] = f"{type(exc).__name__}: {exc}"
        else:
            await conn.close()
            _reachable[PG_URL] = None
    return _reachable[PG_URL]


async def require_postgres() -> None:
    """Skip the test if PostgreSQL is not there; in CI, fail it."""
    why = await _why_unreachable()
    if why is None:
        return
    message = (f"PostgreSQL is not reachable at {PG_URL} ({why}); start it or set "
               "VIGIE_TEST_POSTGRES_URL")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@asynccontextmanager
async def fresh_schema() -> AsyncIterator[str]:
    """A URL whose search path is a new, empty schema; the schema is dropped afterwards."""
    await require_postgres()
    name = f"vigie_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_URL)
    try:
        await admin.execute(f'CREATE SCHEMA "{name}"')
        sep = "&" if "?" in PG_URL else "?"
        try:
            yield f"{PG_URL}{sep}search_path={name}"
        finally:
            await admin.execute(f'DROP SCHEMA "{name}" CASCADE')
    finally:
        await admin.close()


@pytest.fixture(params=BACKENDS)
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL, once per backend: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    async with fresh_schema() as url:
        yield url


@pytest.fixture
def harness_url() -> str | None:
    """The database of harnesses: None is a SQLite file in the test's folder. A test module
    runs on both backends by overriding it: `def harness_url(store_url): return store_url`."""
    return None


MakeStore = Callable[[], Awaitable[Store]]


@pytest.fixture
async def make_store(store_url: str) -> AsyncIterator[MakeStore]:
    """Open stores on `store_url` (each its own pool on PostgreSQL); all closed at the end."""
    opened: list[Store] = []

    async def make() -> Store:
        store = open_store(store_url)
        await store.open()
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()
