"""Answers to interactions: a slash command's replies fill its response; a click's are private."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.config import SAFE_MENTIONS

__all__ = ["Answer", "answering", "current"]

log = logging.getLogger("vigie.discord")
_NETWORK = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError)


@dataclass
class Answer:
    """The interaction being handled: Discord expects its answer through the interaction."""

    interaction: discord.Interaction[Any]
    channel: str
    clicked: str | None = None
    used: bool = False

    @property
    def command(self) -> bool:
        """A slash command (else a button click)."""
        return self.clicked is None

    def takes(self, channel: str, reply_to: str | None) -> bool:
        """Whether a message is the answer: any in a command's channel; a reply to a click."""
        if channel != self.channel:
            return False
        return self.command or reply_to == self.clicked

    async def send(self, chunks: Sequence[str],
                   view: discord.ui.View | None) -> int | None:
        """Post through the interaction; the id of the last message, None if it expired."""
        last: int | None = None
        try:
            for index, chunk in enumerate(chunks or [""]):
                extra: dict[str, Any] = {"allowed_mentions": SAFE_MENTIONS}
                if view is not None and index == len(chunks or [""]) - 1:
                    extra["view"] = view
                content = chunk or None
                if self.command and not self.used:
                    message: discord.Message = await self.interaction.edit_original_response(
                        content=content, **extra)
                else:
                    message = await self.interaction.followup.send(
                        content or discord.utils.MISSING, wait=True,
                        ephemeral=not self.command, **extra)
                self.used = True
                last = message.id
        except _NETWORK as exc:
            log.warning("interaction answer failed, posting in the channel instead: %s", exc)
            return None
        return last


_current: ContextVar[Answer | None] = ContextVar("vigie_discord_answer", default=None)


def current() -> Answer | None:
    """The interaction whose event is being handled in this task, if any."""
    return _current.get()


@asynccontextmanager
async def answering(interaction: discord.Interaction[Any], channel: str,
                    clicked: str | None = None) -> AsyncIterator[Answer | None]:
    """Acknowledge at once (Discord allows 3 s), then let the event's messages answer it."""
    try:
        if clicked is None:
            await interaction.response.defer(thinking=True)
        else:
            await interaction.response.defer()
    except _NETWORK as exc:
        log.warning("could not acknowledge interaction %s: %s", interaction.id, exc)
        yield None
        return
    answer = Answer(interaction, channel, clicked)
    token = _current.set(answer)
    try:
        yield answer
    finally:
        _current.reset(token)
        if answer.command and not answer.used:
            try:
                await interaction.delete_original_response()
            except _NETWORK as exc:
                log.info("could not remove the pending answer of %s: %s", interaction.id, exc)
