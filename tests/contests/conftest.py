"""Harnesses for contests: one console community, or a console and a Telegram community."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.dispatch import Report
from bot.events import ButtonClicked, CommandInvoked, ReactionAdded, User
from bot.plugin import Plugin
from plugins.contests import ContestsPlugin
from plugins.moderation import ModerationPlugin
from tests.harness import MINIMAL_RULES, Harness, RecordingAdapter

PLUGINS: Sequence[type[Plugin]] = (ContestsPlugin, ModerationPlugin)
RULES = MINIMAL_RULES + """\
    roles:
      cm: ["console:claire"]
      admin: ["console:root"]
"""
TELEGRAM = "telegram:-100123"
TWO_RULES = """\
version: 1
defaults:
  language: en
  contests:
    groups:
      brand: ["console:test", "telegram:-100123"]
      wide: ["console:test", "console:other"]
communities:
  "console:test":
    name: Test community
    roles:
      cm: ["console:claire"]
  "telegram:-100123":
    name: Groupe Telegram
    language: fr
    roles:
      cm: ["telegram:900"]
    contests:
      channel: "telegram:-100123"
  "console:other":
    name: Other community
"""
_ids = itertools.count(1)


class ContestHarness(Harness):
    """A harness with helpers for contests: clicks, reactions, posts, slash commands."""

    def __init__(self, tmp: Path, rules: str = RULES, plugins: Sequence[type[Plugin]] = PLUGINS,
                 extra_adapters: Sequence[RecordingAdapter] = (),
                 adapter: RecordingAdapter | None = None,
                 database_url: str | None = None) -> None:
        super().__init__(tmp, rules=rules, plugins=plugins, database_url=database_url)
        self.others = list(extra_adapters)
        if adapter is not None:
            self.adapter = adapter
        if self.others or adapter is not None:
            self.app = App(config_path=self.rules_path, adapters=[self.adapter, *self.others],
                           store=self.store, clock=self.clock, plugin_classes=list(plugins))

    def at(self, when: datetime) -> ContestHarness:
        """Start the clock at `when` (a restart later in time)."""
        self.clock.set(when)
        return self

    def posts(self, adapter: RecordingAdapter | None = None) -> list[dict[str, Any]]:
        """Every message sent, with the id the adapter gave it (ids count from 1000)."""
        sent = (adapter or self.adapter).of("send_message")
        prefix = (adapter or self.adapter).platform_name
        return [dict(call, id=f"{prefix}:{1000 + index}") for index, call in enumerate(sent)]

    def announcement(self, contest: int, adapter: RecordingAdapter | None = None) -> dict[str, Any]:
        """The last announcement of a contest posted through an adapter."""
        return [p for p in self.posts(adapter)
                if f"#{contest}:" in p["text"] or f"n°{contest} :" in p["text"]][-1]

    def dms(self, adapter: RecordingAdapter | None = None) -> list[tuple[str, str]]:
        """(member id, text) of every private message."""
        return [(c["user"], c["text"]) for c in (adapter or self.adapter).of("send_dm")]

    async def click(self, who: User | str, contest: int, message_id: str = "console:1001",
                    community: str | None = None, channel: str = "console:general") -> Report:
        """A member clicks a contest's entry button."""
        user = self.user(who) if isinstance(who, str) else who
        return await self.app.handle(ButtonClicked(
            id=f"click{next(_ids)}", ts=self.clock.now(), community=community or self.community,
            channel=channel, message_id=message_id, user=user,
            custom_id=f"contests:enter:{contest}"))

    async def react(self, who: User | str, message_id: str, emoji: str = "🎉",
                    community: str | None = None, channel: str = "console:general") -> Report:
        """A member reacts to a message."""
        user = self.user(who) if isinstance(who, str) else who
        return await self.app.handle(ReactionAdded(
            id=f"react{next(_ids)}", ts=self.clock.now(), community=community or self.community,
            channel=channel, message_id=message_id, user=user, emoji=emoji))

    async def slash(self, who: User | str, name: str, args: str) -> Report:
        """A native slash command (Discord sends arguments this way, without a length cap)."""
        user = self.user(who) if isinstance(who, str) else who
        return await self.app.handle(CommandInvoked(
            id=f"slash{next(_ids)}", ts=self.clock.now(), community=self.community,
            channel="console:general", author=user, name=name, args=args))

    async def jobs(self) -> int:
        """Run the jobs that are due now (relays are scheduled for now)."""
        return await self.app.scheduler.run_due()

    async def table(self, name: str) -> list[dict[str, Any]]:
        """Every row of one of the plugin's tables, in insertion order."""
        order = {"contest_posts": "posted_at", "contest_activity": "community, member_id",
                 "contest_places": "contest_id, community"}.get(name, "id")
        return await self.rows(f"SELECT * FROM {name} ORDER BY {order}")


@pytest.fixture
async def ch(tmp_path: Path, harness_url: str | None) -> AsyncIterator[ContestHarness]:
    """Contests and moderation on one console community; claire is a CM, root an admin."""
    h = ContestHarness(tmp_path, database_url=harness_url)
    await h.start()
    yield h
    await h.stop()


@pytest.fixture
async def two(tmp_path: Path, harness_url: str | None
              ) -> AsyncIterator[tuple[ContestHarness, RecordingAdapter]]:
    """A console community (English) and a Telegram group (French) in the group `brand`."""
    telegram = RecordingAdapter(platform_name="telegram", bot_id="telegram:1")
    h = ContestHarness(tmp_path, rules=TWO_RULES, extra_adapters=[telegram],
                       database_url=harness_url)
    await h.start()
    yield h, telegram
    await h.stop()
