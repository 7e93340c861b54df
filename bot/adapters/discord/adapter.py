"""The Discord adapter: discord.py events in as neutral events, actions out, slash commands."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, ClassVar

import aiohttp
import discord
from discord import app_commands

from bot.adapters.base import AdapterError, EventSink
from bot.adapters.discord import inbound
from bot.adapters.discord.automod import (
    AUTOMOD_LISTENERS,
    AutomodRules,
    RuleNames,
    automod_action,
    sanction_from_audit_log,
)
from bot.adapters.discord.commands import MAX_COMMANDS, VigieCommand, slash_commands
from bot.adapters.discord.config import DiscordConfig, make_client
from bot.adapters.discord.ids import qualify, snowflake
from bot.adapters.discord.inbound import EditedOnce, Languages, RoleFacts
from bot.adapters.discord.interactions import answering
from bot.adapters.discord.lanes import Lanes
from bot.adapters.discord.members import fetch_member, one_look_per_event
from bot.adapters.discord.outbound import MAX_TIMEOUT, Outbound
from bot.commands.spec import CommandSpec
from bot.events import Event, User
from bot.i18n import Catalog, pick_language
from bot.logs import redact

__all__ = ["DiscordAdapter"]

log = logging.getLogger("vigie.discord")

DRAIN_SECONDS = 10.0
READY_NOTICE_SECONDS = 30.0
FIND_SECONDS = 10.0
LISTENERS = ("on_ready", "on_message", "on_raw_message_edit", "on_raw_message_delete",
             "on_raw_bulk_message_delete", "on_member_join", "on_raw_member_remove",
             "on_raw_reaction_add", "on_interaction", "on_guild_role_create",
             "on_guild_role_update", "on_guild_role_delete", "on_guild_update",
             "on_thread_create")


class DiscordAdapter(AutomodRules, Outbound):
    """Vigie on Discord; wraps a `discord.Client` (or `commands.Bot`), exposed as `.client`.

    With a token it connects the client itself; without one it only listens to a client its
    owner runs (a bot that already exists, or a test harness).
    """

    platform: ClassVar[str] = "discord"
    capabilities: ClassVar[frozenset[str]] = frozenset({
        "delete", "bulk_delete", "timeout", "kick", "ban", "slowmode", "lock", "dm", "buttons",
        "reactions", "edits", "embeds", "slash_commands"})
    max_timeout: ClassVar[timedelta | None] = MAX_TIMEOUT

    def __init__(self, client: discord.Client | None = None, *, token: str | None = None,
                 publish_commands: bool = True) -> None:
        super().__init__()
        self.client = client if client is not None else make_client()
        self._token = token
        self._publishes = publish_commands
        self._sink: EventSink | None = None
        self._languages = Languages()
        self._roles = RoleFacts()
        self._edits = EditedOnce()
        self._catalog: Catalog | None = None
        self._tree: app_commands.CommandTree[Any] | None = None
        self._mine: list[str] = []
        self._published = False
        self._attached = False
        self._runner: asyncio.Task[None] | None = None
        self._closed = asyncio.Event()
        self._inflight: set[asyncio.Task[Any]] = set()
        self._lanes = Lanes()
        self._rule_names = RuleNames()

    @classmethod
    def from_config(cls, config: DiscordConfig) -> DiscordAdapter:
        """An adapter that connects its own client with the configured token and shards."""
        return cls(make_client(config), token=config.token,
                   publish_commands=config.publishes_commands)

    def __repr__(self) -> str:
        return f"<DiscordAdapter bot={self.bot_id} servers={len(self.client.guilds)}>"

    @property
    def bot_id(self) -> str | None:
        """The bot's own id, once logged in."""
        user = self.client.user
        return qualify(user.id) if user is not None else None

    @bot_id.setter
    def bot_id(self, value: str | None) -> None:
        raise AttributeError("the Discord bot id comes from the connection")

    def _me(self) -> int | None:
        user = self.client.user
        return user.id if user is not None else None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        """Listen to the client; with a token, log in and wait until Discord says ready."""
        self._sink = sink
        self._attach()
        if self._token is None:
            return
        try:
            await self.client.login(self._token)
        except discord.LoginFailure:
            raise AdapterError("Discord refused DISCORD_TOKEN: copy the bot token again from the "
                               "Developer Portal (Bot → Reset Token)") from None
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise AdapterError(f"could not reach Discord to log in: {redact(str(exc))}") from None
        self._runner = asyncio.create_task(self._connect(), name="vigie-discord")
        ready = asyncio.create_task(self.client.wait_until_ready())
        while True:
            done, _ = await asyncio.wait({ready, self._runner}, timeout=READY_NOTICE_SECONDS,
                                         return_when=asyncio.FIRST_COMPLETED)
            if self._runner in done or (ready in done and ready.exception() is not None):
                ready.cancel()
                await self.client.close()
                raise AdapterError(self._why_stopped())
            if ready in done:
                break
            log.warning("still waiting for Discord to finish connecting")
        log.info("connected to Discord as %s in %d server(s)", self.client.user,
                 len(self.client.guilds))

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        finally:
            self._closed.set()

    def _why_stopped(self) -> str:
        error = None if self._runner is None or self._runner.cancelled() \
            else self._runner.exception()
        if isinstance(error, discord.PrivilegedIntentsRequired):
            return ("Discord refused the privileged intents Vigie needs: enable 'Server Members "
                    "Intent' and 'Message Content Intent' in the Developer Portal (your "
                    "application → Bot → Privileged Gateway Intents), then start again")
        if isinstance(error, discord.LoginFailure):
            return "Discord refused DISCORD_TOKEN during the connection"
        if error is not None:
            return f"the Discord connection stopped: {redact(str(error) or type(error).__name__)}"
        return "the Discord connection stopped before it was ready"

    async def stop(self) -> None:
        """Let events being handled finish, then disconnect (only a client Vigie connected)."""
        me = asyncio.current_task()
        pending = {t for t in self._inflight if t is not me}
        if pending:
            await asyncio.wait(pending, timeout=DRAIN_SECONDS)
        if self._token is not None and not self.client.is_closed():
            await self.client.close()
        if self._runner is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._runner
        self._sink = None
        self._closed.set()

    async def closed(self) -> None:
        """Until the connection ends for good (or `stop`)."""
        await self._closed.wait()
        if self._runner is not None and self._runner.done() and not self._runner.cancelled() \
                and self._runner.exception() is not None:
            log.error("Discord connection ended: %s", self._why_stopped())

    def notify_operator(self, text: str) -> None:
        """Operators read the log."""
        log.warning("%s", text)

    def communities(self) -> set[str]:
        """Every server the bot is in."""
        return {qualify(guild.id) for guild in self.client.guilds}

    async def owns_channel(self, community: str, channel: str) -> bool:
        """Whether the channel is one of this server's (known from the guild cache)."""
        guild_id, channel_id = snowflake(community), snowflake(channel)
        if guild_id is None or channel_id is None:
            return False
        found = self.client.get_channel(channel_id)
        guild = getattr(found, "guild", None)
        return guild is not None and guild.id == guild_id

    def channel_mention(self, channel: str) -> str:
        """`<#id>`: Discord shows the channel's current name, as a link."""
        channel_id = snowflake(channel)
        return f"<#{channel_id}>" if channel_id is not None else super().channel_mention(channel)

    # -- listening ---------------------------------------------------------------------------

    def _attach(self) -> None:
        """Register listeners without taking over the client's own handlers."""
        if self._attached:
            return
        self._attached = True
        for name in (*LISTENERS, *AUTOMOD_LISTENERS):
            handler = getattr(self, f"_{name}")
            add_listener = getattr(self.client, "add_listener", None)
            if add_listener is not None:  # commands.Bot
                add_listener(handler, name)
                continue
            existing = getattr(self.client, name, None)
            setattr(self.client, name, handler if existing is None else _both(existing, handler))

    async def _emit(self, what: str, build: Callable[[], Event | None]) -> None:
        try:
            event = build()
        except Exception:
            log.exception("could not translate a Discord %s", what)
            return
        if event is None or self._sink is None:
            return
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            async with self._lanes.hold(getattr(event, "channel", None) or event.community):
                if self._sink is not None:
                    with one_look_per_event():
                        await self._sink(event)
        except Exception:
            log.exception("event failed id=%s", event.id)
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def _on_ready(self) -> None:
        log.info("Discord ready: %d server(s)", len(self.client.guilds))
        await self._publish()

    async def _on_message(self, message: discord.Message) -> None:
        await self._emit("message", lambda: inbound.message_created(
            message, self._me(), self._languages, self._roles))

    async def _on_raw_message_edit(self, raw: discord.RawMessageUpdateEvent) -> None:
        await self._emit("edit", lambda: inbound.message_edited(
            raw, self._me(), self._languages, self._edits, self._roles))

    async def _on_guild_role_create(self, role: discord.Role) -> None:
        self._roles.forget(role.guild.id)

    async def _on_guild_role_update(self, _before: discord.Role, after: discord.Role) -> None:
        self._roles.forget(after.guild.id)

    async def _on_guild_role_delete(self, role: discord.Role) -> None:
        self._roles.forget(role.guild.id)

    async def _on_guild_update(self, _before: discord.Guild, after: discord.Guild) -> None:
        self._roles.forget(after.id)

    async def _on_automod_action(self, execution: discord.AutoModAction) -> None:
        """Discord's AutoMod acted on a message (one event per action of its rule)."""
        name = await self._rule_names.name(execution)
        now = discord.utils.utcnow()
        await self._emit("AutoMod action", lambda: automod_action(execution, now, name))

    async def _on_audit_log_entry_create(self, entry: discord.AuditLogEntry) -> None:
        """A moderator acted in Discord's interface (or Vigie did: recognised downstream)."""
        try:
            seen = sanction_from_audit_log(entry, self._me())
        except Exception:
            log.exception("could not translate a Discord audit log entry")
            return
        if seen is not None and not seen.by_bot:  # the moderator by name, not only by id
            actor = await self.lookup_member(seen.community, seen.actor.id)
            seen = dataclasses.replace(seen, actor=actor) if actor is not None else seen
        await self._emit("audit log entry", lambda: seen)

    async def _on_raw_message_delete(self, raw: discord.RawMessageDeleteEvent) -> None:
        await self._emit("deletion", lambda: inbound.message_deleted(
            raw.guild_id, raw.channel_id, raw.message_id))

    async def _on_raw_bulk_message_delete(self, raw: discord.RawBulkMessageDeleteEvent) -> None:
        for message_id in sorted(raw.message_ids):
            await self._emit("deletion", lambda m=message_id: inbound.message_deleted(  # type: ignore[misc]
                raw.guild_id, raw.channel_id, m))

    async def _on_member_join(self, member: discord.Member) -> None:
        await self._emit("join", lambda: inbound.member_joined(member, self._languages))

    async def _on_raw_member_remove(self, raw: discord.RawMemberRemoveEvent) -> None:
        await self._emit("leave", lambda: inbound.member_left(raw, self._languages))

    async def _on_thread_create(self, thread: discord.Thread) -> None:
        await self._emit("thread", lambda: inbound.thread_created(thread, self._me(),
                                                                  self._languages))

    async def _on_raw_reaction_add(self, raw: discord.RawReactionActionEvent) -> None:
        await self._emit("reaction", lambda: inbound.reaction_added(
            raw, self._me(), self._languages))

    async def _on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.type is discord.InteractionType.component:
                await self._clicked(interaction)
        except Exception:
            log.exception("interaction failed id=%s", interaction.id)

    async def _clicked(self, interaction: discord.Interaction[Any]) -> None:
        event = inbound.button_clicked(interaction, self._languages)
        if event is None:
            return  # not one of Vigie's buttons
        async with answering(interaction, event.channel, event.message_id):
            await self._emit("click", lambda: event)

    async def _slash(self, interaction: discord.Interaction[Any], spec: CommandSpec) -> None:
        """One of Vigie's commands, called by the command tree."""
        try:
            event = inbound.command_invoked(interaction, spec, self._languages)
            if event is None:
                await self._say_privately(interaction, "discord.command.servers_only")
                return
            async with answering(interaction, event.channel):
                await self._emit("slash command", lambda: event)
        except Exception:
            log.exception("interaction failed id=%s", interaction.id)

    async def _say_privately(self, interaction: discord.Interaction[Any], key: str) -> None:
        if self._catalog is None:
            return
        lang = pick_language(str(interaction.locale), "en")
        with contextlib.suppress(discord.HTTPException):
            await interaction.response.send_message(self._catalog.render(key, lang),
                                                    ephemeral=True)

    # -- the slash command menu --------------------------------------------------------------

    async def publish_commands(self, specs: Sequence[CommandSpec], catalog: Catalog) -> None:
        """Add the registry's slash commands to the client's tree; sync it once (shard 0)."""
        self._catalog = catalog
        tree = self._command_tree()
        for name in self._mine:
            tree.remove_command(name)
        self._mine = []
        for command in slash_commands(specs, catalog, self._slash):
            existing = tree.get_command(command.name)
            if existing is not None and not isinstance(existing, VigieCommand):
                log.warning("the bot's own /%s is kept; Vigie's %s stays a prefix command",
                            command.name, command.name)
                continue
            try:
                tree.add_command(command, override=True)
            except app_commands.CommandLimitReached:
                log.warning("Discord allows %d slash commands; %s and later ones are "
                            "prefix-only", MAX_COMMANDS, command.name)
                break
            self._mine.append(command.name)
        await self._publish()

    async def _publish(self) -> None:
        tree = self._tree
        if not self._publishes or self._published or tree is None:
            return
        if self.client.application_id is None:
            log.info("slash commands will be published once connected")
            return
        self._published = True
        try:
            published = await tree.sync()
        except Exception as exc:
            log.error("slash commands not published (prefix commands still work): %s",
                      redact(str(exc)))
            return
        log.info("published %d slash command(s), %d of them Vigie's", len(published),
                 len(self._mine))

    def _command_tree(self) -> app_commands.CommandTree[Any]:
        """The wrapped bot's tree (`bot.tree`), or one Vigie makes for a client without one."""
        if self._tree is None:
            tree = getattr(self.client, "tree", None)
            if isinstance(tree, app_commands.CommandTree):
                self._tree = tree
            else:
                try:
                    self._tree = _Tree(self.client, self)
                except discord.ClientException:  # a tree kept elsewhere than `client.tree`
                    self._tree = self.client._connection._command_tree  # private
                    assert self._tree is not None
        return self._tree

    # -- members -----------------------------------------------------------------------------

    async def find_members(self, community: str, query: str) -> list[User]:
        """Members whose username, global name or nickname is `query` (ignoring case)."""
        guild_id = snowflake(community)
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        wanted = query.lstrip("@").strip()
        if guild is None or not wanted:
            return []
        matches = [m for m in guild.members if _named(m, wanted)]
        if not matches:
            try:
                found = await asyncio.wait_for(
                    guild.query_members(query=wanted, limit=10, cache=False), FIND_SECONDS)
            except (TimeoutError, discord.ClientException, RuntimeError,
                    discord.HTTPException, aiohttp.ClientError) as exc:
                log.info("member search failed community=%s: %s", community, exc)
                return []
            matches = [m for m in found if _named(m, wanted)]
        return [inbound.user_of(m, self._languages) for m in matches]

    async def lookup_member(self, community: str, user_id: str) -> User | None:
        """The member with their current roles: at most one request per event handled."""
        guild_id, member_id = snowflake(community), snowflake(user_id)
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        if guild is None or member_id is None:
            return None
        member = await fetch_member(guild, member_id)
        return inbound.user_of(member, self._languages) if member is not None else None


def _named(member: discord.Member, wanted: str) -> bool:
    folded = wanted.casefold()
    return any(name is not None and name.casefold() == folded
               for name in (member.name, member.global_name, member.nick))


class _Tree(app_commands.CommandTree[discord.Client]):
    """The command tree of a client that had none: the menu is Vigie's alone."""

    def __init__(self, client: discord.Client, adapter: DiscordAdapter) -> None:
        super().__init__(client)
        self._adapter = adapter

    async def on_error(self, interaction: discord.Interaction[discord.Client],
                       error: app_commands.AppCommandError, /) -> None:
        """A command from a past version of the menu is answered privately; others logged."""
        if isinstance(error, app_commands.CommandNotFound):
            await self._adapter._say_privately(interaction, "discord.command.gone")
            return
        await super().on_error(interaction, error)


def _both(first: Any, second: Any) -> Any:
    async def both(*args: Any) -> None:
        try:
            await first(*args)
        finally:
            await second(*args)
    return both
