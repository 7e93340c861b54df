"""End to end: Telegram updates through a real Application and App, and the calls Vigie makes."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.base import RenderedButton
from bot.adapters.telegram import WebhookConfig
from bot.adapters.telegram.webhook import SECRET_HEADER
from bot.events import ButtonClicked, MemberJoined, MessageCreated, MessageEdited
from tests.adapters.telegram.conftest import GROUP, RULES, TEAM, MakeWorld, World
from tests.adapters.telegram.fakebot import post_json

RAID = f"""\
    raid:
      enabled: true
      joins: 20
      within: 1m
      actions: [alert, slowmode]
      channels: ["telegram:{GROUP}"]
      slowmode: 30s
"""
RULES_TIMEOUT = RULES.replace("actions: [delete, warn]",
                              "actions: [delete, {type: timeout, duration: 5m}]")


async def test_an_insult_is_deleted_and_the_member_warned(world: World) -> None:
    """automod deletes the message, opens a warning case, and the team is told."""
    server = world.server
    bob = world.people["bob"]
    message = server.post(GROUP, bob, "you are an idiot")
    await world.until(lambda: server.of("deleteMessage"), "the delete")
    delete = server.of("deleteMessage")[0]
    assert (int(delete["chat_id"]), int(delete["message_id"])) == (GROUP, message["message_id"])
    assert (GROUP, message["message_id"]) not in server.messages
    await world.until(lambda: any("Case #1" in t for t in world.texts(TEAM)), "the case alert")
    alert = next(t for t in world.texts(TEAM) if "Case #1" in t)
    assert "warn" in alert and "bob" in alert and "insult" in alert
    rows = await world.app.store.fetch_all("SELECT action, target_id, notified FROM cases", {})
    assert rows[0]["action"] == "warn" and rows[0]["target_id"] == "telegram:12"
    assert "has not started a private chat" in rows[0]["notified"]


async def test_an_admin_warns_by_replying(world: World) -> None:
    """`/warn@VigieBot spam` in reply to Bob's message warns Bob; the admin gets the case."""
    server = world.server
    spam = server.post(GROUP, world.people["bob"], "buy cheap followers")
    server.post(GROUP, world.people["alice"], "/warn@VigieBot spam", reply_to=spam)
    await world.until(lambda: any("Case #1" in t for t in world.texts(GROUP)), "the answer")
    answer = next(p for p in server.of("sendMessage") if "Case #1" in str(p["text"])
                  and int(p["chat_id"]) == GROUP)
    assert "warn" in answer["text"] and "bob" in answer["text"] and "spam" in answer["text"]
    rows = await world.app.store.fetch_all("SELECT * FROM cases", {})
    assert [(r["action"], r["target_id"], r["author_id"]) for r in rows] == [
        ("warn", "telegram:12", "telegram:11")]


async def test_a_member_cannot_ban(world: World) -> None:
    """Carole (a member, French client) tries /ban: told in French, nobody is banned."""
    server = world.server
    target = server.post(GROUP, world.people["bob"], "hello")
    server.post(GROUP, world.people["carol"], "/ban", reply_to=target)
    await world.until(lambda: any("/ban" in t for t in world.texts(GROUP)), "the refusal")
    refusal = next(t for t in world.texts(GROUP) if "/ban" in t)
    assert refusal == "/ban est réservée à l'équipe de la communauté."
    assert server.of("banChatMember") == [] and server.banned == set()


async def test_a_timeout_sets_until_date(world: World) -> None:
    """`/mute @bob 10m` restricts Bob with no permissions until now + 10 minutes."""
    server = world.server
    server.post(GROUP, world.people["bob"], "hi all")
    sent_at = time.time()
    server.post(GROUP, world.people["alice"], "/mute @bob 10m calm down")
    await world.until(lambda: server.of("restrictChatMember"), "the restriction")
    call = server.of("restrictChatMember")[0]
    assert int(call["user_id"]) == 12 and int(call["chat_id"]) == GROUP
    assert abs(int(call["until_date"]) - (sent_at + 600)) < 5
    assert not any(call["permissions"].values())
    await world.until(lambda: any("Case #1" in t for t in world.texts(TEAM)), "the case")


