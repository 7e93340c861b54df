"""Actions out: each neutral action as one discord.py call, and every failure explained."""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

import discord

from bot.adapters.base import ActionResult, Adapter, RenderedButton
from bot.adapters.discord import interactions
from bot.adapters.discord.config import SAFE_MENTIONS
from bot.adapters.discord.errors import Attempt, Channel, explain, failed, unsupported
from bot.adapters.discord.ids import qualify, snowflake
from bot.adapters.discord.publish import publish
from bot.adapters.discord.render import (
    EMBED_LIMIT,
    MAX_BUTTONS,
    MAX_CUSTOM_ID,
    MESSAGE_LIMIT,
    alert_embed,
    button_view,
    split_text,
)
from bot.events import User

__all__ = ["Outbound"]

log = logging.getLogger("vigie.discord")

MAX_TIMEOUT = timedelta(days=28)
MAX_SLOWMODE = 21600  # seconds: Discord's 6 hours
MAX_POLL_HOURS = 768  # Discord's longest poll (32 days)
MAX_BAN_PURGE = 7 * 24 * 3600  # seconds of messages a ban may delete
BULK_AGE = timedelta(days=14) - timedelta(minutes=5)  # bulk delete refuses older messages
BULK_SIZE = 100
SLOWMODE_CHANNELS = (discord.TextChannel, discord.VoiceChannel, discord.StageChannel,
                     discord.ForumChannel, discord.Thread)
LOCKED = ("send_messages", "send_messages_in_threads", "create_public_threads",
          "create_private_threads")


