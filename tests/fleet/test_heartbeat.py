"""Each worker keeps its row in the workers table fresh in the background, and claims jobs
under its name."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.fleet.registry import read_workers
from tests.fleet.helpers import DEADLINE_S, worker


async def test_the_heartbeat_records_the_time_revision_and_communities(tmp_path: Path) -> None:
    h = worker(tmp_path, "worker-a", f"sqlite:///{tmp_path / 'vigie.db'}")
    h.app.fleet.beat_s = 0.02
    await h.start()
    try:
        [row] = await read_workers(h.store)
        assert (row.worker_id, row.revision) == ("worker-a", h.app.rulebook.current.revision)
        assert row.started_at == row.seen_at == h.clock.now()
        assert row.communities == tuple(sorted(h.adapter.communities()))
        h.clock.advance(timedelta(seconds=30))
        later = h.clock.now()
        deadline = asyncio.get_running_loop().time() + DEADLINE_S
        while row.seen_at != later and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
            [row] = await read_workers(h.store)
        assert row.seen_at == later and row.started_at == later - timedelta(seconds=30)
    finally:
        await h.stop()


async def test_jobs_are_claimed_under_the_worker_name(tmp_path: Path) -> None:
    h = await worker(tmp_path, "eu-1", f"sqlite:///{tmp_path / 'vigie.db'}").start()
    try:
        await h.app.scheduler.schedule("test.nobody", h.community,
                                       h.clock.now() + timedelta(minutes=1))
        await h.advance(timedelta(minutes=2))
        rows = await h.rows("SELECT claimed_by FROM jobs")
        assert rows == [{"claimed_by": "eu-1"}]
    finally:
        await h.stop()
