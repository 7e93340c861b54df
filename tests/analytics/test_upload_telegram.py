"""On Telegram, `!stats` posts the chart as a photo (sendPhoto) under its text, through real
python-telegram-bot objects on the fake Bot API; a caption too long for a photo follows it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.storage import SqliteStore
from plugins.analytics.charts import HEIGHT, WIDTH
from plugins.analytics.plugin import AnalyticsPlugin
from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.adapters.telegram.conftest import GROUP, RULES, TEAM, telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi
from tests.analytics.test_stats import png_size


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[FakeBotApi, TelegramAdapter, dict]]:
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    server.group(TEAM, "Brand team")
    alice = server.user(11, "Alice", "alice")
    server.make_admin(GROUP, alice, creator=True)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    adapter = TelegramAdapter(telegram_config(server))
    app = App(config_path=tmp_path / "rules.yaml", adapters=[adapter],
              store=SqliteStore(str(tmp_path / "vigie.db")),
              plugin_classes=[ModerationPlugin, AutomodPlugin, AnalyticsPlugin])
    adapter.language_of = lambda community: app.rulebook.current.community(community).language
    await app.start()
    try:
        yield server, adapter, alice
    finally:
        await app.stop()
        await server.stop()


async def until(check: object, timeout: float = 20.0) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_stats_on_telegram_posts_the_chart_as_a_photo(
        world: tuple[FakeBotApi, TelegramAdapter, dict]) -> None:
    server, _adapter, alice = world
    bob = server.user(12, "Bob", "bob")
    server.push({"message": server.message(GROUP, bob, "hello, is the shop open today?")})
    server.post(GROUP, alice, "/stats 7d")
    await until(lambda: server.of("sendPhoto"))
    [photo] = server.of("sendPhoto")
    assert int(photo["chat_id"]) == GROUP
    assert photo["photo"]["filename"].endswith("-7d-en.png")
    assert png_size(photo["photo"]["data"]) == (WIDTH, HEIGHT)
    texts = [str(p["text"]) for p in server.of("sendMessage") if int(p["chat_id"]) == GROUP]
    captions = [str(photo.get("caption") or "")]
    assert any("the last 7 days" in t for t in texts + captions)
