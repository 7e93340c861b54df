"""On Discord, `!stats` posts the chart as an image under its text (real discord.py, fake HTTP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest

from bot.actions import Upload
from plugins.analytics.charts import HEIGHT, WIDTH
from plugins.analytics.plugin import AnalyticsPlugin
from plugins.moderation import ModerationPlugin
from tests.analytics.test_stats import png_size
from tests.e2e.discord.conftest import start_world


async def test_stats_on_discord_posts_the_chart(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin, AnalyticsPlugin))
    try:
        fake = world.fake
        uploads: list[tuple[str, Any]] = []
        recording = fake.client.http.request

        async def request(route: Any, **kwargs: Any) -> Any:
            for item in kwargs.get("files") or ():
                uploads.append((route.path, item))
            return await recording(route, **kwargs)

        fake.client.http.request = request  # type: ignore[method-assign]
        await fake.say(fake.alice, "hello, is the shop open today?")
        await fake.say(fake.claire, "!stats 7d")
        await fake.settle()
        texts = [(b or {}).get("content") or "" for b in fake.sent(fake.general)]
        assert any(t.startswith("📊 Brand HQ: the last 7 days") for t in texts)
        assert not any("Chart:" in t for t in texts)
        assert len(uploads) == 1
        path, file = uploads[0]
        assert path == "/channels/{channel_id}/messages"
        assert isinstance(file, discord.File) and file.filename.endswith("-7d-en.png")
        file.fp.seek(0)
        assert png_size(file.fp.read()) == (WIDTH, HEIGHT)
        rows = await world.rows("SELECT actions FROM audit WHERE plugin = 'analytics'"
                                " AND rule = 'command:stats'")
        assert '"type": "upload"' in rows[0]["actions"] and "base64" not in rows[0]["actions"]
    finally:
        await world.app.stop()


def test_an_upload_is_recorded_by_name_and_size() -> None:
    action = Upload(channel="discord:1", filename="c.png", data=b"\x89PNG" * 10, reply_to="m")
    assert action.describe() == {"type": "upload", "channel": "discord:1", "filename": "c.png",
                                 "size": 40, "reply_to": "m"}
    assert "PNG" not in repr(action)
