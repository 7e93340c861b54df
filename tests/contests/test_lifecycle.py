"""A contest's life through the App: start, entries, refusals, restart, the draw, proof, reroll."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.base import ActionResult
from bot.events import User
from plugins.contests.proof import Proof, verify
from tests.contests.conftest import ContestHarness
from tests.harness import START, RecordingAdapter

CLAIRE = "console:claire"


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


def member(h: ContestHarness, name: str, age: timedelta | None = timedelta(days=365),
           **extra: object) -> User:
    """A member whose platform account is `age` old (None: the platform does not say)."""
    created = None if age is None else START - age
    return h.user(name, account_created_at=created, **extra)  # type: ignore[arg-type]


async def start(h: ContestHarness, args: str) -> list[str]:
    """Claire starts a contest; the texts Vigie sent in answer."""
    before = len(h.replies())
    report = await h.say(f"!contest start {args}", author="claire")
    assert not report.errors, report.errors
    return h.replies()[before:]


async def test_start_stores_commits_schedules_and_announces(ch: ContestHarness) -> None:
    """The contest is stored with a commitment to its seed, its end is a job, members are told."""
    texts = await start(ch, "2h 2 Casque audio --account-age 7d --messages 2")
    assert texts[0] == ("Contest #1 started in #general; the draw is on 2026-11-21 12:00 UTC "
                        "(in 2h).")
    [contest] = await ch.table("contests")
    assert contest["status"] == "open" and contest["prize"] == "Casque audio"
    assert contest["commitment"] == hashlib.sha256(contest["seed"].encode()).hexdigest()
    assert contest["seed"] not in "\n".join(ch.adapter.texts())
    announcement = ch.announcement(1)
    assert announcement["channel"] == "console:general"
    assert contest["commitment"] in announcement["text"]
    assert "Requirements: account at least 7d old; at least 2 message(s) here." in \
        announcement["text"]
    assert [(b.custom_id, b.label) for b in announcement["buttons"]] == [
        ("contests:enter:1", "Enter")]
    [job] = await ch.app.scheduler.pending("contests.end")
    assert (job.run_at, job.payload, job.key) == (START + timedelta(hours=2), {"contest": 1},
                                                 "contests.end:1")
    [audit] = await ch.rows("SELECT * FROM audit WHERE plugin = 'contests'")
    assert audit["rule"] == "start" and contest["commitment"] in audit["evidence"]


async def test_requirements_are_checked_and_named(ch: ContestHarness) -> None:
    """Each unmet requirement is named in the member's language; nothing is stored for them."""
    await start(ch, "1d 1 Stickers --account-age 7d --messages 2 --member-for 1h --role VIP")
    alice = member(ch, "alice", platform_roles=("VIP",))
    bob = member(ch, "bob", timedelta(days=2), language="fr")
    ghost = member(ch, "ghost", None)
    await ch.join("alice")
    for _ in range(2):
        await ch.say("hello", author=alice)
    await ch.click(bob, 1)
    await ch.click(ghost, 1)
    await ch.click(alice, 1)
    assert ch.dms() == [
        ("console:bob", "Vous ne pouvez pas encore participer au concours n°1 :\n"
                        "• votre compte doit avoir au moins 7j (il a 2j)\n"
                        "• vous devez être membre ici depuis au moins 1h\n"
                        "• il faut au moins 2 message(s) ici (vous en avez 0)\n"
                        "• il faut le rôle VIP"),
        ("console:ghost", "You cannot enter contest #1 yet:\n"
                          "• your account must be at least 7d old, and this platform does not "
                          "tell Vigie its age\n"
                          "• you must have been a member here for at least 1h\n"
                          "• you need at least 2 message(s) here (you have 0)\n"
                          "• you need the role VIP"),
        ("console:alice", "You cannot enter contest #1 yet:\n"
                          "• you must have been a member here for at least 1h (Vigie has seen "
                          "you for <1m)"),
    ]
    assert await ch.table("contest_entries") == []
    await ch.advance(timedelta(hours=1))
    await ch.click(alice, 1)
    assert ch.dms()[-1][1].startswith("You're in contest #1 (Stickers): entrant number 1.")
    assert [e["member_id"] for e in await ch.table("contest_entries")] == ["console:alice"]


