"""Durable jobs: due times, keys, cancel, retries, re-arm after restart, and timed sanctions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.actions import Decision, Timeout
from bot.clock import ManualClock, to_text
from bot.events import JobDue, MessageCreated
from bot.executor import LIFT_JOB, lift_key
from bot.plugin import EventContext, Phase, Plugin, hook, on_job
from bot.scheduler import MAX_ATTEMPTS, Scheduler
from bot.storage import SqliteStore, Store
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import MakeStore
from tests.harness import START, Harness

COMMUNITY = "console:test"


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Let background tasks run until `check` holds (a safety net, not a timing)."""
    for _ in range(2000):
        if await check():
            return
        await asyncio.sleep(0.005)
    pytest.fail(f"never happened: {what}")


async def is_done(store: Store, job_id: int) -> bool:
    """Whether a job was delivered and marked done (its handler has returned)."""
    row = await store.fetch_one("SELECT status FROM jobs WHERE id = :id", {"id": job_id})
    return row is not None and row["status"] == "done"


# -- the scheduler on its own ----------------------------------------------------------------


class Deliveries:
    """A deliver function that records jobs and answers `outcome` (or raises it)."""

    def __init__(self) -> None:
        self.seen: list[JobDue] = []
        self.outcome: bool | Exception = True

    async def __call__(self, job: JobDue) -> bool:
        self.seen.append(job)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    def payloads(self) -> list[dict[str, Any]]:
        return [job.payload for job in self.seen]


