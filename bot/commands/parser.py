"""Read a command line: prefix and name, then arguments bound to the command's parameters."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.commands.arguments import (
    ChannelRef,
    PlatformCap,
    Rest,
    UsageError,
    Word,
    looks_like_duration,
    looks_like_member,
    read_channel,
    read_count,
    read_duration,
)
from bot.commands.spec import CommandSpec, Param
from bot.events import User
from bot.i18n import Msg

__all__ = ["Invocation", "Token", "bind_arguments", "split_invocation", "tokenize"]

MAX_COMMAND_LENGTH = 4000
_NAME = re.compile(r"([^\W\d_][\w-]{0,31})(?:@(\w+))?(?=\s|$)", re.UNICODE)
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class Invocation:
    """`!warn @bob spam` -> prefix `!`, name `warn`, args `@bob spam`; `/warn@VigieBot` names
    the bot it is addressed to."""

    prefix: str
    name: str
    args: str
    addressee: str | None = None


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the arguments, where the rest of the line starts after it, and whether it was
    "quoted" (a quoted word is never read as an optional duration)."""

    text: str
    end: int
    quoted: bool = False


def split_invocation(text: str, prefixes: tuple[str, ...]) -> Invocation | None:
    """The command in `text`, or None when it is an ordinary message."""
    if not text or len(text) > MAX_COMMAND_LENGTH or not text.startswith(prefixes):
        return None
    for prefix in _longest_first(prefixes):
        if text.startswith(prefix):
            match = _NAME.match(text, len(prefix))
            if match:
                return Invocation(prefix, match.group(1).lower(), text[match.end():].strip(),
                                  match.group(2))
            return None
    return None


@functools.lru_cache(maxsize=64)
def _longest_first(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(prefixes, key=len, reverse=True))


def tokenize(args: str) -> list[Token]:
    """Split on spaces; "double quotes" keep a phrase together."""
    return [Token(m.group(1), m.end(), True) if m.group(1) is not None
            else Token(m.group(2), m.end()) for m in _TOKEN.finditer(args)]


MemberResolver = Callable[[str], Awaitable[User]]


async def bind_arguments(
    spec: CommandSpec, args: str, *, platform: str, resolve_member: MemberResolver,
    reply_author: User | None, limits: Mapping[str, timedelta] | None = None,
    given: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for the handler, or UsageError saying what is wrong.

    `limits` are the platform's caps by name (`timeout`: the longest timeout). `given` names the
    options a native command (a slash command) filled in: the others take their default and
    each given one is read strictly, so `/ban duration:forever` is an error, never a reason.
    """
    tokens = tokenize(args)
    position = 0
    bound: dict[str, Any] = {}
    for param in spec.params:
        if given is not None and not param.required and param.name not in given:
            bound[param.name] = param.default
            continue
        token = tokens[position] if position < len(tokens) else None
        if param.kind == "rest":
            start = tokens[position - 1].end if position > 0 else 0
            rest = args[start:].strip() if token is not None else ""
            if not rest and param.required:
                raise UsageError(Msg.of("usage.missing", arg=Msg.of(f"arg.{param.name}")))
            bound[param.name] = Rest(rest) if rest else param.default
            position = len(tokens)
            continue
        if param.kind == "member" and reply_author is not None and (
            token is None or not looks_like_member(token.text, platform)
        ):
            bound[param.name] = reply_author
            reply_author = None
            continue
        if token is None:
            if param.required:
                raise UsageError(Msg.of("usage.missing", arg=Msg.of(f"arg.{param.name}")))
            bound[param.name] = param.default
            continue
        cap = None
        if param.limit is not None and limits and param.limit in limits:
            cap = PlatformCap(param.limit, platform.capitalize(), limits[param.limit])
        strict = param.required or given is not None
        value, consumed = await _read(param, token, platform, resolve_member, strict, cap)
        bound[param.name] = value
        if consumed:
            position += 1
    if position < len(tokens):
        raise UsageError(Msg.of("usage.too_many", extra=tokens[position].text))
    return bound


async def _read(param: Param, token: Token, platform: str, resolve_member: MemberResolver,
                strict: bool, cap: PlatformCap | None) -> tuple[Any, bool]:
    """(value, consumed). An optional argument that does not fit is skipped, not an error,
    unless it is `strict` (required, or named in a slash command) or a word that looks like a
    duration where a duration may stand: `!ban @bob 7x spam` is an error, not a reason."""
    text = token.text
    if param.kind == "member":
        return await resolve_member(text), True
    if param.kind == "duration":
        if strict or (looks_like_duration(text) and not token.quoted):
            return read_duration(text, cap), True
        return param.default, False
    if param.kind == "count":
        assert param.bounds is not None
        if not strict and not text.lstrip("-").isdigit():
            return param.default, False
        return read_count(text, param.bounds), True
    if param.kind == "channel":
        channel = read_channel(text, platform)
        if channel is None:
            if strict:
                raise UsageError(Msg.of("usage.bad_channel", value=text))
            return param.default, False
        return ChannelRef(channel), True
    return Word(text), True