async def test_exclusions_bots_team_and_sanctioned(ch: ContestHarness) -> None:
    """Bots, CMs and recently sanctioned members are refused; a pardon lifts the exclusion."""
    await start(ch, "1d 1 Mug")
    await ch.click(member(ch, "robot", is_bot=True), 1)
    await ch.click("claire", 1)
    await ch.say("hi", author="bob")
    await ch.say("!warn bob spam", author="claire")
    await ch.click("bob", 1)
    assert [t for _, t in ch.dms() if not t.startswith("You received")] == [
        "You cannot enter contest #1 yet:\n• bots cannot enter contests",
        "You cannot enter contest #1 yet:\n• the community team cannot enter contests",
        "You cannot enter contest #1 yet:\n• members with a recent sanction cannot enter "
        "contests",
    ]
    await ch.say("!pardon 1", author="claire")
    await ch.advance(timedelta(minutes=11))
    await ch.click("bob", 1)
    assert ch.dms()[-1][1].startswith("You're in contest #1")


async def test_every_way_in_and_one_entry_each(ch: ContestHarness) -> None:
    """Button, `!enter`, reaction and keyword contests; a second try is told, not counted."""
    await start(ch, "1h 1 A")
    await start(ch, "1h 1 B --mode reaction")
    await start(ch, "1h 1 C --keyword pizza")
    await start(ch, "1h 1 D --mode command")
    b_post = ch.announcement(2)
    assert "react with 🎉 to this message (or type !enter 2)" in b_post["text"]
    assert b_post["buttons"] == []
    await ch.click("alice", 1)
    await ch.click("alice", 1)
    await ch.react("alice", b_post["id"], "👍")
    await ch.react("alice", ch.announcement(1)["id"])
    await ch.react("alice", b_post["id"], "🎉\ufe0f")
    await ch.say("I love PIZZA!", author="alice")
    await ch.say("pizzas are great", author="bob")
    dms = len(ch.dms())
    await ch.say("Pizza time, everyone", author="claire")  # a CM saying it is not entering
    assert len(ch.dms()) == dms
    await ch.say("!enter 4", author="alice")
    await ch.say("!enter", author="bob")
    entries = [(e["contest_id"], e["member_id"], e["via"])
               for e in await ch.table("contest_entries")]
    assert entries == [(1, "console:alice", "button"), (2, "console:alice", "reaction"),
                       (3, "console:alice", "keyword"), (4, "console:alice", "command")]
    assert ch.dms()[1] == ("console:alice",
                           "You are already in contest #1: one entry per person.")
    assert ch.replies()[-1] == "Several contests are open here: !enter 1, !enter 2, !enter 3, " \
                               "!enter 4."
    posts = await ch.table("contest_posts")
    assert [(p["contest_id"], p["message_id"]) for p in posts] == [
        (1, "console:1001"), (2, "console:1003"), (3, "console:1005"), (4, "console:1007")]


async def test_entries_are_committed_before_the_member_is_told(tmp_path: Path) -> None:
    """When the confirmation leaves, another connection already sees the entry row."""
    seen: list[list[str]] = []

    class Checking(RecordingAdapter):
        async def send_dm(self, user: User, text: str) -> ActionResult:
            with sqlite3.connect(tmp_path / "vigie.db") as db:
                seen.append([r[0] for r in db.execute("SELECT member_id FROM contest_entries")])
            return await super().send_dm(user, text)

    h = ContestHarness(tmp_path, adapter=Checking())
    await h.start()
    try:
        await start(h, "1h 1 Mug")
        await h.click("alice", 1)
        assert seen == [["console:alice"]]
    finally:
        await h.stop()


