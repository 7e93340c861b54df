"""Read `contest start <duration> <winners> <prize…> [--option value ...]` into a request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from bot.commands import Count, UsageError
from bot.commands.arguments import read_channel, read_count, read_duration
from bot.durations import format_duration
from bot.i18n import Msg
from bot.text import fold
from plugins.contests.model import Requirements
from plugins.contests.settings import MODES, ContestsSettings, is_emoji

__all__ = ["OPTIONS", "StartRequest", "parse_start"]

OPTIONS = ("channel", "mode", "emoji", "keyword", "account-age", "member-for", "messages",
           "role", "in")
MAX_KEYWORD = 50
MAX_ROLE = 100
OFF = ("off", "none", "0")
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class StartRequest:
    """A valid `contest start`, before places and defaults are resolved."""

    duration: timedelta
    winners: int
    prize: str
    channel: str | None = None
    mode: str = "button"
    emoji: str = "🎉"
    keyword: str | None = None
    requirements: Requirements = field(default_factory=Requirements)
    places: str | None = None


def _options(args: str) -> tuple[dict[str, str], list[str]]:
    """(option -> value, positional tokens as typed)."""
    matches = list(_TOKEN.finditer(args))
    options: dict[str, str] = {}
    positional: list[str] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        text = match.group(1) if match.group(1) is not None else match.group(2)
        index += 1
        if match.group(2) is None or not text.startswith("--"):
            positional.append(match.group(0))
            continue
        name, equals, value = text[2:].partition("=")
        name = name.lower()
        if name not in OPTIONS:
            raise UsageError(Msg.of("contests.option.unknown", option=f"--{name}",
                                    options=", ".join(f"--{o}" for o in OPTIONS)))
        if not equals:
            if index >= len(matches):
                raise UsageError(Msg.of("contests.option.value", option=f"--{name}"))
            following = matches[index]
            value = following.group(1) if following.group(1) is not None else following.group(2)
            index += 1
        if name in options:
            raise UsageError(Msg.of("contests.option.twice", option=f"--{name}"))
        options[name] = value.strip()
    return options, positional


def _unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] == '"' else token


def _duration_or_off(value: str) -> timedelta | None:
    return None if value.lower() in OFF else read_duration(value)


def parse_start(args: str, platform: str, settings: ContestsSettings) -> StartRequest:
    """A start request within the section's limits, or UsageError naming the problem."""
    options, positional = _options(args)
    if len(positional) < 1:
        raise UsageError(Msg.of("usage.missing", arg=Msg.of("arg.duration")))
    duration = read_duration(_unquote(positional[0]))
    if duration < settings.min_duration or duration > settings.max_duration:
        raise UsageError(Msg.of("contests.duration_limits", value=format_duration(duration),
                                low=format_duration(settings.min_duration),
                                high=format_duration(settings.max_duration)))
    if len(positional) < 2:
        raise UsageError(Msg.of("usage.missing", arg=Msg.of("arg.winners")))
    winners = read_count(_unquote(positional[1]), Count(1, settings.max_winners))
    prize = " ".join(positional[2:]).strip()
    if not prize:
        raise UsageError(Msg.of("usage.missing", arg=Msg.of("arg.prize")))
    if len(prize) > settings.max_prize_length:
        raise UsageError(Msg.of("contests.prize_too_long", length=len(prize),
                                limit=settings.max_prize_length))
    request = StartRequest(duration, winners, prize, mode=settings.mode, emoji=settings.emoji,
                           requirements=_defaults(settings))
    return _apply(request, options, platform)


def _defaults(settings: ContestsSettings) -> Requirements:
    section = settings.requirements
    return Requirements(section.account_age, section.member_for, section.messages, section.role)


def _apply(request: StartRequest, options: dict[str, str], platform: str) -> StartRequest:
    changes: dict[str, Any] = {}
    needs: dict[str, Any] = {}
    if "channel" in options:
        channel = read_channel(options["channel"], platform)
        if channel is None:
            raise UsageError(Msg.of("usage.bad_channel", value=options["channel"]))
        changes["channel"] = channel
    if "emoji" in options:
        if not is_emoji(options["emoji"]):
            raise UsageError(Msg.of("contests.option.emoji", value=options["emoji"]))
        changes["emoji"] = options["emoji"]
    if "keyword" in options:
        keyword = options["keyword"]
        if not fold(keyword).strip() or len(keyword) > MAX_KEYWORD:
            raise UsageError(Msg.of("contests.option.keyword", limit=MAX_KEYWORD))
        changes["keyword"] = keyword
    mode = options.get("mode", "").lower()
    if mode and mode not in MODES:
        raise UsageError(Msg.of("contests.option.mode", value=options["mode"],
                                modes=", ".join(MODES)))
    if not mode:
        mode = "keyword" if "keyword" in options else \
            "reaction" if "emoji" in options else request.mode
    if mode == "keyword" and "keyword" not in changes:
        raise UsageError(Msg.of("contests.option.keyword_missing"))
    if "keyword" in changes and mode != "keyword":
        raise UsageError(Msg.of("contests.option.only_for", option="--keyword", mode="keyword"))
    if "emoji" in changes and mode != "reaction":
        raise UsageError(Msg.of("contests.option.only_for", option="--emoji", mode="reaction"))
    changes["mode"] = mode
    if "account-age" in options:
        needs["account_age"] = _duration_or_off(options["account-age"])
    if "member-for" in options:
        needs["member_for"] = _duration_or_off(options["member-for"])
    if "messages" in options:
        needs["messages"] = read_count(options["messages"], Count(0, 100_000))
    if "role" in options:
        role = options["role"].lstrip("@")
        if len(role) > MAX_ROLE:
            raise UsageError(Msg.of("contests.option.role", limit=MAX_ROLE))
        needs["role"] = None if role.lower() in OFF or not role else role
    if "in" in options:
        changes["places"] = options["in"]
    return replace(request, requirements=replace(request.requirements, **needs), **changes)
