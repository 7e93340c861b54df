"""Small pieces: configuration from the environment, ids, lanes, message splitting, until_date."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.telegram.config import DEFAULT_BASE_URL, TelegramConfig, TelegramConfigError
from bot.adapters.telegram.ids import chat_id, message_ref, qualify, user_id
from bot.adapters.telegram.lanes import Lanes
from bot.adapters.telegram.outbound import restriction_end, split_text
from tests.adapters.telegram.fakebot import TOKEN


def test_config_from_env() -> None:
    """Token required and checked; base URL normalised; webhook needs https and a valid secret."""
    with pytest.raises(TelegramConfigError, match="TELEGRAM_TOKEN is not set"):
        TelegramConfig.from_env({})
    with pytest.raises(TelegramConfigError, match="does not look like a bot token") as bad:
        TelegramConfig.from_env({"TELEGRAM_TOKEN": "oops-secret"})
    assert "oops-secret" not in str(bad.value)
    plain = TelegramConfig.from_env({"TELEGRAM_TOKEN": TOKEN})
    assert plain.base_url == DEFAULT_BASE_URL and plain.webhook is None
    assert TOKEN not in repr(plain)
    local = TelegramConfig.from_env({"TELEGRAM_TOKEN": TOKEN,
                                     "TELEGRAM_BASE_URL": "http://localhost:8081/"})
    assert local.base_url == "http://localhost:8081/bot"
    assert local.base_file_url == "http://localhost:8081/file/bot"
    hook = TelegramConfig.from_env({
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret_-", "TELEGRAM_WEBHOOK_PORT": "9000"})
    assert hook.webhook is not None and hook.webhook.path == "/tg"
    assert (hook.webhook.port, hook.webhook.listen, hook.webhook.secret) == (9000, "0.0.0.0",
                                                                             "s3cret_-")
    assert "s3cret" not in repr(hook)
    generated = TelegramConfig.from_env({"TELEGRAM_TOKEN": TOKEN,
                                         "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/"})
    assert generated.webhook is not None and len(generated.webhook.secret) >= 32
    for env, problem in (
            ({"TELEGRAM_WEBHOOK_URL": "http://bot.example.org/tg"}, "only posts to https"),
            ({"TELEGRAM_WEBHOOK_URL": "https://x.org/", "TELEGRAM_WEBHOOK_SECRET": "a b"},
             "TELEGRAM_WEBHOOK_SECRET"),
            ({"TELEGRAM_WEBHOOK_URL": "https://x.org/", "TELEGRAM_WEBHOOK_PORT": "99999"},
             "TELEGRAM_WEBHOOK_PORT"),
            ({"TELEGRAM_BASE_URL": "localhost:8081"}, "TELEGRAM_BASE_URL")):
        with pytest.raises(TelegramConfigError, match=problem):
            TelegramConfig.from_env({"TELEGRAM_TOKEN": TOKEN, **env})
    local_hook = TelegramConfig.from_env({
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://localhost:8081",
        "TELEGRAM_WEBHOOK_URL": "http://vigie:8443/tg"})
    assert local_hook.webhook is not None


def test_ids() -> None:
    """Chats, users and messages as qualified ids, and back; anything else is refused."""
    assert qualify(-1001) == "telegram:-1001" and qualify(-1001, 5) == "telegram:-1001:5"
    assert chat_id("telegram:-1001") == -1001 and user_id("telegram:42") == 42
    assert message_ref("telegram:-1001:5") == (-1001, 5)
    for bad in ("discord:1", "telegram:abc", "telegram:"):
        with pytest.raises(ValueError):
            chat_id(bad)
    for bad in ("telegram:5", "telegram:-1:x", "console:1:2"):
        with pytest.raises(ValueError):
            message_ref(bad)


async def test_lanes_keep_each_chat_in_order_and_run_chats_concurrently() -> None:
    """A slow update holds back its own chat only."""
    done: list[tuple[str, int]] = []
    release = asyncio.Event()

    async def handle(item: tuple[str, int]) -> None:
        if item == ("a", 0):
            await release.wait()
        if item == ("b", 1):
            raise RuntimeError("a broken update does not stop its lane")
        done.append(item)

    lanes: Lanes[tuple[str, int]] = Lanes(handle)
    for i in range(3):
        lanes.submit("a", ("a", i))
        lanes.submit("b", ("b", i))
    assert not await lanes.drain(0.05)
    assert done == [("b", 0), ("b", 2)]
    release.set()
    assert await lanes.drain(1)
    assert done == [("b", 0), ("b", 2), ("a", 0), ("a", 1), ("a", 2)]
    assert len(lanes) == 0


def test_split_text_respects_telegram_limits() -> None:
    """Long texts become several messages of at most 4096 UTF-16 units, cut at line ends."""
    lines = [f"line {i} " + "é" * 50 for i in range(200)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert "".join(parts) == text and len(parts) > 1
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])
    emoji = "😀" * 5000  # two UTF-16 units each
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in split_text(emoji))
    assert split_text("short") == ["short"]


def test_restriction_end_avoids_telegrams_forever() -> None:
    """Under 30 s from now is pushed out; over 366 days is refused (both mean forever)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert restriction_end(now + timedelta(minutes=10), now) == now + timedelta(minutes=10)
    short = restriction_end(now + timedelta(seconds=29), now)
    assert short is not None and short - now >= timedelta(seconds=30)
    assert restriction_end(now + timedelta(days=366), now) == now + timedelta(days=366)
    assert restriction_end(now + timedelta(days=367), now) is None
