"""A Telegram administrator's restriction, ban or removal becomes a case by that administrator:
`chat_member` updates through a real python-telegram-bot Application on the fake Bot API."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.dispatch import Report
from bot.events import Event, PlatformSanction
from bot.storage import open_store
from plugins.moderation import ModerationPlugin
from tests.adapters.telegram.conftest import World, telegram_config
from tests.adapters.telegram.fakebot import BOT_ID, FakeBotApi

GROUP = -1001234
TEAM = -1009999
RULES = f"""\
version: 1
defaults:
  language: en
  alerts_channel: "telegram:{TEAM}"
communities:
  "telegram:{GROUP}":
    name: Brand group
"""
CAN = ("can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
       "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
       "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
       "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
       "can_react_to_messages")


@pytest.fixture
async def world(tmp_path: Path, store_url: str) -> AsyncIterator[World]:
    """Vigie with moderation on the fake Bot API; alice created the group."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    server.group(TEAM, "Brand team")
    people = {"alice": server.user(11, "Alice", "alice"), "bob": server.user(12, "Bob", "bob")}
    server.make_admin(GROUP, people["alice"], creator=True)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    adapter = TelegramAdapter(telegram_config(server))
    app = App(config_path=tmp_path / "rules.yaml", adapters=[adapter],
              store=open_store(store_url), plugin_classes=[ModerationPlugin])
    started = World(server, app, adapter, people=people)
    handle = app.handle

    async def recording(event: Event) -> Report:
        report = await handle(event)
        started.handled.append(event)
        return report

    app.handle = recording  # type: ignore[method-assign]
    await app.start()
    yield started
    await app.stop()
    await server.stop()


def member_update(server: FakeBotApi, by: dict[str, Any], who: dict[str, Any],
                  old: dict[str, Any], new: dict[str, Any]) -> None:
    """A chat_member update: `by` changed `who` from `old` to `new`."""
    server.push({"chat_member": {
        "chat": {"id": GROUP, "type": "supergroup", "title": "Brand group"}, "from": by,
        "date": int(time.time()), "old_chat_member": {**old, "user": who},
        "new_chat_member": {**new, "user": who}}})


def muted(until: int) -> dict[str, Any]:
    """A restricted member who may not send messages until `until`."""
    return {"status": "restricted", "is_member": True, "until_date": until,
            **{name: name != "can_send_messages" for name in CAN}}


async def sanctions_seen(world: World, count: int) -> None:
    await world.until(lambda: sum(isinstance(e, PlatformSanction) for e in world.handled)
                      >= count, f"{count} sanctions seen")


async def test_an_admins_restriction_and_ban_become_cases(world: World) -> None:
    """alice mutes bob for an hour in Telegram, then bans him: two cases by alice; the same
    changes made by Vigie itself (the bot is `from`) record nothing."""
    server, alice, bob = world.server, world.people["alice"], world.people["bob"]
    member = {"status": "member"}
    until = int(time.time()) + 3600
    member_update(server, alice, bob, member, muted(until))
    member_update(server, server.bot_user, bob, muted(until), member)  # Vigie lifts it
    member_update(server, server.bot_user, bob, member, muted(until))  # Vigie mutes
    member_update(server, alice, bob, muted(until), {"status": "kicked", "until_date": 0})
    await sanctions_seen(world, 4)
    cases = await world.app.store.fetch_all("SELECT * FROM cases ORDER BY id", {})
    assert [(c["action"], c["target_id"], c["author_id"], c["author_name"]) for c in cases] == [
        ("timeout", "telegram:12", "telegram:11", "alice"),
        ("ban", "telegram:12", "telegram:11", "alice")]
    assert 3500 <= cases[0]["duration_s"] <= 3600
    assert cases[1]["duration_s"] is None and "Telegram" in cases[1]["evidence"]
    assert BOT_ID not in {int(c["author_id"].split(":")[1]) for c in cases}


async def test_a_removal_and_an_unban_by_an_admin(world: World) -> None:
    """alice removes bob (left, by her): a kick; she lifts a ban: an unban case, and the ban
    case is no longer active. A member leaving on their own is no case."""
    server, alice, bob = world.server, world.people["alice"], world.people["bob"]
    member_update(server, bob, bob, {"status": "member"}, {"status": "left"})
    member_update(server, alice, bob, {"status": "member"}, {"status": "left"})
    member_update(server, alice, bob, {"status": "left"}, {"status": "kicked", "until_date": 0})
    member_update(server, alice, bob, {"status": "kicked", "until_date": 0}, {"status": "left"})
    await sanctions_seen(world, 3)
    cases = await world.app.store.fetch_all("SELECT * FROM cases ORDER BY id", {})
    assert [(c["action"], c["status"]) for c in cases] == [
        ("kick", "active"), ("ban", "expired"), ("unban", "active")]
