"""PostgreSQL only: several processes (one store each) on one database, and its faults."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import asyncpg
import pytest

from bot.cases import CaseLog
from bot.clock import ManualClock
from bot.events import JobDue
from bot.scheduler import LEASE, Scheduler
from bot.storage import ConstraintError, PostgresStore, StoreError
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import PG_URL, fresh_schema, require_postgres
from tests.harness import START

WORKERS = 3


@pytest.fixture
async def stores() -> AsyncIterator[list[PostgresStore]]:
    """Three stores on one fresh schema, each with its own pool: three "processes"."""
    async with fresh_schema() as url:
        opened = [PostgresStore(url, max_size=4) for _ in range(WORKERS)]
        for store in opened:
            await store.open()
        await opened[0].migrate("core", CORE_MIGRATIONS)
        try:
            yield opened
        finally:
            for store in opened:
                await store.close()


async def test_workers_starting_together_migrate_once() -> None:
    """Three processes start at once on an empty database: each version is applied once and
    none of them fails on tables another one is creating."""
    async with fresh_schema() as url:
        opened = [PostgresStore(url, max_size=2) for _ in range(WORKERS)]
        try:
            for store in opened:
                await store.open()
            applied = await asyncio.gather(*(s.migrate("core", CORE_MIGRATIONS) for s in opened))
            assert sorted(applied) == [[], [], [m.version for m in CORE_MIGRATIONS]]
            rows = await opened[0].fetch_all("SELECT COUNT(*) AS n FROM schema_migrations")
            assert rows == [{"n": len(CORE_MIGRATIONS)}]
        finally:
            for store in opened:
                await store.close()


# -- case numbers -----------------------------------------------------------------------------


async def test_case_numbers_stay_gapless_with_concurrent_processes(
        stores: list[PostgresStore]) -> None:
    """Hundreds of cases opened at once by three processes in two communities: each community
    numbers them 1..N, no gap, no duplicate, none refused."""
    logs = [CaseLog(store, ManualClock(START)) for store in stores]
    per_community = 150

    async def open_one(i: int) -> tuple[str, int]:
        community = f"console:c{i % 2}"
        case = await logs[i % WORKERS].open(
            community=community, action="warn", target_id=f"console:m{i}",
            target_name=f"m{i}", author_id="console:claire", author_name="claire")
        return community, case.number

    opened = await asyncio.gather(*(open_one(i) for i in range(2 * per_community)))
    for community in ("console:c0", "console:c1"):
        numbers = sorted(n for c, n in opened if c == community)
        assert numbers == list(range(1, per_community + 1))
    rows = await stores[0].fetch_all(
        "SELECT community, COUNT(*) AS n, MAX(number) AS top FROM cases GROUP BY community"
        " ORDER BY community")
    assert rows == [{"community": "console:c0", "n": per_community, "top": per_community},
                    {"community": "console:c1", "n": per_community, "top": per_community}]


async def test_a_claim_is_taken_once_across_processes(stores: list[PostgresStore]) -> None:
    """Three processes open a case with the same claim at once: one case, two ClaimTaken."""
    from bot.cases import ClaimTaken

    logs = [CaseLog(store, ManualClock(START)) for store in stores]
    results = await asyncio.gather(*(log.open(
        community="console:c", action="timeout", target_id="console:bob", target_name="bob",
        author_id="rule:ladder", author_name="ladder", claims=["ladder:bob:3"])
        for log in logs), return_exceptions=True)
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert sum(isinstance(r, ClaimTaken) for r in results) == WORKERS - 1
    assert await stores[0].fetch_all("SELECT number FROM cases") == [{"number": 1}]


# -- jobs -------------------------------------------------------------------------------------


class Recorder:
    """A deliver function shared by every worker: which worker ran which job."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, int]] = []

    def for_worker(self, name: str) -> Callable[[JobDue], Awaitable[bool]]:
        async def deliver(job: JobDue) -> bool:
            await asyncio.sleep(0)  # let the other workers interleave
            self.runs.append((name, job.job_id))
            return True
        return deliver


