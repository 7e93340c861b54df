"""Native features an adapter may offer beyond messages: polls, pins, scheduled events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.adapters.base import ActionResult

__all__ = ["NativeEvents", "Pinner", "PollSender"]


@runtime_checkable
class PollSender(Protocol):
    """An adapter that posts the platform's own polls; elsewhere a poll is a message with one
    button per option (see bot/native.py)."""

    async def send_poll(self, channel: str, question: str, options: Sequence[str],
                        duration: timedelta) -> ActionResult:
        """Post a poll open for about `duration` (the bot ends it itself); its message id."""
        ...

    async def close_poll(self, channel: str, message_id: str) -> ActionResult:
        """End the poll; the result carries the final votes per option in `counts`."""
        ...


@runtime_checkable
class Pinner(Protocol):
    """An adapter that pins and unpins messages."""

    async def pin_message(self, channel: str, message_id: str, pinned: bool) -> ActionResult:
        """Pin (`pinned`) or unpin a message."""
        ...


@runtime_checkable
class NativeEvents(Protocol):
    """An adapter whose platform has scheduled events (Discord's guild events)."""

    async def guild_event(self, community: str, *, name: str, description: str,
                          start: datetime | None, end: datetime | None, location: str,
                          event_id: str, cancel: bool) -> ActionResult:
        """Create (no `event_id`), edit or cancel an event; a created one's id in message_id."""
        ...
