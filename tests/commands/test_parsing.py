"""Command lines: prefixes, names, quoting, typed arguments and reply targeting."""

from datetime import timedelta
from typing import Annotated

import pytest

from bot.commands import (
    ChannelRef,
    PlatformLimit,
    Rest,
    UsageError,
    Word,
    bind_arguments,
    split_invocation,
)
from bot.commands.spec import command_spec
from bot.events import User
from bot.permissions import Role

BOB = User(id="console:bob", name="bob")
CAROL = User(id="console:carol", name="carol")


@pytest.mark.parametrize(("text", "expected"), [
    ("!warn @bob spam", ("!", "warn", "@bob spam")),
    ("/help", ("/", "help", "")),
    ("/warn@VigieBot bob", ("/", "warn", "bob")),
    ("!HELP   rules  ", ("!", "help", "rules")),
    ("!règles", ("!", "règles", "")),
])
def test_split_invocation(text: str, expected: tuple[str, str, str]) -> None:
    """A prefix, a name (lower-cased, @bot suffix dropped) and the raw arguments."""
    invocation = split_invocation(text, ("!", "/"))
    assert invocation is not None
    assert (invocation.prefix, invocation.name, invocation.args) == expected


@pytest.mark.parametrize("text", ["hello", "! help", "!!", "/", "!123", "", "!" + "x" * 5000,
                                  "?help"])
def test_not_a_command(text: str) -> None:
    """Ordinary messages are not commands."""
    assert split_invocation(text, ("!", "/")) is None


async def _handler(self: object, call: object, member: User, duration: timedelta,
                   reason: Rest | None = None) -> None:
    """A timeout-shaped handler."""


async def _optional(self: object, call: object, member: User,
                    duration: timedelta | None = None, reason: Rest | None = None) -> None:
    """A ban-shaped handler."""


async def _channel(self: object, call: object, channel: ChannelRef | None = None,
                   word: Word | None = None) -> None:
    """A lock-shaped handler."""


def spec_of(func: object) -> object:
    """The spec of a test handler."""
    return command_spec(func, "t", "test", Role.CM, ())  # type: ignore[arg-type]


async def resolve(token: str) -> User:
    """A tiny member directory."""
    return {"@bob": BOB, "bob": BOB, "console:carol": CAROL}[token]


async def bind(func: object, args: str, reply_author: User | None = None,
               **extra: object) -> dict[str, object]:
    """Bind `args` for a test handler."""
    return await bind_arguments(spec_of(func), args, platform="console",  # type: ignore[arg-type]
                                resolve_member=resolve, reply_author=reply_author,
                                **extra)  # type: ignore[arg-type]


async def test_typed_arguments() -> None:
    """Member, duration and rest-of-line are read in order."""
    bound = await bind(_handler, '@bob 1h30m  repeated   spam ')
    assert bound == {"member": BOB, "duration": timedelta(minutes=90),
                     "reason": "repeated   spam"}


async def test_quoted_words() -> None:
    """Double quotes keep a phrase together."""
    bound = await bind(_channel, '#general "two words"')
    assert bound == {"channel": "console:general", "word": "two words"}


async def test_reply_target_when_no_member_given() -> None:
    """Replying to a message targets its author; the arguments shift."""
    bound = await bind(_handler, "10m flooding", reply_author=CAROL)
    assert bound["member"] == CAROL
    assert bound["duration"] == timedelta(minutes=10)
    assert bound["reason"] == "flooding"


async def test_explicit_member_wins_over_reply() -> None:
    """An explicit mention beats the replied-to author."""
    bound = await bind(_handler, "@bob 10m", reply_author=CAROL)
    assert bound["member"] == BOB


async def test_optional_duration_is_skipped_when_absent() -> None:
    """`ban bob spamming` reads 'spamming' as the reason, not a bad duration."""
    bound = await bind(_optional, "bob spamming links")
    assert bound == {"member": BOB, "duration": None, "reason": "spamming links"}
    bound = await bind(_optional, "bob 7d")
    assert bound == {"member": BOB, "duration": timedelta(days=7), "reason": None}


