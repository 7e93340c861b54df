"""A console community (where CMs type), a Discord server and a Telegram group of one brand,
recording adapters that take scheduled posts, a manual clock, and restarts on the same database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ActionResult
from bot.app import App
from bot.dispatch import Report
from bot.events import MessageCreated, User
from bot.permissions import Role
from bot.storage import SqliteStore, Store, open_store
from plugins.publishing import PublishingPlugin
from tests.harness import START, Call, QuietClock, RecordingAdapter

DISCORD, DISCORD_NEWS = "discord:111", "discord:222"
TELEGRAM = "telegram:-100123"
CONSOLE = "console:test"
RULES = f"""\
version: 1
defaults:
  language: en
  alerts_channel: "console:alerts"
  publishing:
    timezone: Europe/Paris
    grace: 1h
    retries: 3
    backoff: 1m
communities:
  "{CONSOLE}":
    name: Console
    roles:
      cm: ["console:claire"]
  "{DISCORD}":
    name: Brand HQ
    alerts_channel: "discord:999"
  "{TELEGRAM}":
    name: Groupe
    language: fr
brands:
  acme:
    name: ACME
    communities: ["{CONSOLE}", "{DISCORD}", "{TELEGRAM}"]
    channels: {{"{DISCORD}": "{DISCORD_NEWS}", "{CONSOLE}": "console:news"}}
"""


@dataclass
class Publisher(RecordingAdapter):
    """A recording adapter that takes posts; `refuse` answers the next posts with failures."""

    refuse: list[ActionResult] = field(default_factory=list)

    async def publish(self, channel: str, parts: Sequence[str], *, markup: str, image: str,
                      preview: bool, pin: bool, unpin: str) -> ActionResult:
        self.calls.append(Call("publish", {"channel": channel, "parts": list(parts),
                                           "markup": markup, "image": image,
                                           "preview": preview, "pin": pin, "unpin": unpin}))
        if self.refuse:
            return self.refuse.pop(0)
        return ActionResult.ok(message_id=f"{self.platform_name}:{next(self._ids)}")

    def posts(self) -> list[dict[str, Any]]:
        """Every post it was asked for."""
        return self.of("publish")


class World:
    """The App on three adapters; `restart` builds a new App on the same database and clock."""

    def __init__(self, tmp: Path, database_url: str | None, rules: str = RULES) -> None:
        self.tmp = tmp
        self.url = database_url
        self.rules_path = tmp / "rules.yaml"
        self.rules_path.write_text(rules, encoding="utf-8")
        self.clock = QuietClock(START)
        self.app: App | None = None
        self.n = 0

    def _build(self) -> App:
        self.console = RecordingAdapter(platform_name="console", bot_id="console:vigie")
        self.discord = Publisher(platform_name="discord", bot_id="discord:1")
        self.telegram = Publisher(platform_name="telegram", bot_id="telegram:1")
        store: Store = open_store(self.url) if self.url else SqliteStore(str(self.tmp / "v.db"))
        return App(config_path=self.rules_path,
                   adapters=[self.console, self.discord, self.telegram], store=store,
                   clock=self.clock, plugin_classes=[PublishingPlugin])

    async def start(self) -> World:
        self.app = self._build()
        await self.app.start()
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self) -> None:
        """Stop, then a new App (new adapters, nothing in memory) on the same database."""
        await self.stop()
        await self.start()

    async def say(self, text: str, who: str = "claire", channel: str = "console:general"
                  ) -> Report:
        """Someone types in the console community."""
        assert self.app is not None
        self.n += 1
        role = Role.CM if who == "claire" else Role.MEMBER
        return await self.app.handle(MessageCreated(
            id=f"console:m{self.n}", ts=self.clock.now(), community=CONSOLE, channel=channel,
            author=User(id=f"console:{who}", name=who, role=role), text=text))

    def answers(self) -> list[str]:
        """Replies in the console (command answers)."""
        return [c["text"] for c in self.console.of("send_message")
                if c["channel"] == "console:general"]

    def console_posts(self) -> list[str]:
        """Posts the console community received (its brand channel)."""
        return [c["text"] for c in self.console.of("send_message")
                if c["channel"] == "console:news"]

    def alerts(self) -> list[str]:
        """What CMs of the console were told."""
        return [c["text"] for c in self.console.of("send_alert")]

    async def advance(self, delta: timedelta) -> int:
        """Let time pass and run due jobs."""
        assert self.app is not None
        self.clock.advance(delta)
        return await self.app.scheduler.run_due()

    async def until(self, moment: datetime) -> int:
        """Move the clock to `moment` and run due jobs."""
        return await self.advance(moment - self.clock.now())

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        assert self.app is not None
        return await self.app.store.fetch_all(sql, params)


@pytest.fixture
def harness_url(store_url: str) -> str | None:
    """Every publishing test runs on SQLite and on PostgreSQL."""
    return None if store_url.startswith("sqlite") else store_url


@pytest.fixture
async def world(tmp_path: Path, harness_url: str | None) -> AsyncIterator[World]:
    """The three communities, started."""
    w = World(tmp_path, harness_url)
    await w.start()
    yield w
    await w.stop()
