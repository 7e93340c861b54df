"""Bad input gets a clear answer in the caller's language, and nothing is stored half-way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.events import User
from tests.contests.conftest import ContestHarness

FR_CM = User(id="console:claire", name="claire", language="fr")


async def nothing_stored(h: ContestHarness) -> None:
    """No contest, no place, no job."""
    assert await h.table("contests") == []
    assert await h.table("contest_places") == []
    assert await h.app.scheduler.pending() == []


@pytest.mark.parametrize(("args", "answer"), [
    ("0 1 Mug", "'0' is not a positive duration: give a length longer than zero.\n"
                "Usage: !contest start <duration> <winners> <prize…> [options]"),
    ("0s 1 Mug", "'0s' is not a positive duration"),
    ("7x 1 Mug", "'7x' is not a valid duration: use e.g. 30s, 10m, 2h, 7d, 2w or 1h30m (at most "
                 "3650d).\nUsage: !contest start"),
    ("30s 1 Mug", "A contest lasts between 1m and 30d here (30s given)."),
    ("31d 1 Mug", "A contest lasts between 1m and 30d here (31d given)."),
    ("1h 0 Mug", "0 is out of range: between 1 and 20."),
    ("1h 21 Mug", "21 is out of range: between 1 and 20."),
    ("1h two Mug", "'two' is not a whole number."),
    ("1h 1", "Missing <prize…>."),
    ("", "Missing <duration>."),
    ("1h 1 Mug --mod reaction", "Unknown option --mod. Options: --channel, --mode, --emoji, "
                                "--keyword, --account-age, --member-for, --messages, --role, "
                                "--in."),
    ("1h 1 Mug --mode", "--mode needs a value."),
    ("1h 1 Mug --mode lottery", "'lottery' is not a way to enter: button, reaction, command, "
                                "keyword."),
    ("1h 1 Mug --mode keyword", "A keyword contest needs --keyword WORD."),
    ("1h 1 Mug --keyword pizza --mode button", "--keyword is only for --mode keyword."),
    ("1h 1 Mug --emoji nope", "'nope' is not one emoji."),
    ("1h 1 Mug --messages -3", "-3 is out of range: between 0 and 100000."),
    ("1h 1 Mug --account-age forever", "'forever' is not a valid duration"),
    ("1h 1 Mug --channel general", "'general' is not a channel"),
    ("1h 1 Mug --role x --role y", "--role is given twice."),
    ("1h 1 Mug --in nowhere", "'nowhere' is neither a group (groups: -) nor a community id"),
    ("1h 1 Mug --in console:elsewhere", "console:elsewhere is in no group with this community"),
    ("1h 1 " + "x" * 300, "The prize text is 300 characters long: at most 200."),
])
async def test_bad_start_is_explained_and_stores_nothing(ch: ContestHarness, args: str,
                                                         answer: str) -> None:
    """Each mistake is named; the contest tables and the job queue stay empty."""
    report = await ch.say(f"!contest start {args}", author="claire")
    assert not report.errors
    assert ch.replies()[-1].startswith(answer), ch.replies()[-1]
    await nothing_stored(ch)


async def test_a_ten_thousand_character_prize_is_refused(ch: ContestHarness) -> None:
    """Through a slash command (no message-length cap on the way in): refused, nothing stored.

    Typed as a message, the core reads nothing over 4,000 characters as a command at all.
    """
    await ch.slash("claire", "contest", "start 1h 1 " + "é" * 10_000)
    assert ch.replies()[-1] == ("The prize text is 10000 characters long: at most 200.\n"
                                "Usage: /contest start <duration> <winners> <prize…> [options]")
    await nothing_stored(ch)


async def test_errors_are_in_the_callers_language(ch: ContestHarness) -> None:
    """A French-speaking CM is answered in French, usage line included."""
    await ch.say("!contest start 1h 0 Mug", author=FR_CM)
    assert ch.replies()[-1] == ("0 est hors limites : entre 1 et 20.\n"
                                "Usage : !contest start <durée> <gagnants> <lot…> [options]")
    await ch.say("!contest frobnicate", author=FR_CM)
    assert ch.replies()[-1] == ("Sous-commande « frobnicate » inconnue : tapez !contest seul "
                                "pour la liste.")


async def test_unknown_contests_and_wrong_states(ch: ContestHarness) -> None:
    """Unknown ids, ending twice, rerolling an open or cancelled contest, pages out of range."""
    await ch.say("!contest start 1h 1 Mug", author="claire")
    for line, answer in [
        ("!contest show 9", "There is no contest #9 here."),
        ("!contest end 9", "There is no contest #9 here."),
        ("!contest show", "Missing <contest>.\nUsage: !contest show <contest>"),
        ("!contest show abc", "'abc' is not a whole number.\nUsage: !contest show <contest>"),
        ("!contest end 1 2", "Unexpected argument: 2.\nUsage: !contest end <contest>"),
        ("!contest reroll 1", "Contest #1 is still open: end it first (contest end 1)."),
        ("!contest proof 1", "Contest #1 has not been drawn yet. Its commitment is "),
        ("!contest entries 1 2", "Contest #1 has no entries yet."),
        ("!contest list extra", "Unexpected argument: extra.\nUsage: !contest list"),
        ("!contest end 1", "Contest #1 (Mug) is over: nobody entered"),
        ("!contest end 1", "Contest #1 has already been drawn."),
        ("!contest cancel 1", "Contest #1 has already been drawn."),
        ("!contest proof 1 5", "5 is out of range: between 1 and 1."),
    ]:
        await ch.say(line, author="claire")
        assert ch.replies()[-1].startswith(answer), (line, ch.replies()[-1])
    await ch.say("!contest start 1h 1 Cup", author="claire")
    await ch.say("!contest cancel 2", author="claire")
    await ch.say("!contest reroll 2", author="claire")
    assert ch.replies()[-1] == "Contest #2 was cancelled."
    await ch.say("!contest proof 2", author="bob")
    assert ch.replies()[-1] == "Contest #2 was cancelled."
    await ch.say("!enter 2", author="bob")
    assert ch.dms()[-1] == ("console:bob", "Contest #2 is closed: entries are no longer taken.")
    await ch.say("!enter", author="bob")
    assert ch.replies()[-1] == "No contest is open here right now."
    assert await ch.table("contest_entries") == []


async def test_entering_twice_or_after_the_end(ch: ContestHarness) -> None:
    """One entry per person; after the end (even before the job ran), entries are refused."""
    await ch.say("!contest start 1h 1 Mug", author="claire")
    await ch.say("!enter", author="bob")
    await ch.say("!enter 1", author="bob")
    assert ch.dms()[-1] == ("console:bob", "You are already in contest #1: one entry per person.")
    ch.clock.advance(timedelta(hours=1))  # due, but the job has not run yet
    await ch.say("!enter 1", author="carol")
    assert ch.dms()[-1] == ("console:carol", "Contest #1 is closed: entries are no longer taken.")
    assert [e["member_id"] for e in await ch.table("contest_entries")] == ["console:bob"]


async def test_members_cannot_manage_contests(ch: ContestHarness) -> None:
    """The core's refusal, once; then silence for a while; reading commands stay open."""
    await ch.say("!contest start 1h 1 Mug", author="bob")
    assert ch.replies()[-1] == "!contest start is reserved for the community team."
    count = len(ch.replies())
    await ch.say("!contest start 1h 1 Mug", author="bob")
    await ch.say("!contest entries 1", author="carol")
    assert len(ch.replies()) == count + 1
    assert ch.replies()[-1] == "!contest entries is reserved for the community team."
    await nothing_stored(ch)
    await ch.say("!contest list", author="bob")
    assert ch.replies()[-1] == "No contest has run here yet."


async def test_the_rule_file_can_raise_who_manages(tmp_path: object) -> None:
    """`manage_role: admin` keeps CMs out of start; `commands.contest` can hide it entirely."""
    from pathlib import Path

    from tests.contests.conftest import RULES
    rules = RULES + "    contests:\n      manage_role: admin\n    commands:\n" \
                    "      enter: {enabled: false}\n"
    h = await ContestHarness(Path(str(tmp_path)), rules=rules).start()
    try:
        await h.say("!contest start 1h 1 Mug", author="claire")
        assert h.replies()[-1] == "!contest start is reserved for the community team."
        await h.say("!contest start 1h 1 Mug", author="root")
        assert h.replies()[-2].startswith("Contest #1 started")
        await h.say("!enter 1", author="bob")
        assert h.replies()[-1] == "!enter is not enabled in this community."
    finally:
        await h.stop()
