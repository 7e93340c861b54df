"""Events from creation to closing in three communities; both backends, a restart, errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.actions import Upload
from bot.adapters.base import ActionResult
from bot.events import MessageCreated, User
from bot.permissions import Role
from tests.events.conftest import DISCORD, RULES, TELEGRAM, EventHarness

CREATE = ("!event create demain 18h Live AMA --fr Questions en direct --en Ask us anything "
          f"--link https://twitch.tv/acme --in {TELEGRAM},{DISCORD}")
START = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # tomorrow 18:00 in Paris (harness: 21 Nov)
ALICE = User(id="console:alice", name="alice")
TG = User(id="telegram:7", name="tgmember", language="fr")
DC = User(id="discord:42", name="dcmember")


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def created(h: EventHarness) -> None:
    """Claire creates the event for the three communities; the announcements go out."""
    await h.say(CREATE, author="claire")
    await h.advance(timedelta(0))


def texts(h: EventHarness, adapter: object) -> list[str]:
    return [p["text"] for p in h.sent(adapter)]  # type: ignore[arg-type]


async def test_announced_everywhere_in_each_language(eh: EventHarness) -> None:
    """English here, French on Telegram, and a native event on Discord."""
    await created(eh)
    assert eh.replies()[0] == ("Event #1 created: Live AMA, 2026-11-22 at 18:00 (Europe/Paris); "
                               f"announced in console:test, {TELEGRAM}, {DISCORD}.")
    here = eh.announcement()
    assert here["text"] == (
        "📅 Event #1: Live AMA\n🕒 2026-11-22 at 18:00 (Europe/Paris), for 1h\n"
        "🔗 https://twitch.tv/acme\nAsk us anything\nComing? Press the button (or react with "
        "✅): you'll get the reminders.")
    assert [(b.custom_id, b.label) for b in here["buttons"]] == [("events:going:1",
                                                                  "I'll be there")]
    there = eh.announcement(eh.telegram)
    assert there["channel"] == TELEGRAM
    assert there["text"].startswith("📅 Événement n°1 : Live AMA\n🕒 2026-11-22 à 18:00 "
                                    "(Europe/Paris), durée 1h\n🔗 https://twitch.tv/acme\n"
                                    "Questions en direct\n")
    assert [b.label for b in there["buttons"]] == ["J'y serai"]
    assert eh.announcement(eh.discord)["channel"] == "discord:222"
    [native] = eh.discord.of("guild_event")
    assert (native["name"], native["start"], native["end"], native["location"]) == (
        "Live AMA", START, START + timedelta(hours=1), "https://twitch.tv/acme")
    assert [(p["community"], p["message_id"], p["native_id"])
            for p in await eh.rows("SELECT * FROM event_places ORDER BY community")] == [
        ("console:test", "console:1001", None), (DISCORD, "discord:1000", "discord:777"),
        (TELEGRAM, "telegram:1000", None)]


async def test_reminders_name_only_those_coming_and_the_end_counts_them(
        eh: EventHarness) -> None:
    """A day and 15 minutes before, each community's reminder names its own attendees
    (a Discord ping); Telegram pins during the event; the closing post counts everyone."""
    await created(eh)
    await eh.going(ALICE)
    await eh.going(TG, TELEGRAM, eh.telegram)
    await eh.going(DC, DISCORD, eh.discord)
    assert eh.adapter.of("send_dm")[-1]["text"].startswith("You're down for Live AMA (event #1)")
    assert eh.telegram.of("send_dm")[-1]["text"].startswith("C'est noté pour Live AMA")
    await eh.advance(START - timedelta(days=1) - eh.clock.now())
    assert texts(eh, eh.adapter)[-1] == ("⏰ Live AMA starts in 1d (2026-11-22 at 18:00 "
                                         "(Europe/Paris)).\n🔗 https://twitch.tv/acme\n"
                                         "See you there: alice")
    assert texts(eh, eh.telegram)[-1].endswith("À tout à l'heure : tgmember")
    assert texts(eh, eh.discord)[-1].endswith("See you there: <@42>")
    await eh.advance(timedelta(hours=23, minutes=45))
    assert texts(eh, eh.adapter)[-1].startswith("⏰ Live AMA starts in 15m")
    assert eh.telegram.of("pin_message") == []
    await eh.advance(timedelta(minutes=15))
    assert eh.telegram.of("pin_message") == [
        {"channel": TELEGRAM, "message_id": "telegram:1000", "pinned": True}]
    assert eh.adapter.of("pin_message") == [] and eh.discord.of("pin_message") == []
    await eh.advance(timedelta(hours=1))
    assert texts(eh, eh.adapter)[-1] == ("🏁 Live AMA is over. 3 people said they'd come "
                                         "(1 from here). Thank you!")
    assert texts(eh, eh.telegram)[-1].startswith("🏁 Live AMA est terminé. 3 personne(s)")
    assert eh.telegram.of("pin_message")[-1]["pinned"] is False
    assert [r["status"] for r in await eh.rows("SELECT status FROM events")] == ["done"]


async def test_a_second_click_counts_out_and_a_reaction_counts_in(eh: EventHarness) -> None:
    """The button toggles; the emoji only adds; reminders follow the latest answer."""
    await created(eh)
    await eh.going(ALICE)
    await eh.going(ALICE)
    assert eh.adapter.of("send_dm")[-1]["text"] == ("You're no longer down for Live AMA "
                                                    "(event #1).")
    await eh.react(User(id="console:bob", name="bob"))
    await eh.react(User(id="console:carol", name="carol"), emoji="👍")
    await eh.advance(START - timedelta(days=1) - eh.clock.now())
    assert texts(eh, eh.adapter)[-1].endswith("See you there: bob")


async def test_cancel_tells_everyone_and_drops_the_rest(eh: EventHarness) -> None:
    """Cancelled: a post everywhere, the Discord event cancelled, no reminder afterwards."""
    await created(eh)
    await eh.say("!event cancel 1", author="claire")
    await eh.advance(timedelta(0))
    assert texts(eh, eh.telegram)[-1] == ("❌ L'événement n°1 (Live AMA, 2026-11-22 à 18:00 "
                                          "(Europe/Paris)) est annulé.")
    assert eh.discord.of("guild_event")[-1] == {
        "community": DISCORD, "name": "", "description": "", "start": None, "end": None,
        "location": "", "event_id": "discord:777", "cancel": True}
    count = len(eh.adapter.calls) + len(eh.telegram.calls)
    await eh.advance(timedelta(days=2))
    assert len(eh.adapter.calls) + len(eh.telegram.calls) == count
    await eh.going(ALICE)
    assert eh.adapter.of("send_dm")[-1]["text"] == "Live AMA is over or cancelled."


async def test_edit_moves_the_reminders_and_the_native_event(eh: EventHarness) -> None:
    """A new time: reminders follow it, the Discord event is edited, everyone is told."""
    await created(eh)
    await eh.say("!event edit 1 --when 2026-11-23 20:00 --duration 2h", author="claire")
    await eh.advance(timedelta(0))
    assert texts(eh, eh.adapter)[-1].startswith("✏️ Event #1 changed: Live AMA\n🕒 2026-11-23 "
                                                "at 20:00 (Europe/Paris), for 2h")
    edit = eh.discord.of("guild_event")[-1]
    assert (edit["event_id"], edit["start"]) == ("discord:777",
                                                 datetime(2026, 11, 23, 19, tzinfo=UTC))
    await eh.advance(START - timedelta(days=1) - eh.clock.now())
    assert not texts(eh, eh.adapter)[-1].startswith("⏰")
    await eh.advance(timedelta(days=1, hours=2))  # the new time minus a day
    assert texts(eh, eh.adapter)[-1].startswith("⏰ Live AMA starts in 1d (2026-11-23 at 20:00")


async def test_a_restart_keeps_every_step(tmp_path: Path, harness_url: str) -> None:
    """A new App on the same database sends the reminder with the attendee it was told of."""
    first = EventHarness(tmp_path, database_url=harness_url)
    await first.start()
    await created(first)
    await first.going(ALICE)
    await first.stop()
    second = EventHarness(tmp_path, database_url=harness_url)
    second.clock.set(first.clock.now())
    await second.start()
    try:
        await second.advance(START - timedelta(minutes=15) - second.clock.now())
        assert texts(second, second.adapter)[-1].endswith("See you there: alice")
        await second.advance(timedelta(minutes=15))
        assert second.telegram.of("pin_message")[-1]["pinned"] is True
    finally:
        await second.stop()


async def test_discord_refuses_the_native_event(eh: EventHarness) -> None:
    """Without Create Events the announcement still goes out and the CMs are told why."""
    eh.discord.fail["guild_event"] = ActionResult.failed("403 Forbidden: Missing Permissions")
    await created(eh)
    assert eh.announcement(eh.discord)["channel"] == "discord:222"
    [alert] = eh.discord.of("send_alert")
    assert "403 Forbidden: Missing Permissions" in alert["text"]
    assert "scheduled event" in alert["text"]


async def test_list_attendees_and_csv(eh: EventHarness) -> None:
    """The list, the attendees with their community, and the CSV as an upload."""
    await created(eh)
    await eh.going(ALICE)
    await eh.going(TG, TELEGRAM, eh.telegram)
    await eh.say("!event list", author="claire")
    assert eh.replies()[-1] == ("Upcoming events:\n#1 Live AMA — 2026-11-22 at 18:00 "
                                "(Europe/Paris) — 2 coming")
    await eh.say("!event attendees 1", author="claire")
    assert eh.replies()[-1] == ("Event #1 (Live AMA): 2 said they'd come\n- alice (console:test)"
                                f"\n- tgmember ({TELEGRAM})")
    await eh.say("!event attendees 1 csv", author="claire")  # the console: inline
    assert eh.replies()[-1].splitlines()[1].startswith("1,Live AMA,console:alice,alice,")
    report = await eh.app.handle(MessageCreated(
        id="tg-csv", ts=eh.clock.now(), community=TELEGRAM, channel=TELEGRAM,
        author=User(id="telegram:900", name="tgcm", role=Role.CM), text="/event attendees 1 csv"))
    [upload] = [o.action for o in report.outcomes if isinstance(o.action, Upload)]
    lines = upload.data.decode().splitlines()
    assert upload.filename == "event-1-attendees.csv"
    assert lines[0] == "event,title,member_id,name,community,said_at"
    assert lines[2].startswith(f"1,Live AMA,telegram:7,tgmember,{TELEGRAM},2026-11-21T10:00")


@pytest.mark.parametrize(("text", "answer"), [
    ("!event create hier 18h X", "hier"),
    ("!event create demain 25h X", "25h"),
    ("!event create demain 18h", "needs a title"),
    ("!event create demain 18h AMA --link twitch", "'twitch' is not a link"),
    ("!event create demain 18h AMA --duration 9d", "An event lasts from 5m to 7d."),
    ("!event create demain 18h AMA --colour red", "Unknown option --colour"),
    ("!event create demain 18h AMA --in acme", "'acme' is neither a brand nor a community"),
    ("!event cancel 9", "There is no event #9 in this community."),
    ("!event frobnicate", "Use: event create"),
])
async def test_bad_input_is_explained(eh: EventHarness, text: str, answer: str) -> None:
    """Every mistake is said, and nothing is stored."""
    await eh.say(text, author="claire")
    assert answer in eh.replies()[-1]
    assert await eh.rows("SELECT * FROM events") == []


async def test_members_cannot_create(eh: EventHarness) -> None:
    """A CM command."""
    await eh.say(CREATE, author="alice")
    assert await eh.rows("SELECT * FROM events") == []


async def test_a_brand_group_names_every_community(tmp_path: Path, harness_url: str) -> None:
    """`--in acme` reaches the brand's Telegram group and Discord server (its channel)."""
    rules = "brands:\n  acme:\n    communities: [\"console:test\", \"telegram:-100123\", " \
            "\"discord:111\"]\n    channels: {\"discord:111\": \"discord:333\"}\n"
    h = EventHarness(tmp_path, database_url=harness_url,
                     rules=RULES.replace("communities:\n", rules + "communities:\n", 1))
    await h.start()
    try:
        await h.say("!event create lundi 9:30 Launch --in acme", author="claire")
        await h.advance(timedelta(0))
        assert h.announcement(h.discord)["channel"] == "discord:333"
        assert h.announcement(h.telegram)["text"].startswith(
            "📅 Événement n°1 : Launch\n🕒 2026-11-23 à 09:30 (Europe/Paris)")
    finally:
        await h.stop()


