"""Harnesses for events: a console community (English), a Telegram group (French, pins) and a
Discord server (native scheduled events), on recording fakes."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ActionResult
from bot.app import App
from bot.dispatch import Report
from bot.events import ButtonClicked, ReactionAdded, User
from bot.plugin import Plugin
from plugins.events import EventsPlugin
from tests.harness import Harness, RecordingAdapter

PLUGINS: Sequence[type[Plugin]] = (EventsPlugin,)
TELEGRAM = "telegram:-100123"
DISCORD = "discord:111"
RULES = """\
version: 1
defaults:
  language: en
communities:
  "console:test":
    name: Test community
    roles:
      cm: ["console:claire"]
  "telegram:-100123":
    name: Groupe
    language: fr
  "discord:111":
    name: Server
    alerts_channel: "discord:999"
    events:
      channel: "discord:222"
"""
_clicks = itertools.count(1)


@dataclass
class PlatformFake(RecordingAdapter):
    """A recording adapter that pins and keeps scheduled events, like Telegram and Discord."""

    def communities(self) -> set[str]:
        return {TELEGRAM if self.platform_name == "telegram" else DISCORD}

    async def pin_message(self, channel: str, message_id: str, pinned: bool) -> ActionResult:
        return self._record("pin_message", channel=channel, message_id=message_id,
                            pinned=pinned)

    async def guild_event(self, community: str, *, name: str, description: str,
                          start: datetime | None, end: datetime | None, location: str,
                          event_id: str, cancel: bool) -> ActionResult:
        result = self._record("guild_event", community=community, name=name,
                              description=description, start=start, end=end,
                              location=location, event_id=event_id, cancel=cancel)
        if not result.succeeded or event_id:
            return result
        return ActionResult.ok(message_id="discord:777")


class EventHarness(Harness):
    """Console, Telegram and Discord fakes; helpers to answer an announcement."""

    def __init__(self, tmp: Path, database_url: str | None = None, rules: str = RULES) -> None:
        super().__init__(tmp, rules=rules, plugins=PLUGINS, database_url=database_url)
        self.telegram = PlatformFake(platform_name="telegram", bot_id="telegram:1")
        self.discord = PlatformFake(platform_name="discord", bot_id="discord:1")
        self.app = App(config_path=self.rules_path, adapters=[
            self.adapter, self.telegram, self.discord], store=self.store, clock=self.clock,
            plugin_classes=list(PLUGINS))

    def sent(self, adapter: RecordingAdapter) -> list[dict[str, Any]]:
        """Messages posted through an adapter, with the ids it gave them (from 1000)."""
        return [dict(c, id=f"{adapter.platform_name}:{1000 + i}")
                for i, c in enumerate(adapter.of("send_message"))]

    def announcement(self, adapter: RecordingAdapter | None = None) -> dict[str, Any]:
        """The (last) post with an "I'll be there" button."""
        return [p for p in self.sent(adapter or self.adapter) if p["buttons"]][-1]

    async def going(self, user: User, community: str | None = None,
                    adapter: RecordingAdapter | None = None, event: int = 1) -> Report:
        """A member presses "I'll be there" under the announcement."""
        post = self.announcement(adapter)
        return await self.app.handle(ButtonClicked(
            id=f"click{next(_clicks)}", ts=self.clock.now(),
            community=community or self.community, channel=post["channel"],
            message_id=post["id"], user=user, custom_id=f"events:going:{event}"))

    async def react(self, user: User, emoji: str = "✅") -> Report:
        """A console member reacts to the announcement."""
        post = self.announcement()
        return await self.app.handle(ReactionAdded(
            id=f"react{next(_clicks)}", ts=self.clock.now(), community=self.community,
            channel=post["channel"], message_id=post["id"], user=user, emoji=emoji))


@pytest.fixture
async def eh(tmp_path: Path, harness_url: str | None) -> AsyncIterator[EventHarness]:
    """Events on a console community, a French Telegram group and a Discord server."""
    h = EventHarness(tmp_path, database_url=harness_url)
    await h.start()
    yield h
    await h.stop()
