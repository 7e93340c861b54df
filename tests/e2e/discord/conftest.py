"""A Vigie App on the Discord adapter, over a real discord.py client and a fake Discord."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import DiscordAdapter, make_client
from bot.app import App
from bot.events import Event
from bot.plugin import Plugin
from bot.storage import SqliteStore
from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.e2e.discord.fake import FakeDiscord

RULES = """\
version: 1
defaults:
  language: {language}
  roles:
    cm: ["Moderators"]
  appeal:
    en: "write to appeals@example.org"
    fr: "écrivez à appels@example.org"
{automod}communities:
  "discord:{guild}":
    name: Brand HQ
    alerts_channel: "discord:{alerts}"
"""
AUTOMOD = """\
  automod:
    rules:
      insults:
        trigger: {{type: words, lexicons: [fr-insults, en-insults]}}
        actions: [delete, warn]
        reason: {{en: "insult or hate speech", fr: "insulte ou propos haineux"}}
    raid:
      enabled: true
      joins: 3
      within: 1m
      duration: 10m
      actions: [alert, lock]
      channels: ["discord:{general}"]
"""


@dataclass
class World:
    """The fake server, the adapter on its client, and the App running on them."""

    fake: FakeDiscord
    adapter: DiscordAdapter
    app: App
    tmp: Path

    def at(self, snowflake: int | str) -> str:
        """`discord:<id>`."""
        return f"discord:{snowflake}"

    @property
    def community(self) -> str:
        """The fake server's community id."""
        return self.at(self.fake.guild_id)

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Rows from the App's database."""
        await self.app.services.audit.flush()
        return await self.app.store.fetch_all(sql, params)


async def connected(monkeypatch: pytest.MonkeyPatch, client: Any = None) -> FakeDiscord:
    """A fake Discord with a client connected to it."""
    fake = FakeDiscord(client if client is not None else make_client())
    fake.install(monkeypatch)
    await fake.connect()
    return fake


async def start_world(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, language: str = "en",
                      plugins: Sequence[type[Plugin]] = (ModerationPlugin, AutomodPlugin),
                      extra_rules: str = "", client: Any = None,
                      automod_rules: str = AUTOMOD) -> World:
    """Connect (`client`: a bot to wrap), write the rule file for the fake's ids, start the App."""
    fake = await connected(monkeypatch, client)
    automod = automod_rules.format(general=fake.general) if AutomodPlugin in plugins else ""
    rules = RULES.format(language=language, guild=fake.guild_id, alerts=fake.alerts,
                         automod=automod) + textwrap.dedent(extra_rules)
    path = tmp / "rules.yaml"
    path.write_text(rules, encoding="utf-8")
    adapter = DiscordAdapter(fake.client)
    app = App(config_path=path, adapters=[adapter], store=SqliteStore(str(tmp / "vigie.db")),
              plugin_classes=list(plugins))
    await app.start()
    await fake.settle()
    return World(fake, adapter, app, tmp)


@pytest.fixture
async def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    """The App with moderation and automod on a fake server, in English."""
    started = await start_world(tmp_path, monkeypatch)
    yield started
    await started.app.stop()


@dataclass
class Listening:
    """The adapter alone on a fake server, and the events it delivered."""

    fake: FakeDiscord
    adapter: DiscordAdapter
    events: list[Event]

    def at(self, snowflake: int | str) -> str:
        """`discord:<id>`."""
        return f"discord:{snowflake}"


@pytest.fixture
async def listening(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Listening]:
    """The adapter started with a sink that collects events (no App)."""
    fake = await connected(monkeypatch)
    adapter = DiscordAdapter(fake.client)
    seen: list[Event] = []

    async def sink(event: Event) -> None:
        seen.append(event)

    await adapter.start(sink)
    yield Listening(fake, adapter, seen)
    await adapter.stop()