async def test_a_very_short_timeout_is_lengthened_not_permanent(world: World) -> None:
    """Telegram makes restrictions under 30 s permanent: Vigie asks for at least 30 s."""
    server = world.server
    message = server.post(GROUP, world.people["bob"], "hi")
    sent_at = time.time()
    server.post(GROUP, world.people["alice"], "/mute 10s", reply_to=message)
    await world.until(lambda: server.of("restrictChatMember"), "the restriction")
    until = int(server.of("restrictChatMember")[0]["until_date"])
    assert sent_at + 30 <= until <= sent_at + 60
    await world.until(lambda: any("Case #1" in t for t in world.texts(GROUP)), "the case")
    rows = await world.app.store.fetch_all("SELECT duration_s, evidence FROM cases", {})
    assert rows[0]["duration_s"] == 30
    assert "Telegram timeouts last at least 30s: lengthened to 30s" in rows[0]["evidence"]


async def test_a_join_burst_is_seen_once_per_member_and_starts_raid_mode(
        make_world: MakeWorld) -> None:
    """25 joins (each reported twice by Telegram) are 25 events, in order; raid mode slows the
    group down, which Vigie enforces itself on Telegram."""
    world = await make_world(RULES.replace("communities:", RAID + "communities:"))
    server = world.server
    joiners = [server.user(100 + i, f"New{i}", f"new{i}") for i in range(25)]
    for user in joiners:
        server.join(GROUP, user)
    await world.until(lambda: sum(isinstance(e, MemberJoined) for e in world.handled) >= 25,
                      "25 joins")  # each join's second report is its notice (JoinNotice)
    await world.until(lambda: any("raid" in t.lower() for t in world.texts(TEAM)), "the alert")
    joins = [e for e in world.handled if isinstance(e, MemberJoined)]
    assert [e.user.id for e in joins] == [f"telegram:{100 + i}" for i in range(25)]
    assert world.app.executor.slowmode.interval(f"telegram:{GROUP}") is not None
    first = server.post(GROUP, joiners[0], "hello")
    second = server.post(GROUP, joiners[0], "hello again")
    await world.until(lambda: server.of("deleteMessage"), "the slowmode deletion")
    assert [int(d["message_id"]) for d in server.of("deleteMessage")] == [second["message_id"]]
    assert (GROUP, first["message_id"]) in server.messages


async def test_a_button_click_reaches_the_plugin(make_world: MakeWorld) -> None:
    """Inline buttons go out as callback data; a click is answered and becomes ButtonClicked."""
    world = await make_world()
    server = world.server
    result = await world.adapter.send_message(
        f"telegram:{GROUP}", "Pick one", buttons=[RenderedButton("vote:yes", "Yes"),
                                                  RenderedButton("vote:no", "No")])
    assert result.succeeded and result.message_id is not None
    sent = server.of("sendMessage")[-1]
    assert sent["reply_markup"] == {"inline_keyboard": [[
        {"text": "Yes", "callback_data": "vote:yes"}, {"text": "No", "callback_data": "vote:no"}]]}
    posted = server.messages[(GROUP, int(result.message_id.rsplit(":", 1)[1]))]
    query = server.click(posted, world.people["bob"], "vote:no")
    await world.until(lambda: any(isinstance(e, ButtonClicked) for e in world.handled), "click")
    click = next(e for e in world.handled if isinstance(e, ButtonClicked))
    assert click.custom_id == "vote:no" and click.user.id == "telegram:12"
    assert click.message_id == result.message_id and click.channel == f"telegram:{GROUP}"
    assert server.of("answerCallbackQuery")[0]["callback_query_id"] == query


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Could not time out: Vigie lacks the 'Ban users' admin right in this group"),
    ("fr", "Échec (mise en sourdine) : Il manque à Vigie le droit d'administration « Bannir des "
           "utilisateurs » dans ce groupe"),
])
async def test_missing_rights_become_a_clear_alert(make_world: MakeWorld, language: str,
                                                   expected: str) -> None:
    """Without 'Ban users', an automatic timeout fails and the team is told, in the community's
    language, which right to grant."""
    rules = RULES_TIMEOUT.replace("language: en", f"language: {language}")
    world = await make_world(rules, bot_rights={"can_restrict_members": False})
    server = world.server
    server.post(GROUP, world.people["bob"], "idiot")
    await world.until(lambda: any(expected[:10] in t for t in world.texts(TEAM)), "the alert")
    alert = next(t for t in world.texts(TEAM) if expected[:10] in t)
    assert expected in alert
    assert server.of("restrictChatMember") and server.restricted == {}
    rows = await world.app.store.fetch_all("SELECT status, status_reason FROM cases", {})
    assert rows[0]["status"] == "failed"  # why, as the alert said it, in the community's language
    assert rows[0]["status_reason"] in alert


