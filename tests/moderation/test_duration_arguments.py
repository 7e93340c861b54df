"""Durations in commands: what looks like a duration is one, typed or given as a slash option.

Every command that takes a duration, with every kind of bad duration, in both forms: nothing is
done, no case is opened, and the answer names the problem and gives the usage line.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.dispatch import Report
from bot.events import CommandInvoked, User
from tests.contests.conftest import ContestHarness
from tests.harness import Harness

CLAIRE = User(id="console:claire", name="claire")
CLAIRE_FR = User(id="console:claire", name="claire", language="fr")
BOB = User(id="console:bob", name="bob")
_ids = itertools.count(1)

# (bad duration, what the answer says about it)
BAD = [
    ("7x", "'7x' is not a valid duration"),
    ("0s", "'0s' is not a positive duration"),
    ("0h0m", "'0h0m' is not a positive duration"),
    ("-5m", "'-5m' is not a positive duration"),
    ("4000d", "'4000d' is too long: a duration is at most 3650d"),
    ("1h-5m", "'1h-5m' is not a valid duration"),
    ("1.5h", "'1.5h' is not a valid duration"),
    ("10minutes", "'10minutes' is not a valid duration"),
]

# command -> (prefix arguments, slash options) for a duration `d`; every command that takes one
COMMANDS: dict[str, Any] = {
    "timeout": lambda d: (f"bob {d} spam",
                          (("member", "console:bob"), ("duration", d), ("reason", "spam"))),
    "mute": lambda d: (f"bob {d} spam",
                       (("member", "console:bob"), ("duration", d), ("reason", "spam"))),
    "ban": lambda d: (f"bob {d} spam",
                      (("member", "console:bob"), ("duration", d), ("reason", "spam"))),
    "slowmode": lambda d: (d, (("setting", d),)),
    "contest": lambda d: (f"start {d} 1 Mug",
                          (("subcommand", "start"), ("arguments", f"{d} 1 Mug"))),
}
EFFECTS = ("timeout_member", "ban_member", "set_slowmode", "send_dm", "send_alert")


def slash_args(options: tuple[tuple[str, str], ...]) -> str:
    """The command line the Discord adapter writes from the options (members as ids here)."""
    return " ".join(value for _, value in options)


async def slash(h: Harness, who: User, name: str,
                options: tuple[tuple[str, str], ...]) -> Report:
    """A slash command with its options, as the Discord adapter delivers it."""
    return await h.app.handle(CommandInvoked(
        id=f"console:slash{next(_ids)}", ts=h.clock.now(), community=h.community,
        channel="console:general", author=who, name=name, args=slash_args(options),
        options=options, mentions=(BOB,) if ("member", "console:bob") in options else ()))


async def give(h: Harness, form: str, name: str, duration: str, who: User = CLAIRE) -> str:
    """Give the command in `form` (prefix or slash); the last reply."""
    typed, options = COMMANDS[name](duration)
    if form == "prefix":
        await h.say(f"!{name} {typed}", author=who)
    else:
        await slash(h, who, name, options)
    return h.replies()[-1]


@pytest.fixture
async def ch(tmp_path: Path) -> Any:
    """Moderation and contests on one console community; claire is a CM."""
    h = ContestHarness(tmp_path)
    await h.start()
    await h.say("hi", author=BOB)
    yield h
    await h.stop()


async def nothing_done(h: ContestHarness) -> None:
    """No sanction, no case, no contest, no job."""
    for method in EFFECTS:
        assert h.adapter.of(method) == [], method
    assert await h.rows("SELECT * FROM cases") == []
    assert await h.table("contests") == []
    assert await h.app.scheduler.pending() == []


@pytest.mark.parametrize("form", ["prefix", "slash"])
@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize(("duration", "problem"), BAD)
async def test_a_bad_duration_is_an_error_with_the_usage_line(
        ch: ContestHarness, form: str, name: str, duration: str, problem: str) -> None:
    """Nothing is done and the answer names the bad duration, then gives the usage line."""
    answer = await give(ch, form, name, duration)
    prefix = "!" if form == "prefix" else "/"
    usage = {"contest": "contest start", "mute": "timeout"}.get(name, name)
    if name == "slowmode" and "not a valid duration" in problem:
        problem = f"'{duration}' is not a duration or off"
    assert answer.startswith(problem), answer
    assert f"\nUsage: {prefix}{usage} " in answer, answer
    await nothing_done(ch)


@pytest.mark.parametrize("form", ["prefix", "slash"])
async def test_the_answer_is_in_the_callers_language(ch: ContestHarness, form: str) -> None:
    """A French-speaking CM reads the problem and the usage line in French."""
    answer = await give(ch, form, "ban", "7x", who=CLAIRE_FR)
    prefix = "!" if form == "prefix" else "/"
    assert answer == ("« 7x » n'est pas une durée valide : utilisez par ex. 30s, 10min, 2h, 7j, "
                      f"2sem ou 1h30 (3650j au plus).\nUsage : {prefix}ban <membre> [durée] "
                      "[raison]")
    await nothing_done(ch)


@pytest.mark.parametrize("form", ["prefix", "slash"])
@pytest.mark.parametrize("name", ["timeout", "mute"])
async def test_a_timeout_over_the_platform_limit_is_refused_with_it(
        ch: ContestHarness, form: str, name: str) -> None:
    """Above the platform's longest timeout: refused with the limit and the usage line."""
    ch.adapter.max_timeout = timedelta(days=28)  # type: ignore[misc]
    answer = await give(ch, form, name, "29d")
    prefix = "!" if form == "prefix" else "/"
    assert answer == ("Console timeouts last at most 28d: choose a shorter duration, or a ban.\n"
                      f"Usage: {prefix}timeout <member> <duration> [reason]")
    answer = await give(ch, form, name, "5w", who=CLAIRE_FR)
    assert answer.startswith("Sur Console, une mise en sourdine dure au plus 28j"), answer
    assert f"\nUsage : {prefix}timeout <membre> <durée> [raison]" in answer
    await nothing_done(ch)


