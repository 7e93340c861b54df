"""One contest in a console community (English) and a Telegram group (French) at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.events import MessageCreated, User
from plugins.contests.proof import Proof, verify
from tests.contests.conftest import TELEGRAM, TWO_RULES, ContestHarness
from tests.harness import RecordingAdapter

TG_MEMBER = User(id="telegram:7", name="tgmember", language="fr")
TG_CM = User(id="telegram:900", name="tgcm")
Pair = tuple[ContestHarness, RecordingAdapter]


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def start_in_brand(h: ContestHarness) -> None:
    """Claire starts a contest in the `brand` group; the relay posts it on Telegram."""
    await h.say("!contest start 1h 2 Sweat à capuche --in brand", author="claire")
    await h.jobs()


async def test_announced_in_each_community_in_its_language(two: Pair) -> None:
    """English with an Enter button here; French with a Participer button on Telegram."""
    h, telegram = two
    await start_in_brand(h)
    assert h.replies()[-2] == ("Contest #1 started in #general and in telegram:-100123; the draw "
                               "is on 2026-11-21 11:00 UTC (in 1h).")
    here = h.announcement(1)
    there = h.announcement(1, telegram)
    assert here["text"].startswith("🎉 Contest #1: Sweat à capuche\n2 winner(s)")
    assert there["channel"] == TELEGRAM
    assert there["text"].startswith("🎉 Concours n°1 : Sweat à capuche\n2 gagnant(s), tirage le")
    assert [b.label for b in there["buttons"]] == ["Participer"]
    places = [(p["community"], p["channel"]) for p in await h.table("contest_places")]
    assert places == [("console:test", "console:general"), (TELEGRAM, TELEGRAM)]
    posts = [(p["community"], p["message_id"]) for p in await h.table("contest_posts")]
    assert posts == [("console:test", "console:1001"), (TELEGRAM, "telegram:1000")]


async def test_entries_from_both_platforms_and_refusal_elsewhere(two: Pair) -> None:
    """Entries from both sides count once each; a third community is told it is not there."""
    h, telegram = two
    await start_in_brand(h)
    await h.click("alice", 1)
    await h.click(TG_MEMBER, 1, "telegram:1000", community=TELEGRAM, channel=TELEGRAM)
    await h.click("bob", 1, community="console:other")
    assert h.dms(telegram)[-1][1].startswith("Votre participation au concours n°1 (Sweat à "
                                             "capuche) est enregistrée : participant n°2.")
    assert h.dms()[-1] == ("console:bob", "Contest #1 does not run in this community.")
    entries = [(e["member_id"], e["community"]) for e in await h.table("contest_entries")]
    assert entries == [("console:alice", "console:test"), ("telegram:7", TELEGRAM)]


async def test_results_everywhere_each_in_its_language_and_platform(two: Pair) -> None:
    """The draw is announced in both communities; each winner is told on their platform."""
    h, telegram = two
    await start_in_brand(h)
    await h.click("alice", 1)
    await h.click(TG_MEMBER, 1, "telegram:1000", community=TELEGRAM, channel=TELEGRAM)
    await h.say("!contest end 1", author="claire")
    here = h.replies()[-1]
    assert here.startswith("🏆 Contest #1 (Sweat à capuche) — winner(s): ")
    assert "alice (console)" in here and "tgmember (telegram)" in here
    await h.jobs()
    [there] = [p for p in h.posts(telegram) if p["text"].startswith("🏆")]
    assert there["text"].startswith("🏆 Concours n°1 (Sweat à capuche) — gagnant(s) : ")
    assert "Chacun peut vérifier le tirage : !contest proof 1" in there["text"]
    assert h.dms() == [("console:alice", "You're in contest #1 (Sweat à capuche): entrant "
                                         "number 1. The draw is on 2026-11-21 11:00 UTC (in 1h)."),
                       ("console:alice", "Congratulations! You won contest #1 (Sweat à capuche) "
                                         "in Test community. The team will contact you about "
                                         "your prize.")]
    assert h.dms(telegram)[-1] == ("telegram:7", "Félicitations ! Vous avez gagné le concours "
                                                 "n°1 (Sweat à capuche) dans Groupe Telegram. "
                                                 "L'équipe vous contactera pour votre lot.")
    await h.jobs()
    assert len([p for p in h.posts(telegram) if p["text"].startswith("🏆")]) == 1


async def test_a_telegram_cm_can_end_it_and_the_proof_is_shared(two: Pair) -> None:
    """Ended from the other side: results there at once, here through the relay; same proof."""
    h, telegram = two
    await start_in_brand(h)
    for name in ("alice", "bob", "carol"):
        await h.click(name, 1)
    await h.app.handle(MessageCreated(
        id="telegram:55", ts=h.clock.now(), community=TELEGRAM, channel=TELEGRAM, author=TG_CM,
        text="!contest end 1"))
    assert h.posts(telegram)[-1]["text"].startswith("🏆 Concours n°1")
    await h.jobs()
    assert h.posts()[-1]["text"].startswith("🏆 Contest #1")
    await h.app.handle(MessageCreated(
        id="telegram:56", ts=h.clock.now(), community=TELEGRAM, channel=TELEGRAM,
        author=TG_MEMBER, text="!contest proof 1"))
    proof = Proof.from_json(h.posts(telegram)[-1]["text"].split("\n", 1)[1])
    assert verify(proof).ok and len(proof.entrants) == 3


async def test_places_must_share_a_group_and_have_a_channel(two: Pair) -> None:
    """Explicit ids in a shared group work; others, a group without us, or no channel: refused."""
    h, _ = two
    await h.say("!contest start 1h 1 Mug --in console:test,telegram:-100123", author="claire")
    assert h.replies()[-2].startswith("Contest #1 started in #general and in telegram:-100123")
    await h.say("!contest start 1h 1 Mug --in wide", author="claire")
    assert h.replies()[-1] == ("console:other has no contests.channel in the rule file: Vigie "
                               "does not know where to announce there.")
    await h.say("!contest start 1h 1 Mug --in telegram:-999", author="claire")
    assert h.replies()[-1] == ("telegram:-999 is in no group with this community "
                               "(contests.groups in the rule file).")
    assert len(await h.table("contests")) == 1


async def test_a_relay_waiting_at_a_restart_still_happens(tmp_path: Path) -> None:
    """Stopped before the Telegram announcement went out: it goes out after the restart."""
    telegram = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram]).start()
    await h.app.scheduler.stop()  # the process dies before the scheduler gets to the relay
    await h.say("!contest start 1h 2 Mug --in brand", author="claire")
    await h.stop()
    assert telegram.of("send_message") == []
    telegram2 = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h2 = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram2]).at(
        h.clock.now() + timedelta(minutes=5)).start()
    try:
        await h2.jobs()
        assert h2.announcement(1, telegram2)["text"].startswith("🎉 Concours n°1 : Mug")
    finally:
        await h2.stop()


async def test_a_relay_never_scheduled_is_rearmed(tmp_path: Path) -> None:
    """A crash after the contest was stored, before its relays were queued: queued at start."""
    telegram = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram]).start()
    await h.app.scheduler.stop()
    await h.say("!contest start 1h 2 Mug --in brand", author="claire")
    await h.store.execute("DELETE FROM jobs WHERE kind = 'contests.relay'")
    await h.store.execute("UPDATE contests SET relayed = 0")
    await h.stop()
    telegram2 = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h2 = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram2]).start()
    try:
        await h2.jobs()
        assert h2.announcement(1, telegram2)["text"].startswith("🎉 Concours n°1 : Mug")
        assert [p for p in h2.posts() if p["text"].startswith("🎉")] == []
    finally:
        await h2.stop()


async def test_a_relay_already_posted_is_not_posted_again_after_a_restart(
        tmp_path: Path) -> None:
    """The relay went out, then the process restarted: the start does not queue it twice."""
    telegram = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram]).start()
    await start_in_brand(h)
    await h.say("!contest end 1", author="claire")
    await h.jobs()
    await h.stop()
    sent = len(telegram.of("send_message"))
    assert sent >= 2  # the start and the results, on Telegram
    telegram2 = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h2 = await ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram2]).start()
    try:
        await h2.jobs()
        assert telegram2.of("send_message") == []
        rows = await h2.store.fetch_all("SELECT relayed FROM contests")
        assert [r["relayed"] for r in rows] == [1]
        relays = await h2.store.fetch_all(
            "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'contests.relay'")
        assert relays[0]["n"] == 2
    finally:
        await h2.stop()
