"""Injectable clocks: real time, real time with an offset (console time travel), manual (tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "ManualClock", "OffsetClock", "SystemClock", "from_text", "to_text", "utc"]


def utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Clock:
    """Tells the time; `advances_alone` says whether time moves without being pushed."""

    advances_alone = True

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        """Current time, aware UTC."""
        raise NotImplementedError

    def on_jump(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever the clock jumps (time travel, manual advance)."""
        self._listeners.append(listener)

    def _jumped(self) -> None:
        for listener in self._listeners:
            listener()


class SystemClock(Clock):
    """The machine's clock."""

    def now(self) -> datetime:
        """Current time, aware UTC."""
        return datetime.now(UTC)


class OffsetClock(Clock):
    """The machine's clock shifted by an offset that only grows (console `:wait`)."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = timedelta()

    def now(self) -> datetime:
        """Current time plus the accumulated offset."""
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Jump forward by `delta`."""
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self.offset += delta
        self._jumped()


class ManualClock(Clock):
    """A clock that moves only when told to (tests, replay)."""

    advances_alone = False

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = utc(start) if start else datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        """The time last set."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Jump forward by `delta`."""
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self._now += delta
        self._jumped()

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (never backwards)."""
        moment = utc(moment)
        if moment > self._now:
            self._now = moment
            self._jumped()


def to_text(moment: datetime) -> str:
    """Fixed-width UTC text that sorts like time: `2026-11-22T10:00:00.000000Z`."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_text(text: str) -> datetime:
    """Inverse of `to_text` (also reads ISO-8601 with an offset)."""
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
