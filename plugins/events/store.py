"""The events plugin's rows: an event, its places, its attendees."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import from_text, to_text
from bot.places import Place
from bot.storage import Row, Store

__all__ = ["Attendee", "EventPlace", "EventRow", "EventStore"]


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as stored."""

    id: int
    community: str
    title: str
    texts: dict[str, str]
    place: str
    link: str
    starts_at: datetime
    ends_at: datetime
    reminders: tuple[timedelta, ...]
    status: str


@dataclass(frozen=True, slots=True)
class EventPlace:
    """Where an event was announced: the message and the native event there."""

    community: str
    channel: str
    message_id: str | None
    native_id: str | None


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone who said they'd come."""

    member_id: str
    community: str
    name: str
    said_at: datetime


def _event(row: Row) -> EventRow:
    return EventRow(row["id"], row["community"], row["title"], json.loads(row["texts"]),
                    row["place"], row["link"], from_text(row["starts_at"]),
                    from_text(row["ends_at"]),
                    tuple(timedelta(seconds=s) for s in json.loads(row["reminders"])),
                    row["status"])


class EventStore:
    """Reads and writes the event tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def create(self, places: Sequence[Place], title: str, texts: dict[str, str],
                     place: str, link: str, start: datetime, end: datetime,
                     reminders: Sequence[timedelta], author: str, now: datetime) -> int:
        """Store an event and its places; its number."""
        async with self.store.transaction() as tx:
            event_id = await tx.execute(
                "INSERT INTO events (community, title, texts, place, link, starts_at, ends_at,"
                " reminders, created_by, created_at) VALUES (:c, :t, :x, :p, :l, :s, :e, :r,"
                " :by, :now)",
                {"c": places[0].community, "t": title, "x": json.dumps(texts, sort_keys=True),
                 "p": place, "l": link, "s": to_text(start), "e": to_text(end),
                 "r": json.dumps([int(r.total_seconds()) for r in reminders]), "by": author,
                 "now": to_text(now)})
            for where in places:
                await tx.execute("INSERT INTO event_places (event_id, community, channel)"
                                 " VALUES (:e, :c, :ch)",
                                 {"e": event_id, "c": where.community, "ch": where.channel})
        return event_id

    async def get(self, event_id: int) -> EventRow | None:
        """One event."""
        row = await self.store.fetch_one("SELECT * FROM events WHERE id = :id", {"id": event_id})
        return _event(row) if row is not None else None

    async def update(self, event: EventRow) -> None:
        """Write an edited event's fields."""
        await self.store.execute(
            "UPDATE events SET title = :t, texts = :x, place = :p, link = :l, starts_at = :s,"
            " ends_at = :e WHERE id = :id",
            {"t": event.title, "x": json.dumps(event.texts, sort_keys=True), "p": event.place,
             "l": event.link, "s": to_text(event.starts_at), "e": to_text(event.ends_at),
             "id": event.id})

    async def upcoming(self, community: str) -> list[EventRow]:
        """Open events announced in a community, soonest first."""
        rows = await self.store.fetch_all(
            "SELECT e.* FROM events e JOIN event_places p ON p.event_id = e.id"
            " WHERE p.community = :c AND e.status = 'open' ORDER BY e.starts_at, e.id",
            {"c": community})
        return [_event(r) for r in rows]

    async def places(self, event_id: int) -> list[EventPlace]:
        """Where the event was announced, origin first."""
        rows = await self.store.fetch_all(
            "SELECT p.* FROM event_places p JOIN events e ON e.id = p.event_id"
            " WHERE p.event_id = :id"
            " ORDER BY CASE WHEN p.community = e.community THEN 0 ELSE 1 END, p.community",
            {"id": event_id})
        return [EventPlace(r["community"], r["channel"], r["message_id"], r["native_id"])
                for r in rows]

    async def place(self, event_id: int, community: str) -> EventPlace | None:
        """The event's place in one community."""
        return next((p for p in await self.places(event_id) if p.community == community), None)

    async def posted(self, event_id: int, community: str, *, message_id: str | None = None,
                     native_id: str | None = None) -> None:
        """Remember the announcement (or the native event) in a community."""
        column = "message_id" if message_id is not None else "native_id"
        await self.store.execute(
            f"UPDATE event_places SET {column} = :v WHERE event_id = :e AND community = :c",
            {"v": message_id if message_id is not None else native_id, "e": event_id,
             "c": community})

    async def by_message(self, community: str, message_id: str) -> int | None:
        """The event announced by a message."""
        row = await self.store.fetch_one(
            "SELECT event_id FROM event_places WHERE community = :c AND message_id = :m",
            {"c": community, "m": message_id})
        return int(row["event_id"]) if row is not None else None

    async def toggle(self, event_id: int, member: str, community: str, name: str,
                     now: datetime, *, only_add: bool = False) -> bool | None:
        """Add the member (True) or, when already there, remove them (False); None: no change."""
        async with self.store.transaction() as tx:
            await tx.lock(f"events:{event_id}:{member}")
            found = await tx.fetch_one("SELECT 1 AS x FROM event_attendees WHERE event_id = :e"
                                       " AND member_id = :m", {"e": event_id, "m": member})
            if found is not None:
                if only_add:
                    return None
                await tx.execute("DELETE FROM event_attendees WHERE event_id = :e"
                                 " AND member_id = :m", {"e": event_id, "m": member})
                return False
            await tx.execute("INSERT INTO event_attendees (event_id, member_id, community, name,"
                             " said_at) VALUES (:e, :m, :c, :n, :now)",
                             {"e": event_id, "m": member, "c": community, "n": name,
                              "now": to_text(now)})
            return True

    async def attendees(self, event_id: int) -> list[Attendee]:
        """Who said they'd come, in order."""
        rows = await self.store.fetch_all(
            "SELECT * FROM event_attendees WHERE event_id = :e ORDER BY said_at, member_id",
            {"e": event_id})
        return [Attendee(r["member_id"], r["community"], r["name"], from_text(r["said_at"]))
                for r in rows]

    async def move(self, event_id: int, from_status: str, to_status: str) -> bool:
        """Change the status if it is `from_status` (exactly one caller wins)."""
        return await self.store.execute(
            "UPDATE events SET status = :to WHERE id = :id AND status = :from",
            {"to": to_status, "id": event_id, "from": from_status}) > 0
