"""A fake Discord for end-to-end tests: gateway payloads in, REST calls recorded, no network.

This is the ONE module that touches discord.py's private API (marked `# private:`): it plugs a
recording HTTP layer into a real `ConnectionState` and feeds it gateway-shaped payloads, so the
adapter runs against real `discord.Message`, `Member`, `Guild` and `Interaction` objects.
Pinned to the discord.py version in pyproject.toml.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from discord.http import Route
from discord.webhook.async_ import async_context

__all__ = ["Call", "FakeDiscord", "Person"]

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 700000000000000001
EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, read_message_history=True, add_reactions=True,
    send_messages_in_threads=True, create_public_threads=True, embed_links=True)
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, send_messages_in_threads=True, embed_links=True,
    read_message_history=True, manage_messages=True, manage_channels=True, manage_roles=True,
    manage_threads=True, moderate_members=True, kick_members=True, ban_members=True)


@dataclass(frozen=True)
class Call:
    """One REST call the client made: method, route template, ids from the URL, body, reason."""

    method: str
    path: str
    ids: dict[str, str]
    json: Any
    reason: str | None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Person:
    """A member (or not) of the fake server."""

    id: int
    name: str
    roles: list[int] = field(default_factory=list)
    bot: bool = False
    created: datetime | None = None
    in_guild: bool = True
    global_name: str | None = None

    def user(self) -> dict[str, Any]:
        """The user payload."""
        return {"id": str(self.id), "username": self.name, "discriminator": "0",
                "global_name": self.global_name, "avatar": None, "bot": self.bot}

    def member(self, with_user: bool = True) -> dict[str, Any]:
        """The guild member payload."""
        data: dict[str, Any] = {"roles": [str(r) for r in self.roles], "nick": None,
                                "joined_at": "2025-01-01T00:00:00+00:00", "deaf": False,
                                "mute": False, "flags": 0, "pending": False,
                                "communication_disabled_until": None}
        if with_user:
            data["user"] = self.user()
        return data


@dataclass
class _Failure:
    method: str
    path: str
    status: int
    code: int
    message: str
    when: Callable[[dict[str, str]], bool] | None
    times: int | None
    retry_after: float = 0.0


class _Response:
    """What discord.HTTPException reads from a response."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = {403: "Forbidden", 404: "Not Found", 400: "Bad Request",
                       429: "Too Many Requests"}.get(status, "Error")


