"""Recent message ids per channel, so CMs can purge on platforms without a history API."""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta
from typing import NamedTuple

__all__ = ["History", "Seen"]

PER_CHANNEL = 1000
MAX_CHANNELS = 10_000
MAX_MESSAGES = 200_000
"""All channels together: past this, the least recently active channels are forgotten."""
MAX_AGE = timedelta(hours=48)
"""Telegram lets a bot delete messages for 48 hours: older ones are of no use to a purge."""


class Seen(NamedTuple):
    """A message the bot saw (a tuple: one is made per message)."""

    message_id: str
    author_id: str
    ts: datetime


class History:
    """The last messages of the most recently active channels, in memory, bounded three ways:
    per channel, in all (least recently active channels go first) and by age."""

    def __init__(self, per_channel: int = PER_CHANNEL, max_channels: int = MAX_CHANNELS,
                 max_messages: int = MAX_MESSAGES, max_age: timedelta = MAX_AGE) -> None:
        self.per_channel = per_channel
        self.max_channels = max_channels
        self.max_messages = max_messages
        self.max_age = max_age
        self._channels: OrderedDict[str, deque[Seen]] = OrderedDict()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, channel: str, message_id: str, author_id: str, ts: datetime) -> None:
        """Remember a message."""
        seen = self._channels.get(channel)
        if seen is None:
            seen = self._channels[channel] = deque(maxlen=self.per_channel)
        else:
            self._channels.move_to_end(channel)
            if seen and seen[0].ts < ts - self.max_age:
                self._expire(seen, ts - self.max_age)
        if len(seen) == self.per_channel:
            self._count -= 1  # the deque drops its oldest
        seen.append(Seen(message_id, author_id, ts))
        self._count += 1
        while len(self._channels) > 1 and (self._count > self.max_messages
                                           or len(self._channels) > self.max_channels):
            _, dropped = self._channels.popitem(last=False)
            self._count -= len(dropped)
        while len(self._channels) > 1:  # a channel silent for longer than max_age goes whole
            quiet = next(iter(self._channels.values()))
            if quiet and quiet[-1].ts >= ts - self.max_age:
                break
            self._channels.popitem(last=False)
            self._count -= len(quiet)

    def _expire(self, seen: deque[Seen], before: datetime) -> None:
        while seen and seen[0].ts < before:
            seen.popleft()
            self._count -= 1

    def forget(self, channel: str, message_id: str) -> None:
        """Drop a deleted message."""
        seen = self._channels.get(channel)
        if seen is not None:
            for item in seen:
                if item.message_id == message_id:
                    seen.remove(item)
                    self._count -= 1
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