@pytest.mark.parametrize("form", ["prefix", "slash"])
async def test_slowmode_over_its_limit_is_refused_with_the_usage_line(
        ch: ContestHarness, form: str) -> None:
    """Slowmode is at most 6h."""
    answer = await give(ch, form, "slowmode", "7h")
    assert answer.startswith("Slowmode of 7h? At most 6h.\nUsage: "), answer
    await nothing_done(ch)


async def test_a_slash_duration_option_is_always_a_duration(ch: ContestHarness) -> None:
    """`/ban duration:forever` is an error, not a permanent ban with the reason 'forever'."""
    await slash(ch, CLAIRE, "ban", (("member", "console:bob"), ("duration", "forever")))
    assert ch.replies()[-1].startswith("'forever' is not a valid duration"), ch.replies()[-1]
    await nothing_done(ch)


async def test_a_slash_reason_is_never_a_duration(ch: ContestHarness) -> None:
    """`/ban reason:2d late` (no duration option) is a permanent ban with that reason."""
    await slash(ch, CLAIRE, "ban", (("member", "console:bob"), ("reason", "2d late")))
    [case] = await ch.rows("SELECT * FROM cases")
    assert (case["action"], case["duration_s"], case["reason"]) == ("ban", None, "2d late")


@pytest.mark.parametrize("form", ["prefix", "slash"])
@pytest.mark.parametrize(("name", "duration", "seconds"), [
    ("ban", "7j", 7 * 86400),
    ("ban", "2sem", 14 * 86400),
    ("timeout", "10min", 600),
    ("mute", "1h30m", 5400),
    ("timeout", "1h30", 5400),
    ("ban", "2w", 14 * 86400),
    ("timeout", "3mn", 180),
])
async def test_french_and_english_units_work(ch: ContestHarness, form: str, name: str,
                                             duration: str, seconds: int) -> None:
    """`!ban @bob 7j spam` is a 7-day ban whose reason is 'spam'."""
    await give(ch, form, name, duration)
    [case] = await ch.rows("SELECT * FROM cases")
    assert (case["duration_s"], case["reason"]) == (seconds, "spam")


async def test_seven_jours_ban_is_lifted_after_seven_days(ch: ContestHarness) -> None:
    """The issue's example end to end: banned for 7 days, reason 'spam', unbanned on time."""
    await ch.say("!ban @bob 7j spam", author=CLAIRE, mentions=[BOB])
    [ban] = ch.adapter.of("ban_member")
    assert ban["reason"] == "case #1: spam"
    await ch.advance(timedelta(days=7) - timedelta(seconds=1))
    assert ch.adapter.of("unban_member") == []
    await ch.advance(timedelta(seconds=1))
    assert [c["user"] for c in ch.adapter.of("unban_member")] == ["console:bob"]


async def test_a_bare_number_or_a_quoted_word_stays_in_the_reason(ch: ContestHarness) -> None:
    """`!ban bob 3 strikes` is a permanent ban: a bare number is not a duration attempt."""
    await ch.say("!ban bob 3 strikes", author=CLAIRE)
    await ch.say('!ban bob "3rd" strike', author=CLAIRE)
    first, second = await ch.rows("SELECT * FROM cases ORDER BY number")
    assert (first["duration_s"], first["reason"]) == (None, "3 strikes")
    assert (second["duration_s"], second["reason"]) == (None, '"3rd" strike')


@pytest.mark.parametrize("form", ["prefix", "slash"])
async def test_slowmode_and_contests_read_french_units(ch: ContestHarness, form: str) -> None:
    """`!slowmode 1min30s`... and a contest of 2 jours."""
    await give(ch, form, "slowmode", "1min30s")
    assert [c["seconds"] for c in ch.adapter.of("set_slowmode")] == [90]
    await give(ch, form, "contest", "2j")
    [contest] = await ch.table("contests")
    ends, created = (datetime.fromisoformat(contest[k]) for k in ("ends_at", "created_at"))
    assert ends - created == timedelta(days=2)
