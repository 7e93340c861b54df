"""Challenges in the database: each outcome is taken once (a conditional update), committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import from_text, to_text
from bot.events import User
from bot.storage import Store

__all__ = ["FAILED", "LEFT", "OUTCOMES", "PASSED", "PENDING", "TIMED_OUT", "ChallengeRow",
           "ChallengeStore"]

PENDING, PASSED, FAILED, TIMED_OUT, LEFT = "pending", "passed", "failed", "timed_out", "left"
OUTCOMES = (PASSED, FAILED, TIMED_OUT, LEFT)


@dataclass(frozen=True, slots=True)
class ChallengeRow:
    """One stored challenge."""

    id: int
    community: str
    member: User
    via: str
    kind: str
    answer: int
    tries_left: int
    channel: str | None
    message_id: str | None
    join_channel: str | None
    join_message_id: str | None
    raid: bool
    created_at: datetime
    deadline: datetime
    status: str


def _row(data: dict[str, Any]) -> ChallengeRow:
    member = User(id=data["member_id"], name=data["member_name"], language=data["language"])
    return ChallengeRow(
        data["id"], data["community"], member, data["via"], data["kind"], data["answer"],
        data["tries_left"], data["channel"], data["message_id"], data["join_channel"],
        data["join_message_id"], bool(data["raid"]), from_text(data["created_at"]),
        from_text(data["deadline"]), data["status"])


class ChallengeStore:
    """The `verification_challenges` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def open_or_passed(self, community: str, member_id: str) -> bool:
        """Whether the member has a challenge in progress here, or passed one before."""
        row = await self.store.fetch_one(
            "SELECT 1 AS found FROM verification_challenges WHERE community = :community"
            " AND member_id = :member AND status IN ('pending', 'passed') LIMIT 1",
            {"community": community, "member": member_id})
        return row is not None

    async def add(self, *, community: str, member: User, language: str, via: str, kind: str,
                  answer: int, tries: int, channel: str | None, join_channel: str | None,
                  join_message_id: str | None, raid: bool, now: datetime,
                  deadline: datetime) -> int:
        """Store a new pending challenge; its id."""
        return await self.store.execute(
            "INSERT INTO verification_challenges (community, member_id, member_name, language,"
            " via, kind, answer, tries_left, channel, join_channel, join_message_id, raid,"
            " created_at, deadline) VALUES (:community, :member, :name, :language, :via, :kind,"
            " :answer, :tries, :channel, :join_channel, :join_message, :raid, :now, :deadline)",
            {"community": community, "member": member.id, "name": member.name,
             "language": language, "via": via, "kind": kind, "answer": answer, "tries": tries,
             "channel": channel, "join_channel": join_channel, "join_message": join_message_id,
             "raid": int(raid), "now": to_text(now), "deadline": to_text(deadline)})

    async def get(self, challenge_id: int) -> ChallengeRow | None:
        """A challenge by id."""
        data = await self.store.fetch_one(
            "SELECT * FROM verification_challenges WHERE id = :id", {"id": challenge_id})
        return _row(data) if data is not None else None

    async def pending_of(self, community: str, member_id: str) -> ChallengeRow | None:
        """The member's challenge in progress here, if any."""
        data = await self.store.fetch_one(
            "SELECT * FROM verification_challenges WHERE community = :community"
            " AND member_id = :member AND status = 'pending' ORDER BY id DESC LIMIT 1",
            {"community": community, "member": member_id})
        return _row(data) if data is not None else None

    async def latest_of(self, community: str, member_id: str) -> ChallengeRow | None:
        """The member's latest challenge here, if any."""
        data = await self.store.fetch_one(
            "SELECT * FROM verification_challenges WHERE community = :community"
            " AND member_id = :member ORDER BY id DESC LIMIT 1",
            {"community": community, "member": member_id})
        return _row(data) if data is not None else None

    async def noticed(self, challenge_id: int, channel: str, message_id: str) -> bool:
        """Remember the platform's join notice of a pending challenge; False if settled."""
        changed = await self.store.execute(
            "UPDATE verification_challenges SET join_channel = :channel,"
            " join_message_id = :message WHERE id = :id AND status = 'pending'",
            {"id": challenge_id, "channel": channel, "message": message_id})
        return changed > 0

    async def pending(self) -> list[ChallengeRow]:
        """Every challenge in progress, in every community."""
        rows = await self.store.fetch_all(
            "SELECT * FROM verification_challenges WHERE status = 'pending' ORDER BY id")
        return [_row(r) for r in rows]

    async def posted(self, challenge_id: int, message_id: str) -> None:
        """Remember the id of the posted challenge (to delete it afterwards)."""
        await self.store.execute(
            "UPDATE verification_challenges SET message_id = :message WHERE id = :id",
            {"id": challenge_id, "message": message_id})

    async def settle(self, challenge_id: int, status: str, now: datetime) -> bool:
        """Record the outcome if the challenge is still pending; False if another event did."""
        changed = await self.store.execute(
            "UPDATE verification_challenges SET status = :status, decided_at = :now"
            " WHERE id = :id AND status = 'pending'",
            {"id": challenge_id, "status": status, "now": to_text(now)})
        return changed > 0

    async def use_try(self, challenge_id: int) -> bool:
        """Take one try from a pending challenge that has more than one left."""
        changed = await self.store.execute(
            "UPDATE verification_challenges SET tries_left = tries_left - 1"
            " WHERE id = :id AND status = 'pending' AND tries_left > 1", {"id": challenge_id})
        return changed > 0

    async def tally(self, community: str, since: datetime) -> dict[str, int]:
        """Raid challenges by status since `since`."""
        rows = await self.store.fetch_all(
            "SELECT status, COUNT(*) AS n FROM verification_challenges"
            " WHERE community = :community AND raid = 1 AND created_at >= :since"
            " GROUP BY status", {"community": community, "since": to_text(since)})
        return {str(r["status"]): int(r["n"]) for r in rows}
