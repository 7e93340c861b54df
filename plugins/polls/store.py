"""The polls plugin's rows: a poll, its places, and votes cast with buttons."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_text, to_text
from bot.places import Place
from bot.storage import Store

__all__ = ["PollPlace", "PollRow", "PollStore"]


@dataclass(frozen=True, slots=True)
class PollRow:
    """A poll as stored."""

    id: int
    community: str
    question: str
    options: tuple[str, ...]
    ends_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class PollPlace:
    """Where a poll was posted, and its counts once closed (None: not counted)."""

    community: str
    channel: str
    message_id: str | None
    counts: tuple[int, ...] | None


class PollStore:
    """Reads and writes the poll tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def create(self, places: Sequence[Place], question: str, options: Sequence[str],
                     author: str, now: datetime, ends_at: datetime) -> int:
        """Store a poll and its places; its number."""
        async with self.store.transaction() as tx:
            poll_id = await tx.execute(
                "INSERT INTO polls (community, channel, question, options, created_by,"
                " created_at, ends_at) VALUES (:c, :ch, :q, :o, :by, :now, :end)",
                {"c": places[0].community, "ch": places[0].channel, "q": question,
                 "o": json.dumps(list(options)), "by": author, "now": to_text(now),
                 "end": to_text(ends_at)})
            for place in places:
                await tx.execute("INSERT INTO poll_places (poll_id, community, channel)"
                                 " VALUES (:p, :c, :ch)",
                                 {"p": poll_id, "c": place.community, "ch": place.channel})
        return poll_id

    async def get(self, poll_id: int) -> PollRow | None:
        """One poll."""
        row = await self.store.fetch_one("SELECT * FROM polls WHERE id = :id", {"id": poll_id})
        if row is None:
            return None
        return PollRow(row["id"], row["community"], row["question"],
                       tuple(json.loads(row["options"])), from_text(row["ends_at"]),
                       row["status"])

    async def places(self, poll_id: int) -> list[PollPlace]:
        """Where the poll went, origin first."""
        rows = await self.store.fetch_all(
            "SELECT p.community, p.channel, p.message_id, p.counts FROM poll_places p"
            " JOIN polls q ON q.id = p.poll_id WHERE p.poll_id = :id"
            " ORDER BY CASE WHEN p.community = q.community THEN 0 ELSE 1 END, p.community",
            {"id": poll_id})
        return [PollPlace(r["community"], r["channel"], r["message_id"],
                          tuple(json.loads(r["counts"])) if r["counts"] is not None else None)
                for r in rows]

    async def posted(self, poll_id: int, community: str, message_id: str) -> None:
        """Remember the poll's message in a community."""
        await self.store.execute("UPDATE poll_places SET message_id = :m WHERE poll_id = :p"
                                 " AND community = :c",
                                 {"m": message_id, "p": poll_id, "c": community})

    async def place_of(self, community: str, message_id: str) -> tuple[int, int] | None:
        """(poll, number of options) of a poll message."""
        row = await self.store.fetch_one(
            "SELECT q.id, q.options, q.status FROM poll_places p JOIN polls q ON q.id = p.poll_id"
            " WHERE p.community = :c AND p.message_id = :m", {"c": community, "m": message_id})
        if row is None or row["status"] != "open":
            return None
        return row["id"], len(json.loads(row["options"]))

    async def vote(self, poll_id: int, community: str, member: str, choice: int) -> None:
        """A member's vote by button; a later click replaces it."""
        await self.store.execute(
            "INSERT INTO poll_votes (poll_id, community, member_id, choice)"
            " VALUES (:p, :c, :m, :v) ON CONFLICT (poll_id, community, member_id)"
            " DO UPDATE SET choice = excluded.choice",
            {"p": poll_id, "c": community, "m": member, "v": choice})

    async def button_counts(self, poll_id: int, community: str, size: int) -> tuple[int, ...]:
        """Votes per option cast with buttons in a community."""
        rows = await self.store.fetch_all(
            "SELECT choice, COUNT(*) AS n FROM poll_votes WHERE poll_id = :p AND community = :c"
            " GROUP BY choice", {"p": poll_id, "c": community})
        counts = [0] * size
        for row in rows:
            if 1 <= row["choice"] <= size:
                counts[row["choice"] - 1] = int(row["n"])
        return tuple(counts)

    async def closed(self, poll_id: int, community: str, counts: Sequence[int]) -> None:
        """Record a place's final counts."""
        await self.store.execute(
            "UPDATE poll_places SET counts = :n WHERE poll_id = :p AND community = :c",
            {"n": json.dumps(list(counts)), "p": poll_id, "c": community})

    async def move(self, poll_id: int, from_status: str, to_status: str) -> bool:
        """Change the poll's status if it is `from_status` (exactly one caller wins)."""
        changed = await self.store.execute(
            "UPDATE polls SET status = :to WHERE id = :id AND status = :from",
            {"to": to_status, "id": poll_id, "from": from_status})
        return changed > 0