class Outbound(Adapter):
    """The adapter's actions, over `self.client`."""

    platform: ClassVar[str] = "discord"
    client: discord.Client

    def __init__(self) -> None:
        self._unlocked_as: dict[int, discord.PermissionOverwrite] = {}

    # -- finding things ----------------------------------------------------------------------

    def _guild(self, community: str) -> discord.Guild | ActionResult:
        guild_id = snowflake(community)
        if guild_id is None:
            return failed(f"{community} is not a Discord server", "discord.limit.not_a_server",
                          value=community)
        guild = self.client.get_guild(guild_id)
        if guild is None:
            return failed(f"Vigie is not in the server {community}",
                          "discord.error.not_in_server", community=community)
        return guild

    async def _channel(self, channel: str) -> discord.abc.Messageable | ActionResult:
        channel_id = snowflake(channel)
        if channel_id is None:
            return failed(f"{channel} is not a Discord channel", "discord.limit.not_a_channel",
                          value=channel)
        found = self.client.get_channel(channel_id)
        if found is None:
            try:
                found = await self.client.fetch_channel(channel_id)
            except discord.NotFound:
                return failed(f"unknown channel {channel}", "discord.error.unknown_channel",
                              channel=channel)
            except Exception as exc:
                return await explain(exc, Attempt())
        if not isinstance(found, discord.abc.Messageable):
            return failed(f"{channel} is not a channel messages can be posted in",
                          "discord.limit.not_a_channel", value=channel)
        return found

    async def _member(self, guild: discord.Guild, user: User,
                      attempt: Attempt) -> discord.Member | ActionResult:
        user_id = snowflake(user.id)
        if user_id is None:
            return failed(f"{user.id} is not a Discord member", "discord.limit.not_a_member",
                          value=user.id)
        member = guild.get_member(user_id)
        if member is not None:
            return member
        try:
            return await guild.fetch_member(user_id)
        except Exception as exc:
            return await explain(exc, attempt)

    def _target(self, community: str, user: User, *permissions: str,
                timeout: bool = False) -> tuple[discord.Guild, int, Attempt] | ActionResult:
        guild = self._guild(community)
        if isinstance(guild, ActionResult):
            return guild
        user_id = snowflake(user.id)
        if user_id is None:
            return failed(f"{user.id} is not a Discord member", "discord.limit.not_a_member",
                          value=user.id)
        return guild, user_id, Attempt(permissions, guild, None, user_id, user.name, timeout)

    @staticmethod
    def _in(target: object) -> tuple[discord.Guild | None, Channel | None]:
        if isinstance(target, discord.abc.GuildChannel | discord.Thread):
            return target.guild, target
        return None, None

    # -- messages ----------------------------------------------------------------------------

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Post `text` (cut at 2,000 characters), as a reply and with buttons when asked."""
        return await self._post(channel, text, reply_to=reply_to, buttons=buttons, embed=False)

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        """Alerts and case notices go to the alerts channel as embeds, easy to spot."""
        if channel is None:
            log.warning("alert not delivered: no alerts_channel for %s: %s", community, text)
            return unsupported(f"no alerts_channel is configured for {community}",
                               "discord.limit.no_alerts_channel", community=community)
        return await self._post(channel, text, reply_to=None, buttons=(), embed=True)

    async def send_file(self, channel: str, filename: str, data: bytes, *,
                        caption: str | None = None, reply_to: str | None = None
                        ) -> ActionResult:
        """Post a file (a chart image) with a caption (cut at 2,000 characters)."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        threaded = isinstance(target, discord.Thread)
        needs = ["send_messages_in_threads" if threaded else "send_messages", "attach_files"]
        needs += ["read_message_history"] if reply_to else []
        attempt = Attempt(tuple(needs), guild, where)
        extra: dict[str, Any] = {"allowed_mentions": SAFE_MENTIONS}
        reply_id = snowflake(reply_to) if reply_to else None
        if reply_id is not None and isinstance(target, discord.abc.GuildChannel | discord.Thread):
            extra["reference"] = discord.MessageReference(
                message_id=reply_id, channel_id=target.id, fail_if_not_exists=False)
        pieces = split_text(caption, MESSAGE_LIMIT) if caption else []
        content = pieces[0] if pieces else None
        try:
            sent = await target.send(content, file=discord.File(io.BytesIO(data), filename),
                                     **extra)
            return ActionResult.ok(message_id=qualify(sent.id))
        except Exception as exc:
            return await explain(exc, attempt)

    def _button_problem(self, buttons: Sequence[RenderedButton]) -> ActionResult | None:
        if len(buttons) > MAX_BUTTONS:
            return unsupported(f"Discord shows at most {MAX_BUTTONS} buttons under a message",
                               "discord.limit.buttons", limit=MAX_BUTTONS)
        for button in buttons:
            if len(button.custom_id) > MAX_CUSTOM_ID or not button.custom_id:
                return unsupported(f"button id {button.custom_id!r} must have 1 to "
                                   f"{MAX_CUSTOM_ID} characters on Discord",
                                   "discord.limit.button_id", value=button.custom_id,
                                   limit=MAX_CUSTOM_ID)
        return None

    async def _post(self, channel: str, text: str, *, reply_to: str | None,
                    buttons: Sequence[RenderedButton], embed: bool) -> ActionResult:
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        problem = self._button_problem(buttons)
        if problem is not None:
            return problem
        chunks = split_text(text, EMBED_LIMIT if embed else MESSAGE_LIMIT)
        if not chunks and not buttons:
            return failed("Discord cannot post an empty message", "discord.limit.empty")
        guild, where = self._in(target)
        threaded = isinstance(target, discord.Thread)
        needs = ["send_messages_in_threads" if threaded else "send_messages"]
        needs += ["embed_links"] if embed else []
        needs += ["read_message_history"] if reply_to else []
        attempt = Attempt(tuple(needs), guild, where)
        view = button_view(buttons)
        try:
            answer = interactions.current()
            if answer is not None and not embed and answer.takes(channel, reply_to):
                sent = await answer.send(chunks, view)
                if sent is not None:
                    return ActionResult.ok(message_id=qualify(sent))
            reference = None
            reply_id = snowflake(reply_to) if reply_to else None
            if reply_id is not None and isinstance(target, discord.abc.GuildChannel
                                                   | discord.Thread):
                reference = discord.MessageReference(message_id=reply_id, channel_id=target.id,
                                                     fail_if_not_exists=False)
            pieces = chunks or [""]
            last: discord.Message | None = None
            for index, piece in enumerate(pieces):
                final = index == len(pieces) - 1
                extra: dict[str, Any] = {"allowed_mentions": SAFE_MENTIONS}
                if view is not None and final:
                    extra["view"] = view
                if index == 0 and reference is not None:
                    extra["reference"] = reference
                if embed:
                    last = await target.send(embed=alert_embed(piece), **extra)
                else:
                    last = await target.send(piece or None, **extra)
            assert last is not None
            return ActionResult.ok(message_id=qualify(last.id))
        except Exception as exc:
            return await explain(exc, attempt)

    async def publish(self, channel: str, parts: Sequence[str], *, markup: str, image: str,
                      preview: bool, pin: bool, unpin: str) -> ActionResult:
        """A scheduled post (bot/adapters/discord/publish.py): no pings, image, pin."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        return await publish(target, channel, parts, markup=markup, image=image,
                             preview=preview, pin=pin, unpin=unpin)

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Write to a member privately (buttons under the last part); a closed inbox is a
        clear failure."""
        user_id = snowflake(user.id)
        if user_id is None:
            return failed(f"{user.id} is not a Discord member", "discord.limit.not_a_member",
                          value=user.id)
        problem = self._button_problem(buttons)
        if problem is not None:
            return problem
        attempt = Attempt(target=user_id, target_name=user.name)
        view = button_view(buttons)
        try:
            channel = await self.client.create_dm(discord.Object(id=user_id))
            last: discord.Message | None = None
            pieces = split_text(text, MESSAGE_LIMIT)
            for index, piece in enumerate(pieces):
                extra: dict[str, Any] = {"allowed_mentions": SAFE_MENTIONS}
                if view is not None and index == len(pieces) - 1:
                    extra["view"] = view
                last = await channel.send(piece, **extra)
        except Exception as exc:
            return await explain(exc, attempt)
        if last is None:
            return failed("Discord cannot post an empty message", "discord.limit.empty")
        return ActionResult.ok(message_id=qualify(last.id))

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        """Remove a message."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        return await self._delete_one(target, message_id)

    async def _delete_one(self, target: discord.abc.Messageable,
                          message_id: str) -> ActionResult:
        wanted = snowflake(message_id)
        if wanted is None or not hasattr(target, "get_partial_message"):
            return failed(f"{message_id} is not a Discord message", "discord.error.unknown_message")
        guild, where = self._in(target)
        try:
            await target.get_partial_message(wanted).delete()
        except Exception as exc:
            return await explain(exc, Attempt(("manage_messages",), guild, where))
        return ActionResult.ok()

    async def delete_messages(self, channel: str, message_ids: Sequence[str], *,
                              reason: str) -> list[ActionResult]:
        """Bulk delete by 100 where Discord allows it (under 14 days old); one by one otherwise."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return [target] * len(message_ids)
        results: dict[int, ActionResult] = {}
        young: list[tuple[int, int]] = []
        oldest = discord.utils.utcnow() - BULK_AGE
        for index, message_id in enumerate(message_ids):
            wanted = snowflake(message_id)
            if wanted is not None and discord.utils.snowflake_time(wanted) > oldest \
                    and hasattr(target, "delete_messages"):
                young.append((index, wanted))
        for start in range(0, len(young), BULK_SIZE):
            batch = young[start:start + BULK_SIZE]
            if len(batch) < 2:
                continue
            outcome = await self._bulk(target, [w for _, w in batch], reason)
            if outcome is not None:
                results.update({index: outcome for index, _ in batch})
        for index, message_id in enumerate(message_ids):
            if index not in results:
                results[index] = await self._delete_one(target, message_id)
        return [results[i] for i in range(len(message_ids))]

    async def _bulk(self, target: Any, ids: list[int], reason: str) -> ActionResult | None:
        """One bulk delete; None when Discord refused the batch (delete those one by one)."""
        guild, where = self._in(target)
        try:
            await target.delete_messages([discord.Object(id=i) for i in ids], reason=reason)
        except discord.Forbidden as exc:
            return await explain(exc, Attempt(("manage_messages",), guild, where))
        except discord.HTTPException as exc:
            log.info("bulk delete refused (%s), deleting one by one", exc.status)
            return None
        return ActionResult.ok()

    # -- members -----------------------------------------------------------------------------

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        """Discord's timeout (at most 28 days)."""
        found = self._target(community, user, "moderate_members", timeout=True)
        if isinstance(found, ActionResult):
            return found
        guild, _, attempt = found
        if until - discord.utils.utcnow() > MAX_TIMEOUT + timedelta(minutes=1):
            return unsupported("Discord timeouts last at most 28 days",
                               "discord.limit.timeout_too_long")
        member = await self._member(guild, user, attempt)
        if isinstance(member, ActionResult):
            return member
        try:
            await member.timeout(until, reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Lift Discord's timeout."""
        found = self._target(community, user, "moderate_members", timeout=True)
        if isinstance(found, ActionResult):
            return found
        guild, _, attempt = found
        member = await self._member(guild, user, attempt)
        if isinstance(member, ActionResult):
            return member
        try:
            await member.timeout(None, reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    async def grant_role(self, community: str, user: User, role: str, *,
                         reason: str) -> ActionResult:
        """Give a member a server role, found by id (`discord:<id>` or digits) or by name."""
        found = self._target(community, user, "manage_roles")
        if isinstance(found, ActionResult):
            return found
        guild, _, attempt = found
        wanted = snowflake(role) if role.startswith("discord:") else \
            (int(role) if role.isdigit() else None)
        given = guild.get_role(wanted) if wanted is not None else \
            discord.utils.find(lambda r: r.name == role, guild.roles)
        if given is None:
            return failed(f"no role {role!r} in the server {community}",
                          "discord.error.unknown_role", role=role)
        member = await self._member(guild, user, attempt)
        if isinstance(member, ActionResult):
            return member
        try:
            await member.add_roles(given, reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Remove a member, who may come back with an invite."""
        found = self._target(community, user, "kick_members")
        if isinstance(found, ActionResult):
            return found
        guild, user_id, attempt = found
        try:
            await guild.kick(discord.Object(id=user_id), reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        """Ban; Discord deletes at most the last 7 days of the member's messages with it."""
        found = self._target(community, user, "ban_members")
        if isinstance(found, ActionResult):
            return found
        guild, user_id, attempt = found
        purge = max(0, min(delete_message_seconds, MAX_BAN_PURGE))
        try:
            await guild.ban(discord.Object(id=user_id), reason=reason,
                            delete_message_seconds=purge)
        except Exception as exc:
            return await explain(exc, attempt)
        note = "messages of the last 7 days deleted (Discord's limit)" \
            if delete_message_seconds > MAX_BAN_PURGE else ""
        return ActionResult.ok(note)

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Lift a ban."""
        found = self._target(community, user, "ban_members")
        if isinstance(found, ActionResult):
            return found
        guild, user_id, attempt = found
        try:
            await guild.unban(discord.Object(id=user_id), reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    # -- channels ----------------------------------------------------------------------------

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        """Discord's channel slowmode (0 to 6 hours)."""
        if not 0 <= seconds <= MAX_SLOWMODE:
            return unsupported("Discord's slowmode is at most 6 hours",
                               "discord.limit.slowmode_too_long")
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        if not isinstance(where, SLOWMODE_CHANNELS):
            return unsupported(f"{channel} has no slowmode", "discord.limit.no_slowmode",
                               value=channel)
        needs = ("manage_threads",) if isinstance(where, discord.Thread) else ("manage_channels",)
        try:
            await where.edit(slowmode_delay=seconds, reason=reason)
        except Exception as exc:
            return await explain(exc, Attempt(needs, guild, where))
        return ActionResult.ok()

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Deny @everyone posting (a permission overwrite); Vigie keeps its own right to post."""
        return await self._lock(channel, True, reason)

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Give @everyone's posting rights back as they were before the lock."""
        return await self._lock(channel, False, reason)

    async def _lock(self, channel: str, locking: bool, reason: str) -> ActionResult:
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        if guild is None or where is None:
            return unsupported(f"{channel} cannot be locked", "discord.limit.no_lock",
                               value=channel)
        if isinstance(where, discord.Thread):
            try:
                await where.edit(locked=locking, reason=reason)
            except Exception as exc:
                return await explain(exc, Attempt(("manage_threads",), guild, where))
            return ActionResult.ok()
        attempt = Attempt(("manage_roles",), guild, where)
        try:
            if locking:
                await self._keep_posting(guild, where, reason)
            everyone = where.overwrites_for(guild.default_role)
            if locking:
                self._unlocked_as.setdefault(where.id, everyone)
                denied = discord.PermissionOverwrite(**dict(iter(everyone)))
                denied.update(**dict.fromkeys(LOCKED, False))
                await where.set_permissions(guild.default_role, overwrite=denied, reason=reason)
            else:
                before = self._unlocked_as.pop(where.id, None)
                if before is None:
                    before = discord.PermissionOverwrite(**dict(iter(everyone)))
                    before.update(**dict.fromkeys(LOCKED, None))
                await where.set_permissions(guild.default_role,
                                            overwrite=None if before.is_empty() else before,
                                            reason=reason)
        except Exception as exc:
            return await explain(exc, attempt)
        return ActionResult.ok()

    @staticmethod
    async def _keep_posting(guild: discord.Guild, where: discord.abc.GuildChannel,
                            reason: str) -> None:
        """Before denying @everyone, let Vigie itself post there (alerts, answers)."""
        me = guild.me
        if me is None or me.guild_permissions.administrator:
            return
        mine = where.overwrites_for(me)
        if mine.send_messages is not True:
            mine.update(send_messages=True)
            await where.set_permissions(me, overwrite=mine, reason=reason)

    # -- native features: polls, pins, scheduled events (bot/adapters/native.py) -------------

    async def send_poll(self, channel: str, question: str, options: Sequence[str],
                        duration: timedelta) -> ActionResult:
        """A Discord poll, open for whole hours (1 to 768; Vigie ends it on time itself)."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        attempt = Attempt(("send_messages", "send_polls"), guild, where)
        hours = min(MAX_POLL_HOURS, max(1, math.ceil(duration.total_seconds() / 3600)))
        poll = discord.Poll(question=question, duration=timedelta(hours=hours))
        for option in options:
            poll.add_answer(text=option)
        try:
            sent = await target.send(poll=poll, allowed_mentions=SAFE_MENTIONS)
            return ActionResult.ok(message_id=qualify(sent.id))
        except Exception as exc:
            return await explain(exc, attempt)

    async def close_poll(self, channel: str, message_id: str) -> ActionResult:
        """End the poll now (if Discord has not) and read its votes per answer."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        attempt = Attempt(("read_message_history",), guild, where)
        number = snowflake(message_id)
        if number is None:
            return failed(f"{message_id} is not a Discord message", "discord.error.unknown_message")
        try:
            message = await target.fetch_message(number)
            if message.poll is None:
                return failed("the message has no poll", "discord.error.unknown_message")
            if not message.poll.is_finalised():
                message = await message.end_poll()
            assert message.poll is not None
            counts = tuple(answer.vote_count for answer in message.poll.answers)
            return ActionResult("ok", message_id=message_id, counts=counts)
        except Exception as exc:
            return await explain(exc, attempt)

    async def pin_message(self, channel: str, message_id: str, pinned: bool) -> ActionResult:
        """Pin or unpin one of the channel's messages."""
        target = await self._channel(channel)
        if isinstance(target, ActionResult):
            return target
        guild, where = self._in(target)
        number = snowflake(message_id)
        if number is None or not hasattr(target, "get_partial_message"):
            return failed(f"{message_id} is not a Discord message", "discord.error.unknown_message")
        try:
            message = target.get_partial_message(number)
            await (message.pin() if pinned else message.unpin())
            return ActionResult.ok()
        except Exception as exc:
            return await explain(exc, Attempt(("pin_messages",), guild, where))

    async def guild_event(self, community: str, *, name: str, description: str,
                          start: datetime | None, end: datetime | None, location: str,
                          event_id: str, cancel: bool) -> ActionResult:
        """Create, edit or cancel the server's scheduled event (an external one: a place or a
        link); its id in message_id."""
        guild = self._guild(community)
        if isinstance(guild, ActionResult):
            return guild
        attempt = Attempt(("create_events",), guild, None)
        try:
            if event_id:
                number = snowflake(event_id)
                event = guild.get_scheduled_event(number or 0) or \
                    await guild.fetch_scheduled_event(number or 0)
                if cancel:
                    await event.cancel()
                    return ActionResult.ok(message_id=event_id)
                finish = end or event.end_time or (start or event.start_time)
                await event.edit(name=name[:100], description=description[:1000],
                                 start_time=start or event.start_time, end_time=finish,
                                 location=location[:100] or "-")
                return ActionResult.ok(message_id=event_id)
            assert start is not None and end is not None
            created = await guild.create_scheduled_event(
                name=name[:100], description=description[:1000], start_time=start,
                end_time=end, entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only, location=location[:100] or "-")
            return ActionResult.ok(message_id=qualify(created.id))
        except Exception as exc:
            return await explain(exc, attempt)