async def test_restart_mid_contest_loses_nothing_and_ends_on_time(tmp_path: Path) -> None:
    """Stop in the middle, start again on the same database: entries kept, draw at the end."""
    h = await ContestHarness(tmp_path).start()
    await start(h, "2h 2 Casque")
    for name in ("alice", "bob", "carol"):
        await h.click(name, 1)
    await h.say("!contest start 3h 1 Mug --mode reaction", author="claire")
    await h.advance(timedelta(minutes=30))
    await h.stop()

    h2 = await ContestHarness(tmp_path).at(START + timedelta(hours=1)).start()
    try:
        await h2.click("dave", 1)
        await h2.react("erin", "console:1003")  # the reaction contest's announcement, before
        assert [e["member_id"] for e in await h2.table("contest_entries")] == [
            "console:alice", "console:bob", "console:carol", "console:dave", "console:erin"]
        await h2.advance(timedelta(minutes=59, seconds=59))
        assert await h2.table("contest_draws") == []
        await h2.advance(timedelta(seconds=1))
        [draw] = await h2.table("contest_draws")
        winners = json.loads(draw["winners"])
        assert len(winners) == 2 and set(winners) <= {"console:alice", "console:bob",
                                                       "console:carol", "console:dave"}
        result = [p for p in h2.posts() if p["text"].startswith("🏆 Contest #1")]
        assert len(result) == 1 and "4 entrant(s)" in result[0]["text"]
        assert {u for u, t in h2.dms() if t.startswith("Congratulations")} == set(winners)
        [contest, _] = await h2.table("contests")
        assert contest["status"] == "ended" and contest["seed"] in result[0]["text"]
    finally:
        await h2.stop()


async def test_an_overdue_contest_ends_at_once_at_start(tmp_path: Path) -> None:
    """Down when it should have ended: drawn as soon as Vigie is back."""
    h = await ContestHarness(tmp_path).start()
    await start(h, "1h 1 Mug")
    await h.click("alice", 1)
    await h.stop()
    h2 = await ContestHarness(tmp_path).at(START + timedelta(days=2)).start()
    try:
        await h2.jobs()
        assert h2.replies()[0].startswith("🏆 Contest #1 (Mug) — winner(s): alice")
        [job] = await h2.rows("SELECT status FROM jobs WHERE kind = 'contests.end'")
        assert job["status"] == "done"
    finally:
        await h2.stop()


async def test_a_lost_end_job_is_rearmed_at_start(tmp_path: Path) -> None:
    """Stored but not scheduled (a crash between the two): the next start schedules the end."""
    h = await ContestHarness(tmp_path).start()
    await start(h, "1h 1 Mug")
    await h.app.scheduler.cancel("contests.end:1")
    await h.stop()
    h2 = await ContestHarness(tmp_path).at(START + timedelta(minutes=10)).start()
    try:
        [job] = await h2.app.scheduler.pending("contests.end")
        assert job.run_at == START + timedelta(hours=1)
    finally:
        await h2.stop()


async def test_draw_proof_and_reroll(ch: ContestHarness) -> None:
    """The close publishes the seed; the proof verifies; a reroll leaves earlier winners out."""
    await start(ch, "1h 2 Casque")
    names = [f"m{i}" for i in range(6)]
    for name in names:
        await ch.click(name, 1)
    await ch.advance(timedelta(hours=1))
    await ch.say("!contest proof 1", author="alice")
    head, document = ch.replies()[-1].split("\n", 1)
    assert head.startswith("Proof of contest #1, part 1/1. Vigie re-checked it")
    proof = Proof.from_json(document)
    assert verify(proof).ok
    [first] = proof.rounds
    assert first.count == 2 and proof.entrants == tuple(sorted(f"console:{n}" for n in names))
    [audit] = await ch.rows("SELECT * FROM audit WHERE rule = 'draw'")
    assert f"seed={proof.seed}" in audit["evidence"]
    assert f"entrants_sha256={proof.entrants_sha256}" in audit["evidence"]
    assert f"winners={','.join(first.winners or ())}" in audit["evidence"]

    await ch.say("!contest reroll 1 3", author="claire")
    reroll = ch.replies()[-1]
    assert reroll.startswith("🔁 Contest #1 (Casque) — new draw 1, earlier winners left out")
    await ch.say("!contest proof 1", author="alice")
    proof = Proof.from_json(ch.replies()[-1].split("\n", 1)[1])
    assert verify(proof).ok and len(proof.rounds) == 2
    again = proof.rounds[1].winners or ()
    assert len(again) == 3 and not set(again) & set(first.winners or ())
    await ch.say("!contest reroll 1 2", author="claire")
    assert ch.replies()[-1] == ("Cannot draw 2 new winner(s) for contest #1: only 1 entrant(s) "
                                "have not won.")
    rules = [r["rule"] for r in await ch.rows(
        "SELECT rule FROM audit WHERE plugin = 'contests' AND rule NOT LIKE 'command:%'"
        " ORDER BY id")]
    assert rules == ["start", *["enter.button"] * 6, "draw", "announce.draw", "reroll"]


