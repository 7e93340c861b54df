"""Polls and events on Discord through the whole App: commands in, REST calls out."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.events import EventsPlugin
from plugins.moderation import ModerationPlugin
from plugins.polls import PollsPlugin
from tests.e2e.discord.conftest import World, start_world
from tests.e2e.discord.test_native import EVENTS, EXPIRE, SEND, Polls


async def world_with_polls(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[World, Polls]:
    """The App with polls and events on the fake server (which knows polls and events)."""
    world = await start_world(tmp, monkeypatch,
                              plugins=(ModerationPlugin, PollsPlugin, EventsPlugin))
    return world, Polls(world.fake)


async def test_event_announced_with_button_and_scheduled_event(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CM's `!event create`: the announcement with its button, the server's scheduled event,
    and a member's click counted (and confirmed privately)."""
    world, polls = await world_with_polls(tmp_path, monkeypatch)
    fake = world.fake
    try:
        await fake.say(fake.claire, "!event create demain 18h Live AMA --link https://twitch.tv/a")
        await world.app.scheduler.run_due()
        await fake.settle()
        [posted] = [m for m in fake.sent(fake.general) if m.get("components")]
        button = posted["components"][0]["components"][0]
        assert (button["custom_id"], button["label"]) == ("vigie:events:going:1",
                                                          "I'll be there")
        [created] = fake.of("POST", EVENTS)
        assert created.json["name"] == "Live AMA"
        assert created.json["entity_metadata"] == {"location": "https://twitch.tv/a"}
        places = await world.rows("SELECT message_id, native_id FROM event_places")
        [event_id] = polls.events
        assert places[0]["native_id"] == f"discord:{event_id}"
        message = fake.messages[fake.general][int(places[0]["message_id"].split(":")[1])]
        await fake.click(fake.bob, message, "vigie:events:going:1")
        await fake.settle()
        rows = await world.rows("SELECT member_id FROM event_attendees")
        assert rows == [{"member_id": f"discord:{fake.bob.id}"}]
    finally:
        await world.app.stop()


async def test_poll_posted_and_results_after_ending(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`!poll` posts a Discord poll; `!poll end 1` expires it and posts the counted results."""
    world, polls = await world_with_polls(tmp_path, monkeypatch)
    fake = world.fake
    try:
        await fake.say(fake.claire, "!poll Pizza or sushi? | Pizza | Sushi --for 2h")
        [poll] = [c for c in fake.of("POST", SEND) if c.json.get("poll")]
        assert poll.json["poll"]["duration"] == 2
        polls.counts = [2, 5]
        await fake.say(fake.claire, "!poll end 1")
        await world.app.scheduler.run_due()
        await fake.settle()
        assert len(fake.of("POST", EXPIRE)) == 1
        assert fake.sent(fake.general)[-1]["content"] == (
            "📊 Results of poll #1: Pizza or sushi?\n1. Pizza: 2 (29%)\n2. Sushi: 5 (71%) 🏆\n"
            "7 vote(s) in all (discord 7)")
    finally:
        await world.app.stop()
