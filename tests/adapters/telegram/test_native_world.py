"""Welcome, polls and events in a French Telegram group, through the whole App and real
python-telegram-bot on the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.dispatch import Report
from bot.events import Event
from bot.storage import SqliteStore
from plugins.events import EventsPlugin
from plugins.polls import PollsPlugin
from plugins.welcome import WelcomePlugin
from tests.adapters.telegram.conftest import GROUP, World, telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi
from tests.adapters.telegram.test_native import add_polls

RULES = f"""\
version: 1
defaults:
  language: fr
  rules_text:
    fr: Soyez courtois.
    en: Be nice.
communities:
  "telegram:{GROUP}":
    name: Groupe de la marque
    welcome:
      enabled: true
"""


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[World, dict[int, Any]]]:
    """A French group where alice is the owner (a CM by Telegram's facts)."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group", bot_rights={"can_pin_messages": True})
    polls = add_polls(server)
    people = {"alice": server.user(11, "Alice", "alice"), "bob": server.user(12, "Bob", "bob")}
    server.make_admin(GROUP, people["alice"], creator=True)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    adapter = TelegramAdapter(telegram_config(server))
    app = App(config_path=tmp_path / "rules.yaml", adapters=[adapter],
              store=SqliteStore(str(tmp_path / "vigie.db")),
              plugin_classes=[WelcomePlugin, PollsPlugin, EventsPlugin])
    result = World(server, app, adapter, people=people)
    handle = app.handle

    async def recording(event: Event) -> Report:
        report = await handle(event)
        result.handled.append(event)
        return report

    app.handle = recording  # type: ignore[method-assign]
    adapter.language_of = lambda community: app.rulebook.current.community(community).language
    await app.start()
    yield result, polls
    await app.stop()
    await server.stop()


async def test_welcome_poll_and_event_in_french(world: tuple[World, dict[int, Any]]) -> None:
    """A newcomer is welcomed in his language; a poll is a Telegram poll whose counts come
    back when ended; an event's announcement has a « J'y serai » button that counts the member
    who presses it."""
    w, polls = world
    server = w.server
    server.join(GROUP, w.people["bob"])
    await w.until(lambda: any(t.startswith("Welcome") for t in w.texts(GROUP)), "welcome")
    # bob's Telegram app is in English: his own welcome is too (the group's rules in English)
    assert "Welcome bob to Groupe de la marque!\n\nOur rules:\nBe nice." in w.texts(GROUP)

    server.post(GROUP, w.people["alice"], "/poll Pizza ou sushi ? | Pizza | Sushi --for 1h")
    await w.until(lambda: server.of("sendPoll"), "the poll")
    [number] = polls
    polls[number]["options"][1]["voter_count"] = 3
    server.post(GROUP, w.people["alice"], "/poll end 1")
    await w.until(lambda: any(t.startswith("📊") for t in w.texts(GROUP)), "the results")
    assert [t for t in w.texts(GROUP) if t.startswith("📊")] == [
        "📊 Résultats du sondage n°1 : Pizza ou sushi ?\n1. Pizza : 0 (0 %)\n"
        "2. Sushi : 3 (100 %) 🏆\n3 vote(s) en tout (telegram 3)"]

    server.post(GROUP, w.people["alice"], "/event create demain 18h Apéro en ligne")
    await w.until(lambda: any(t.startswith("📅") for t in w.texts(GROUP)), "the announcement")
    [sent] = [p for p in server.of("sendMessage") if str(p["text"]).startswith("📅")]
    keyboard = sent["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in keyboard[0]] == ["J'y serai"]
    message = next(m for (chat, _), m in server.messages.items()
                   if chat == GROUP and str(m.get("text", "")).startswith("📅"))
    server.click(message, w.people["bob"], keyboard[0][0]["callback_data"])
    await w.until(lambda: server.of("answerCallbackQuery"), "the click's answer")
    for _ in range(500):  # the click's database write follows the answer
        rows = await w.app.store.fetch_all("SELECT member_id FROM event_attendees")
        if rows:
            break
        await asyncio.sleep(0.01)
    assert rows == [{"member_id": "telegram:12"}]
