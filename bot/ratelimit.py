"""Sliding-window counters with bounded memory, for command floods and once-only notices."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable
from datetime import datetime, timedelta

__all__ = ["Cooldown", "SlidingWindow"]

MAX_KEYS = 100_000


class SlidingWindow:
    """At most `limit` hits per `window` for each key."""

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._hits: OrderedDict[Hashable, deque[datetime]] = OrderedDict()

    def hit(self, key: Hashable, now: datetime) -> bool:
        """Count a hit; False when the key is over its limit (the hit is not counted)."""
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            if len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
        self._hits.move_to_end(key)
        horizon = now - self.window
        while hits and hits[0] <= horizon:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


class Cooldown:
    """True the first time a key is seen, then False until `period` has passed."""

    def __init__(self, period: timedelta) -> None:
        self.period = period
        self._until: OrderedDict[Hashable, datetime] = OrderedDict()

    def ready(self, key: Hashable, now: datetime) -> bool:
        """Whether the key may fire now (and start its cooldown if so)."""
        until = self._until.get(key)
        if until is not None and now < until:
            return False
        self._until[key] = now + self.period
        self._until.move_to_end(key)
        if len(self._until) > MAX_KEYS:
            self._until.popitem(last=False)
        return True
