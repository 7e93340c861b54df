"""Read a command line: prefix and name, then arguments bound to the command's parameters."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.commands.arguments import (
    ChannelRef,
    Rest,
    UsageError,
    Word,
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
    """A word of the arguments and where the rest of the line starts after it."""

    text: str
    end: int


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
    return [Token(m.group(1) if m.group(1) is not None else m.group(2), m.end())
            for m in _TOKEN.finditer(args)]


MemberResolver = Callable[[str], Awaitable[User]]


async def bind_arguments(
    spec: CommandSpec, args: str, *, platform: str, resolve_member: MemberResolver,
    reply_author: User | None,
) -> dict[str, Any]:
    """Keyword arguments for the handler, or UsageError saying what is wrong."""
    tokens = tokenize(args)
    position = 0
    bound: dict[str, Any] = {}
    for param in spec.params:
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
        value, consumed = await _read(param, token.text, platform, resolve_member)
        bound[param.name] = value
        if consumed:
            position += 1
    if position < len(tokens):
        raise UsageError(Msg.of("usage.too_many", extra=tokens[position].text))
    return bound


async def _read(param: Param, text: str, platform: str,
                resolve_member: MemberResolver) -> tuple[Any, bool]:
    """(value, consumed); an optional argument that does not fit is skipped, not an error."""
    if param.kind == "member":
        return await resolve_member(text), True
    if param.kind == "duration":
        try:
            return read_duration(text), True
        except UsageError:
            if param.required:
                raise
            return param.default, False
    if param.kind == "count":
        assert param.bounds is not None
        if not param.required and not text.lstrip("-").isdigit():
            return param.default, False
        return read_count(text, param.bounds), True
    if param.kind == "channel":
        channel = read_channel(text, platform)
        if channel is None:
            if param.required:
                raise UsageError(Msg.of("usage.bad_channel", value=text))
            return param.default, False
        return ChannelRef(channel), True
    return Word(text), True