async def test_an_edited_message_is_checked_again(world: World) -> None:
    """Bob edits a clean message into an insult: it is deleted and he is warned."""
    server = world.server
    message = server.post(GROUP, world.people["bob"], "have a nice day")
    await world.handled_count(1)
    server.edit(message, "have a nice day, crétin")
    await world.handled_count(2)
    edited = next(e for e in world.handled if isinstance(e, MessageEdited))
    assert edited.id == f"telegram:{GROUP}:{message['message_id']}"
    assert edited.text == "have a nice day, crétin"
    assert int(server.of("deleteMessage")[0]["message_id"]) == message["message_id"]
    await world.until(lambda: any("Case #1" in t for t in world.texts(TEAM)), "the case")


async def test_webhook_refuses_a_wrong_secret(make_world: MakeWorld) -> None:
    """Webhook mode registers the URL and secret; a request without the secret is refused."""
    hook = WebhookConfig(url="https://bot.example.org/telegram/hook", secret="right-secret",
                         listen="127.0.0.1", port=0)
    world = await make_world(webhook=hook)
    server = world.server
    assert server.webhook is not None and server.webhook["secret_token"] == "right-secret"
    assert server.webhook["url"] == hook.url and "chat_member" in server.webhook[
        "allowed_updates"]
    assert server.of("getUpdates") == []
    assert world.adapter.webhook is not None
    url = f"http://127.0.0.1:{world.adapter.webhook.port}/telegram/hook"
    update = {"update_id": 1, "message": server.message(GROUP, world.people["bob"], "idiot")}
    assert await post_json(url, update, {SECRET_HEADER: "wrong"}) == 403
    assert await post_json(url, update) == 403
    assert await post_json(url, {"nope": 1}, {SECRET_HEADER: "right-secret"}) == 400
    await asyncio.sleep(0.1)
    assert world.handled == [] and server.of("deleteMessage") == []
    assert await post_json(url, update, {SECRET_HEADER: "right-secret"}) == 200
    await world.until(lambda: server.of("deleteMessage"), "the delete")
    assert world.adapter.webhook.refused == 2


async def test_no_acknowledged_update_is_lost_at_shutdown(world: World) -> None:
    """Stopping hands every update already fetched (hence acknowledged) to the core first."""
    server = world.server
    for i in range(30):
        server.post(GROUP, world.people["bob"], f"message {i}")
    await world.handled_count(1)
    await world.app.stop()
    acknowledged = int(server.of("getUpdates")[-1]["offset"]) - 1
    assert acknowledged >= 1
    assert len([e for e in world.handled if isinstance(e, MessageCreated)]) == acknowledged


async def test_a_lock_confirmation_names_the_group(world: World) -> None:
    """`/lock` on Telegram: the confirmation names the group by its title, not its number."""
    server = world.server
    server.post(GROUP, world.people["alice"], "/lock")
    await world.until(lambda: any("locked" in t for t in world.texts(GROUP)), "the answer")
    assert "Brand group is locked: only the team can post." in world.texts(GROUP)
