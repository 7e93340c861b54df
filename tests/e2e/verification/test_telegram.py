"""Join verification on Telegram: a real python-telegram-bot Application against the fake
Bot API, restricting on join or answering join requests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.dispatch import Report
from bot.events import Event, MemberJoined, MessageCreated
from bot.storage import SqliteStore
from plugins.moderation import ModerationPlugin
from plugins.verification import VerificationPlugin
from tests.adapters.telegram.conftest import GROUP, TEAM, World, telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi

RULES = f"""\
version: 1
defaults:
  language: en
  alerts_channel: "telegram:{TEAM}"
communities:
  "telegram:{GROUP}":
    name: Brand group
    verification:
      enabled: true
      challenge: question
      time_limit: 5m
      on_failure: kick
      raid: {{joins: 5, within: 1m, quiet: 10m}}
"""


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    server.group(TEAM, "Brand team")
    people = {"alice": server.user(11, "Alice", "alice"), "bob": server.user(12, "Bob", "bob"),
              "carol": server.user(13, "Carole", None, language_code="fr"),
              "dave": server.user(14, "Dave", "dave"), "eve": server.user(15, "Eve", "eve")}
    server.make_admin(GROUP, people["alice"], creator=True)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    adapter = TelegramAdapter(telegram_config(server))
    app = App(config_path=tmp_path / "rules.yaml", adapters=[adapter],
              store=SqliteStore(str(tmp_path / "vigie.db")),
              plugin_classes=[ModerationPlugin, VerificationPlugin])
    adapter.language_of = lambda community: app.rulebook.current.community(community).language
    world = World(server, app, adapter, people=people)
    handle = app.handle

    async def recording(event: Event) -> Report:
        report = await handle(event)
        world.handled.append(event)
        return report

    app.handle = recording  # type: ignore[method-assign]
    await app.start()
    yield world
    await app.stop()
    await server.stop()


async def challenge_of(world: World, user_id: int) -> dict[str, Any]:
    """The member's stored challenge, once it is there."""
    for _ in range(1000):
        found = await world.app.store.fetch_all(
            "SELECT * FROM verification_challenges WHERE member_id = :m",
            {"m": f"telegram:{user_id}"})
        if found and (found[0]["message_id"] or found[0]["via"] == "request"):
            return found[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"no challenge for {user_id}")


