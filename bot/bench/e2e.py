"""`vigie bench --e2e`: raw platform payloads, through the libraries and adapters, to a decision.

Discord: `MESSAGE_CREATE` gateway payloads (JSON text, as the websocket hands them over) are
decoded and given to discord.py's own parser on a real `ConnectionState` (guilds, channels and
roles from a `GUILD_CREATE`), which builds `discord.Message` and `Member` objects and dispatches
them to the Discord adapter, which turns them into Vigie events for the App. Telegram: `Update`
JSON is decoded, turned into an `Update` (`Update.de_json`) and queued as the webhook server
and the poller do; python-telegram-bot's handlers give it to the adapter, whose per-chat lanes
translate it. Both App run
every discovered plugin with the rule file given; actions are counted, not executed, and no
HTTP leaves the process (discord.py's and python-telegram-bot's requests are stubbed). The
messages are the community stream's, converted to each platform's payloads before timing.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot import heap
from bot.bench.measure import CountingExecutor
from bot.bench.workload import START, community_stream
from bot.events import Event, MessageCreated, User
from bot.permissions import Role

__all__ = ["EndToEnd", "e2e_lines", "run_e2e"]

BATCH = 100  # payloads fed before waiting for their decisions
BOT_ID = 900000000000000002
APP_ID = 900000000000000001
TARGETS = {"discord": 10_000, "telegram": 4_000}


@dataclass(frozen=True)
class Platform:
    """One platform's end-to-end figures."""

    payloads: int
    handled: int
    decisions: int
    msgs_per_s: float  # per second of process CPU time
    wall_msgs_per_s: float


@dataclass(frozen=True)
class EndToEnd:
    """Both platforms."""

    discord: Platform
    telegram: Platform

    def as_json(self) -> dict[str, Any]:
        """The `--json` object."""
        data = asdict(self)
        data["targets"] = {name: {"measured": getattr(self, name).msgs_per_s,
                                  "target": f">= {bound}",
                                  "met": getattr(self, name).msgs_per_s >= bound}
                           for name, bound in TARGETS.items()}
        return data


def _number(qualified: str) -> int:
    return abs(int(qualified.split(":")[1]))


# -- Discord ------------------------------------------------------------------------------