class Direct:
    """A scheduler on a migrated store and a manual clock, without the App."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = ManualClock(START)
        self.deliveries = Deliveries()
        self.scheduler = Scheduler(store, self.clock, self.deliveries)

    async def advance(self, delta: timedelta) -> int:
        self.clock.advance(delta)
        return await self.scheduler.run_due()

    async def job(self, job_id: int) -> dict[str, Any]:
        row = await self.store.fetch_one("SELECT * FROM jobs WHERE id = :id", {"id": job_id})
        assert row is not None
        return row


@pytest.fixture
async def direct(make_store: MakeStore) -> Direct:
    """A scheduler that is not started, on each backend: jobs run only through run_due()."""
    store = await make_store()
    await store.migrate("core", CORE_MIGRATIONS)
    return Direct(store)


async def test_job_runs_when_due_and_not_before(direct: Direct) -> None:
    """Nothing runs early; at its time the job is delivered once, with its payload."""
    job_id = await direct.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(minutes=10),
                                             {"n": 1})
    assert await direct.scheduler.run_due() == 0
    assert await direct.advance(timedelta(minutes=9, seconds=59)) == 0
    assert direct.deliveries.seen == []
    assert await direct.advance(timedelta(seconds=1)) == 1
    [job] = direct.deliveries.seen
    assert (job.job_id, job.kind, job.community, job.payload, job.run_at) == (
        job_id, "test.ping", COMMUNITY, {"n": 1}, START + timedelta(minutes=10))
    row = await direct.job(job_id)
    assert (row["status"], row["attempts"], row["done_at"]) == ("done", 1, to_text(
        direct.clock.now()))
    assert await direct.advance(timedelta(hours=1)) == 0
    assert len(direct.deliveries.seen) == 1


async def test_overdue_jobs_run_soonest_first(direct: Direct) -> None:
    """Late jobs all run at the next pass, in the order they were due."""
    await direct.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(minutes=30),
                                    {"n": "later"})
    await direct.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(minutes=5),
                                    {"n": "sooner"})
    await direct.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(days=1),
                                    {"n": "tomorrow"})
    assert [j.payload["n"] for j in await direct.scheduler.pending()] == [
        "sooner", "later", "tomorrow"]
    assert await direct.advance(timedelta(hours=2)) == 2
    assert direct.deliveries.payloads() == [{"n": "sooner"}, {"n": "later"}]
    assert [j.payload["n"] for j in await direct.scheduler.pending()] == ["tomorrow"]


async def test_same_key_replaces_the_pending_job(direct: Direct) -> None:
    """Scheduling under a key that is pending replaces it: only the newest runs."""
    first = await direct.scheduler.schedule("test.ping", COMMUNITY,
                                            START + timedelta(minutes=10), {"v": 1}, key="k")
    second = await direct.scheduler.schedule("test.ping", COMMUNITY,
                                             START + timedelta(minutes=20), {"v": 2}, key="k")
    other = await direct.scheduler.schedule("test.ping", COMMUNITY,
                                            START + timedelta(minutes=20), {"v": 3}, key="other")
    assert [(j.id, j.key) for j in await direct.scheduler.pending()] == [
        (second, "k"), (other, "other")]
    assert (await direct.job(first))["status"] == "replaced"
    await direct.advance(timedelta(minutes=15))
    assert direct.deliveries.seen == []
    await direct.advance(timedelta(minutes=5))
    assert sorted(p["v"] for p in direct.deliveries.payloads()) == [2, 3]


async def test_key_can_be_reused_after_the_job_ran(direct: Direct) -> None:
    """A done job does not block a new one with the same key."""
    await direct.scheduler.schedule("test.ping", COMMUNITY, START, {"v": 1}, key="k")
    await direct.scheduler.run_due()
    await direct.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(minutes=1),
                                    {"v": 2}, key="k")
    await direct.advance(timedelta(minutes=1))
    assert direct.deliveries.payloads() == [{"v": 1}, {"v": 2}]


async def test_cancel(direct: Direct) -> None:
    """A cancelled job never runs; cancelling again (or an unknown key) says there was none."""
    job_id = await direct.scheduler.schedule("test.ping", COMMUNITY,
                                             START + timedelta(minutes=1), key="k")
    assert await direct.scheduler.cancel("k") is True
    assert await direct.scheduler.cancel("k") is False
    assert await direct.scheduler.cancel("never scheduled") is False
    assert await direct.scheduler.pending() == []
    assert (await direct.job(job_id))["status"] == "cancelled"
    await direct.advance(timedelta(hours=1))
    assert direct.deliveries.seen == []


async def test_failing_job_backs_off_then_is_abandoned(direct: Direct) -> None:
    """A job whose delivery raises is retried after 10s, 20s, 40s, 80s, then marked failed."""
    direct.deliveries.outcome = ValueError("boom")
    job_id = await direct.scheduler.schedule("test.boom", COMMUNITY, START)
    await direct.scheduler.run_due()
    for attempt, wait in enumerate((10, 20, 40, 80), start=1):
        row = await direct.job(job_id)
        assert (row["status"], row["attempts"], row["last_error"]) == (
            "pending", attempt, "ValueError: boom")
        assert row["run_at"] == to_text(direct.clock.now() + timedelta(seconds=wait))
        await direct.advance(timedelta(seconds=wait - 1))
        assert len(direct.deliveries.seen) == attempt
        await direct.advance(timedelta(seconds=1))
        assert len(direct.deliveries.seen) == attempt + 1
    row = await direct.job(job_id)
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "failed", MAX_ATTEMPTS, "ValueError: boom")
    assert await direct.scheduler.pending() == []
    await direct.advance(timedelta(days=1))
    assert len(direct.deliveries.seen) == MAX_ATTEMPTS


async def test_job_nobody_takes_is_retried_then_parked(direct: Direct) -> None:
    """Unhandled (deliver says False): retried like a failure, then parked with a reason."""
    direct.deliveries.outcome = False
    job_id = await direct.scheduler.schedule("test.orphan", COMMUNITY, START)
    await direct.scheduler.run_due()
    await direct.advance(timedelta(hours=1))
    await direct.advance(timedelta(hours=1))
    await direct.advance(timedelta(hours=1))
    await direct.advance(timedelta(hours=1))
    row = await direct.job(job_id)
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "failed", MAX_ATTEMPTS, "no handler took this job")
    assert len(direct.deliveries.seen) == MAX_ATTEMPTS


async def test_a_failing_job_does_not_hold_up_the_others(direct: Direct) -> None:
    """The first job fails; the second one due at the same time still runs."""
    outcomes = iter([ValueError("first fails"), True])

    async def deliver(job: JobDue) -> bool:
        direct.deliveries.seen.append(job)
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    direct.scheduler.deliver = deliver
    a = await direct.scheduler.schedule("test.a", COMMUNITY, START)
    b = await direct.scheduler.schedule("test.b", COMMUNITY, START)
    await direct.scheduler.run_due()
    assert [(await direct.job(i))["status"] for i in (a, b)] == ["pending", "done"]


async def test_a_job_cut_short_by_a_stop_runs_again_at_the_next_start(tmp_path: Path) -> None:
    """SQLite (one process): a job left `running` by a stopped process runs at the next start,
    without waiting for its lease to end."""
    path = str(tmp_path / "jobs.db")
    async with SqliteStore(path) as store:
        await store.migrate("core", CORE_MIGRATIONS)
        before = Direct(store)
        job_id = await before.scheduler.schedule("test.ping", COMMUNITY, START, {"n": 1})
        assert [job.id for job in await before.scheduler.claim()] == [job_id]
    async with SqliteStore(path) as store:
        after = Direct(store)
        assert await after.scheduler.run_due() == 1
        assert after.deliveries.payloads() == [{"n": 1}]
        assert (await after.job(job_id))["status"] == "done"


async def test_started_scheduler_runs_overdue_jobs_of_a_previous_run(tmp_path: Path) -> None:
    """A new scheduler on the same database runs what came due while nothing was running."""
    path = str(tmp_path / "jobs.db")
    async with SqliteStore(path) as store:
        await store.migrate("core", CORE_MIGRATIONS)
        before = Direct(store)
        job_id = await before.scheduler.schedule("test.ping", COMMUNITY,
                                                 START + timedelta(hours=1), {"n": 1})
    async with SqliteStore(path) as store:
        after = Direct(store)
        after.clock.advance(timedelta(hours=2))
        after.scheduler.start()
        try:
            await eventually(lambda: is_done(after.store, job_id), "the overdue job ran")
        finally:
            await after.scheduler.stop()
    assert after.deliveries.payloads() == [{"n": 1}]


# -- through the App ------------------------------------------------------------------------

HANDLED: list[dict[str, Any]] = []


class Jobs(Plugin):
    """Handles `test.ping`; its `test.boom` handler always raises."""

    name: ClassVar[str] = "jobs"

    @on_job("test.ping")
    async def ping(self, job: JobDue, ctx: EventContext) -> None:
        """Record the payload."""
        HANDLED.append(job.payload)

    @on_job("test.boom")
    async def boom(self, job: JobDue, ctx: EventContext) -> None:
        """Fail."""
        HANDLED.append(job.payload)
        raise RuntimeError("job handler exploded")


@pytest.fixture
async def jobs(tmp_path: Path) -> AsyncIterator[Harness]:
    """An App with the Jobs plugin."""
    HANDLED.clear()
    h = await Harness(tmp_path, plugins=[Jobs]).start()
    yield h
    await h.stop()


async def job_row(h: Harness, job_id: int) -> dict[str, Any]:
    [row] = await h.rows("SELECT * FROM jobs WHERE id = :id", id=job_id)
    return row


async def test_app_delivers_a_due_job_to_its_handler(jobs: Harness) -> None:
    """The plugin's handler for the kind gets the payload when due, not before."""
    job_id = await jobs.app.scheduler.schedule("test.ping", COMMUNITY,
                                               START + timedelta(minutes=5), {"x": "y"})
    await jobs.advance(timedelta(minutes=4))
    assert HANDLED == []
    await jobs.advance(timedelta(minutes=1))
    assert HANDLED == [{"x": "y"}]
    assert (await job_row(jobs, job_id))["status"] == "done"


