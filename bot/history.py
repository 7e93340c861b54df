"""Recent message ids per channel, so CMs can purge on platforms without a history API."""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime
from typing import NamedTuple

__all__ = ["History", "Seen"]

PER_CHANNEL = 1000
MAX_CHANNELS = 10_000


class Seen(NamedTuple):
    """A message the bot saw (a tuple: one is made per message)."""

    message_id: str
    author_id: str
    ts: datetime


class History:
    """The last PER_CHANNEL messages of the most recently active channels, in memory."""

    def __init__(self, per_channel: int = PER_CHANNEL, max_channels: int = MAX_CHANNELS) -> None:
        self.per_channel = per_channel
        self.max_channels = max_channels
        self._channels: OrderedDict[str, deque[Seen]] = OrderedDict()

    def add(self, channel: str, message_id: str, author_id: str, ts: datetime) -> None:
        """Remember a message."""
        seen = self._channels.get(channel)
        if seen is None:
            seen = self._channels[channel] = deque(maxlen=self.per_channel)
            if len(self._channels) > self.max_channels:
                self._channels.popitem(last=False)
        else:
            self._channels.move_to_end(channel)
        seen.append(Seen(message_id, author_id, ts))

    def forget(self, channel: str, message_id: str) -> None:
        """Drop a deleted message."""
        seen = self._channels.get(channel)
        if seen is not None:
            for item in seen:
                if item.message_id == message_id:
                    seen.remove(item)
                    break

    def recent(self, channel: str, limit: int, author_id: str | None = None,
               exclude: set[str] | None = None) -> list[Seen]:
        """Up to `limit` most recent messages, newest first (of one author if given)."""
        found: list[Seen] = []
        for item in reversed(self._channels.get(channel, ())):
            if author_id is not None and item.author_id != author_id:
                continue
            if exclude and item.message_id in exclude:
                continue
            found.append(item)
            if len(found) >= limit:
                break
        return found
