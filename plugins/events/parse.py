"""Reading `event create <when> <title> [--fr ...] [--en ...] [--place ...|--link ...]
[--duration 1h] [--in brand]` and the flags of `event edit <n>`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.commands import UsageError
from bot.commands.arguments import read_duration
from bot.durations import format_duration
from bot.i18n import Msg
from bot.when import WhenError, parse_when
from plugins.events.settings import MAX_DURATION

__all__ = ["EventRequest", "read_create", "read_edit"]

_FLAG = re.compile(r"(?:^|\s)--([a-zA-Zé]+)(?=\s|$)")
_NAMES = {"fr": "fr", "en": "en", "place": "place", "lieu": "place", "link": "link",
          "lien": "link", "duration": "duration", "duree": "duration", "durée": "duration",
          "in": "in", "dans": "in", "when": "when", "quand": "when", "title": "title",
          "titre": "title"}
MAX_TITLE = 100  # Discord's scheduled event name
MAX_TEXT = 1000  # Discord's scheduled event description


@dataclass(slots=True)
class EventRequest:
    """What a CM typed; None where they gave nothing (edit keeps the current value)."""

    start: datetime | None = None
    title: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    place: str | None = None
    link: str | None = None
    duration: timedelta | None = None
    targets: tuple[str, ...] = ()


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first flag, and each (flag, value)."""
    parts = _FLAG.split(text)
    head, flags = parts[0].strip(), []
    for index in range(1, len(parts), 2):
        raw = parts[index]
        name = _NAMES.get(raw.lower())
        if name is None:
            raise UsageError(Msg.of("events.bad_flag", flag=f"--{raw}"))
        value = parts[index + 1].strip()
        if not value:
            raise UsageError(Msg.of("events.flag_value", flag=f"--{raw}"))
        flags.append((name, value))
    return head, flags


def _moment(text: str, now: datetime, tz: str) -> tuple[datetime, list[str]]:
    """The moment at the start of `text`, and the words after it."""
    words = text.split()
    try:
        when = parse_when(words, now, tz)
    except WhenError as exc:
        raise UsageError(exc.msg) from None
    return when.at, words[when.consumed:]


def _apply(request: EventRequest, flags: list[tuple[str, str]], now: datetime,
           tz: str) -> None:
    for name, value in flags:
        if name in ("fr", "en"):
            if len(value) > MAX_TEXT:
                raise UsageError(Msg.of("events.text_long", limit=MAX_TEXT))
            request.texts[name] = value
        elif name == "place":
            request.place = value[:100]
        elif name == "link":
            if not re.fullmatch(r"https?://\S+", value):
                raise UsageError(Msg.of("events.bad_link", value=value))
            request.link = value
        elif name == "duration":
            request.duration = read_duration(value)
            if not timedelta(minutes=5) <= request.duration <= MAX_DURATION:
                raise UsageError(Msg.of("events.bad_duration", low=format_duration(
                    timedelta(minutes=5)), high=format_duration(MAX_DURATION)))
        elif name == "in":
            request.targets += tuple(v for v in value.replace(",", " ").split() if v)
        elif name == "when":
            start, rest = _moment(value, now, tz)
            if rest:
                raise UsageError(Msg.of("events.after_moment", value=" ".join(rest)))
            request.start = start
        elif name == "title":
            request.title = _title(value)


def _title(value: str) -> str:
    if not value:
        raise UsageError(Msg.of("events.no_title"))
    if len(value) > MAX_TITLE:
        raise UsageError(Msg.of("events.title_long", limit=MAX_TITLE))
    return value


def read_create(text: str, now: datetime, tz: str) -> EventRequest:
    """`<when> <title> [flags]`: the moment first, the title up to the first flag."""
    head, flags = _split(text)
    if not head:
        raise UsageError(Msg.of("events.no_when"))
    start, rest = _moment(head, now, tz)
    request = EventRequest(start=start, title=_title(" ".join(rest)))
    if any(name in ("when", "title") for name, _ in flags):
        raise UsageError(Msg.of("events.bad_flag", flag="--when/--title"))
    _apply(request, flags, now, tz)
    return request


def read_edit(text: str, now: datetime, tz: str) -> EventRequest:
    """Only flags: `--when`, `--title`, `--fr`, `--en`, `--place`, `--link`, `--duration`."""
    head, flags = _split(text)
    if head or not flags or any(name == "in" for name, _ in flags):
        raise UsageError(Msg.of("events.edit_shape"))
    request = EventRequest()
    _apply(request, flags, now, tz)
    return request
