"""Cases opened at the same moment share one transaction (one sync to disk), and each caller
still gets its own committed case, or its own error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.cases import CaseLog, ClaimTaken
from bot.clock import ManualClock
from bot.storage import Store, Transaction
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import MakeStore
from tests.harness import START


class Counted:
    """Wraps a store and counts the transactions it opens."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.transactions = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        self.transactions += 1
        async with self.store.transaction() as tx:
            yield tx


@pytest.fixture
async def store(make_store: MakeStore) -> Store:
    s = await make_store()
    await s.migrate("core", CORE_MIGRATIONS)
    return s


def warn(log: CaseLog, who: str, community: str = "console:c", **extra: Any) -> Any:
    return log.open(community=community, action="warn", target_id=f"console:{who}",
                    target_name=who, author_id="console:claire", author_name="claire", **extra)


async def test_concurrent_cases_share_transactions_and_stay_gapless(store: Store) -> None:
    counted = Counted(store)
    log = CaseLog(counted, ManualClock(START))  # type: ignore[arg-type]
    cases = await asyncio.gather(*(warn(log, f"m{i}", f"console:c{i % 3}") for i in range(60)))
    assert counted.transactions < 60
    for community in ("console:c0", "console:c1", "console:c2"):
        numbers = sorted(c.number for c in cases if c.community == community)
        assert numbers == list(range(1, 21))
    rows = await store.fetch_all("SELECT id FROM cases")
    assert sorted(r["id"] for r in rows) == sorted(c.id for c in cases)


async def test_a_taken_claim_fails_its_own_case_only(store: Store) -> None:
    log = CaseLog(store, ManualClock(START))
    await warn(log, "bob", claims=["ladder:3:bob:1"])
    results = await asyncio.gather(
        warn(log, "ann"), warn(log, "bob", claims=["ladder:3:bob:1"]), warn(log, "cid"),
        return_exceptions=True)
    assert isinstance(results[1], ClaimTaken)
    assert [r.number for r in (results[0], results[2])] == [2, 3]  # type: ignore[union-attr]


async def test_a_case_that_cannot_be_written_does_not_sink_the_others(store: Store) -> None:
    """A refused row (here a case without a target name: NOT NULL) fails alone; the cases
    around it, queued in the same moment, are committed."""
    log = CaseLog(store, ManualClock(START))
    results = await asyncio.gather(
        warn(log, "ann"),
        log.open(community="console:c", action="warn", target_id="console:x",
                 target_name=None, author_id="console:claire",  # type: ignore[arg-type]
                 author_name="claire"),
        warn(log, "cid"), return_exceptions=True)
    assert isinstance(results[1], Exception)
    assert [r.number for r in (results[0], results[2])] == [1, 2]  # type: ignore[union-attr]
    rows = await store.fetch_all("SELECT target_id FROM cases ORDER BY number")
    assert [r["target_id"] for r in rows] == ["console:ann", "console:cid"]


async def test_notes_are_committed_with_the_cases_of_the_moment(store: Store) -> None:
    counted = Counted(store)
    log = CaseLog(counted, ManualClock(START))  # type: ignore[arg-type]
    cases = await asyncio.gather(*(warn(log, f"m{i}") for i in range(20)))
    counted.transactions = 0
    await asyncio.gather(*(log.set_notified(c.id, "dm") for c in cases))
    assert counted.transactions < 20
    rows = await store.fetch_all("SELECT notified FROM cases")
    assert {r["notified"] for r in rows} == {"dm"}
