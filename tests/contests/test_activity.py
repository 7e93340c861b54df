"""Membership and message counts: kept in memory per message, written in batches, durable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.actions import Action, Send
from bot.events import MessagePosted
from bot.i18n import Localized
from bot.permissions import Role
from bot.plugin import CommandCall, EventContext, Phase, Plugin, command, hook
from plugins.contests import ContestsPlugin
from tests.contests.conftest import ContestHarness
from tests.harness import START


def plugin(h: ContestHarness) -> ContestsPlugin:
    """The running contests plugin."""
    found = next(p for p in h.app.plugins if isinstance(p, ContestsPlugin))
    return found


async def test_messages_do_not_touch_the_database_until_a_flush(ch: ContestHarness) -> None:
    """A hundred messages: no row yet; one flush writes one row per member with the counts."""
    for index in range(100):
        await ch.say(f"message {index}", author="alice" if index % 4 else "bob")
    assert await ch.table("contest_activity") == []
    activity = await plugin(ch).activity.get("console:test", "console:alice")
    assert activity.messages == 75 and activity.first_seen == START
    assert await plugin(ch).activity.flush() == 2
    rows = [(r["member_id"], r["messages"]) for r in await ch.table("contest_activity")]
    assert rows == [("console:alice", 75), ("console:bob", 25)]
    await ch.say("one more", author="alice")
    await plugin(ch).activity.flush()
    assert (await plugin(ch).activity.get("console:test", "console:alice")).messages == 76


async def test_counts_survive_a_restart_and_joins_restart_membership(tmp_path: Path) -> None:
    """Stopping writes what is pending; a new join makes membership count from then."""
    h = await ContestHarness(tmp_path).start()
    await h.join("alice")
    await h.say("hi", author="alice")
    await h.advance(timedelta(days=3))
    await h.say("again", author="alice")
    await h.stop()
    h2 = await ContestHarness(tmp_path).at(START + timedelta(days=4)).start()
    try:
        tracker = plugin(h2).activity
        before = await tracker.get("console:test", "console:alice")
        assert (before.messages, before.member_since) == (2, START)
        await h2.join("alice")
        after = await tracker.get("console:test", "console:alice")
        assert after.member_since == START + timedelta(days=4) and after.first_seen == START
        await h2.say("!contest start 1h 1 Mug --member-for 1d", author="claire")
        await h2.click("alice", 1)
        assert h2.dms()[-1][1].endswith("(Vigie has seen you for <1m)")
    finally:
        await h2.stop()


async def test_membership_counts_from_first_sight(ch: ContestHarness) -> None:
    """Without a join, the first message (or click) starts the clock."""
    await ch.say("!contest start 2d 1 Mug --member-for 1d", author="claire")
    await ch.say("hello", author="bob")
    await ch.advance(timedelta(hours=23))
    await ch.click("bob", 1)
    assert ch.dms()[-1][1].endswith("(Vigie has seen you for 23h)")
    await ch.advance(timedelta(hours=1))
    await ch.click("bob", 1)
    assert ch.dms()[-1][1].startswith("You're in contest #1")


async def test_tagged_posts_are_announced_with_their_id(tmp_path: Path) -> None:
    """The core tells a plugin the id of a message it tagged; untagged sends stay silent."""
    seen: list[tuple[str, str, str, str]] = []

    class Poster(Plugin):
        name = "poster"

        @command("post", min_role=Role.MEMBER)
        async def post(self, call: CommandCall) -> list[Action]:
            return [Send(channel=call.channel, text=Localized.of({"en": "tagged"}), tag="p:1"),
                    Send(channel=call.channel, text=Localized.of({"en": "plain"}))]

        @hook(Phase.OBSERVE, MessagePosted)
        async def posted(self, event: MessagePosted, ctx: EventContext) -> None:
            seen.append((event.tag, event.community, event.channel, event.message_id))

    h = await ContestHarness(tmp_path, plugins=[Poster]).start()
    try:
        await h.say("!post")
        posted = {c["text"]: f"console:{1000 + i}" for i, c in
                  enumerate(h.adapter.of("send_message"))}
        assert sorted(posted) == ["plain", "tagged"]
        assert seen == [("p:1", "console:test", "console:general", posted["tagged"])]
    finally:
        await h.stop()
    assert "tag" not in Send(channel="c:1", text=Localized.of({"en": "a"})).describe()
    assert Send(channel="c:1", text=Localized.of({"en": "a"}), tag="t").describe()["tag"] == "t"
