"""Reload notices through Redis pub/sub: two workers reading one rule file."""

from __future__ import annotations

from pathlib import Path

from bot.fleet.notices import RedisNotices
from tests.fleet.helpers import EDITED_RULES, eventually, worker
from tests.redis.conftest import REDIS_URL


async def test_an_edit_on_one_worker_reaches_the_other_through_redis(
        tmp_path: Path, redis_prefix: str) -> None:
    # SQLite (one file per worker: one process per SQLite file): no PostgreSQL notices to help
    a = await worker(tmp_path, "worker-a", f"sqlite:///{tmp_path / 'a.db'}",
                     notices=RedisNotices(REDIS_URL, prefix=redis_prefix)).start()
    b = await worker(tmp_path, "worker-b", f"sqlite:///{tmp_path / 'b.db'}",
                     notices=RedisNotices(REDIS_URL, prefix=redis_prefix)).start()
    try:
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        revision = (await a.app.rulebook.reload()).revision
        assert await eventually(lambda: b.app.rulebook.current.revision == revision)
    finally:
        await b.stop()
        await a.stop()

