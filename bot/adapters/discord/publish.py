"""Scheduled posts on Discord: the parts as messages that never ping @everyone, @here or roles,
an image as an embed (URL) or an attachment (file), and the pin of a series moved along."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import discord

from bot.adapters.base import ActionResult
from bot.adapters.discord.errors import Attempt, Channel, explain, failed
from bot.adapters.discord.ids import qualify, snowflake
from bot.adapters.discord.render import EMBED_LIMIT, MESSAGE_LIMIT

__all__ = ["NO_PINGS", "publish"]

log = logging.getLogger("vigie.discord")
NO_PINGS = discord.AllowedMentions(everyone=False, roles=False, users=False, replied_user=False)
"""An announcement mentions nobody: written names stay text."""


def _where(target: object) -> tuple[discord.Guild | None, Channel | None]:
    if isinstance(target, discord.abc.GuildChannel | discord.Thread):
        return target.guild, target
    return None, None


async def publish(target: discord.abc.Messageable, channel: str, parts: Sequence[str], *,
                  markup: str, image: str, preview: bool, pin: bool,
                  unpin: str) -> ActionResult:
    """Post `parts` in `target` (`markup` "embed": each part is an embed's description)."""
    embed_style = markup == "embed"
    limit = EMBED_LIMIT if embed_style else MESSAGE_LIMIT
    if not parts or not all(parts):
        return failed("Discord cannot post an empty message", "discord.limit.empty")
    if any(len(p) > limit for p in parts):
        return failed(f"a post part is longer than {limit} characters", "discord.error.refused",
                      status="-", error=f"longer than {limit} characters")
    guild, where = _where(target)
    needs = ["send_messages_in_threads" if isinstance(target, discord.Thread) else
             "send_messages"]
    needs += ["embed_links"] if embed_style or image.startswith(("http://", "https://")) else []
    needs += ["attach_files"] if image and not image.startswith(("http://", "https://")) else []
    attempt = Attempt(tuple(needs), guild, where)
    first: discord.Message | None = None
    try:
        for index, part in enumerate(parts):
            extra: dict[str, Any] = {"allowed_mentions": NO_PINGS}
            embed = discord.Embed(description=part) if embed_style else None
            if index == 0 and image:
                if image.startswith(("http://", "https://")):
                    embed = embed or discord.Embed()
                    embed.set_image(url=image)
                else:
                    extra["file"] = discord.File(Path(image))
            if embed is not None:
                extra["embed"] = embed
            if not preview and not embed_style:
                extra["suppress_embeds"] = embed is None
            sent = await target.send(None if embed_style else part, **extra)
            first = first or sent
    except OSError as exc:
        return failed(f"cannot read image {image}: {exc}", "discord.error.refused",
                      status="-", error=f"image {image}: {exc.strerror or exc}")
    except Exception as exc:
        return await explain(exc, attempt)
    assert first is not None
    detail = await _move_pin(target, first, pin, unpin, guild, where)
    return ActionResult.ok(detail, message_id=qualify(first.id))


async def _move_pin(target: discord.abc.Messageable, first: discord.Message, pin: bool,
                    unpin: str, guild: discord.Guild | None, where: Channel | None) -> str:
    """Unpin the series' previous post and pin this one; a refusal is said, not raised."""
    notes = []
    attempt = Attempt(("manage_messages",), guild, where)
    old = snowflake(unpin) if unpin else None
    if old is not None and hasattr(target, "get_partial_message"):
        try:
            await target.get_partial_message(old).unpin(reason="Vigie: next post of the series")
        except Exception as exc:
            result = await explain(exc, attempt)
            notes.append(f"previous post not unpinned: {result.detail}")
    if pin:
        try:
            await first.pin(reason="Vigie: scheduled post")
        except Exception as exc:
            result = await explain(exc, attempt)
            notes.append(f"not pinned: {result.detail}")
    if notes:
        log.warning("publish pin channel=%s: %s", getattr(target, "id", "?"), "; ".join(notes))
    return "; ".join(notes)