async def test_app_retries_a_raising_handler_then_abandons(jobs: Harness) -> None:
    """The handler is called MAX_ATTEMPTS times with growing gaps, then the job is failed."""
    job_id = await jobs.app.scheduler.schedule("test.boom", COMMUNITY, START, {"try": 1})
    await jobs.advance(timedelta())
    assert len(HANDLED) == 1
    await jobs.advance(timedelta(seconds=9))
    assert len(HANDLED) == 1
    await jobs.advance(timedelta(seconds=1))
    assert len(HANDLED) == 2
    for _ in range(5):
        await jobs.advance(timedelta(minutes=5))
    assert len(HANDLED) == MAX_ATTEMPTS
    row = await job_row(jobs, job_id)
    assert (row["status"], row["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert "job handler exploded" in row["last_error"]


async def test_app_parks_a_job_kind_nobody_handles(jobs: Harness) -> None:
    """No plugin takes `test.nobody`: retried, then failed with the reason; others unaffected."""
    job_id = await jobs.app.scheduler.schedule("test.nobody", COMMUNITY, START)
    ping = await jobs.app.scheduler.schedule("test.ping", COMMUNITY, START, {"ok": True})
    for _ in range(MAX_ATTEMPTS):
        await jobs.advance(timedelta(minutes=5))
    row = await job_row(jobs, job_id)
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "failed", MAX_ATTEMPTS, "no handler took this job")
    assert (await job_row(jobs, ping))["status"] == "done"
    assert HANDLED == [{"ok": True}]


async def test_job_is_rearmed_after_a_restart(tmp_path: Path) -> None:
    """Scheduled, App stopped, a new App on the same database runs the overdue job at start."""
    HANDLED.clear()
    first = await Harness(tmp_path, plugins=[Jobs]).start()
    job_id = await first.app.scheduler.schedule("test.ping", COMMUNITY,
                                                START + timedelta(hours=1), {"after": "restart"})
    await first.stop()
    assert HANDLED == []
    second = Harness(tmp_path, plugins=[Jobs])
    second.clock.advance(timedelta(hours=2))
    await second.start()
    try:
        await eventually(lambda: is_done(second.store, job_id), "the overdue job ran at start")
        assert HANDLED == [{"after": "restart"}]
    finally:
        await second.stop()


async def test_job_not_yet_due_waits_after_a_restart(tmp_path: Path) -> None:
    """A job still in the future after a restart runs at its time, not at start."""
    HANDLED.clear()
    first = await Harness(tmp_path, plugins=[Jobs]).start()
    await first.app.scheduler.schedule("test.ping", COMMUNITY, START + timedelta(hours=1))
    await first.stop()
    second = await Harness(tmp_path, plugins=[Jobs]).start()
    try:
        await second.advance(timedelta(minutes=59))
        assert HANDLED == []
        assert [j.kind for j in await second.app.scheduler.pending()] == ["test.ping"]
        await second.advance(timedelta(minutes=1))
        assert HANDLED == [{}]
    finally:
        await second.stop()


# -- timed sanctions ------------------------------------------------------------------------


class TempMute(Plugin):
    """Times out for five minutes whoever says `tempmute`."""

    name: ClassVar[str] = "tempmute"

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """The timed sanction."""
        if event.text != "tempmute":
            return None
        return Decision(rule="five", evidence="said tempmute", actions=(
            Timeout(target=event.author, duration=timedelta(minutes=5), reason="cool down"),))


async def lift_jobs(h: Harness) -> list[dict[str, Any]]:
    return await h.rows("SELECT * FROM jobs WHERE kind = :k ORDER BY id", k=LIFT_JOB)


async def the_case(h: Harness) -> dict[str, Any]:
    [case] = await h.rows("SELECT * FROM cases")
    return case


async def test_timed_sanction_is_recorded_applied_and_armed(tmp_path: Path) -> None:
    """Case committed, platform timeout until the end, lift job pending; lifted on time."""
    h = await Harness(tmp_path, plugins=[TempMute]).start()
    try:
        await h.say("tempmute", author="bob")
        case = await the_case(h)
        assert (case["number"], case["action"], case["target_id"], case["status"],
                case["duration_s"], case["author_id"]) == (
            1, "timeout", "console:bob", "active", 300, "rule:tempmute/five")
        assert case["expires_at"] == to_text(START + timedelta(minutes=5))
        [call] = h.adapter.of("timeout_member")
        assert (call["user"], call["until"]) == ("console:bob", START + timedelta(minutes=5))
        [job] = await h.app.scheduler.pending(LIFT_JOB)
        assert job.run_at == START + timedelta(minutes=5)
        assert job.key == lift_key(COMMUNITY, "console:bob", "timeout")
        assert job.payload["case_id"] == case["id"]

        await h.advance(timedelta(minutes=4, seconds=59))
        assert h.adapter.of("remove_timeout") == []
        assert (await the_case(h))["status"] == "active"
        await h.advance(timedelta(seconds=1))
        assert [c["user"] for c in h.adapter.of("remove_timeout")] == ["console:bob"]
        assert (await the_case(h))["status"] == "expired"
        assert [j["status"] for j in await lift_jobs(h)] == ["done"]
        await h.advance(timedelta(hours=1))
        assert len(h.adapter.of("remove_timeout")) == 1
    finally:
        await h.stop()


async def test_second_timeout_replaces_the_pending_lift(tmp_path: Path) -> None:
    """A new timeout of the same member re-arms the single lift job at the new end."""
    h = await Harness(tmp_path, plugins=[TempMute]).start()
    try:
        await h.say("tempmute", author="bob")
        await h.advance(timedelta(minutes=3))
        await h.say("tempmute", author="bob")
        assert [j["status"] for j in await lift_jobs(h)] == ["replaced", "pending"]
        await h.advance(timedelta(minutes=2))
        assert h.adapter.of("remove_timeout") == []
        await h.advance(timedelta(minutes=3))
        assert len(h.adapter.of("remove_timeout")) == 1
        statuses = await h.rows("SELECT status FROM cases ORDER BY number")
        assert [r["status"] for r in statuses] == ["expired", "expired"]
    finally:
        await h.stop()


async def test_timed_sanction_is_lifted_at_start_after_a_restart(tmp_path: Path) -> None:
    """Stopped mid-timeout; a new App started after the end lifts it at once."""
    first = await Harness(tmp_path, plugins=[TempMute]).start()
    await first.say("tempmute", author="bob")
    assert len(first.adapter.of("timeout_member")) == 1
    await first.stop()
    assert first.adapter.of("remove_timeout") == []

    second = Harness(tmp_path, plugins=[TempMute])
    second.clock.advance(timedelta(minutes=10))
    await second.start()
    try:
        [job] = await lift_jobs(second)
        await eventually(lambda: is_done(second.store, job["id"]), "the unmute at start")
        assert [c["user"] for c in second.adapter.of("remove_timeout")] == ["console:bob"]
        assert second.adapter.of("timeout_member") == []
        assert (await the_case(second))["status"] == "expired"
    finally:
        await second.stop()


class CountingStore(SqliteStore):
    """A SQLite store that counts the statements it is asked to run."""

    statements = 0

    async def fetch_all(self, sql: str, params: Any = None) -> Any:
        self.statements += 1
        return await super().fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Any = None) -> Any:
        self.statements += 1
        return await super().fetch_one(sql, params)

    async def execute(self, sql: str, params: Any = None) -> Any:
        self.statements += 1
        return await super().execute(sql, params)


