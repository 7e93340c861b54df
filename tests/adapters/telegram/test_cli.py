"""`vigie run --platform telegram`: clear refusals before anything starts; several platforms."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.cli import app
from bot.events import MessageCreated, User
from bot.running import build_adapters
from bot.storage import SqliteStore
from plugins.automod import AutomodPlugin
from tests.adapters.telegram.conftest import GROUP, RULES, telegram_config
from tests.adapters.telegram.fakebot import TOKEN, FakeBotApi
from tests.harness import RecordingAdapter


def test_run_without_a_token_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TELEGRAM_TOKEN: exit 2 with the BotFather hint."""
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["run", "--platform", "telegram"])
    assert result.exit_code == 2
    assert "TELEGRAM_TOKEN is not set" in result.output


def test_run_with_an_unreachable_api_stops_cleanly(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    """Telegram unreachable at start: exit 1, one line, no token, nothing left running."""
    monkeypatch.setenv("TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:9")
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--platform", "telegram", "--config",
                                      str(tmp_path / "rules.yaml"), "--database",
                                      f"sqlite:///{tmp_path / 'v.db'}"])
    assert result.exit_code == 1
    assert "could not reach the Telegram Bot API at http://127.0.0.1:9" in result.output
    assert TOKEN not in result.output


def test_console_and_telegram_adapters_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--platform console --platform telegram` builds both adapters for one process."""
    monkeypatch.setenv("TELEGRAM_TOKEN", TOKEN)
    built = build_adapters(["console", "telegram"])
    assert [a.platform for a in built] == ["console", "telegram"]
    assert isinstance(built[1], TelegramAdapter)


async def test_one_app_serves_telegram_and_another_platform(tmp_path: Path) -> None:
    """Each community's actions go to its own platform's adapter."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    bob = server.user(12, "Bob", "bob")
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    console = RecordingAdapter()
    telegram = TelegramAdapter(telegram_config(server))
    application = App(config_path=tmp_path / "rules.yaml", adapters=[console, telegram],
                      store=SqliteStore(str(tmp_path / "v.db")), plugin_classes=[AutomodPlugin])
    await application.start()
    try:
        message = server.post(GROUP, bob, "idiot")
        await application.handle(MessageCreated(
            id="console:m1", ts=datetime.now(UTC), community="console:test",
            channel="console:general", author=User(id="console:bob", name="bob"),
            text="idiot"))
        assert [c["message_id"] for c in console.of("delete_message")] == ["console:m1"]
        for _ in range(500):
            if server.of("deleteMessage"):
                break
            await asyncio.sleep(0.01)
        assert int(server.of("deleteMessage")[0]["message_id"]) == message["message_id"]
        assert all(not c["channel"].startswith("telegram:")
                   for c in console.of("delete_message"))
    finally:
        await application.stop()
        await server.stop()