def schedulers(stores: list[PostgresStore], recorder: Recorder,
               clock: ManualClock) -> list[Scheduler]:
    return [Scheduler(store, clock, recorder.for_worker(f"w{i}"), worker=f"w{i}")
            for i, store in enumerate(stores)]


async def test_due_jobs_are_delivered_exactly_once_by_concurrent_workers(
        stores: list[PostgresStore]) -> None:
    """Three schedulers run the same 300 due jobs at once: each job runs once, all are done."""
    clock = ManualClock(START)
    recorder = Recorder()
    workers = schedulers(stores, recorder, clock)
    ids = [await workers[i % WORKERS].schedule("test.ping", "console:c",
                                               START + timedelta(seconds=i % 7), {"i": i})
           for i in range(300)]
    clock.advance(timedelta(minutes=1))
    ran = await asyncio.gather(*(w.run_due() for w in workers))
    assert sum(ran) == 300
    counts = Counter(job_id for _, job_id in recorder.runs)
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}
    assert len({worker for worker, _ in recorder.runs}) > 1  # the work was shared
    rows = await stores[0].fetch_all(
        "SELECT status, attempts, COUNT(*) AS n FROM jobs GROUP BY status, attempts")
    assert rows == [{"status": "done", "attempts": 1, "n": 300}]


async def test_a_dead_workers_job_is_claimed_again_when_its_lease_ends(
        stores: list[PostgresStore]) -> None:
    """A worker claims a job and dies before running it: nobody runs it while the lease holds,
    another worker runs it once the lease has ended, once."""
    clock = ManualClock(START)
    recorder = Recorder()
    dead, alive, _ = schedulers(stores, recorder, clock)
    job_id = await alive.schedule("contest.end", "console:c", START, {"contest": 1})
    [claimed] = await dead.claim()
    assert claimed.id == job_id
    [row] = await stores[0].fetch_all("SELECT status, claimed_by FROM jobs")
    assert row == {"status": "running", "claimed_by": "w0"}
    # Still to run for everyone else (a starting worker does not store the lift a second time).
    assert [job.id for job in await alive.pending()] == [job_id]

    clock.advance(LEASE - timedelta(seconds=1))
    assert await alive.run_due() == 0
    clock.advance(timedelta(seconds=1))
    assert await alive.run_due() == 1
    assert recorder.runs == [("w1", job_id)]
    [row] = await stores[0].fetch_all("SELECT status, claimed_by, attempts FROM jobs")
    assert row == {"status": "done", "claimed_by": "w1", "attempts": 2}
    clock.advance(LEASE * 3)
    assert await alive.run_due() == 0 and await dead.run_due() == 0
    assert recorder.runs == [("w1", job_id)]


async def test_a_job_that_runs_long_keeps_its_lease(stores: list[PostgresStore]) -> None:
    """A slow job (a platform call that takes its time) renews its lease while it runs, and so
    does the job claimed with it and queued behind: another worker looking after the first
    lease would have ended runs neither a second time."""
    clock = ManualClock(START)
    lease = timedelta(seconds=0.3)
    runs: list[str] = []

    def slow(name: str) -> Callable[[JobDue], Awaitable[bool]]:
        async def deliver(job: JobDue) -> bool:
            runs.append(name)
            for _ in range(6):  # the clock moves on while the job works
                await asyncio.sleep(0.1)
                clock.advance(timedelta(seconds=0.1))
            return True
        return deliver

    first = Scheduler(stores[0], clock, slow("w0"), "w0", lease=lease)
    second = Scheduler(stores[1], clock, slow("w1"), "w1", lease=lease)
    await first.schedule("contest.end", "console:c", START)
    await first.schedule("contest.end", "console:d", START)
    running = asyncio.create_task(first.run_due())
    await asyncio.sleep(0.45)  # 0.45 s of the clock: past the first lease
    assert await second.run_due() == 0
    await asyncio.sleep(0.45)  # the second job of the batch is running now
    assert await second.run_due() == 0
    assert await running == 2
    assert runs == ["w0", "w0"]


# -- faults and URLs --------------------------------------------------------------------------


