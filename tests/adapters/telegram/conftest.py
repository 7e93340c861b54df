"""A real python-telegram-bot Application, inside a real App, against the fake Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter, TelegramConfig, WebhookConfig
from bot.app import App
from bot.dispatch import Report
from bot.events import Event
from bot.storage import SqliteStore
from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.adapters.telegram.fakebot import TOKEN, FakeBotApi

GROUP = -1001234
TEAM = -1009999
RULES = f"""\
version: 1
defaults:
  language: en
  alerts_channel: "telegram:{TEAM}"
  automod:
    rules:
      insults:
        trigger: {{type: words, words: [idiot, crétin]}}
        actions: [delete, warn]
        reason: {{en: insult, fr: insulte}}
communities:
  "telegram:{GROUP}":
    name: Brand group
"""


@dataclass
class World:
    """The fake server, the App and its Telegram adapter, and the events the App handled."""

    server: FakeBotApi
    app: App
    adapter: TelegramAdapter
    handled: list[Event] = field(default_factory=list)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def until(self, check: Callable[[], object], what: str, timeout: float = 10.0) -> None:
        """Wait until `check()` is true (the bot works in the background); fail after timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not check():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.01)

    async def handled_count(self, count: int) -> None:
        """Wait until the App has handled `count` events in all."""
        await self.until(lambda: len(self.handled) >= count, f"{count} events")

    def texts(self, chat: int) -> list[str]:
        """Texts the bot sent to a chat."""
        return [str(p["text"]) for p in self.server.of("sendMessage") if int(p["chat_id"]) == chat]


def telegram_config(server: FakeBotApi, webhook: WebhookConfig | None = None
                    ) -> TelegramConfig:
    """The adapter's configuration for the fake server (short long-polls, so tests stop fast)."""
    return TelegramConfig(token=TOKEN, base_url=server.base_url, webhook=webhook,
                          poll_timeout=1)


MakeWorld = Callable[..., Awaitable[World]]


@pytest.fixture
async def make_world(tmp_path: Path) -> AsyncIterator[MakeWorld]:
    """Start worlds (server + App + adapter); everything is stopped at the end."""
    started: list[World] = []

    async def make(rules: str = RULES, webhook: WebhookConfig | None = None,
                   kind: str = "supergroup", bot_rights: dict[str, bool] | None = None) -> World:
        server = await FakeBotApi().start()
        server.group(GROUP, "Brand group", kind, bot_rights=bot_rights)
        server.group(TEAM, "Brand team")
        people = {
            "alice": server.user(11, "Alice", "alice"),
            "bob": server.user(12, "Bob", "bob"),
            "carol": server.user(13, "Carole", None, language_code="fr"),
        }
        server.make_admin(GROUP, people["alice"], creator=True)
        folder = tmp_path / f"w{len(started)}"
        folder.mkdir()
        (folder / "rules.yaml").write_text(rules, encoding="utf-8")
        adapter = TelegramAdapter(telegram_config(server, webhook))
        app = App(config_path=folder / "rules.yaml", adapters=[adapter],
                  store=SqliteStore(str(folder / "vigie.db")),
                  plugin_classes=[ModerationPlugin, AutomodPlugin])
        world = World(server, app, adapter, people=people)
        handle = app.handle

        async def recording(event: Event) -> Report:
            report = await handle(event)
            world.handled.append(event)
            return report

        app.handle = recording  # type: ignore[method-assign]
        adapter.language_of = lambda community: app.rulebook.current.community(community).language
        await app.start()
        started.append(world)
        return world

    yield make
    for world in started:
        await world.app.stop()
        await world.server.stop()


@pytest.fixture
async def world(make_world: MakeWorld) -> World:
    """One world with the default rules."""
    return await make_world()
