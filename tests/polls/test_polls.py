"""Polls: button polls on the console, native ones elsewhere, summed results; both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ActionResult
from tests.polls.conftest import DISCORD, TELEGRAM, PollHarness

ASK = "!poll Pizza or sushi? | Pizza | Sushi | Both"


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


def poll_post(h: PollHarness) -> dict[str, Any]:
    """The console's button poll."""
    return next(c for c in h.adapter.of("send_message") if c["buttons"])


def poll_message(h: PollHarness) -> str:
    """The id the recording adapter gave the console's button poll (ids count from 1000)."""
    sent = h.adapter.of("send_message")
    return f"console:{1000 + sent.index(poll_post(h))}"


async def test_button_poll_on_the_console(ph: PollHarness) -> None:
    """Options as numbered buttons; one vote per member (the last click); results at the end."""
    await ph.say(ASK + " --for 1h", author="claire")
    post = poll_post(ph)
    assert post["text"] == ("Pizza or sushi?\n1. Pizza\n2. Sushi\n3. Both\nVote with a button "
                            "below (one vote each; a new click changes it).")
    assert [b.custom_id for b in post["buttons"]] == ["poll:vote:1", "poll:vote:2",
                                                      "poll:vote:3"]
    assert ph.replies()[0] == "Poll #1 posted in console:test; it ends in 1h."
    message = poll_message(ph)
    await ph.vote("alice", message, 1)
    await ph.vote("bob", message, 2)
    await ph.vote("bob", message, 1)  # changes their mind
    await ph.vote("carol", message, 3)
    await ph.vote("dave", message, 9)  # no such option
    await ph.advance(timedelta(minutes=59))
    assert not ph.replies()[-1].startswith("📊")
    await ph.advance(timedelta(minutes=1))
    assert ph.replies()[-1] == ("📊 Results of poll #1: Pizza or sushi?\n1. Pizza: 2 (67%) 🏆\n"
                                "2. Sushi: 0 (0%)\n3. Both: 1 (33%)\n3 vote(s) in all "
                                "(console 3)")
    await ph.vote("erin", message, 2)  # too late
    assert await ph.rows("SELECT COUNT(*) AS n FROM poll_votes") == [{"n": 3}]


async def test_one_poll_three_platforms_summed(ph: PollHarness) -> None:
    """Native polls on Telegram and Discord (their channels), counts summed, each community
    told in its language."""
    ph.telegram.counts = (3, 1, 0)
    ph.discord.counts = (0, 4, 1)
    await ph.say(ASK + f" --for 2h --in {TELEGRAM},{DISCORD}", author="claire")
    await ph.advance(timedelta(0))
    [tg] = ph.telegram.of("send_poll")
    [dc] = ph.discord.of("send_poll")
    assert (tg["channel"], tg["question"], tg["options"]) == (
        TELEGRAM, "Pizza or sushi?", ["Pizza", "Sushi", "Both"])
    assert dc["channel"] == "discord:222" and dc["duration"] == timedelta(hours=2)
    await ph.vote("alice", poll_message(ph), 1)
    await ph.advance(timedelta(hours=2))
    assert [c["message_id"] for c in ph.telegram.of("close_poll")] == ph.telegram.polls
    here = ph.replies()[-1]
    assert here == ("📊 Results of poll #1: Pizza or sushi?\n1. Pizza: 4 (40%)\n"
                    "2. Sushi: 5 (50%) 🏆\n3. Both: 1 (10%)\n10 vote(s) in all "
                    "(console 1, discord 5, telegram 4)")
    [there] = [c["text"] for c in ph.telegram.of("send_message")]
    assert there.startswith("📊 Résultats du sondage n°1 : Pizza or sushi?\n1. Pizza : 4 (40 %)")
    assert there.endswith("10 vote(s) en tout (console 1, discord 5, telegram 4)")


async def test_a_platform_error_leaves_that_place_out(ph: PollHarness) -> None:
    """Telegram refuses to stop the poll: the CM sees why, and the results come after a grace
    period without it, saying so."""
    ph.discord.counts = (1, 0, 0)
    ph.telegram.fail["close_poll"] = ActionResult.failed("Forbidden: not enough rights")
    await ph.say(ASK + f" --for 1h --in {TELEGRAM},{DISCORD}", author="claire")
    await ph.advance(timedelta(hours=1))
    assert not any(t.startswith("📊") for t in ph.replies())
    await ph.advance(timedelta(minutes=2))
    assert ph.replies()[-1].endswith("1 vote(s) in all (console 0, discord 1)\n"
                                     f"Not counted (the platform did not answer): {TELEGRAM}")


async def test_a_restart_in_the_middle(tmp_path: Path, harness_url: str) -> None:
    """A new App on the same database closes the poll and counts the votes kept."""
    first = PollHarness(tmp_path, database_url=harness_url)
    await first.start()
    await first.say(ASK + " --for 1h", author="claire")
    await first.vote("alice", poll_message(first), 2)
    await first.stop()
    second = PollHarness(tmp_path, database_url=harness_url)
    second.clock.set(first.clock.now() + timedelta(minutes=30))
    await second.start()
    try:
        await second.advance(timedelta(minutes=30))
        assert second.replies()[-1].startswith("📊 Results of poll #1: Pizza or sushi?\n"
                                               "1. Pizza: 0 (0%)\n2. Sushi: 1 (100%) 🏆")
    finally:
        await second.stop()


async def test_end_early(ph: PollHarness) -> None:
    """`poll end <n>` closes it now; the timed end does nothing more."""
    await ph.say(ASK, author="claire")
    await ph.vote("alice", poll_message(ph), 3)
    await ph.say("!poll end 1", author="claire")
    await ph.advance(timedelta(0))
    assert ph.replies()[-1].startswith("📊 Results of poll #1")
    count = len(ph.replies())
    await ph.advance(timedelta(days=1))
    assert len(ph.replies()) == count
    await ph.say("!poll end 1", author="claire")
    assert ph.replies()[-1] == "Poll #1 has already ended."


@pytest.mark.parametrize(("text", "answer"), [
    ("!poll Only one? | Yes", "Write the question then 2 to 10 options"),
    ("!poll Q? | A | B --for 10d", "A poll lasts from 1m to 7d."),
    ("!poll Q? | A | B --for 2x", "2x"),
    ("!poll Q? | A | B --until 2h", "Unknown option --until"),
    ("!poll Q? | A | a", "Two options are the same."),
    ("!poll Q? | A | B --in nowhere", "'nowhere' is neither a brand nor a community"),
])
async def test_bad_input_is_explained(ph: PollHarness, text: str, answer: str) -> None:
    """Each mistake gets its own message; nothing is posted."""
    await ph.say(text, author="claire")
    assert answer in ph.replies()[-1]
    assert not any(c["buttons"] for c in ph.adapter.of("send_message"))
    assert await ph.rows("SELECT * FROM polls") == []


async def test_members_cannot_start_polls(ph: PollHarness) -> None:
    """A CM command."""
    await ph.say(ASK, author="alice")
    assert await ph.rows("SELECT * FROM polls") == []
