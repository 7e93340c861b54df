"""What a contest is made of: its places, requirements, entries and draws, as stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import from_text

__all__ = [
    "CANCELLED",
    "ENDED",
    "OPEN",
    "Contest",
    "Draw",
    "Entry",
    "Place",
    "Requirements",
    "contest_from_row",
    "draw_from_row",
    "entry_from_row",
]

OPEN, ENDED, CANCELLED = "open", "ended", "cancelled"


@dataclass(frozen=True, slots=True)
class Requirements:
    """What a member needs to enter one contest."""

    account_age: timedelta | None = None
    member_for: timedelta | None = None
    messages: int = 0
    role: str | None = None

    def __bool__(self) -> bool:
        return bool(self.account_age or self.member_for or self.messages or self.role)

    def to_json(self) -> str:
        """Stored form."""
        return json.dumps({
            "account_age": _seconds(self.account_age), "member_for": _seconds(self.member_for),
            "messages": self.messages, "role": self.role}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Requirements:
        """Inverse of `to_json`."""
        data = json.loads(text)
        return cls(_delta(data.get("account_age")), _delta(data.get("member_for")),
                   int(data.get("messages") or 0), data.get("role"))


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def _delta(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


@dataclass(frozen=True, slots=True)
class Place:
    """A community a contest runs in, and the channel where it is announced there."""

    community: str
    channel: str


@dataclass(frozen=True, slots=True)
class Contest:
    """One contest; `community` is where it was started (its home), first of `places`."""

    id: int
    community: str
    channel: str
    places: tuple[Place, ...]
    prize: str
    winners: int
    mode: str
    emoji: str
    keyword: str | None
    requirements: Requirements
    status: str
    seed: str
    commitment: str
    created_by: str
    created_by_name: str
    created_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    cancel_reason: str
    relayed: bool
    told_in: str | None = None

    @property
    def communities(self) -> tuple[str, ...]:
        """Every community it runs in, home first."""
        return tuple(p.community for p in self.places)

    def place(self, community: str) -> Place | None:
        """Where it runs in `community`, if it does."""
        return next((p for p in self.places if p.community == community), None)

    def is_open(self, now: datetime) -> bool:
        """Still taking entries."""
        return self.status == OPEN and now < self.ends_at


def contest_from_row(row: dict[str, Any]) -> Contest:
    """A contest from its stored row."""
    return Contest(
        id=row["id"], community=row["community"], channel=row["channel"],
        places=tuple(Place(c, ch) for c, ch in json.loads(row["places"])), prize=row["prize"],
        winners=row["winners"], mode=row["mode"], emoji=row["emoji"], keyword=row["keyword"],
        requirements=Requirements.from_json(row["requirements"]), status=row["status"],
        seed=row["seed"], commitment=row["commitment"], created_by=row["created_by"],
        created_by_name=row["created_by_name"], created_at=from_text(row["created_at"]),
        ends_at=from_text(row["ends_at"]),
        ended_at=from_text(row["ended_at"]) if row["ended_at"] else None,
        cancel_reason=row["cancel_reason"], relayed=bool(row["relayed"]),
        told_in=row["told_in"])


@dataclass(frozen=True, slots=True)
class Entry:
    """One member's entry."""

    member_id: str
    member_name: str
    community: str
    language: str | None
    via: str
    entered_at: datetime
    status: str
    note: str


def entry_from_row(row: dict[str, Any]) -> Entry:
    """An entry from its stored row."""
    return Entry(row["member_id"], row["member_name"], row["community"], row["language"],
                 row["via"], from_text(row["entered_at"]), row["status"], row["note"])


@dataclass(frozen=True, slots=True)
class Draw:
    """One round of drawing: 0 at the close, then rerolls."""

    contest_id: int
    round: int
    requested: int
    winners: tuple[str, ...]
    entrants: int
    entrants_sha256: str
    drawn_at: datetime
    drawn_by: str
    relayed: bool
    told_in: str | None = None


def draw_from_row(row: dict[str, Any]) -> Draw:
    """A draw from its stored row."""
    return Draw(row["contest_id"], row["round"], row["requested"],
                tuple(json.loads(row["winners"])), row["entrants"], row["entrants_sha256"],
                from_text(row["drawn_at"]), row["drawn_by"], bool(row["relayed"]),
                row["told_in"])
