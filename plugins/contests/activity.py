"""Who was seen where, since when, and how many messages they posted: counted in memory, written
in batches, so the per-message path never touches the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.batching import BatchedWriter
from bot.clock import from_text, to_text
from bot.storage import Store, Transaction

__all__ = ["Activity", "ActivityTracker"]

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


class ActivityTracker(BatchedWriter[_Pending]):
    """Counts in memory; `flush` writes every pending count in one transaction."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, "vigie-contests-activity", period=FLUSH_SECONDS,
                         size=FLUSH_SIZE)
        self._pending: dict[tuple[str, str], _Pending] = {}

    def seen(self, community: str, member_id: str, ts: datetime, *, message: bool = False,
             joined: bool = False) -> None:
        """Note a member: a message (counted), a join (restarts membership) or any activity."""
        key = (community, member_id)
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = _Pending(ts)
            self.queued(len(self._pending))
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

    def _take(self) -> dict[tuple[str, str], _Pending]:
        batch, self._pending = self._pending, {}
        return batch

    def _restore(self, batch: dict[tuple[str, str], _Pending]) -> None:
        for key, pending in batch.items():
            newer = self._pending.get(key)
            if newer is not None:
                pending.messages += newer.messages
                pending.joined_at = newer.joined_at or pending.joined_at
            self._pending[key] = pending

    async def _write(self, tx: Transaction, batch: dict[tuple[str, str], _Pending]) -> None:
        await tx.execute_many(UPSERT, [{
            "c": community, "m": member_id, "first": to_text(pending.first_seen),
            "joined": to_text(pending.joined_at) if pending.joined_at else None,
            "n": pending.messages} for (community, member_id), pending in batch.items()])
