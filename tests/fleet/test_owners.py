"""One worker per community: leases in the `owners` table, on both backends' SQL and on a shared
PostgreSQL where several workers compete."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.fleet.owners import OWNER_LEASE, RECHECK, Owners
from bot.permissions import Role
from bot.storage import Store, StoreError, open_store
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import fresh_schema
from tests.fleet.helpers import worker
from tests.harness import START

C = "telegram:-1001"


@pytest.fixture
async def shared() -> AsyncIterator[Store]:
    """A fresh PostgreSQL schema with the core tables."""
    async with fresh_schema() as url:
        store = open_store(url)
        await store.open()
        await store.migrate("core", CORE_MIGRATIONS)
        try:
            yield store
        finally:
            await store.close()


async def holder_of(store: Store, scope: str) -> str | None:
    """The worker the owners table names for `scope` (None: nobody)."""
    row = await store.fetch_one("SELECT worker_id FROM owners WHERE scope = :s", {"s": scope})
    return str(row["worker_id"]) if row else None


async def test_the_first_worker_takes_a_free_community_and_keeps_it(shared: Store) -> None:
    clock = ManualClock(START)
    a, b = Owners(shared, "a", clock), Owners(shared, "b", clock)
    assert (await a.take(C)).worker_id == "a"
    assert (await b.take(C)).worker_id == "a"
    assert a.holds(C) and not b.holds(C)
    assert await holder_of(shared, C) == "a"


async def test_an_expired_lease_goes_to_the_next_worker_and_renewal_keeps_it(
        shared: Store) -> None:
    clock = ManualClock(START)
    a, b = Owners(shared, "a", clock), Owners(shared, "b", clock)
    await a.take(C)
    clock.advance(OWNER_LEASE - timedelta(seconds=5))
    assert await a.renew() == [C]
    clock.advance(timedelta(seconds=10))  # past the first lease, within the renewed one
    assert (await b.take(C)).worker_id == "a"
    clock.advance(OWNER_LEASE)  # a died: nothing renewed
    assert (await b.take(C)).worker_id == "b"
    assert await a.renew() == [] and not a.holds(C)


async def test_a_released_community_is_free_at_once(shared: Store) -> None:
    clock = ManualClock(START)
    a, b = Owners(shared, "a", clock), Owners(shared, "b", clock)
    await a.take(C)
    await a.release()
    assert await holder_of(shared, C) is None
    assert (await b.take(C)).worker_id == "b"


async def test_the_same_worker_name_takes_its_communities_back_at_once(shared: Store) -> None:
    """A worker restarted under its stable name (--worker-id) does not wait for its old lease."""
    clock = ManualClock(START)
    await Owners(shared, "discord-0", clock).take(C)
    again = Owners(shared, "discord-0", clock)
    assert await again.serve(C)


async def test_serve_leaves_the_community_to_a_live_holder(shared: Store) -> None:
    """The holder renews while the other waits: the other gives up, and says so quickly after."""
    clock = ManualClock(START)
    a = Owners(shared, "a", clock)
    b = Owners(shared, "b", clock, wait_step=0.01)
    await a.take(C)

    async def keep_renewing() -> None:
        for _ in range(50):
            clock.advance(timedelta(seconds=1))
            await a.renew()
            await asyncio.sleep(0.01)

    renewing = asyncio.create_task(keep_renewing())
    try:
        assert not await b.serve(C)
        assert not await b.serve(C)  # remembered until that lease ends: no wait
    finally:
        renewing.cancel()


async def test_serve_waits_for_a_dead_holder_and_then_takes_over(shared: Store) -> None:
    clock = ManualClock(START)
    await Owners(shared, "dead", clock).take(C)
    b = Owners(shared, "b", clock, wait_step=0.01)

    async def time_passes() -> None:
        await asyncio.sleep(0.05)
        clock.advance(OWNER_LEASE)

    passing = asyncio.create_task(time_passes())
    assert await b.serve(C)
    await passing
    assert b.holds(C)


async def test_concurrent_takes_give_one_holder(shared: Store) -> None:
    clock = ManualClock(START)
    owners = [Owners(shared, f"w{i}", clock) for i in range(8)]
    holders = await asyncio.gather(*(o.take(C) for o in owners))
    assert len({h.worker_id for h in holders}) == 1
    assert sum(o.holds(C) for o in owners) == 1


async def test_sqlite_is_one_process_and_needs_no_lease(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'v.db'}")
    await store.open()
    try:
        await store.migrate("core", CORE_MIGRATIONS)
        owners = Owners(store, "a", ManualClock(START))
        assert not owners.enabled and await owners.serve(C)
        assert await store.fetch_all("SELECT * FROM owners") == []
    finally:
        await store.close()


async def test_an_app_handles_only_the_communities_it_holds(tmp_path: Path) -> None:
    """Two workers on one PostgreSQL: an event of a community held by a live other worker is
    left to it; once that worker stops (its leases given back), the event is handled here."""
    async with fresh_schema() as url:
        a = await worker(tmp_path / "a", "a", url).start()
        b = worker(tmp_path / "b", "b", url)
        b.app.owners.wait_step = 0.01
        await b.start()
        claire = b.user("claire", Role.CM)
        try:
            await a.app.owners.take(a.community)
            renewing = asyncio.create_task(_renew(a.app.owners, a.clock))
            await b.say("!rules", claire)
            renewing.cancel()
            assert b.replies() == [] and not b.app.owners.holds(b.community)
            await a.stop()
            b.clock.advance(RECHECK)
            await b.say("!rules", claire)
            assert b.replies() and b.app.owners.holds(b.community)
        finally:
            await b.stop()


async def _renew(owners: Owners, clock: ManualClock) -> None:
    while True:
        clock.advance(timedelta(seconds=1))
        await owners.renew()
        await asyncio.sleep(0.005)


class DownStore:
    """A shared database that cannot be reached."""

    dialect = "postgresql"

    async def fetch_one(self, sql: str, params: object = None) -> None:
        raise StoreError("connection refused", "io")

    async def fetch_all(self, sql: str, params: object = None) -> None:
        raise StoreError("connection refused", "io")


async def test_with_the_database_away_events_are_still_handled_here() -> None:
    """No lease can be read or taken: moderation goes on (a deletion needs no database), except
    for a community known to be served by another worker."""
    owners = Owners(DownStore(), "a", ManualClock(START))  # type: ignore[arg-type]
    assert await owners.serve(C)
    owners._elsewhere["telegram:-1002"] = START + RECHECK
    assert not await owners.serve("telegram:-1002")
