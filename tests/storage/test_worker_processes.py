"""Real worker processes on one PostgreSQL: due jobs run once, case numbers stay gapless; a
worker killed (SIGKILL) mid-job or mid-case leaves the work to the others."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock, to_text
from bot.scheduler import LEASE, Scheduler
from bot.storage import PostgresStore
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import fresh_schema
from tests.harness import START

ROOT = Path(__file__).parents[2]
WORKER = """
import asyncio, sys
from bot.clock import ManualClock, from_text
from bot.scheduler import Scheduler
from bot.storage import PostgresStore

async def main(url, worker, now, mode):
    store = PostgresStore(url, max_size=2)
    await store.open()

    async def deliver(job):
        await store.execute("INSERT INTO deliveries (job_id, worker) VALUES (:j, :w)",
                            {"j": job.job_id, "w": worker})
        if mode == "hang":
            print("started", job.job_id, flush=True)
            await asyncio.sleep(3600)
        await asyncio.sleep(0)
        return True

    ran = await Scheduler(store, ManualClock(from_text(now)), deliver, worker=worker).run_due()
    print("ran", ran, flush=True)
    await store.close()

asyncio.run(main(*sys.argv[1:]))
"""


CASES = """
import asyncio, sys
from bot.cases import CaseLog
from bot.clock import ManualClock
from bot.storage import PostgresStore
from tests.harness import START

async def main(url, worker, count):
    store = PostgresStore(url, max_size=3)
    await store.open()
    if count == "hold":  # take the community's numbering lock, then hang until killed
        async with store.transaction() as tx:
            await tx.lock("cases:console:c")
            print("holding", flush=True)
            await asyncio.sleep(3600)
    log = CaseLog(store, ManualClock(START))
    cases = await asyncio.gather(*(log.open(
        community="console:c", action="warn", target_id=f"console:{worker}{i}",
        target_name=f"{worker}{i}", author_id="console:claire", author_name="claire")
        for i in range(int(count))))
    print("opened", len(cases), flush=True)
    await store.close()

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.fixture
async def database() -> AsyncIterator[tuple[str, PostgresStore]]:
    """A fresh schema with the core tables and a `deliveries` table the workers write to."""
    async with fresh_schema() as url:
        store = PostgresStore(url)
        await store.open()
        await store.migrate("core", CORE_MIGRATIONS)
        await store.execute("CREATE TABLE deliveries (job_id INTEGER NOT NULL, worker TEXT)")
        try:
            yield url, store
        finally:
            await store.close()


async def spawn(url: str, worker: str, now: datetime,
                mode: str = "run") -> asyncio.subprocess.Process:
    """A worker process that runs what is due at `now`, then exits."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", WORKER, url, worker, to_text(now), mode, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def finished(process: asyncio.subprocess.Process) -> int:
    """How many jobs the worker ran (it must exit cleanly)."""
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return int(out.decode().split()[-1])


async def schedule(store: PostgresStore, count: int) -> list[int]:
    scheduler = Scheduler(store, ManualClock(START), lambda job: asyncio.sleep(0, True))
    return [await scheduler.schedule("test.ping", "console:c", START, {"i": i})
            for i in range(count)]


async def deliveries(store: PostgresStore) -> Counter[int]:
    rows = await store.fetch_all("SELECT job_id FROM deliveries")
    return Counter(int(r["job_id"]) for r in rows)


async def test_three_worker_processes_run_each_due_job_once(
        database: tuple[str, PostgresStore]) -> None:
    """Three processes started together on 300 due jobs: each job delivered exactly once."""
    url, store = database
    ids = await schedule(store, 300)
    workers = [await spawn(url, f"w{i}", START + timedelta(seconds=1)) for i in range(3)]
    ran = [await finished(w) for w in workers]
    assert sum(ran) == 300
    counts = await deliveries(store)
    assert sorted(counts) == ids and set(counts.values()) == {1}
    rows = await store.fetch_all("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
    assert rows == [{"status": "done", "n": 300}]


async def test_a_worker_killed_mid_job_leaves_its_jobs_to_another(
        database: tuple[str, PostgresStore]) -> None:
    """kill -9 during a job: its jobs wait for the lease, then another process runs them once
    (the job cut short runs again: it was never finished)."""
    url, store = database
    first, *others = await schedule(store, 3)
    doomed = await spawn(url, "doomed", START, mode="hang")
    assert doomed.stdout is not None
    line = await asyncio.wait_for(doomed.stdout.readline(), timeout=120)
    assert line.decode().split() == ["started", str(first)]
    doomed.kill()
    await doomed.wait()

    early = await spawn(url, "early", START + LEASE - timedelta(seconds=1))
    assert await finished(early) == 0  # the lease still holds
    late = await spawn(url, "late", START + LEASE)
    assert await finished(late) == 3
    counts = await deliveries(store)
    assert counts == Counter({first: 2, **{job_id: 1 for job_id in others}})
    rows = await store.fetch_all("SELECT status, claimed_by, attempts FROM jobs ORDER BY id")
    assert rows == [{"status": "done", "claimed_by": "late", "attempts": 2}] * 3


async def test_worker_processes_number_cases_without_gaps_despite_a_kill(
        database: tuple[str, PostgresStore]) -> None:
    """A process killed while it holds a community's numbering lock; three processes opening
    100 cases each at the same time: numbers 1..300, each once."""
    url, store = database

    async def cases(worker: str, count: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-c", CASES, url, worker, count, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)

    holder = await cases("holder", "hold")
    assert holder.stdout is not None
    line = await asyncio.wait_for(holder.stdout.readline(), timeout=120)
    assert line.decode().strip() == "holding"
    writers = [await cases(f"w{i}", "100") for i in range(3)]
    holder.kill()
    await holder.wait()
    assert [await finished(w) for w in writers] == [100, 100, 100]
    rows = await store.fetch_all("SELECT number FROM cases WHERE community = 'console:c'")
    assert sorted(r["number"] for r in rows) == list(range(1, 301))