async def test_times_across_the_spring_dst_change(eh: EventHarness) -> None:
    """18:00 in Paris on the day clocks go forward is 16:00 UTC; the day-before reminder comes
    24 hours earlier (17:00 in Paris, still winter time) and shows the summer time."""
    await eh.say("!event create 2027-03-28 18:00 Spring AMA", author="claire")
    await eh.advance(timedelta(0))
    start = datetime(2027, 3, 28, 16, 0, tzinfo=UTC)
    [row] = await eh.rows("SELECT starts_at FROM events")
    assert row["starts_at"].startswith("2027-03-28T16:00")
    await eh.advance(start - timedelta(days=1) - eh.clock.now())
    assert texts(eh, eh.adapter)[-1] == ("⏰ Spring AMA starts in 1d (2027-03-28 at 18:00 "
                                         "(Europe/Paris)).")


async def test_members_pressing_at_once_are_each_counted_once(eh: EventHarness) -> None:
    """Twenty members press "I'll be there" concurrently: twenty attendees, each once."""
    await created(eh)
    members = [User(id=f"console:m{n}", name=f"m{n}") for n in range(20)]
    await asyncio.gather(*(eh.going(member) for member in members))
    rows = await eh.rows("SELECT member_id FROM event_attendees ORDER BY member_id")
    assert sorted(r["member_id"] for r in rows) == sorted(m.id for m in members)
