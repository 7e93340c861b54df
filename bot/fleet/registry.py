"""The `workers` table: each worker's revision, communities and last heartbeat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import from_text, to_text
from bot.storage import Store

__all__ = ["LIVE_WITHIN", "SELECT_WORKERS", "WorkerRegistry", "WorkerRow", "disagreeing",
           "read_workers", "worker_row"]

LIVE_WITHIN = timedelta(minutes=1)
"""A worker seen within this long is live; the others are left out of comparisons."""


@dataclass(frozen=True, slots=True)
class WorkerRow:
    """One worker as last recorded."""

    worker_id: str
    revision: str
    started_at: datetime
    seen_at: datetime
    communities: tuple[str, ...]
    peer_url: str = ""

    def lag(self, now: datetime) -> float:
        """Seconds since its last heartbeat."""
        return max(0.0, (now - self.seen_at).total_seconds())


def disagreeing(rows: Iterable[WorkerRow]) -> bool:
    """Whether these workers run more than one revision."""
    return len({row.revision for row in rows}) > 1


SELECT_WORKERS = ("SELECT worker_id, revision, started_at, seen_at, communities, peer_url"
                  " FROM workers ORDER BY worker_id")


def worker_row(r: Mapping[str, Any]) -> WorkerRow:
    """A WorkerRow from a row of SELECT_WORKERS."""
    return WorkerRow(str(r["worker_id"]), str(r["revision"]), from_text(r["started_at"]),
                     from_text(r["seen_at"]),
                     tuple(c for c in str(r["communities"]).split(",") if c),
                     str(r.get("peer_url") or ""))


async def read_workers(store: Store) -> list[WorkerRow]:
    """Every recorded worker, by name."""
    return [worker_row(r) for r in await store.fetch_all(SELECT_WORKERS)]


class WorkerRegistry:
    """Writes this worker's row; reads the live ones."""

    def __init__(self, store: Store, worker_id: str) -> None:
        self.store = store
        self.worker_id = worker_id

    async def beat(self, now: datetime, revision: str, communities: Iterable[str], *,
                   started: bool = False, peer_url: str = "") -> None:
        """Record the revision and communities now (`started`: the start time too)."""
        params = {"worker": self.worker_id, "revision": revision, "now": to_text(now),
                  "communities": ",".join(sorted(communities)), "peer": peer_url}
        restart = ", started_at = excluded.started_at" if started else ""
        await self.store.execute(
            "INSERT INTO workers (worker_id, revision, started_at, seen_at, communities,"
            " peer_url) VALUES (:worker, :revision, :now, :now, :communities, :peer)"
            " ON CONFLICT (worker_id) DO UPDATE SET revision = excluded.revision,"
            " seen_at = excluded.seen_at, communities = excluded.communities,"
            f" peer_url = excluded.peer_url{restart}",
            params)

    async def leave(self) -> None:
        """A clean stop: this worker's row goes."""
        await self.store.execute("DELETE FROM workers WHERE worker_id = :worker",
                                 {"worker": self.worker_id})

    async def peer_url(self, worker_id: str) -> str:
        """The address another worker takes forwarded updates at ('' if none)."""
        row = await self.store.fetch_one("SELECT peer_url FROM workers WHERE worker_id = :w",
                                         {"w": worker_id})
        return str(row["peer_url"]) if row else ""

    async def live(self, now: datetime, within: timedelta = LIVE_WITHIN) -> list[WorkerRow]:
        """Workers seen within `within` of `now` (this one included once it has beaten)."""
        return [row for row in await read_workers(self.store) if now - row.seen_at <= within]
