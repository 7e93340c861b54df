"""The case log: every sanction, numbered per community, committed before anyone is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_text, to_text
from bot.storage import Store

__all__ = ["Case", "CaseLog"]


@dataclass(frozen=True, slots=True)
class Case:
    """One recorded sanction or note."""

    id: int
    community: str
    number: int
    action: str
    target_id: str
    target_name: str
    author_id: str
    author_name: str
    reason: str
    duration: timedelta | None
    expires_at: datetime | None
    evidence: str
    revision: str
    event_id: str | None
    status: str
    created_at: datetime
    updated_at: datetime


def _case(row: dict[str, Any]) -> Case:
    return Case(
        id=row["id"], community=row["community"], number=row["number"], action=row["action"],
        target_id=row["target_id"], target_name=row["target_name"], author_id=row["author_id"],
        author_name=row["author_name"], reason=row["reason"],
        duration=timedelta(seconds=row["duration_s"]) if row["duration_s"] is not None else None,
        expires_at=from_text(row["expires_at"]) if row["expires_at"] else None,
        evidence=row["evidence"], revision=row["revision"], event_id=row["event_id"],
        status=row["status"], created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )


class CaseLog:
    """Opens, reads and updates cases; lookups use the (community, member) index."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def open(
        self, *, community: str, action: str, target_id: str, target_name: str, author_id: str,
        author_name: str, reason: str = "", duration: timedelta | None = None,
        evidence: str = "", revision: str = "", event_id: str | None = None,
    ) -> Case:
        """Record a case with the next number of its community; committed on return."""
        now = self.clock.now()
        expires = now + duration if duration is not None else None
        async with self.store.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM cases WHERE community = :c",
                {"c": community})
            number = int(row["next"]) if row else 1
            case_id = await tx.execute(
                "INSERT INTO cases (community, number, action, target_id, target_name, author_id,"
                " author_name, reason, duration_s, expires_at, evidence, revision, event_id,"
                " status, created_at, updated_at) VALUES (:c, :n, :action, :tid, :tname, :aid,"
                " :aname, :reason, :dur, :exp, :evidence, :rev, :event, 'active', :now, :now)",
                {"c": community, "n": number, "action": action, "tid": target_id,
                 "tname": target_name, "aid": author_id, "aname": author_name, "reason": reason,
                 "dur": int(duration.total_seconds()) if duration is not None else None,
                 "exp": to_text(expires) if expires else None, "evidence": evidence,
                 "rev": revision, "event": event_id, "now": to_text(now)})
        found = await self.get_by_id(case_id)
        assert found is not None
        return found

    async def get_by_id(self, case_id: int) -> Case | None:
        """A case by its database id."""
        row = await self.store.fetch_one("SELECT * FROM cases WHERE id = :id", {"id": case_id})
        return _case(row) if row else None

    async def get(self, community: str, number: int) -> Case | None:
        """A case by its number in a community."""
        row = await self.store.fetch_one(
            "SELECT * FROM cases WHERE community = :c AND number = :n",
            {"c": community, "n": number})
        return _case(row) if row else None

    async def for_member(self, community: str, target_id: str, limit: int = 50) -> list[Case]:
        """A member's cases, newest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM cases WHERE community = :c AND target_id = :t"
            " ORDER BY created_at DESC, id DESC LIMIT :limit",
            {"c": community, "t": target_id, "limit": limit})
        return [_case(r) for r in rows]

    async def set_status(self, case_id: int, status: str) -> None:
        """Mark a case active, expired or voided."""
        await self.store.execute(
            "UPDATE cases SET status = :s, updated_at = :now WHERE id = :id",
            {"s": status, "now": to_text(self.clock.now()), "id": case_id})
