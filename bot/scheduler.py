"""Durable jobs: committed before they are acknowledged, delivered as JobDue, re-armed at start."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_text, to_text
from bot.events import JobDue
from bot.loop import BackgroundLoop
from bot.storage import Store

__all__ = ["MAX_ATTEMPTS", "Job", "Scheduler"]

log = logging.getLogger("vigie.scheduler")
MAX_ATTEMPTS = 5
POLL_SECONDS = 30.0

Deliver = Callable[[JobDue], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Job:
    """A stored job."""

    id: int
    kind: str
    community: str
    run_at: datetime
    payload: dict[str, Any]
    key: str | None
    status: str
    attempts: int


def _job(row: dict[str, Any]) -> Job:
    return Job(row["id"], row["kind"], row["community"], from_text(row["run_at"]),
               json.loads(row["payload"]), row["job_key"], row["status"], row["attempts"])


class Scheduler:
    """Runs due jobs through `deliver` (True = handled); failures are retried with backoff."""

    def __init__(self, store: Store, clock: Clock, deliver: Deliver) -> None:
        self.store = store
        self.clock = clock
        self.deliver = deliver
        self._loop = BackgroundLoop("vigie-scheduler", self._pass)
        self._running = asyncio.Lock()
        clock.on_jump(self._loop.wake)

    async def schedule(self, kind: str, community: str, run_at: datetime,
                       payload: dict[str, Any] | None = None, key: str | None = None) -> int:
        """Store a job (replacing a pending one with the same key); committed on return."""
        now = to_text(self.clock.now())
        async with self.store.transaction() as tx:
            if key is not None:
                await tx.execute(
                    "UPDATE jobs SET status = 'replaced', done_at = :now"
                    " WHERE job_key = :key AND status = 'pending'", {"key": key, "now": now})
            job_id = await tx.execute(
                "INSERT INTO jobs (kind, community, run_at, payload, job_key, created_at)"
                " VALUES (:kind, :community, :run_at, :payload, :key, :now)",
                {"kind": kind, "community": community, "run_at": to_text(run_at),
                 "payload": json.dumps(payload or {}, sort_keys=True), "key": key, "now": now})
        self._loop.wake()
        return job_id

    async def cancel(self, key: str) -> bool:
        """Cancel the pending job with this key; True if there was one."""
        changed = await self.store.execute(
            "UPDATE jobs SET status = 'cancelled', done_at = :now"
            " WHERE job_key = :key AND status = 'pending'",
            {"key": key, "now": to_text(self.clock.now())})
        return changed > 0

    async def known(self, key: str) -> bool:
        """Whether a job with this key was ever stored (pending, done, cancelled...)."""
        row = await self.store.fetch_one(
            "SELECT 1 AS found FROM jobs WHERE job_key = :key LIMIT 1", {"key": key})
        return row is not None

    async def pending(self, kind: str | None = None) -> list[Job]:
        """Pending jobs, soonest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM jobs WHERE status = 'pending' AND (:kind IS NULL OR kind = :kind)"
            " ORDER BY run_at, id", {"kind": kind})
        return [_job(r) for r in rows]

    async def run_due(self) -> int:
        """Deliver every job whose time has come (overdue ones included); return how many ran."""
        async with self._running:
            ran = 0
            while True:
                rows = await self.store.fetch_all(
                    "SELECT * FROM jobs WHERE status = 'pending' AND run_at <= :now"
                    " ORDER BY run_at, id LIMIT 100", {"now": to_text(self.clock.now())})
                if not rows:
                    return ran
                for row in rows:
                    await self._run(_job(row))
                    ran += 1

    async def _run(self, job: Job) -> None:
        event = JobDue(id=f"job:{job.id}", ts=self.clock.now(), community=job.community,
                       job_id=job.id, kind=job.kind, payload=job.payload, run_at=job.run_at)
        try:
            handled = await self.deliver(event)
            error = None if handled else "no handler took this job"
        except Exception as exc:
            log.exception("job failed id=%s kind=%s", job.id, job.kind)
            handled, error = False, f"{type(exc).__name__}: {exc}"
        now = self.clock.now()
        if handled:
            await self.store.execute(
                "UPDATE jobs SET status = 'done', done_at = :now, attempts = attempts + 1"
                " WHERE id = :id", {"id": job.id, "now": to_text(now)})
            return
        attempts = job.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            log.error("job abandoned id=%s kind=%s attempts=%d error=%s", job.id, job.kind,
                      attempts, error)
            await self.store.execute(
                "UPDATE jobs SET status = 'failed', attempts = :n, last_error = :err,"
                " done_at = :now WHERE id = :id",
                {"id": job.id, "n": attempts, "err": error, "now": to_text(now)})
            return
        retry_at = now + timedelta(seconds=10 * 2 ** (attempts - 1))
        log.warning("job retry id=%s kind=%s attempt=%d at=%s error=%s", job.id, job.kind,
                    attempts, to_text(retry_at), error)
        await self.store.execute(
            "UPDATE jobs SET run_at = :at, attempts = :n, last_error = :err WHERE id = :id",
            {"id": job.id, "at": to_text(retry_at), "n": attempts, "err": error})

    async def _next_run_at(self) -> datetime | None:
        row = await self.store.fetch_one(
            "SELECT MIN(run_at) AS next FROM jobs WHERE status = 'pending'")
        return from_text(row["next"]) if row and row["next"] else None

    async def _pass(self) -> float | None:
        """Run what is due; say how long to wait for the next job (None: until woken)."""
        await self.run_due()
        next_at = await self._next_run_at()
        if not self.clock.advances_alone:
            return None
        if next_at is None:
            return POLL_SECONDS
        return min(POLL_SECONDS, max(0.0, (next_at - self.clock.now()).total_seconds()))

    def start(self) -> None:
        """Re-arm: run overdue jobs now, then wait for the next one."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop waiting (a job in progress finishes); pending jobs stay stored for next start."""
        await self._loop.stop()
