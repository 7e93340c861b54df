"""Command lines: prefixes, names, quoting, typed arguments and reply targeting."""

from datetime import timedelta

import pytest

from bot.commands import ChannelRef, Rest, UsageError, Word, bind_arguments, split_invocation
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


async def bind(func: object, args: str, reply_author: User | None = None) -> dict[str, object]:
    """Bind `args` for a test handler."""
    return await bind_arguments(spec_of(func), args, platform="console",  # type: ignore[arg-type]
                                resolve_member=resolve, reply_author=reply_author)


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
    ("@bob 0s", "usage.bad_duration"),
    ("@bob -5m", "usage.bad_duration"),
    ("@bob 99999d", "usage.bad_duration"),
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