@pytest.mark.parametrize(("args", "key"), [
    ("", "usage.missing"),
    ("@bob", "usage.missing"),
    ("@bob abc", "usage.bad_duration"),
    ("@bob 0s", "usage.duration_not_positive"),
    ("@bob -5m", "usage.duration_not_positive"),
    ("@bob 10", "usage.duration_no_unit"),
    ("@bob 99999d", "usage.duration_too_long"),
])
async def test_usage_errors(args: str, key: str) -> None:
    """Bad arguments raise UsageError with a catalog message."""
    with pytest.raises(UsageError) as caught:
        await bind(_handler, args)
    assert caught.value.message.key == key


async def test_too_many_arguments() -> None:
    """Arguments nobody takes are an error, not silently dropped."""
    with pytest.raises(UsageError) as caught:
        await bind(_channel, "#general word extra")
    assert caught.value.message.key == "usage.too_many"


def test_rest_must_come_last() -> None:
    """A handler with a Rest parameter before another is refused at declaration."""
    async def bad(self: object, call: object, reason: Rest, member: User) -> None:
        """Bad order."""
    with pytest.raises(TypeError):
        spec_of(bad)


@pytest.mark.parametrize(("args", "key"), [
    ("bob 7x spam", "usage.bad_duration"),
    ("bob 0s", "usage.duration_not_positive"),
    ("bob 0h0m spam", "usage.duration_not_positive"),
    ("bob -5m spam", "usage.duration_not_positive"),
    ("bob 4000d spam", "usage.duration_too_long"),
    ("bob 1h-5m spam", "usage.bad_duration"),
    ("bob 1.5h spam", "usage.bad_duration"),
    ("bob 3rd warning", "usage.bad_duration"),
])
async def test_what_looks_like_a_duration_is_one(args: str, key: str) -> None:
    """An optional duration that looks like one and is invalid is an error, never the reason."""
    with pytest.raises(UsageError) as caught:
        await bind(_optional, args)
    assert caught.value.message.key == key


@pytest.mark.parametrize(("args", "duration", "reason"), [
    ("bob 7j spam", timedelta(days=7), "spam"),
    ("bob 2sem", timedelta(weeks=2), None),
    ("bob 10min flood", timedelta(minutes=10), "flood"),
    ("bob 1h30m x", timedelta(minutes=90), "x"),
    ("bob 1h30 x", timedelta(minutes=90), "x"),
    ("bob 3 strikes", None, "3 strikes"),
    ('bob "3rd" warning', None, '"3rd" warning'),
    ("bob 24h/24 spam", None, "24h/24 spam"),
])
async def test_french_units_and_what_is_not_a_duration(
        args: str, duration: timedelta | None, reason: str | None) -> None:
    """French units are read; a bare number, a quoted word or `24h/24` stay in the reason."""
    bound = await bind(_optional, args)
    assert bound == {"member": BOB, "duration": duration, "reason": reason}


async def _capped(self: object, call: object, member: User,
                  duration: Annotated[timedelta, PlatformLimit("timeout")]) -> None:
    """A timeout bounded by the platform."""


async def test_platform_limit_is_refused_with_the_limit() -> None:
    """Above the platform's cap: an error naming the platform and its limit."""
    limits = {"timeout": timedelta(days=28)}
    assert (await bind(_capped, "bob 28d", limits=limits))["duration"] == timedelta(days=28)
    with pytest.raises(UsageError) as caught:
        await bind(_capped, "bob 29d", limits=limits)
    assert caught.value.message.key == "limit.timeout_too_long"
    assert dict(caught.value.message.params) == {"platform": "Console", "limit": "28d"}
    assert (await bind(_capped, "bob 29d"))["duration"] == timedelta(days=29)


async def test_slash_options_bind_by_name() -> None:
    """A slash command's given options: a skipped duration is skipped, a given one is strict."""
    bound = await bind(_optional, "bob 2d late", given=frozenset({"member", "reason"}))
    assert bound == {"member": BOB, "duration": None, "reason": "2d late"}
    with pytest.raises(UsageError) as caught:
        await bind(_optional, "bob forever", given=frozenset({"member", "duration"}))
    assert caught.value.message.key == "usage.bad_duration"
