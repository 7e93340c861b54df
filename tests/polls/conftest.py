"""Harnesses for polls: a console community (button polls), with native Telegram and Discord
fakes that count votes like the platforms do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.base import ActionResult
from bot.app import App
from bot.events import ButtonClicked, User
from bot.plugin import Plugin
from plugins.polls import PollsPlugin
from tests.harness import Harness, RecordingAdapter

PLUGINS: Sequence[type[Plugin]] = (PollsPlugin,)
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
    polls:
      channel: "discord:222"
"""


@dataclass
class NativeAdapter(RecordingAdapter):
    """A recording adapter with native polls: `counts` is what closing a poll reads."""

    counts: tuple[int, ...] = ()
    polls: list[str] = field(default_factory=list)

    def communities(self) -> set[str]:
        return {TELEGRAM if self.platform_name == "telegram" else DISCORD}

    async def send_poll(self, channel: str, question: str, options: Sequence[str],
                        duration: timedelta) -> ActionResult:
        result = self._record("send_poll", channel=channel, question=question,
                              options=list(options), duration=duration)
        if not result.succeeded:
            return result
        message = f"{self.platform_name}:{len(self.calls) + 500}"
        self.polls.append(message)
        return ActionResult.ok(message_id=message)

    async def close_poll(self, channel: str, message_id: str) -> ActionResult:
        result = self._record("close_poll", channel=channel, message_id=message_id)
        return result if not result.succeeded else ActionResult(
            "ok", message_id=message_id, counts=self.counts)


class PollHarness(Harness):
    """Console plus native Telegram and Discord fakes."""

    def __init__(self, tmp: Path, database_url: str | None = None) -> None:
        super().__init__(tmp, rules=RULES, plugins=PLUGINS, database_url=database_url)
        self.telegram = NativeAdapter(platform_name="telegram", bot_id="telegram:1")
        self.discord = NativeAdapter(platform_name="discord", bot_id="discord:1")
        self.app = App(config_path=self.rules_path, adapters=[
            self.adapter, self.telegram, self.discord], store=self.store, clock=self.clock,
            plugin_classes=list(PLUGINS))

    async def vote(self, who: str, message_id: str, option: int) -> None:
        """A console member clicks an option's button."""
        await self.app.handle(ButtonClicked(
            id=f"click-{who}-{option}-{self.clock.now().timestamp()}", ts=self.clock.now(),
            community=self.community, channel="console:general", message_id=message_id,
            user=User(id=f"console:{who}", name=who), custom_id=f"poll:vote:{option}"))


@pytest.fixture
async def ph(tmp_path: Path, harness_url: str | None) -> AsyncIterator[PollHarness]:
    """Polls on a console community, a French Telegram group and a Discord server."""
    h = PollHarness(tmp_path, database_url=harness_url)
    await h.start()
    yield h
    await h.stop()