async def test_while_nothing_is_due_run_due_asks_the_database_nothing(tmp_path: Path) -> None:
    """A replay moves the clock at every event: with one process on SQLite, the scheduler knows
    when the next job falls due and asks nothing before then."""
    store = CountingStore(str(tmp_path / "v.db"))
    await store.open()
    try:
        await store.migrate("core", CORE_MIGRATIONS)
        clock = ManualClock(START)
        ran: list[int] = []

        async def deliver(job: JobDue) -> bool:
            ran.append(job.job_id)
            return True

        scheduler = Scheduler(store, clock, deliver)
        job = await scheduler.schedule("test.later", "console:c", START + timedelta(hours=1))
        assert await scheduler.run_due() == 0
        store.statements = 0
        for _ in range(100):
            clock.advance(timedelta(seconds=30))
            assert await scheduler.run_due() == 0
        assert store.statements == 0
        clock.advance(timedelta(minutes=15))
        assert await scheduler.run_due() == 1 and ran == [job]
    finally:
        await store.close()


class HeldStore(SqliteStore):
    """Holds each answer of `fetch_one` (the next-due query) until the test lets it go."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.reading = asyncio.Event()
        self.release = asyncio.Event()

    async def fetch_one(self, sql: str, params: Any = None) -> Any:
        answer = await super().fetch_one(sql, params)
        self.reading.set()
        await self.release.wait()
        return answer


async def test_a_job_scheduled_while_the_next_due_time_is_read_is_not_forgotten(
        tmp_path: Path) -> None:
    """The next due time is read; a job is stored before the (older) answer arrives: the job's
    time is kept, not overwritten by the answer."""
    store = HeldStore(str(tmp_path / "v.db"))
    await store.open()
    try:
        await store.migrate("core", CORE_MIGRATIONS)
        clock = ManualClock(START)
        ran: list[int] = []

        async def deliver(job: JobDue) -> bool:
            ran.append(job.job_id)
            return True

        scheduler = Scheduler(store, clock, deliver)
        passing = asyncio.create_task(scheduler.run_due())
        await store.reading.wait()  # the answer (no job at all) is read, not yet returned
        job = await scheduler.schedule("test.soon", "console:c", START + timedelta(seconds=1))
        store.release.set()
        assert await passing == 0
        clock.advance(timedelta(seconds=2))
        assert await scheduler.run_due() == 1 and ran == [job]
    finally:
        await store.close()
