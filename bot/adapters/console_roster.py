"""The console community's member list, kept in the store like a server keeps its members."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from bot.events import User
from bot.kv import KeyValue
from bot.permissions import Role
from bot.storage import StoreError

__all__ = ["Member", "Roster"]

log = logging.getLogger("vigie.console")
KEY = "members"


class Member(NamedTuple):
    """One console identity and its standing on the platform."""

    user: User
    banned: bool = False
    absent: bool = False
    muted_until: datetime | None = None


def _encode(member: Member) -> dict[str, Any]:
    user = member.user
    return {"name": user.name, "role": user.role.label, "language": user.language,
            "created": user.account_created_at.isoformat() if user.account_created_at else None,
            "banned": member.banned, "absent": member.absent,
            "muted_until": member.muted_until.isoformat() if member.muted_until else None}


def _decode(user_id: str, record: dict[str, Any]) -> Member:
    created, muted = record.get("created"), record.get("muted_until")
    user = User(id=user_id, name=str(record["name"]), role=Role.parse(record.get("role", "member")),
                language=record.get("language"),
                account_created_at=datetime.fromisoformat(created) if created else None)
    return Member(user, bool(record.get("banned")), bool(record.get("absent")),
                  datetime.fromisoformat(muted) if muted else None)


class Roster:
    """Reads the member list once at start; writes it only when it differs from what is stored."""

    def __init__(self, kv: KeyValue, community: str) -> None:
        self.kv = kv
        self.community = community
        self._stored: dict[str, Any] = {}

    async def load(self) -> list[Member]:
        """The members saved by earlier runs (none if nothing was saved)."""
        self._stored = await self.kv.get(self.community, KEY, {})
        members = []
        for user_id, record in self._stored.items():
            try:
                members.append(_decode(user_id, record))
            except (KeyError, TypeError, ValueError):
                log.warning("console member skipped: unreadable record id=%s", user_id)
        return members

    async def save(self, members: Sequence[Member]) -> None:
        """Store the list if a member is new or changed; a storage error is logged, not raised."""
        records = {m.user.id: _encode(m) for m in members}
        if records == self._stored:
            return
        self._stored = records
        try:
            await self.kv.set(self.community, KEY, records)
        except StoreError:
            log.exception("console members not saved")
            self._stored = {}
