"""`vigie bench --store URL`: cases and jobs per second on a database, beside SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cases import CaseLog
from bot.clock import ManualClock
from bot.events import JobDue
from bot.scheduler import Scheduler
from bot.storage import Store, open_store
from bot.storage.core_schema import CORE_MIGRATIONS

__all__ = ["StoreFigures", "bench_stores", "store_lines"]

COMMUNITIES = 5
START = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class StoreFigures:
    """What one database did: cases one after another and at once, jobs run."""

    backend: str
    cases: int
    cases_per_s: float
    concurrent_cases_per_s: float
    jobs: int
    jobs_per_s: float
    gapless: bool

    def as_json(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"backend": self.backend, "cases": self.cases,
                "cases_per_s": round(self.cases_per_s, 1),
                "concurrent_cases_per_s": round(self.concurrent_cases_per_s, 1),
                "jobs": self.jobs, "jobs_per_s": round(self.jobs_per_s, 1),
                "gapless": self.gapless}


@contextlib.asynccontextmanager
async def _scratch(url: str) -> AsyncIterator[str]:
    """A throwaway place on the backend of `url`: a temporary file, or a new schema."""
    if url.startswith(("postgresql://", "postgres://")):
        import asyncpg

        schema = f"vigie_bench_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(f'CREATE SCHEMA "{schema}"')
            sep = "&" if "?" in url else "?"
            yield f"{url}{sep}search_path={schema}"
        finally:
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await admin.close()
        return
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


async def _open(url: str) -> Store:
    store = open_store(url)
    await store.open()
    await store.migrate("core", CORE_MIGRATIONS)
    return store


async def _open_cases(log: CaseLog, count: int, offset: int) -> None:
    for n in range(count):
        await log.open(community=f"console:c{(offset + n) % COMMUNITIES}", action="warn",
                       target_id=f"console:u{offset + n}", target_name=f"u{offset + n}",
                       author_id="console:cm", author_name="cm", reason="bench")


async def _measure(url: str, cases: int, jobs: int, concurrency: int) -> StoreFigures:
    async with _scratch(url) as scratch:
        store = await _open(scratch)
        try:
            clock = ManualClock(START)
            log = CaseLog(store, clock)
            began = time.perf_counter()
            await _open_cases(log, cases, 0)
            sequential = cases / (time.perf_counter() - began)
            each = max(cases // concurrency, 1)
            began = time.perf_counter()
            await asyncio.gather(*(_open_cases(log, each, cases + i * each)
                                   for i in range(concurrency)))
            concurrent = each * concurrency / (time.perf_counter() - began)
            rows = await store.fetch_all(
                "SELECT community, COUNT(*) AS n, MAX(number) AS top FROM cases"
                " GROUP BY community")
            gapless = all(int(r["n"]) == int(r["top"]) for r in rows)

            async def deliver(job: JobDue) -> bool:
                return True

            scheduler = Scheduler(store, clock, deliver)
            for n in range(jobs):
                await scheduler.schedule("bench.noop", f"console:c{n % COMMUNITIES}",
                                         START + timedelta(seconds=n % 60))
            clock.advance(timedelta(minutes=5))
            began = time.perf_counter()
            ran = await scheduler.run_due()
            per_job = ran / (time.perf_counter() - began)
            return StoreFigures(store.dialect, cases + each * concurrency, sequential,
                                concurrent, ran, per_job, gapless)
        finally:
            await store.close()


async def bench_stores(url: str, cases: int = 1000, jobs: int = 1000,
                       concurrency: int = 16) -> list[StoreFigures]:
    """SQLite (a temporary file), then the database of `url` (in a throwaway schema)."""
    figures = [await _measure("sqlite", cases, jobs, concurrency)]
    if not url.startswith("sqlite"):
        figures.append(await _measure(url, cases, jobs, concurrency))
    return figures


def store_lines(figures: list[StoreFigures]) -> Iterator[str]:
    """A table for people."""
    yield "backend      cases/s  cases/s (16 at once)  jobs/s  numbering"
    for f in figures:
        yield (f"{f.backend:<10} {f.cases_per_s:>9,.0f} {f.concurrent_cases_per_s:>21,.0f}"
               f" {f.jobs_per_s:>7,.0f}  {'gapless' if f.gapless else 'GAPS'}")
    yield ("(wall time: database work waits on disk and network, so CPU time says little here;"
           " one process)")