def _discord_world(events: Sequence[MessageCreated]) -> tuple[list[dict[str, Any]], list[str]]:
    """GUILD_CREATE payloads for the stream's Discord communities; MESSAGE_CREATE JSON texts."""
    import discord

    everyone = discord.Permissions(view_channel=True, send_messages=True,
                                   read_message_history=True, add_reactions=True)
    guilds: dict[int, dict[str, Any]] = {}
    names = ("Members", "Gamers", "VIP")

    def role_ids(guild: int) -> dict[str, int]:
        return {"Moderators": guild + 1, "Admins": guild + 2,
                **{name: guild + 3 + n for n, name in enumerate(names)}}

    def member(user: User, guild: int) -> dict[str, Any]:
        ids = role_ids(guild)
        roles = [ids[r] for r in user.platform_roles]
        if user.role >= Role.ADMIN:
            roles.append(ids["Admins"])
        elif user.role >= Role.CM:
            roles.append(ids["Moderators"])
        return {"roles": [str(r) for r in roles], "nick": None, "deaf": False, "mute": False,
                "joined_at": "2025-01-01T00:00:00+00:00", "flags": 0, "pending": False,
                "communication_disabled_until": None}

    def user_payload(user: User) -> dict[str, Any]:
        return {"id": str(_number(user.id)), "username": user.name, "discriminator": "0",
                "global_name": None, "avatar": None, "bot": False}

    payloads: list[str] = []
    snowflakes: dict[str, int] = {}
    for number, event in enumerate(events):
        guild, channel = _number(event.community), _number(event.channel)
        if guild not in guilds:
            ids = role_ids(guild)
            guilds[guild] = {"id": str(guild), "channels": {}, "roles": [
                _role(guild, "@everyone", everyone.value, 0),
                _role(ids["Moderators"], "Moderators",
                      discord.Permissions(manage_messages=True).value, 3),
                _role(ids["Admins"], "Admins", discord.Permissions(administrator=True).value, 8),
                *(_role(ids[name], name, 0, 1) for name in names)]}
        guilds[guild]["channels"].setdefault(channel, {
            "id": str(channel), "type": 0, "guild_id": str(guild), "name": f"salon-{channel}",
            "position": len(guilds[guild]["channels"]), "permission_overwrites": [],
            "nsfw": False, "parent_id": None, "rate_limit_per_user": 0, "topic": None})
        snowflake = discord.utils.time_snowflake(event.ts) + number % 4096
        snowflakes[event.id] = snowflake
        data: dict[str, Any] = {
            "id": str(snowflake), "channel_id": str(channel), "guild_id": str(guild),
            "author": user_payload(event.author), "member": member(event.author, guild),
            "content": event.text, "timestamp": event.ts.isoformat(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [{**user_payload(u), "member": member(u, guild)}
                         for u in event.mentions],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False,
            "type": 19 if event.reply_to else 0, "flags": 0, "components": []}
        if event.reply_to is not None and event.reply_to in snowflakes \
                and event.reply_to_author is not None:
            data["message_reference"] = {"type": 0, "message_id": str(snowflakes[event.reply_to]),
                                         "channel_id": str(channel), "guild_id": str(guild)}
            data["referenced_message"] = {
                "id": str(snowflakes[event.reply_to]), "channel_id": str(channel),
                "author": user_payload(event.reply_to_author), "content": "…",
                "timestamp": event.ts.isoformat(), "edited_timestamp": None, "tts": False,
                "mention_everyone": False, "mentions": [], "mention_roles": [],
                "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0}
        payloads.append(json.dumps(data))
    return [_guild_payload(g) for g in guilds.values()], payloads


def _role(role_id: int, name: str, permissions: int, position: int) -> dict[str, Any]:
    return {"id": str(role_id), "name": name, "color": 0, "colors": {"primary_color": 0},
            "hoist": False, "position": position, "permissions": str(permissions),
            "managed": False, "mentionable": False, "flags": 0}


def _guild_payload(guild: dict[str, Any]) -> dict[str, Any]:
    bot: dict[str, Any] = {"roles": [], "nick": None, "deaf": False, "mute": False, "flags": 0,
           "joined_at": "2025-01-01T00:00:00+00:00", "pending": False,
           "communication_disabled_until": None,
           "user": {"id": str(BOT_ID), "username": "Vigie", "discriminator": "0",
                    "global_name": None, "avatar": None, "bot": True}}
    return {
        "id": guild["id"], "name": f"Server {guild['id']}", "icon": None, "splash": None,
        "discovery_splash": None, "owner_id": "1", "afk_channel_id": None, "afk_timeout": 300,
        "verification_level": 1, "default_message_notifications": 1,
        "explicit_content_filter": 0, "roles": guild["roles"], "emojis": [], "features": [],
        "mfa_level": 0, "application_id": None, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
        "description": None, "banner": None, "premium_tier": 0, "preferred_locale": "fr",
        "public_updates_channel_id": None, "nsfw_level": 0, "stickers": [],
        "premium_progress_bar_enabled": False, "large": True, "member_count": 5000,
        "joined_at": "2025-01-01T00:00:00+00:00", "unavailable": False, "members": [bot],
        "channels": list(guild["channels"].values()), "threads": [], "voice_states": [],
        "presences": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": []}


async def _discord_adapter(guilds: list[dict[str, Any]]) -> Any:
    """A real discord.py client on a state fed READY and GUILD_CREATE; HTTP stubbed."""
    from bot.adapters.discord import DiscordAdapter, make_client

    client = make_client()
    await client._async_setup_hook()  # private: binds the loop, as login() would

    async def no_http(*_: Any, **__: Any) -> Any:
        return {}

    client.http.request = no_http  # type: ignore[method-assign]  # private: no network
    state = client._connection  # private: the gateway's parsers
    state.parse_ready({
        "v": 10, "user": {"id": str(BOT_ID), "username": "Vigie", "discriminator": "0",
                          "global_name": None, "avatar": None, "bot": True, "verified": True,
                          "mfa_enabled": False, "flags": 0},
        "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
        "session_id": "bench", "resume_gateway_url": "wss://bench.invalid",
        "application": {"id": str(APP_ID), "flags": 0}, "shard": [0, 1]})
    state.guild_ready_timeout = 0.0
    for guild in guilds:
        state.parse_guild_create(guild)
    await asyncio.wait_for(client.wait_until_ready(), 5)
    return DiscordAdapter(client, publish_commands=False)


# -- Telegram -----------------------------------------------------------------------------


def _telegram_updates(events: Sequence[MessageCreated]) -> tuple[dict[int, list[dict[str, Any]]],
                                                                 list[str]]:
    """Each group's administrators (the stream's staff) and the `Update` JSON texts."""
    admins: dict[int, dict[int, dict[str, Any]]] = {}
    updates: list[str] = []
    numbers: dict[str, int] = {}

    def user(who: User) -> dict[str, Any]:
        data: dict[str, Any] = {"id": _number(who.id), "is_bot": False, "first_name": who.name,
                                "username": who.name}
        if who.language:
            data["language_code"] = who.language
        return data

    for number, event in enumerate(events):
        chat = -_number(event.community)
        chat_data = {"id": chat, "type": "supergroup", "title": f"Groupe {chat}"}
        staff = admins.setdefault(chat, {})
        if event.author.role >= Role.CM and _number(event.author.id) not in staff:
            staff[_number(event.author.id)] = {
                "status": "administrator", "user": user(event.author), "is_anonymous": False,
                "can_be_edited": False, "can_manage_chat": True, "can_delete_messages": True,
                "can_manage_video_chats": False, "can_restrict_members": True,
                "can_promote_members": False, "can_change_info": False,
                "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
                "can_delete_stories": False}
        message_id = number + 1
        numbers[event.id] = message_id
        message: dict[str, Any] = {"message_id": message_id, "date": int(event.ts.timestamp()),
                                   "chat": chat_data, "from": user(event.author),
                                   "text": event.text}
        if event.mentions and event.text.startswith("@"):
            mention = event.text.split(" ", 1)[0]
            message["entities"] = [{"type": "mention", "offset": 0,
                                    "length": len(mention.encode("utf-16-le")) // 2}]
        if event.reply_to in numbers and event.reply_to_author is not None:
            message["reply_to_message"] = {
                "message_id": numbers[event.reply_to], "date": int(event.ts.timestamp()),
                "chat": chat_data, "from": user(event.reply_to_author), "text": "…"}
        updates.append(json.dumps({"update_id": number + 1, "message": message}))
    return {chat: list(staff.values()) for chat, staff in admins.items()}, updates


def _telegram_adapter(admins: dict[int, list[dict[str, Any]]], folder: Path) -> Any:
    """A real python-telegram-bot Application (webhook mode) whose HTTP is answered here."""
    from telegram.ext import ApplicationBuilder
    from telegram.request import BaseRequest, RequestData

    from bot.adapters.telegram import TelegramAdapter, TelegramConfig, WebhookConfig

    me = {"id": BOT_ID % 10**10, "is_bot": True, "first_name": "Vigie",
          "username": "vigie_bench_bot", "can_join_groups": True,
          "can_read_all_group_messages": True, "supports_inline_queries": False}

    class Stub(BaseRequest):
        """Answers the Bot API calls the adapter makes; nothing leaves the process."""

        @property
        def read_timeout(self) -> float | None:
            return 1.0

        async def initialize(self) -> None:
            """Nothing to open."""

        async def shutdown(self) -> None:
            """Nothing to close."""

        async def do_request(self, url: str, method: str,  # type: ignore[override]
                             request_data: RequestData | None = None, **_: Any
                             ) -> tuple[int, bytes]:
            """The result for each method, as the Bot API would answer."""
            name = url.rsplit("/", 1)[-1]
            params = request_data.parameters if request_data is not None else {}
            result: Any = True
            if name == "getMe":
                result = me
            elif name == "getChatAdministrators":
                bot = {"status": "administrator", "user": me, "is_anonymous": False,
                       "can_be_edited": False, "can_manage_chat": True,
                       "can_delete_messages": True, "can_manage_video_chats": False,
                       "can_restrict_members": True, "can_promote_members": False,
                       "can_change_info": False, "can_invite_users": True,
                       "can_post_stories": False, "can_edit_stories": False,
                       "can_delete_stories": False}
                result = [bot, *admins.get(int(str(params.get("chat_id", 0))), [])]
            elif name == "getChatMember":
                result = {"status": "member", "user": {"id": int(str(params.get("user_id", 0))),
                                                       "is_bot": False, "first_name": "x"}}
            return 200, json.dumps({"ok": True, "result": result}).encode()

    config = TelegramConfig(token="123456:bench", webhook=WebhookConfig(
        url="https://bench.invalid/telegram", secret="bench", listen="127.0.0.1", port=0))
    builder = ApplicationBuilder().request(Stub()).get_updates_request(Stub())
    return TelegramAdapter(config, builder=builder)


# -- running ------------------------------------------------------------------------------


async def _through(adapter: Any, platform: str, rules: Path, folder: Path,
                   feed: Callable[[Any, str], None], payloads: Sequence[str],
                   warm: int) -> Platform:
    """Start an App on `adapter`, feed it the payloads in batches, count decisions."""
    from bot.app import App
    from bot.clock import ManualClock
    from bot.replay.runner import ReplayAdapter
    from bot.storage import SqliteStore

    other = "telegram" if platform == "discord" else "discord"
    clock = ManualClock(START)
    app = App(config_path=rules, adapters=[adapter, ReplayAdapter(other)],
              store=SqliteStore(":memory:"), clock=clock)
    await app.start()
    app.dispatcher.executor = CountingExecutor(app.executor)
    if platform == "telegram":
        adapter.language_of = lambda c: app.rulebook.current.community(c).language
    handled = decisions = 0
    done = asyncio.Event()
    target = 0

    async def sink(event: Event) -> Any:
        nonlocal handled, decisions
        clock.set(event.ts)
        report = await app.handle(event)
        handled += 1
        decisions += len(report.decisions)
        if handled >= target:
            done.set()
        return report

    adapter._sink = sink  # private: the App's own sink, counted

    async def run(batch: Sequence[str]) -> None:
        nonlocal target
        target = handled + len(batch)
        for raw in batch:
            feed(adapter, raw)
        while handled < target:
            done.clear()
            try:
                await asyncio.wait_for(done.wait(), 2.0)
            except TimeoutError:
                return  # a payload that gave no event (counted apart: handled < payloads)

    try:
        await run(payloads[:warm])
        heap.settle()
        counted_from, decided_from = handled, decisions
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(warm, len(payloads), BATCH):
            await run(payloads[start:start + BATCH])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        heap.release()
        await app.stop()
    count = len(payloads) - warm
    return Platform(count, handled - counted_from, decisions - decided_from,
                    round(count / max(cpu, 1e-9)), round(count / max(wall, 1e-9)))


def _discord_feed(adapter: Any, raw: str) -> None:
    adapter.client._connection.parsers["MESSAGE_CREATE"](json.loads(raw))  # private: gateway


def _telegram_feed(adapter: Any, raw: str) -> None:
    from telegram import Update

    # What the webhook server and the poller do with an update: decode, queue for the handlers.
    adapter.application.update_queue.put_nowait(Update.de_json(json.loads(raw), adapter.bot))


async def _run(messages: int, rules: Path) -> EndToEnd:
    warm = min(300, messages // 10)
    on_discord: list[MessageCreated] = []
    on_telegram: list[MessageCreated] = []
    for event in community_stream(100 * (messages + warm), first_id=80_000_000):
        side = on_discord if event.community.startswith("discord:") else on_telegram
        if len(side) < messages + warm:
            side.append(event)
        elif min(len(on_discord), len(on_telegram)) >= messages + warm:
            break
    with tempfile.TemporaryDirectory() as folder:
        guilds, gateway = _discord_world(on_discord)
        discord = await _through(await _discord_adapter(guilds), "discord", rules,
                                 Path(folder), _discord_feed, gateway, warm)
        admins, updates = _telegram_updates(on_telegram)
        telegram = await _through(_telegram_adapter(admins, Path(folder)), "telegram", rules,
                                  Path(folder), _telegram_feed, updates, warm)
    return EndToEnd(discord, telegram)


def run_e2e(messages: int = 20_000, rules: Path = Path("config/rules.yaml")) -> EndToEnd:
    """Both platforms, in this process."""
    return asyncio.run(_run(messages, rules))


def e2e_lines(result: EndToEnd) -> Iterator[str]:
    """The figures, for people."""
    yield ("end to end, every plugin, the rule file given; raw payloads -> library parsing -> "
           "adapter -> decision (actions counted, HTTP stubbed)")
    for name in ("discord", "telegram"):
        item: Platform = getattr(result, name)
        bound = TARGETS[name]
        yield (f"  {name:<9}{item.msgs_per_s:>9,.0f} msgs/s CPU {item.wall_msgs_per_s:>9,.0f} "
               f"msgs/s wall  ({item.payloads:,} payloads, {item.handled:,} events, "
               f"{item.decisions:,} decisions); target >= {bound:,}: "
               f"{'met' if item.msgs_per_s >= bound else 'NOT MET'}")
