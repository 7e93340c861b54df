"""Durable jobs: committed before they are acknowledged, delivered as JobDue, re-armed at start.

Several processes may share one database: a job is claimed (status `running`, `claimed_by`,
`lease_until`) before it runs, so one worker runs it; if that worker dies, the job is claimed
again once its lease has ended.

On SQLite the process is the only writer, so it knows when the next job falls due without
asking: `run_due` costs no database round trip until then (a replay moves the clock at every
event). On PostgreSQL other workers schedule too, so the table is asked each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_text, to_text
from bot.events import JobDue
from bot.loop import BackgroundLoop
from bot.storage import Store

__all__ = ["LEASE", "MAX_ATTEMPTS", "Job", "Scheduler", "default_worker"]

log = logging.getLogger("vigie.scheduler")
MAX_ATTEMPTS = 5
POLL_SECONDS = 30.0
LEASE = timedelta(minutes=2)
"""How long a claimed job is its worker's: after that, another worker may run it again."""
BATCH = 100
_DUE = ("(status = 'pending' AND run_at <= :now)"
        " OR (status = 'running' AND lease_until <= :now)")

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


def default_worker() -> str:
    """A name for this process that no other live worker shares: host and pid."""
    return f"{socket.gethostname()}-{os.getpid()}"


class Scheduler:
    """Runs due jobs through `deliver` (True = handled); failures are retried with backoff."""

    def __init__(self, store: Store, clock: Clock, deliver: Deliver,
                 worker: str | None = None, *, lease: timedelta = LEASE) -> None:
        self.store = store
        self.clock = clock
        self.deliver = deliver
        self.worker = worker or default_worker()
        self.lease = lease
        self._recovered = False
        self._next_due: datetime | None = None  # SQLite: the soonest pending run_at known
        self._next_known = False
        self._expected = 0  # how many times a job was expected (a schedule, a retry)
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
        self._expect(run_at)
        self._loop.wake()
        return job_id

    def _expect(self, run_at: datetime) -> None:
        """A job may fall due at `run_at`: the next due time is no later (a lower bound)."""
        self._expected += 1
        if self._next_due is None or run_at < self._next_due:
            self._next_due = run_at

    @property
    def _alone(self) -> bool:
        """Whether this process is the only one writing jobs (SQLite holds a process lock)."""
        return self.store.dialect == "sqlite"

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
        """Jobs still to run (pending, or running under a worker's lease), soonest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM jobs WHERE status IN ('pending', 'running')"
            " AND (:kind IS NULL OR kind = :kind)"
            " ORDER BY run_at, id", {"kind": kind})
        return [_job(r) for r in rows]

    async def run_due(self) -> int:
        """Deliver every job whose time has come (overdue ones included); return how many ran."""
        async with self._running:
            if not self._recovered:
                await self._recover()
            if self._alone and self._next_known and (
                    self._next_due is None or self._next_due > self.clock.now()):
                return 0  # nothing can be due yet: no round trip
            ran = 0
            while True:
                jobs = await self.claim()
                if not jobs:
                    if self._alone:
                        await self._learn_next()
                    return ran
                waiting = {job.id for job in jobs}  # claimed, not finished: their leases kept
                keeping = asyncio.create_task(self._keep_leases(waiting), name="vigie-leases")
                try:
                    for job in jobs:
                        await self._run(job)
                        waiting.discard(job.id)
                        ran += 1
                finally:
                    keeping.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await keeping

    async def _learn_next(self) -> None:
        """Read when the next job falls due (after a pass that ran everything due)."""
        expected = self._expected
        found = await self._next_run_at()
        if self._expected != expected and self._next_due is not None:  # scheduled meanwhile:
            found = self._next_due if found is None else min(found, self._next_due)  # keep it
        self._next_due = found
        self._next_known = True

    async def _recover(self) -> None:
        """SQLite has one process: a job left `running` was cut short by a stop; run it again."""
        if self.store.dialect == "sqlite":
            await self.store.execute(
                "UPDATE jobs SET status = 'pending' WHERE status = 'running'")
        self._recovered = True

    async def claim(self, limit: int = BATCH) -> list[Job]:
        """Take due jobs (and those whose worker's lease ended) for this worker, soonest first."""
        now = self.clock.now()
        skip = " FOR UPDATE SKIP LOCKED" if self.store.dialect == "postgresql" else ""
        rows = await self.store.fetch_all(
            "UPDATE jobs SET status = 'running', claimed_by = :me, lease_until = :lease,"
            " attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs WHERE " + _DUE +
            " ORDER BY run_at, id LIMIT :limit" + skip + ") RETURNING *",
            {"me": self.worker, "lease": to_text(now + self.lease), "now": to_text(now),
             "limit": limit})
        return sorted((_job(r) for r in rows), key=lambda job: (job.run_at, job.id))

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
        mine = {"id": job.id, "me": self.worker}
        if handled:
            changed = await self.store.execute(
                "UPDATE jobs SET status = 'done', done_at = :now, lease_until = NULL"
                " WHERE id = :id AND claimed_by = :me", {**mine, "now": to_text(now)})
            self._check_lease(job, changed)
            return
        attempts = job.attempts  # counted when claimed
        if attempts >= MAX_ATTEMPTS:
            log.error("job abandoned id=%s kind=%s attempts=%d error=%s", job.id, job.kind,
                      attempts, error)
            changed = await self.store.execute(
                "UPDATE jobs SET status = 'failed', last_error = :err, done_at = :now,"
                " lease_until = NULL WHERE id = :id AND claimed_by = :me",
                {**mine, "err": error, "now": to_text(now)})
            self._check_lease(job, changed)
            return
        retry_at = now + timedelta(seconds=10 * 2 ** (attempts - 1))
        log.warning("job retry id=%s kind=%s attempt=%d at=%s error=%s", job.id, job.kind,
                    attempts, to_text(retry_at), error)
        changed = await self.store.execute(
            "UPDATE jobs SET status = 'pending', run_at = :at, last_error = :err,"
            " lease_until = NULL WHERE id = :id AND claimed_by = :me",
            {**mine, "at": to_text(retry_at), "err": error})
        self._expect(retry_at)
        self._check_lease(job, changed)

    async def _keep_leases(self, waiting: set[int]) -> None:
        """While a batch runs (a slow platform call), extend the leases of its jobs not yet
        finished, the one running and those queued behind it: they stay this worker's."""
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            if not waiting:
                continue
            ids = sorted(waiting)
            marks = ", ".join(f":j{i}" for i in range(len(ids)))
            params: dict[str, Any] = {f"j{i}": job_id for i, job_id in enumerate(ids)}
            params.update(me=self.worker, lease=to_text(self.clock.now() + self.lease))
            try:
                await self.store.execute(
                    "UPDATE jobs SET lease_until = :lease WHERE claimed_by = :me"
                    f" AND status = 'running' AND id IN ({marks})", params)
            except Exception as exc:
                log.warning("job leases not extended (%s)", exc)

    def _check_lease(self, job: Job, changed: int) -> None:
        if not changed:
            log.warning("job id=%s kind=%s: its lease ended before it finished and another "
                        "worker claimed it; its outcome here is not recorded", job.id, job.kind)

    async def _next_run_at(self) -> datetime | None:
        row = await self.store.fetch_one(
            "SELECT MIN(CASE WHEN status = 'pending' THEN run_at ELSE lease_until END) AS next"
            " FROM jobs WHERE status IN ('pending', 'running')")
        return from_text(row["next"]) if row and row["next"] else None

    async def _pass(self) -> float | None:
        """Run what is due; say how long to wait for the next job (None: until woken)."""
        await self.run_due()
        next_at = self._next_due if self._alone and self._next_known \
            else await self._next_run_at()
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