async def test_unreachable_server_is_a_clear_error_without_the_password() -> None:
    """Nothing listens on port 1: an `io` StoreError naming the server, password masked."""
    store = PostgresStore("postgresql://vigie:s3cret@127.0.0.1:1/vigie")
    with pytest.raises(StoreError) as info:
        await store.open()
    assert info.value.kind == "io"
    assert "cannot reach the database server postgresql://vigie:***@127.0.0.1:1/vigie" in str(
        info.value)
    assert "s3cret" not in str(info.value) and "s3cret" not in repr(store)


async def test_read_only_server_is_refused_at_open() -> None:
    """A server (or replica) where transactions are read-only: refused at open, kind read_only."""
    async with fresh_schema() as url:
        store = PostgresStore(url + "&default_transaction_read_only=on")
        with pytest.raises(StoreError, match="is read-only: Vigie needs to write") as info:
            await store.open()
        assert info.value.kind == "read_only"


async def test_a_table_locked_by_another_program_is_named() -> None:
    """Another session holds a lock past lock_timeout: StoreError `locked`; works afterwards."""
    async with fresh_schema() as url:
        store = PostgresStore(url + "&lock_timeout=200")
        await store.open()
        try:
            await store.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
            other = await asyncpg.connect(url)
            try:
                tx = other.transaction()
                await tx.start()
                await other.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
                with pytest.raises(StoreError, match="locked by another transaction") as info:
                    await store.execute("INSERT INTO items (name) VALUES ('x')")
                assert info.value.kind == "locked"
                await tx.rollback()
            finally:
                await other.close()
            assert await store.execute("INSERT INTO items (name) VALUES ('x')") == 1
        finally:
            await store.close()


async def test_missing_database_is_named() -> None:
    """A database name the server does not have is said plainly."""
    await require_postgres()
    base = PG_URL.rsplit("/", 1)[0]
    store = PostgresStore(f"{base}/no_such_database_vigie")
    with pytest.raises(StoreError, match="does not exist"):
        await store.open()


@pytest.mark.parametrize(("error", "kind", "words"), [
    (asyncpg.exceptions.DiskFullError, "full", "is full"),
    (asyncpg.exceptions.ReadOnlySQLTransactionError, "read_only", "is read-only"),
    (asyncpg.exceptions.LockNotAvailableError, "locked", "locked by another transaction"),
    (asyncpg.exceptions.DeadlockDetectedError, "locked", "locked by another transaction"),
    (asyncpg.exceptions.SerializationError, "locked", "locked by another transaction"),
    (asyncpg.exceptions.AdminShutdownError, "io", "could not be read or written"),
    (asyncpg.exceptions.TooManyConnectionsError, "io", "could not be read or written"),
    (asyncpg.exceptions.ConnectionDoesNotExistError, "io", "could not be read or written"),
    (asyncpg.exceptions.DataCorruptedError, "invalid", "reports damaged data"),
    (asyncpg.exceptions.InvalidPasswordError, "other", "refused the login"),
    (asyncpg.exceptions.InvalidCatalogNameError, "other", "does not exist"),
])
def test_server_errors_become_store_errors_of_a_kind(error: type[Exception], kind: str,
                                                     words: str) -> None:
    """Each PostgreSQL failure is a StoreError with the kind people are told about (in their
    language, store.<kind>) and plain words naming the database, without its password."""
    store = PostgresStore("postgresql://vigie:s3cret@db.example:5432/vigie")
    fault = store.fault(error("server said no"))
    assert isinstance(fault, StoreError)
    assert fault.kind == kind
    assert words in str(fault) and "postgresql://vigie:***@db.example:5432/vigie" in str(fault)
    assert "s3cret" not in str(fault)


def test_a_broken_constraint_is_not_a_fault() -> None:
    """A unique violation is a ConstraintError (callers may expect it), saying it was unique."""
    store = PostgresStore("postgresql://vigie@db.example/vigie")
    unique = store.fault(asyncpg.exceptions.UniqueViolationError("duplicate key"))
    not_null = store.fault(asyncpg.exceptions.NotNullViolationError("null value"))
    assert isinstance(unique, ConstraintError) and unique.unique
    assert isinstance(not_null, ConstraintError) and not not_null.unique
