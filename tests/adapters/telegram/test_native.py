"""Telegram polls and pins through a real python-telegram-bot Bot on the fake Bot API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.adapters.native import Pinner, PollSender
from bot.adapters.telegram import TelegramAdapter
from bot.i18n import Catalog
from tests.adapters.telegram.conftest import GROUP, telegram_config
from tests.adapters.telegram.fakebot import BOT_ID, ApiError, FakeBotApi

CHANNEL = f"telegram:{GROUP}"
CATALOG = Catalog()


def add_polls(server: FakeBotApi) -> dict[int, dict[str, Any]]:
    """sendPoll, stopPoll, pinChatMessage and unpinChatMessage, as Telegram answers them;
    the polls by message number (tests set their `voter_count`s)."""
    polls: dict[int, dict[str, Any]] = {}

    def send_poll(p: dict[str, Any]) -> dict[str, Any]:
        options = p["options"] if isinstance(p["options"], list) else json.loads(p["options"])
        texts = [o["text"] if isinstance(o, dict) else str(o) for o in options]
        poll = {"id": f"poll{len(polls) + 1}", "question": p["question"],
                "options": [{"text": t, "voter_count": 0, "persistent_id": f"o{n}"}
                            for n, t in enumerate(texts)],
                "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                "type": "regular", "allows_multiple_answers": False, "allows_revoting": True,
                "members_only": False}
        message = server.message(int(p["chat_id"]), server.bot_user, None, poll=poll)
        polls[message["message_id"]] = poll
        return message

    def stop_poll(p: dict[str, Any]) -> dict[str, Any]:
        poll = polls.get(int(p["message_id"]))
        if poll is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        return poll

    def pin(p: dict[str, Any]) -> bool:
        if not server.chats[int(p["chat_id"])].bot_rights.get("can_pin_messages"):
            raise ApiError(400, "Bad Request: not enough rights to manage pinned messages")
        return True

    server._m_sendPoll = send_poll  # type: ignore[attr-defined]
    server._m_stopPoll = stop_poll  # type: ignore[attr-defined]
    server._m_pinChatMessage = pin  # type: ignore[attr-defined]
    server._m_unpinChatMessage = pin  # type: ignore[attr-defined]
    return polls


@pytest.fixture
async def pair() -> AsyncIterator[tuple[FakeBotApi, TelegramAdapter, dict[int, Any]]]:
    """A connected adapter (not polling), its fake server and the server's polls."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    polls = add_polls(server)
    adapter = TelegramAdapter(telegram_config(server))
    await adapter.connect()
    yield server, adapter, polls
    await adapter.stop()
    await server.stop()


async def test_poll_sent_and_stopped_with_counts(
        pair: tuple[FakeBotApi, TelegramAdapter, dict[int, Any]]) -> None:
    """sendPoll with the options; stopPoll's final counts come back in order."""
    server, adapter, polls = pair
    assert isinstance(adapter, PollSender)
    sent = await adapter.send_poll(CHANNEL, "Pizza or sushi?", ["Pizza", "Sushi"],
                                   timedelta(hours=2))
    assert sent.status == "ok" and sent.message_id is not None
    [call] = server.of("sendPoll")
    assert call["question"] == "Pizza or sushi?" and "open_period" not in call
    number = int(sent.message_id.rpartition(":")[2])
    polls[number]["options"][0]["voter_count"] = 4
    polls[number]["options"][1]["voter_count"] = 7
    closed = await adapter.close_poll(CHANNEL, sent.message_id)
    assert closed.status == "ok" and closed.counts == (4, 7)
    again = await adapter.close_poll(CHANNEL, sent.message_id)
    assert again.status == "failed" and "already been closed" in again.detail


async def test_a_refused_poll_is_explained(
        pair: tuple[FakeBotApi, TelegramAdapter, dict[int, Any]]) -> None:
    """403 (removed from the group) and 400 are failed results that say why."""
    server, adapter, _ = pair
    server.fail("sendPoll", 403, "Forbidden: bot was kicked from the supergroup chat")
    kicked = await adapter.send_poll(CHANNEL, "Q?", ["A", "B"], timedelta(hours=1))
    assert kicked.status == "failed" and kicked.explanation is not None
    assert kicked.explanation.key == "telegram.error.kicked"
    server.fail("sendPoll", 400, "Bad Request: poll can't have more than 10 options")
    refused = await adapter.send_poll(CHANNEL, "Q?", ["A", "B"], timedelta(hours=1))
    assert refused.status == "failed" and "10 options" in refused.detail


async def test_pin_needs_the_right(
        pair: tuple[FakeBotApi, TelegramAdapter, dict[int, Any]]) -> None:
    """Without 'Pin messages' the failure names that right; with it, pin and unpin work."""
    server, adapter, _ = pair
    assert isinstance(adapter, Pinner)
    message = f"{CHANNEL}:{server.message(GROUP, server.bot_user, 'hi')['message_id']}"
    server.chats[GROUP].bot_rights["can_pin_messages"] = False
    refused = await adapter.pin_message(CHANNEL, message, True)
    assert refused.status == "failed" and refused.explanation is not None
    assert "Épingler des messages" in CATALOG.text(refused.explanation, "fr")
    server.chats[GROUP].bot_rights["can_pin_messages"] = True
    assert (await adapter.pin_message(CHANNEL, message, True)).status == "ok"
    assert (await adapter.pin_message(CHANNEL, message, False)).status == "ok"
    assert [c["disable_notification"] for c in server.of("pinChatMessage")][-1] in (True, "true")
    assert BOT_ID
