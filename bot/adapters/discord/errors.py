"""Discord's refusals turned into results a CM can act on: which permission, where, or why not."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord

from bot.adapters.base import ActionResult
from bot.i18n import Msg
from bot.logs import redact

__all__ = ["PERMISSIONS", "Attempt", "explain", "failed", "unsupported"]

log = logging.getLogger("vigie.discord")

# Permissions Vigie may need, as Discord's settings name them (catalog: discord.perm.<name>).
PERMISSIONS = {
    "view_channel": "View Channels",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
    "manage_messages": "Manage Messages",
    "manage_channels": "Manage Channels",
    "manage_threads": "Manage Threads",
    "manage_roles": "Manage Roles",
    "moderate_members": "Timeout Members",
    "kick_members": "Kick Members",
    "ban_members": "Ban Members",
    "administrator": "Administrator",
    "send_polls": "Create Polls",
    "pin_messages": "Pin Messages",
    "create_events": "Create Events",
}
MAX_DETAIL = 300

Channel = discord.abc.GuildChannel | discord.Thread


@dataclass(frozen=True, slots=True)
class Attempt:
    """What Vigie was doing, so a refusal can be explained: permissions it needs, where, on whom."""

    permissions: tuple[str, ...] = ()
    guild: discord.Guild | None = None
    channel: Channel | None = None
    target: int | None = None
    target_name: str = ""
    timeout: bool = False


def failed(detail: str, key: str, **params: Any) -> ActionResult:
    """A failure with its English detail (logs, case log) and its catalog message (people)."""
    return ActionResult.failed(detail, Msg.of(key, **params))


def unsupported(detail: str, key: str, **params: Any) -> ActionResult:
    """Something Discord (or this adapter) does not do, said for logs and for people."""
    return ActionResult.unsupported(detail, Msg.of(key, **params))


def _where(attempt: Attempt) -> tuple[str, str | Msg]:
    if attempt.channel is not None:
        name = f"#{attempt.channel.name}"
        return name, name
    return "the server", Msg.of("discord.where.server")


def _text(exc: BaseException) -> str:
    text = redact(getattr(exc, "text", "") or str(exc) or type(exc).__name__)
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 1] + "…"


async def explain(exc: BaseException, attempt: Attempt) -> ActionResult:
    """The result for an exception raised by a Discord call made for `attempt`."""
    if isinstance(exc, discord.RateLimited):
        return failed(f"rate limited by Discord for {exc.retry_after:.0f}s",
                      "discord.error.rate_limited")
    if isinstance(exc, discord.Forbidden):
        return await _forbidden(exc, attempt)
    if isinstance(exc, discord.NotFound):
        return _not_found(exc, attempt)
    if isinstance(exc, discord.DiscordServerError):
        return failed(f"Discord server error {exc.status}: {_text(exc)}", "discord.error.server",
                      status=exc.status)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            return failed("rate limited by Discord", "discord.error.rate_limited")
        return failed(f"Discord refused ({exc.status}, code {exc.code}): {_text(exc)}",
                      "discord.error.refused", status=exc.status, error=_text(exc))
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return failed(f"Discord unreachable: {_text(exc)}", "discord.error.unreachable",
                      error=type(exc).__name__)
    if isinstance(exc, discord.ClientException):
        return failed(f"discord.py refused: {_text(exc)}", "discord.error.refused",
                      status="-", error=_text(exc))
    log.error("unexpected error from a Discord call", exc_info=exc)
    return failed(f"unexpected error: {type(exc).__name__}: {_text(exc)}",
                  "discord.error.refused", status="-", error=type(exc).__name__)


async def _forbidden(exc: discord.Forbidden, attempt: Attempt) -> ActionResult:
    if exc.code == 50007:
        name = attempt.target_name or str(attempt.target or "?")
        return failed(f"{name} does not accept private messages from Vigie",
                      "discord.error.dm_closed", member=name)
    missing = _missing_permission(attempt, exc.code == 50001)
    if missing is not None:
        label, where = PERMISSIONS[missing], _where(attempt)
        return failed(f"missing permission {label} in {where[0]}", "discord.error.permission",
                      permission=Msg.of(f"discord.perm.{missing}"), where=where[1])
    protected = await _protected_target(attempt)
    if protected is not None:
        return protected
    return failed(f"Discord refused (403, code {exc.code}): {_text(exc)}",
                  "discord.error.refused", status=403, error=_text(exc))


def _missing_permission(attempt: Attempt, missing_access: bool) -> str | None:
    """The first permission Vigie needs and lacks, by the cached roles and overwrites."""
    guild = attempt.guild
    me = guild.me if guild is not None else None
    if me is None:
        return "view_channel" if missing_access else None
    perms = attempt.channel.permissions_for(me) if attempt.channel is not None \
        else me.guild_permissions
    needed = ("view_channel", *attempt.permissions) if attempt.channel is not None \
        else attempt.permissions
    for name in needed:
        if not getattr(perms, name, True):
            return name
    return "view_channel" if missing_access and attempt.channel is not None else None


async def _protected_target(attempt: Attempt) -> ActionResult | None:
    """The owner, an administrator (timeouts) or a member whose role is not below Vigie's."""
    guild, target = attempt.guild, attempt.target
    if guild is None or target is None or guild.me is None:
        return None
    member = guild.get_member(target)
    if member is None:
        try:
            member = await guild.fetch_member(target)
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError):
            return None
    name = attempt.target_name or member.name
    if member.id == guild.owner_id:
        return failed(f"{name} owns the server; Discord protects the owner",
                      "discord.error.owner", member=name)
    if attempt.timeout and member.guild_permissions.administrator:
        return failed(f"{name} has Administrator; Discord does not let bots time them out",
                      "discord.error.administrator", member=name)
    mine, theirs = guild.me.top_role, member.top_role
    if theirs >= mine:
        return failed(f"role hierarchy: Vigie's highest role ({mine.name}) is not above "
                      f"{name}'s ({theirs.name})", "discord.error.hierarchy",
                      bot_role=mine.name, member=name, member_role=theirs.name)
    return None


def _not_found(exc: discord.NotFound, attempt: Attempt) -> ActionResult:
    name = attempt.target_name or str(attempt.target or "?")
    if exc.code == 10008:
        return failed("unknown message (already deleted?)", "discord.error.unknown_message")
    if exc.code == 10007:
        return failed(f"{name} is not a member of this server", "discord.error.unknown_member",
                      member=name)
    if exc.code == 10013:
        return failed(f"Discord knows no user {name}", "discord.error.unknown_user", member=name)
    if exc.code == 10026:
        return failed(f"{name} is not banned", "discord.error.not_banned", member=name)
    if exc.code == 10003:
        channel = f"#{attempt.channel.name}" if attempt.channel is not None else "?"
        return failed(f"unknown channel {channel}", "discord.error.unknown_channel",
                      channel=channel)
    if exc.code == 10004:
        server = attempt.guild.name if attempt.guild is not None else "?"
        return failed(f"Vigie is not in the server {server}", "discord.error.not_in_server",
                      community=server)
    return failed(f"not found (404, code {exc.code}): {_text(exc)}", "discord.error.refused",
                  status=404, error=_text(exc))
