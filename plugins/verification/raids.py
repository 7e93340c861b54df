"""Join rate per community, in process memory: when it crosses the line, raid mode is on."""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta

from plugins.verification.settings import RaidSettings

__all__ = ["RaidWatch"]

MAX_COMMUNITIES = 10_000


class RaidWatch:
    """Recent joins and raid ends per community; lost at restart (the raid's end job is not)."""

    def __init__(self) -> None:
        self.joins: OrderedDict[str, deque[datetime]] = OrderedDict()
        self.until: dict[str, datetime] = {}
        self.since: dict[str, datetime] = {}

    def join(self, community: str, now: datetime, raid: RaidSettings) -> tuple[bool, bool, int]:
        """Count a join: (in raid mode, declared by this join, joins within the window)."""
        recent = self.joins.get(community)
        if recent is None:
            recent = self.joins[community] = deque(maxlen=raid.joins * 2)
            if len(self.joins) > MAX_COMMUNITIES:
                old, _ = self.joins.popitem(last=False)
                self.until.pop(old, None)
                self.since.pop(old, None)
        self.joins.move_to_end(community)
        recent.append(now)
        while recent and recent[0] <= now - raid.within:
            recent.popleft()
        ongoing = self.until.get(community)
        in_raid = ongoing is not None and ongoing > now
        declare = not in_raid and len(recent) >= raid.joins
        if declare:
            self.since[community] = recent[0]
        if in_raid or declare:
            self.until[community] = now + raid.quiet
        return in_raid or declare, declare, len(recent)

    def extend(self, community: str, now: datetime, quiet: timedelta) -> None:
        """Raid mode declared elsewhere (automod's): it lasts until `quiet` after this join."""
        self.since.setdefault(community, now)
        self.until[community] = now + quiet

    def started(self, community: str) -> datetime | None:
        """When the community's current raid started (its first counted join)."""
        return self.since.get(community)

    def ends(self, community: str) -> datetime | None:
        """When the current raid ends if no one else joins."""
        return self.until.get(community)

    def end(self, community: str) -> None:
        """Raid mode is over."""
        self.until.pop(community, None)
        self.since.pop(community, None)