def buttons_of(message: dict[str, Any]) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = message["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]


def bot_message(server: FakeBotApi, chat: int, text_part: str) -> dict[str, Any]:
    """The bot's stored message in `chat` that contains `text_part`."""
    return next(m for (c, _), m in server.messages.items()
                if c == chat and text_part in str(m.get("text", "")))


async def test_a_newcomer_restricted_on_join_passes_and_everything_is_cleaned(
        world: World) -> None:
    server, bob = world.server, world.people["bob"]
    server.join(GROUP, bob)
    row = await challenge_of(world, 12)
    assert row["via"] == "group" and row["language"] == "en"
    [hold] = server.of("restrictChatMember")
    assert int(hold["user_id"]) == 12
    permissions = json.loads(hold["permissions"]) if isinstance(hold["permissions"], str) \
        else hold["permissions"]
    assert permissions.get("can_send_messages") is False
    challenge = bot_message(server, GROUP, "Welcome bob")
    data = buttons_of(challenge)
    assert data == [f"verify:{row['id']}:{n}" for n in range(3)]
    server.click(challenge, bob, data[row["answer"]])
    await world.until(lambda: len(server.of("restrictChatMember")) == 2, "the lift")
    lift = server.of("restrictChatMember")[1]
    lifted = json.loads(lift["permissions"]) if isinstance(lift["permissions"], str) \
        else lift["permissions"]
    assert lifted.get("can_send_messages") is True
    await world.until(lambda: len(server.of("deleteMessage")) + len(server.of("deleteMessages"))
                      >= 1, "the cleanup")
    await world.until(lambda: not any(c == GROUP and ("new_chat_members" in m
                                                      or "Welcome bob" in str(m.get("text")))
                                      for (c, _), m in server.messages.items()),
                      "the join notice and the challenge deleted")
    stored = await world.app.store.fetch_all("SELECT status FROM verification_challenges", {})
    assert stored == [{"status": "passed"}]
    assert not server.banned and not server.of("banChatMember")


async def test_a_wrong_answer_in_french_removes_the_newcomer(world: World) -> None:
    server, carol = world.server, world.people["carol"]
    server.join(GROUP, carol)
    row = await challenge_of(world, 13)
    challenge = bot_message(server, GROUP, "Bienvenue Carole")
    data = buttons_of(challenge)
    server.click(challenge, carol, data[(row["answer"] + 1) % 3])
    await world.until(lambda: server.of("unbanChatMember"), "the kick (ban then unban)")
    assert [int(c["user_id"]) for c in server.of("banChatMember")] == [13]
    await world.until(lambda: any("gave a wrong answer" in t for t in world.texts(TEAM)),
                      "the CMs' notice")
    await world.until(lambda: not any(c == GROUP and "Bienvenue" in str(m.get("text"))
                                      for (c, _), m in server.messages.items()),
                      "the challenge deleted")
    stored = await world.app.store.fetch_all("SELECT status FROM verification_challenges", {})
    assert stored == [{"status": "failed"}]


async def test_a_join_request_is_challenged_in_private_and_approved(world: World) -> None:
    server, dave = world.server, world.people["dave"]
    server.join_request(GROUP, dave)
    row = await challenge_of(world, 14)
    assert row["via"] == "request"
    await world.until(lambda: any(int(p["chat_id"]) == 14 for p in server.of("sendMessage")),
                      "the private challenge")
    challenge = bot_message(server, 14, "You asked to join Brand group")
    data = buttons_of(challenge)
    assert data == [f"verify:{row['id']}:{n}@{GROUP}" for n in range(3)]
    assert not server.of("restrictChatMember")  # a request is not a member yet
    server.click(challenge, dave, data[row["answer"]])
    await world.until(lambda: server.answered.get((GROUP, 14)) == "approved", "the approval")
    await world.until(lambda: (14, challenge["message_id"]) not in server.messages,
                      "the private challenge deleted")
    server.join(GROUP, dave)  # Telegram then reports the join: not challenged again
    server.post(GROUP, world.people["bob"], "hello")  # handled after the join (same chat)
    await world.until(lambda: any(isinstance(e, MessageCreated) for e in world.handled),
                      "the join handled")
    assert any(isinstance(e, MemberJoined) for e in world.handled)
    stored = await world.app.store.fetch_all("SELECT status FROM verification_challenges", {})
    assert stored == [{"status": "passed"}]
    assert not server.of("restrictChatMember")
    assert world.texts(14) == [challenge["text"]]  # nothing more: Telegram tells them


async def test_a_wrong_answer_to_a_join_request_declines_it(world: World) -> None:
    server, eve = world.server, world.people["eve"]
    server.join_request(GROUP, eve)
    row = await challenge_of(world, 15)
    await world.until(lambda: any(int(p["chat_id"]) == 15 for p in server.of("sendMessage")),
                      "the private challenge")
    challenge = bot_message(server, 15, "You asked to join")
    server.click(challenge, eve, buttons_of(challenge)[(row["answer"] + 1) % 3])
    await world.until(lambda: server.answered.get((GROUP, 15)) == "declined", "the refusal")
    await world.until(lambda: any("join request was declined" in t for t in world.texts(TEAM)),
                      "the CMs' notice")
    assert (15, challenge["message_id"]) not in server.messages
    assert not server.of("banChatMember")


async def test_the_join_notice_first_is_deleted_with_the_challenge(world: World) -> None:
    """Telegram may send the "joined" service message before the chat_member update."""
    server, bob = world.server, world.people["bob"]
    notice = server.message(GROUP, bob, new_chat_members=[bob])
    server.push({"message": notice})
    server.push({"chat_member": {
        "chat": {"id": GROUP, "type": "supergroup", "title": "Brand group"}, "from": bob,
        "date": notice["date"], "old_chat_member": {"status": "left", "user": bob},
        "new_chat_member": {"status": "member", "user": bob}}})
    row = await challenge_of(world, 12)
    assert row["join_message_id"] == f"telegram:{GROUP}:{notice['message_id']}"
    challenge = bot_message(server, GROUP, "Welcome bob")
    server.click(challenge, bob, buttons_of(challenge)[(row["answer"] + 1) % 3])
    await world.until(lambda: (GROUP, notice["message_id"]) not in server.messages
                      and (GROUP, challenge["message_id"]) not in server.messages,
                      "the notice and the challenge deleted")
    assert len([e for e in world.handled if isinstance(e, MemberJoined)]) == 1


async def test_a_raid_of_twenty_joins_gives_the_team_one_notice(world: World) -> None:
    server = world.server
    raiders = [server.user(200 + i, f"Raider{i}", f"raider{i}") for i in range(20)]
    for raider in raiders:
        server.join(GROUP, raider)
    await world.until(lambda: sum(isinstance(e, MemberJoined) for e in world.handled) >= 20,
                      "20 joins")
    rows = await world.app.store.fetch_all(
        "SELECT raid FROM verification_challenges ORDER BY id", {})
    assert [r["raid"] for r in rows] == [0] * 4 + [1] * 16
    assert len(server.of("restrictChatMember")) == 20
    notices = [t for t in world.texts(TEAM) if t.startswith("Raid")]
    assert notices == ["Raid: 5 joins within 1m. Every newcomer now has to pass the join check; "
                       "one summary follows once no one has joined for 10m."]