async def test_end_now_cancel_and_the_read_commands(ch: ContestHarness) -> None:
    """`end` draws at once and removes the job; `cancel` stops without a draw; list, show."""
    await start(ch, "1h 1 A")
    await start(ch, "1h 1 B")
    await ch.click("alice", 1)
    await ch.say("!contest end 1", author="claire")
    assert ch.replies()[-1].startswith("🏆 Contest #1 (A) — winner(s): alice\n1 entrant(s).")
    await ch.say("!contest cancel 2 stock problem", author="claire")
    assert ch.replies()[-1] == ("Contest #2 (B) was cancelled by the team (stock problem). "
                                "There will be no draw.")
    assert [j.key for j in await ch.app.scheduler.pending()] == []
    await ch.click("bob", 2)
    assert ch.dms()[-1] == ("console:bob", "Contest #2 is closed: entries are no longer taken.")
    await ch.say("!contest list", author="bob")
    assert ch.replies()[-1] == ("Contests here:\n"
                                "#2 B — 0 entrant(s) — cancelled\n"
                                "#1 A — 1 entrant(s) — winner(s): alice")
    await ch.say("!contest show 1", author="bob")
    shown = ch.replies()[-1].splitlines()
    assert shown[0] == "Contest #1: A (drawn)"
    assert shown[2] == "1 winner(s) · 1 entrant(s) · drawn on 2026-11-21 10:00 UTC"
    assert shown[-1] == "Draw 0: alice"
    await ch.say("!contest entries 1", author="claire")
    assert ch.replies()[-1] == ("Contest #1: 1 entrant(s), page 1/1\n"
                                "1. alice (console:alice) — button — 2026-11-21 10:00 UTC — "
                                "console:test")
    await ch.advance(timedelta(hours=2))
    assert len([p for p in ch.posts() if p["text"].startswith("🏆")]) == 1


async def test_a_contest_with_no_entrant_or_too_few(ch: ContestHarness) -> None:
    """Nobody: no winner; fewer than planned: everyone wins and the result says so."""
    await start(ch, "1h 1 A")
    await start(ch, "1h 3 B")
    await ch.click("alice", 2)
    await ch.advance(timedelta(hours=1))
    texts = [p["text"] for p in ch.posts()[-3:]]
    assert "Contest #1 (A) is over: nobody entered, so there is no winner." in texts
    assert any(t.startswith("🏆 Contest #2 (B) — winner(s): alice (only 1 entrant(s), fewer "
                            "than the winners planned)") for t in texts)
    await ch.say("!contest proof 1", author="alice")
    assert verify(Proof.from_json(ch.replies()[-1].split("\n", 1)[1])).ok


async def test_sanctioned_before_the_draw_are_left_out(ch: ContestHarness) -> None:
    """A member banned after entering is disqualified at the close, and the proof holds."""
    await start(ch, "1h 1 Mug")
    await ch.click("alice", 1)
    await ch.click("bob", 1)
    await ch.say("hi", author="bob")
    await ch.say("!ban bob spam", author="claire")
    await ch.advance(timedelta(hours=1))
    rows = {r["member_id"]: (r["status"], r["note"]) for r in await ch.table("contest_entries")}
    assert rows == {"console:alice": ("in", ""),
                    "console:bob": ("disqualified", "sanctioned")}
    assert [p for p in ch.posts() if p["text"].startswith("🏆 Contest #1 (Mug) — winner(s): "
                                                          "alice\n1 entrant(s).")]


async def test_switched_off_the_running_contest_still_ends(tmp_path: Path) -> None:
    """A job is a promise: a contest started while enabled ends on time even if switched off."""
    from tests.contests.conftest import RULES

    h = await ContestHarness(tmp_path).start()
    try:
        await start(h, "1h 1 Mug")
        await h.click("alice", 1)
        h.rules_path.write_text(RULES + "    contests: {enabled: false}\n", encoding="utf-8")
        assert (await h.app.rulebook.reload()).status == "applied"
        await h.advance(timedelta(hours=1))
        [job] = await h.rows("SELECT status FROM jobs WHERE kind = 'contests.end'")
        assert job["status"] == "done"
        assert [p for p in h.posts()
                if p["text"].startswith("🏆 Contest #1 (Mug) — winner(s): alice")]
        await h.say("!contest list", author="claire")
        assert h.replies()[-1] == "!contest is not enabled in this community."
    finally:
        await h.stop()
