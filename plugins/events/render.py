"""What the events plugin writes, in one community's language and time zone."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.durations import format_duration
from bot.events import platform_of
from bot.i18n import Catalog
from bot.when import zone
from plugins.events.store import Attendee, EventRow

__all__ = ["EventWriter", "attendees_csv", "mention"]


def mention(attendee: Attendee) -> str:
    """How a reminder names someone: a Discord mention (a ping), else their name."""
    if platform_of(attendee.member_id) == "discord":
        return f"<@{attendee.member_id.partition(':')[2]}>"
    return attendee.name


def attendees_csv(event: EventRow, attendees: Sequence[Attendee]) -> bytes:
    """One line per attendee: event, member id, name, community, when they said so (UTC)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["event", "title", "member_id", "name", "community", "said_at"])
    for a in attendees:
        writer.writerow([event.id, event.title, a.member_id, a.name, a.community,
                         a.said_at.isoformat()])
    return out.getvalue().encode("utf-8")


class EventWriter:
    """Texts about events for one language and time zone."""

    def __init__(self, catalog: Catalog, lang: str, tz: str) -> None:
        self.catalog, self.lang, self.tz = catalog, lang, tz

    def t(self, key: str, **params: object) -> str:
        """A catalog message in this language."""
        return self.catalog.render(key, self.lang, params)

    def when(self, moment: datetime) -> str:
        """`2026-12-12 18:00 (Europe/Paris)`, in the community's time zone."""
        local = moment.astimezone(zone(self.tz))
        return self.t("events.at", date=local.strftime("%Y-%m-%d"),
                      time=local.strftime("%H:%M"), zone=self.tz)

    def details(self, event: EventRow) -> list[str]:
        """Time and length, place or link, the description in this language (or the other)."""
        lines = [self.t("events.line.when", when=self.when(event.starts_at),
                        duration=format_duration(event.ends_at - event.starts_at))]
        if event.place:
            lines.append(self.t("events.line.place", place=event.place))
        if event.link:
            lines.append(self.t("events.line.link", link=event.link))
        text = event.texts.get(self.lang) or next(iter(event.texts.values()), "")
        if text:
            lines.append(text)
        return lines

    def announcement(self, event: EventRow, emoji: str) -> str:
        """The post with the button."""
        return "\n".join([self.t("events.announce.head", id=event.id, title=event.title),
                          *self.details(event), self.t("events.announce.how", emoji=emoji)])

    def reminder(self, event: EventRow, before: timedelta, here: Sequence[Attendee]) -> str:
        """A reminder naming only those who said they'd come (here)."""
        lines = [self.t("events.remind.head", title=event.title, left=format_duration(before),
                        when=self.when(event.starts_at))]
        if event.link:
            lines.append(self.t("events.line.link", link=event.link))
        if event.place:
            lines.append(self.t("events.line.place", place=event.place))
        if here:
            lines.append(self.t("events.remind.who", names=" ".join(mention(a) for a in here)))
        return "\n".join(lines)

    def closing(self, event: EventRow, total: int, here: int) -> str:
        """The end: attendance everywhere and here."""
        return self.t("events.closing", title=event.title, total=total, here=here)

    def cancelled(self, event: EventRow) -> str:
        """The event will not take place."""
        return self.t("events.cancelled", id=event.id, title=event.title,
                      when=self.when(event.starts_at))

    def updated(self, event: EventRow) -> str:
        """The event changed."""
        return "\n".join([self.t("events.updated", id=event.id, title=event.title),
                          *self.details(event)])
