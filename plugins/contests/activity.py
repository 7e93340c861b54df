"""Who was seen where, since when, and how many messages they posted: counted in memory, written
in batches, so the per-message path never touches the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_text, to_text
from bot.loop import BackgroundLoop
from bot.storage import Store, StoreError

__all__ = ["Activity", "ActivityTracker"]

log = logging.getLogger("vigie.plugin.contests")
FLUSH_SECONDS = 5.0
FLUSH_SIZE = 1000
UPSERT = (
    "INSERT INTO contest_activity (community, member_id, first_seen, joined_at, messages)"
    " VALUES (:c, :m, :first, :joined, :n)"
    " ON CONFLICT (community, member_id) DO UPDATE SET"
    " messages = contest_activity.messages + excluded.messages,"
    " joined_at = COALESCE(excluded.joined_at, contest_activity.joined_at)"
)


@dataclass
class _Pending:
    first_seen: datetime
    joined_at: datetime | None = None
    messages: int = 0


@dataclass(frozen=True, slots=True)
class Activity:
    """What Vigie knows of a member in a community."""

    first_seen: datetime | None = None
    joined_at: datetime | None = None
    messages: int = 0

    @property
    def member_since(self) -> datetime | None:
        """Their last join when seen, else the first time Vigie saw them."""
        return self.joined_at or self.first_seen


class ActivityTracker:
    """Counts in memory; `flush` writes every pending count in one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._loop = BackgroundLoop("vigie-contests-activity", self._tick)

    def seen(self, community: str, member_id: str, ts: datetime, *, message: bool = False,
             joined: bool = False) -> None:
        """Note a member: a message (counted), a join (restarts membership) or any activity."""
        key = (community, member_id)
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = _Pending(ts)
            if len(self._pending) >= FLUSH_SIZE:
                self._loop.wake()
        if message:
            pending.messages += 1
        if joined:
            pending.joined_at = ts

    async def get(self, community: str, member_id: str) -> Activity:
        """Stored counts plus those not written yet."""
        row = await self.store.fetch_one(
            "SELECT first_seen, joined_at, messages FROM contest_activity"
            " WHERE community = :c AND member_id = :m", {"c": community, "m": member_id})
        stored = Activity(from_text(row["first_seen"]),
                          from_text(row["joined_at"]) if row["joined_at"] else None,
                          int(row["messages"])) if row else Activity()
        pending = self._pending.get((community, member_id))
        if pending is None:
            return stored
        return Activity(stored.first_seen or pending.first_seen,
                        pending.joined_at or stored.joined_at,
                        stored.messages + pending.messages)

    async def flush(self) -> int:
        """Write what is pending; return how many members were written."""
        batch, self._pending = self._pending, {}
        if not batch:
            return 0
        try:
            async with self.store.transaction() as tx:
                for (community, member_id), pending in batch.items():
                    await tx.execute(UPSERT, {
                        "c": community, "m": member_id, "first": to_text(pending.first_seen),
                        "joined": to_text(pending.joined_at) if pending.joined_at else None,
                        "n": pending.messages})
        except StoreError:
            for key, pending in batch.items():
                newer = self._pending.get(key)
                if newer is not None:
                    pending.messages += newer.messages
                    pending.joined_at = newer.joined_at or pending.joined_at
                self._pending[key] = pending
            raise
        return len(batch)

    async def _tick(self) -> float:
        """Write what is queued; wait FLUSH_SECONDS before the next round."""
        try:
            await self.flush()
        except StoreError as exc:
            log.error("activity flush failed, will retry: %s", exc)
        return FLUSH_SECONDS

    def start(self) -> None:
        """Begin periodic writing."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop and write what remains."""
        await self._loop.stop()
        await self.flush()
