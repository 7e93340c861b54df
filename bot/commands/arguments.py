"""Typed command arguments: what a parameter's annotation means and how its text is read."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NewType

from bot.durations import MAX as MAX_DURATION
from bot.durations import DurationError, format_duration, looks_like_duration, parse_duration
from bot.events import User
from bot.i18n import Msg

__all__ = [
    "ChannelRef",
    "Count",
    "Kind",
    "PlatformCap",
    "PlatformLimit",
    "Rest",
    "UsageError",
    "Word",
    "kind_of",
    "looks_like_duration",
    "looks_like_member",
    "mention_id",
    "platform_limit_of",
    "read_channel",
    "read_count",
    "read_duration",
]

Rest = NewType("Rest", str)
"""The rest of the line, as typed (a reason, a note)."""
Word = NewType("Word", str)
"""One word (or a "quoted phrase")."""
ChannelRef = NewType("ChannelRef", str)
"""A channel, resolved to its platform-qualified id."""


@dataclass(frozen=True, slots=True)
class Count:
    """A whole number within bounds, for annotations: `Annotated[int, Count(1, 1000)]`."""

    low: int
    high: int


@dataclass(frozen=True, slots=True)
class PlatformLimit:
    """A platform-bounded duration: `Annotated[timedelta, PlatformLimit("timeout")]`."""

    name: str


@dataclass(frozen=True, slots=True)
class PlatformCap:
    """The longest a platform allows for a limit (`timeout` on Discord: 28 days)."""

    name: str
    platform: str
    longest: timedelta


class UsageError(Exception):
    """The arguments do not fit the command; `message` says why in the caller's language."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.key)
        self.message = message


Kind = str  # "member" | "duration" | "count" | "word" | "rest" | "channel"

_MENTION = re.compile(r"<@!?(\d+)>")
_CHANNEL_MENTION = re.compile(r"<#(\d+)>")


def kind_of(annotation: Any) -> tuple[Kind, Count | None]:
    """The argument kind an annotation stands for (`X | None` is read as X)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            annotation = members[0]
    metadata = getattr(annotation, "__metadata__", ())
    base = getattr(annotation, "__origin__", annotation) if metadata else annotation
    if base is User:
        return "member", None
    if base is timedelta:
        return "duration", None
    if base is int:
        bounds = next((m for m in metadata if isinstance(m, Count)), Count(1, 1_000_000))
        return "count", bounds
    if base is Rest:
        return "rest", None
    if base is ChannelRef:
        return "channel", None
    if base in (Word, str):
        return "word", None
    raise TypeError(f"unsupported command argument type {annotation!r}")


def platform_limit_of(annotation: Any) -> str | None:
    """The name of the platform limit a duration annotation carries, if any."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = members[0] if len(members) == 1 else annotation
    metadata = getattr(annotation, "__metadata__", ())
    return next((m.name for m in metadata if isinstance(m, PlatformLimit)), None)


def looks_like_member(token: str, platform: str) -> bool:
    """Whether a token is explicitly a member reference (mention, @name or id)."""
    return bool(
        _MENTION.fullmatch(token)
        or token.startswith("@")
        or token.startswith(f"{platform}:")
        or (token.isdigit() and len(token) >= 5)
    )


def mention_id(token: str, platform: str) -> str | None:
    """The qualified id a token names directly (`<@42>`, `discord:42`, `42`), if any."""
    match = _MENTION.fullmatch(token)
    if match:
        return f"{platform}:{match.group(1)}"
    if token.startswith(f"{platform}:"):
        return token
    if token.lstrip("-").isdigit() and len(token.lstrip("-")) >= 5:
        return f"{platform}:{token}"
    return None


_DURATION_PROBLEMS = {"invalid": "usage.bad_duration", "no_unit": "usage.duration_no_unit",
                      "zero": "usage.duration_not_positive",
                      "negative": "usage.duration_not_positive",
                      "too_long": "usage.duration_too_long"}


def read_duration(token: str, limit: PlatformCap | None = None) -> timedelta:
    """A duration argument, within the platform's cap when one applies."""
    try:
        value = parse_duration(token)
    except DurationError as exc:
        raise UsageError(Msg.of(_DURATION_PROBLEMS[exc.reason], value=token,
                                limit=format_duration(MAX_DURATION))) from None
    if limit is not None and value > limit.longest:
        raise UsageError(Msg.of(f"limit.{limit.name}_too_long", platform=limit.platform,
                                limit=format_duration(limit.longest)))
    return value


def read_count(token: str, bounds: Count) -> int:
    """A bounded whole number."""
    try:
        value = int(token)
    except ValueError:
        raise UsageError(Msg.of("usage.bad_number", value=token)) from None
    if not bounds.low <= value <= bounds.high:
        raise UsageError(Msg.of("usage.out_of_range", value=token, low=bounds.low,
                                high=bounds.high))
    return value


def read_channel(token: str, platform: str) -> str | None:
    """A channel reference (`<#123>`, `#name`, `platform:id`) as a qualified id, else None."""
    match = _CHANNEL_MENTION.fullmatch(token)
    if match:
        return f"{platform}:{match.group(1)}"
    if token.startswith(f"{platform}:"):
        return token
    if token.startswith("#") and len(token) > 1:
        return f"{platform}:{token[1:]}"
    return None
