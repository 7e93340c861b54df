"""Members looked up on Discord: once per event handled, so a sanction costs one request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import aiohttp
import discord

__all__ = ["fetch_member", "one_look_per_event"]

log = logging.getLogger("vigie.discord")

# (guild id, member id) -> the member Discord returned, or None for "Unknown Member".
_Seen = dict[tuple[int, int], discord.Member | None]
_seen: ContextVar[_Seen | None] = ContextVar("vigie_discord_seen", default=None)


@contextmanager
def one_look_per_event() -> Iterator[None]:
    """While one event is handled, a member fetched is not fetched again (the next event is)."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


async def fetch_member(guild: discord.Guild, member_id: int) -> discord.Member | None:
    """The member from the guild cache, this event's earlier look, or one request."""
    member = guild.get_member(member_id)
    if member is not None:
        return member
    seen = _seen.get()
    key = (guild.id, member_id)
    if seen is not None and key in seen:
        return seen[key]
    try:
        member = await guild.fetch_member(member_id)
    except discord.NotFound:
        member = None  # not (or no longer) in the server: worth remembering too
    except (TimeoutError, discord.HTTPException, aiohttp.ClientError) as exc:
        log.debug("member lookup failed %s: %s", member_id, exc)
        return None
    if seen is not None:
        seen[key] = member
    return member