class _Gateway:
    """Answers member searches (gateway op 8) from the fake's members."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    async def request_chunks(self, guild_id: int, query: str | None = None, *, limit: int,
                             user_ids: list[int] | None = None, presences: bool = False,
                             nonce: str | None = None) -> None:
        wanted = (query or "").casefold()
        found = [p for p in self.fake.people.values() if p.in_guild and (
            p.name.casefold().startswith(wanted)
            or (p.global_name or "").casefold().startswith(wanted))][:limit]
        # Discord answers later, once discord.py waits for the chunk.
        asyncio.get_running_loop().call_later(0.01, self.fake.parse, "GUILD_MEMBERS_CHUNK", {
            "guild_id": str(guild_id), "members": [p.member() for p in found],
            "chunk_index": 0, "chunk_count": 1, "nonce": nonce})


class FakeDiscord:
    """One server with channels, roles and people, behind a real discord.py client."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.calls: list[Call] = []
        self.failures: list[_Failure] = []
        self.people: dict[int, Person] = {}
        self.channels: dict[int, dict[str, Any]] = {}
        self.roles: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.bans: set[int] = set()
        self.dm_closed: set[int] = set()
        self.dm_channels: dict[int, int] = {}
        self.commands: list[dict[str, Any]] = []
        self.interaction_channels: dict[str, int] = {}
        self._ids = itertools.count(1)
        self.guild_id = GUILD_ID
        self.owner_id = 0
        self._routes = self._route_table()
        everyone = self.role(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS, position=0)
        assert everyone == GUILD_ID
        self.bot_role = self.role(self.snowflake(), "Vigie", BOT_PERMISSIONS, position=5,
                                  managed=True)
        self.cm_role = self.role(self.snowflake(), "Moderators", discord.Permissions(
            manage_messages=True), position=3)
        self.admin_role = self.role(self.snowflake(), "Admins",
                                    discord.Permissions(administrator=True), position=8)
        self.top_role = self.role(self.snowflake(), "Founders", discord.Permissions.none(),
                                  position=9)
        self.general = self.channel("general")
        self.alerts = self.channel("mod-alerts")
        self.bot = self.person("Vigie", BOT_ID, roles=[self.bot_role], bot=True)
        self.owner = self.person("oscar", roles=[self.top_role])
        self.owner_id = self.owner.id
        self.ada = self.person("ada", roles=[self.admin_role])
        self.claire = self.person("claire", roles=[self.cm_role])
        self.bob = self.person("bob", global_name="Bobby")
        self.alice = self.person("alice")

    # -- ids and payloads --------------------------------------------------------------------

    def snowflake(self, at: datetime | None = None) -> int:
        """A fresh id whose time is `at` (now by default)."""
        moment = at or datetime.now(UTC)
        return discord.utils.time_snowflake(moment) + next(self._ids)

    def role(self, role_id: int, name: str, permissions: discord.Permissions, *,
             position: int, managed: bool = False) -> int:
        """Add a role."""
        self.roles[role_id] = {
            "id": str(role_id), "name": name, "color": 0, "colors": {"primary_color": 0},
            "hoist": False, "position": position, "permissions": str(permissions.value),
            "managed": managed, "mentionable": False, "flags": 0}
        return role_id

    def channel(self, name: str, **extra: Any) -> int:
        """Add a text channel."""
        channel_id = self.snowflake()
        self.channels[channel_id] = {
            "id": str(channel_id), "type": 0, "guild_id": str(self.guild_id), "name": name,
            "position": len(self.channels), "permission_overwrites": [], "nsfw": False,
            "parent_id": None, "rate_limit_per_user": 0, "topic": None, **extra}
        self.messages[channel_id] = {}
        return channel_id

    def person(self, name: str, person_id: int | None = None, *, roles: list[int] | None = None,
               bot: bool = False, created: datetime | None = None, in_guild: bool = True,
               global_name: str | None = None) -> Person:
        """Add someone (in the server unless `in_guild` is False)."""
        pid = person_id or self.snowflake(created)
        who = Person(pid, name, roles or [], bot, created, in_guild, global_name)
        self.people[pid] = who
        return who

    def guild_payload(self) -> dict[str, Any]:
        """GUILD_CREATE data."""
        return {
            "id": str(self.guild_id), "name": "Brand HQ", "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": str(self.owner_id), "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 1, "default_message_notifications": 1,
            "explicit_content_filter": 0, "roles": list(self.roles.values()), "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
            "description": None, "banner": None, "premium_tier": 0,
            "preferred_locale": "en-US", "public_updates_channel_id": None, "nsfw_level": 0,
            "stickers": [], "premium_progress_bar_enabled": False, "large": False,
            "member_count": sum(p.in_guild for p in self.people.values()),
            "joined_at": "2025-01-01T00:00:00+00:00", "unavailable": False,
            "members": [self.bot.member()], "channels": list(self.channels.values()),
            "threads": [], "voice_states": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    def message_payload(self, author: Person, text: str, channel: int | None = None, *,
                        message_id: int | None = None, reply_to: dict[str, Any] | None = None,
                        mentions: list[Person] = (),  # type: ignore[assignment]
                        attachments: list[dict[str, Any]] = (),  # type: ignore[assignment]
                        edited: datetime | None = None, **extra: Any) -> dict[str, Any]:
        """A guild message as the gateway sends it."""
        channel_id = channel or self.general
        mid = message_id or self.snowflake()
        data: dict[str, Any] = {
            "id": str(mid), "channel_id": str(channel_id), "guild_id": str(self.guild_id),
            "author": author.user(), "member": author.member(with_user=False),
            "content": text,
            "timestamp": discord.utils.snowflake_time(mid).isoformat(),
            "edited_timestamp": edited.isoformat() if edited else None, "tts": False,
            "mention_everyone": False,
            "mentions": [{**p.user(), "member": p.member(with_user=False)} for p in mentions],
            "mention_roles": [], "attachments": list(attachments), "embeds": [],
            "pinned": False, "type": 19 if reply_to else 0, "flags": 0, "components": [],
            **extra}
        if reply_to is not None:
            data["message_reference"] = {"type": 0, "message_id": reply_to["id"],
                                         "channel_id": reply_to["channel_id"],
                                         "guild_id": str(self.guild_id)}
            data["referenced_message"] = {k: v for k, v in reply_to.items() if k != "member"}
        return data

    # -- driving the client ------------------------------------------------------------------

    async def connect(self) -> None:
        """Plug in, then READY and GUILD_CREATE as Discord sends them after login."""
        client = self.client
        await client._async_setup_hook()  # private: binds the loop, as login() would
        client.http.request = self._http  # type: ignore[method-assign]  # private: recording
        client.ws = _Gateway(self)  # type: ignore[assignment]  # private: member searches
        state = client._connection  # private
        state.guild_ready_timeout = 0.0
        state.parse_ready({  # type: ignore[typeddict-item]
            "v": 10, "user": {**self.bot.user(), "verified": True, "mfa_enabled": False,
                              "flags": 0}, "guilds": [{"id": str(self.guild_id),
                                                       "unavailable": True}],
            "session_id": "fake", "resume_gateway_url": "wss://fake.invalid",
            "application": {"id": str(APP_ID), "flags": 0}, "shard": [0, 1]})
        state.parse_guild_create(self.guild_payload())  # type: ignore[arg-type]
        await asyncio.wait_for(client.wait_until_ready(), 5)
        await self.settle()

    def parse(self, event: str, data: dict[str, Any]) -> None:
        """Feed one gateway event to the client's state, as the websocket would."""
        self.client._connection.parsers[event](data)  # private

    async def send(self, event: str, data: dict[str, Any]) -> None:
        """Feed a gateway event and wait until every listener has handled it."""
        self.parse(event, data)
        await self.settle()

    async def settle(self) -> None:
        """Wait for the tasks discord.py started to dispatch events (and what they started)."""
        me = asyncio.current_task()
        for _ in range(50):
            pending = [t for t in asyncio.all_tasks() if t is not me and not t.done()
                       and (t.get_name().startswith(("discord.py:", "CommandTree"))
                            or "Client._run_event" in repr(t.get_coro()))]
            if not pending:
                await asyncio.sleep(0)
                return
            await asyncio.wait(pending, timeout=5)
        raise AssertionError("the client never settled")

    async def say(self, author: Person, text: str, channel: int | None = None,
                  **extra: Any) -> dict[str, Any]:
        """A member posts; returns the message payload."""
        data = self.message_payload(author, text, channel, **extra)
        self.messages.setdefault(int(data["channel_id"]), {})[int(data["id"])] = data
        await self.send("MESSAGE_CREATE", data)
        return data

    async def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The author edits their message (MESSAGE_UPDATE with the whole message)."""
        data = {**message, "content": text,
                "edited_timestamp": datetime.now(UTC).isoformat()}
        self.messages[int(data["channel_id"])][int(data["id"])] = data
        await self.send("MESSAGE_UPDATE", data)
        return data

    async def join(self, who: Person) -> None:
        """Someone joins the server."""
        who.in_guild = True
        await self.send("GUILD_MEMBER_ADD", {**who.member(), "guild_id": str(self.guild_id),
                                             "joined_at": datetime.now(UTC).isoformat()})

    async def set_bot_permissions(self, permissions: discord.Permissions) -> None:
        """Change Vigie's role, as a server admin would (GUILD_ROLE_UPDATE)."""
        self.roles[self.bot_role]["permissions"] = str(permissions.value)
        await self.send("GUILD_ROLE_UPDATE", {"guild_id": str(self.guild_id),
                                              "role": self.roles[self.bot_role]})

    def interaction(self, kind: int, who: Person, data: dict[str, Any], *,
                    channel: int | None = None, locale: str = "en-US",
                    message: dict[str, Any] | None = None) -> dict[str, Any]:
        """An INTERACTION_CREATE payload (2: slash command, 3: component)."""
        iid = self.snowflake()
        member = who.member()
        member["permissions"] = str(self._permissions(who).value)
        payload: dict[str, Any] = {
            "id": str(iid), "application_id": str(APP_ID), "type": kind, "data": data,
            "guild_id": str(self.guild_id), "channel_id": str(channel or self.general),
            "channel": self.channels[channel or self.general], "member": member,
            "token": f"interaction-token-{iid}", "version": 1, "locale": locale,
            "guild_locale": "en-US", "app_permissions": str(BOT_PERMISSIONS.value),
            "entitlements": [], "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0, "attachment_size_limit": 8388608}
        if message is not None:
            payload["message"] = message
        self.interaction_channels[payload["token"]] = channel or self.general
        return payload

    async def slash(self, who: Person, name: str, options: list[dict[str, Any]] = (),  # type: ignore[assignment]
                    *, channel: int | None = None, locale: str = "en-US") -> dict[str, Any]:
        """Someone runs a slash command; members named in options are resolved."""
        resolved: dict[str, Any] = {"users": {}, "members": {}}
        for option in options:
            if option["type"] == discord.AppCommandOptionType.user.value:
                target = self.people[int(option["value"])]
                resolved["users"][str(target.id)] = target.user()
                if target.in_guild:
                    member = target.member(with_user=False)
                    member["permissions"] = str(self._permissions(target).value)
                    resolved["members"][str(target.id)] = member
        data = {"id": str(self.snowflake()), "name": name, "type": 1,
                "options": list(options), "resolved": resolved, "guild_id": str(self.guild_id)}
        payload = self.interaction(2, who, data, channel=channel, locale=locale)
        await self.send("INTERACTION_CREATE", payload)
        return payload

    async def click(self, who: Person, message: dict[str, Any], custom_id: str, *,
                    locale: str = "en-US") -> dict[str, Any]:
        """Someone clicks a button under one of Vigie's messages."""
        payload = self.interaction(3, who, {"custom_id": custom_id, "component_type": 2},
                                   channel=int(message["channel_id"]), locale=locale,
                                   message=message)
        await self.send("INTERACTION_CREATE", payload)
        return payload

    async def dm_click(self, who: Person, message: dict[str, Any], custom_id: str, *,
                       locale: str = "en-US") -> dict[str, Any]:
        """Someone clicks a button under a private message from Vigie (no server, no member)."""
        iid = self.snowflake()
        channel = int(message["channel_id"])
        payload: dict[str, Any] = {
            "id": str(iid), "application_id": str(APP_ID), "type": 3,
            "data": {"custom_id": custom_id, "component_type": 2}, "channel_id": str(channel),
            "channel": {"id": str(channel), "type": 1}, "user": who.user(),
            "token": f"interaction-token-{iid}", "version": 1, "locale": locale,
            "app_permissions": "0", "entitlements": [], "message": message, "context": 1,
            "authorizing_integration_owners": {"1": str(who.id)},
            "attachment_size_limit": 8388608}
        self.interaction_channels[payload["token"]] = channel
        await self.send("INTERACTION_CREATE", payload)
        return payload

    def _permissions(self, who: Person) -> discord.Permissions:
        value = 0
        for role_id in [self.guild_id, *who.roles]:
            value |= int(self.roles[role_id]["permissions"])
        return discord.Permissions(value)

    # -- failures ----------------------------------------------------------------------------

    def fail(self, method: str, path: str, status: int, code: int = 0, message: str = "",
             *, when: Callable[[dict[str, str]], bool] | None = None, times: int | None = None,
             retry_after: float = 0.0) -> None:
        """Make calls to a route fail the way Discord would (403, 404, 429, 5xx...)."""
        self.failures.append(_Failure(method, path, status, code, message, when, times,
                                      retry_after))

    def _failure(self, method: str, path: str, ids: dict[str, str]) -> Exception | None:
        for failure in self.failures:
            if failure.method != method or failure.path != path:
                continue
            if failure.when is not None and not failure.when(ids):
                continue
            if failure.times is not None:
                if failure.times <= 0:
                    continue
                failure.times -= 1
            return _error(failure.status, failure.code, failure.message, failure.retry_after)
        return None

    # -- the REST API ------------------------------------------------------------------------

    def of(self, method: str, path: str) -> list[Call]:
        """Calls to one route."""
        return [c for c in self.calls if c.method == method and c.path == path]

    def sent(self, channel: int | None = None) -> list[dict[str, Any]]:
        """Message bodies Vigie posted (in one channel, or anywhere)."""
        return [c.json for c in self.of("POST", "/channels/{channel_id}/messages")
                if channel is None or c.ids["channel_id"] == str(channel)]

    async def _http(self, route: Route, *, files: Any = None, form: Any = None,
                    **kwargs: Any) -> Any:
        return await self._handle(route, kwargs.get("json"), kwargs.get("reason"),
                                  kwargs.get("params"))

    async def _webhook(self, route: Route, session: Any = None, *, payload: Any = None,
                       multipart: Any = None, files: Any = None, reason: str | None = None,
                       params: Any = None, **_: Any) -> Any:
        if payload is None and multipart:
            import json

            payload = json.loads(multipart[0]["value"])
        return await self._handle(route, payload, reason, params)

    async def _handle(self, route: Route, body: Any, reason: str | None, params: Any) -> Any:
        path = route.path
        handler, pattern = self._routes.get((route.method, path), (None, None))
        if handler is None or pattern is None:
            raise AssertionError(f"unexpected Discord call {route.method} {path}")
        match = pattern.fullmatch(route.url[len(Route.BASE):])
        assert match is not None, route.url
        ids = match.groupdict()
        self.calls.append(Call(route.method, path, ids, body, reason, dict(params or {})))
        error = self._failure(route.method, path, ids)
        if error is not None:
            raise error
        return handler(ids, body or {}, params or {})

    def _route_table(self) -> dict[tuple[str, str], tuple[Any, re.Pattern[str]]]:
        table = {
            ("POST", "/channels/{channel_id}/messages"): self._post_message,
            ("DELETE", "/channels/{channel_id}/messages/{message_id}"): self._delete_message,
            ("POST", "/channels/{channel_id}/messages/bulk-delete"): self._bulk_delete,
            ("GET", "/channels/{channel_id}"): self._get_channel,
            ("PATCH", "/channels/{channel_id}"): self._edit_channel,
            ("PUT", "/channels/{channel_id}/permissions/{target}"): self._put_overwrite,
            ("DELETE", "/channels/{channel_id}/permissions/{target}"): self._del_overwrite,
            ("GET", "/guilds/{guild_id}/members/{member_id}"): self._get_member,
            ("PATCH", "/guilds/{guild_id}/members/{user_id}"): self._edit_member,
            ("DELETE", "/guilds/{guild_id}/members/{user_id}"): self._kick,
            ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"): self._add_role,
            ("PUT", "/guilds/{guild_id}/bans/{user_id}"): self._ban,
            ("DELETE", "/guilds/{guild_id}/bans/{user_id}"): self._unban,
            ("POST", "/users/@me/channels"): self._open_dm,
            ("PUT", "/applications/{application_id}/commands"): self._put_commands,
            ("POST", "/interactions/{webhook_id}/{webhook_token}/callback"): self._callback,
            ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"):
                self._edit_original,
            ("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"):
                lambda ids, body, params: None,
            ("POST", "/webhooks/{webhook_id}/{webhook_token}"): self._followup,
        }
        return {key: (handler, _pattern(key[1])) for key, handler in table.items()}

    def _bot_message(self, channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        mid = self.snowflake()
        data = self.message_payload(self.bot, body.get("content") or "", channel_id,
                                    message_id=mid, embeds=body.get("embeds") or [],
                                    components=body.get("components") or [])
        if channel_id not in self.channels:
            data.pop("guild_id")
            data.pop("member")
        self.messages.setdefault(channel_id, {})[mid] = data
        return data

    def _post_message(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        channel_id = int(ids["channel_id"])
        owner = next((u for u, c in self.dm_channels.items() if c == channel_id), None)
        if owner in self.dm_closed:
            raise _error(403, 50007, "Cannot send messages to this user")
        if channel_id not in self.messages:
            raise _error(404, 10003, "Unknown Channel")
        return self._bot_message(channel_id, body)

    def _delete_message(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        found = self.messages.get(int(ids["channel_id"]), {})
        if found.pop(int(ids["message_id"]), None) is None:
            raise _error(404, 10008, "Unknown Message")
        return None

    def _bulk_delete(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        found = self.messages.get(int(ids["channel_id"]), {})
        for mid in body["messages"]:
            found.pop(int(mid), None)
        return None

    def _get_channel(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        channel = self.channels.get(int(ids["channel_id"]))
        if channel is None:
            raise _error(404, 10003, "Unknown Channel")
        return channel

    def _edit_channel(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        channel = self._get_channel(ids, body, params)
        channel.update(body)
        return channel

    def _put_overwrite(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        channel = self._get_channel(ids, body, params)
        rest = [o for o in channel["permission_overwrites"] if o["id"] != ids["target"]]
        channel["permission_overwrites"] = [*rest, {**body, "id": ids["target"]}]
        return None

    def _del_overwrite(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        channel = self._get_channel(ids, body, params)
        channel["permission_overwrites"] = [o for o in channel["permission_overwrites"]
                                            if o["id"] != ids["target"]]
        return None

    def _member_of(self, ids: dict[str, str]) -> Person:
        who = self.people.get(int(ids.get("user_id") or ids["member_id"]))
        if who is None or not who.in_guild:
            raise _error(404, 10007, "Unknown Member")
        return who

    def _get_member(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return self._member_of(ids).member()

    def _edit_member(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        data = self._member_of(ids).member()
        data.update(body)
        return data

    def _add_role(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        who = self._member_of(ids)
        role_id = int(ids["role_id"])
        if role_id not in self.roles:
            raise _error(404, 10011, "Unknown Role")
        if role_id not in who.roles:
            who.roles.append(role_id)
        return None

    def _kick(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        self._member_of(ids).in_guild = False
        return None

    def _ban(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        user_id = int(ids["user_id"])
        if user_id in self.people:
            self.people[user_id].in_guild = False
        self.bans.add(user_id)
        return None

    def _unban(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        user_id = int(ids["user_id"])
        if user_id not in self.bans:
            raise _error(404, 10026, "Unknown Ban")
        self.bans.discard(user_id)
        return None

    def _open_dm(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        user_id = int(body["recipient_id"])
        if user_id not in self.people:
            raise _error(404, 10013, "Unknown User")
        channel_id = self.dm_channels.setdefault(user_id, self.snowflake())
        self.messages.setdefault(channel_id, {})
        return {"id": str(channel_id), "type": 1, "last_message_id": None,
                "recipients": [self.people[user_id].user()]}

    def _put_commands(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        self.commands = [{**c, "id": str(self.snowflake()), "application_id": str(APP_ID),
                          "version": "1"} for c in body]
        return self.commands

    def _callback(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return {"interaction": {"id": ids["webhook_id"], "type": 2,
                                "response_message_loading": body.get("type") == 5,
                                "response_message_ephemeral": False}}

    def _edit_original(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return self._bot_message(self.interaction_channels[ids["webhook_token"]], body)

    def _followup(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return self._bot_message(self.interaction_channels[ids["webhook_token"]], body)

    def install(self, monkeypatch: Any) -> None:
        """Route interaction webhooks (responses, follow-ups) to this fake."""
        monkeypatch.setattr(async_context.get(), "request", self._webhook)  # private


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)))


def _error(status: int, code: int, message: str, retry_after: float = 0.0) -> Exception:
    if status == 429:
        return discord.RateLimited(retry_after or 60.0)
    data = {"code": code, "message": message}
    if status == 403:
        return discord.Forbidden(_Response(status), data)  # type: ignore[arg-type]
    if status == 404:
        return discord.NotFound(_Response(status), data)  # type: ignore[arg-type]
    if status >= 500:
        return discord.DiscordServerError(_Response(status), data)  # type: ignore[arg-type]
    return discord.HTTPException(_Response(status), data)  # type: ignore[arg-type]


def later(**delta: float) -> datetime:
    """A moment from now."""
    return datetime.now(UTC) + timedelta(**delta)
