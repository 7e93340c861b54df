"""What the hook and the command share: watches per term list, the store, the warning state."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import ClassVar

from bot.handovers import handovers_since
from bot.plugin import Plugin, PluginContext
from bot.storage import StoreError
from plugins.reputation.sentiment.lexicons import lexicon
from plugins.reputation.settings import ReputationSettings
from plugins.reputation.store import ReputationStore
from plugins.reputation.warning import TermWatch
from plugins.reputation.watch import Watch

__all__ = ["ReputationBase"]

WATCH_CACHE = 32
MAX_TRACKED = 20_000
"""(community, term) pairs whose recent mentions are kept for the warning."""
HANDOVERS_EVERY = timedelta(seconds=30)
"""How often (event time) a community's handovers to the CMs are read again."""


class ReputationBase(Plugin):
    """State of the plugin: one automaton per distinct term list, counters, recent mentions."""

    name: ClassVar[str] = "reputation"

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.records = ReputationStore(ctx.services.store)
        self._watches: OrderedDict[int, tuple[ReputationSettings, Watch]] = OrderedDict()
        self._by_content: OrderedDict[str, Watch] = OrderedDict()
        self.tracked: OrderedDict[tuple[str, str], TermWatch] = OrderedDict()
        self.examples_kept: dict[tuple[str, str, str, str], int] = {}
        self.warned: OrderedDict[str, dict[str, datetime]] = OrderedDict()
        self._handovers: OrderedDict[str, tuple[datetime, dict[str, datetime]]] = OrderedDict()
        self._examples_day = ""

    async def start(self) -> None:
        """Read the sentiment lexicons (half a second, once per process, off the message
        path); begin writing figures."""
        await asyncio.to_thread(lexicon)
        self.records.start()

    async def stop(self) -> None:
        """Write every queued figure."""
        await self.records.stop()

    def now(self) -> datetime:
        """The clock's time (event time during a replay)."""
        return self.ctx.services.clock.now()

    def watch(self, settings: ReputationSettings) -> Watch:
        """The automaton of a section's terms: built once per distinct term list."""
        cached = self._watches.get(id(settings))
        if cached is not None and cached[0] is settings:
            return cached[1]
        fingerprint = hashlib.sha256(
            settings.model_dump_json(include={"terms"}).encode()).hexdigest()
        watch = self._by_content.get(fingerprint)
        if watch is None:
            watch = Watch(settings.terms)
            self._by_content[fingerprint] = watch
            if len(self._by_content) > WATCH_CACHE:
                self._by_content.popitem(last=False)
        self._watches[id(settings)] = (settings, watch)
        if len(self._watches) > WATCH_CACHE * 8:
            self._watches.popitem(last=False)
        return watch

    async def term_watch(self, community: str, term: str, now: datetime,
                         baseline: timedelta) -> TermWatch:
        """The warning state of a term in a community (the least recently used goes first);
        a new one starts from the stored daily figures, so a restart keeps the baseline."""
        key = (community, term)
        found = self.tracked.get(key)
        if found is not None:
            self.tracked.move_to_end(key)
            return found
        found = self.tracked[key] = TermWatch()
        if len(self.tracked) > MAX_TRACKED:
            self.tracked.popitem(last=False)
        try:
            found.restore(await self.records.history(community, term, now - baseline), now)
        except StoreError as exc:
            self.ctx.log.warning("reputation baseline of %s in %s not read: %s", term,
                                 community, exc)
        return found

    async def handed_over(self, community: str, now: datetime,
                          within: timedelta) -> frozenset[str]:
        """Members of a community handed over to the CMs as angry customers (the escalation
        plugin's alerts about one member, read through bot/handovers) within `within` before
        `now`; the store is read again at most every HANDOVERS_EVERY."""
        cached = self._handovers.get(community)
        if cached is None or not timedelta(0) <= now - cached[0] < HANDOVERS_EVERY:
            members: dict[str, datetime] = {}
            try:
                for handover in await handovers_since(self.ctx.services.store, community,
                                                      now - within):
                    for member in handover.members:
                        members[member] = max(members.get(member, handover.at), handover.at)
            except StoreError as exc:
                self.ctx.log.warning("handovers of %s not read: %s", community, exc)
                members = cached[1] if cached is not None else {}
            cached = self._handovers[community] = (now, members)
            if len(self._handovers) > MAX_TRACKED:
                self._handovers.popitem(last=False)
        self._handovers.move_to_end(community)
        return frozenset(m for m, at in cached[1].items() if timedelta(0) <= now - at <= within)

    def spread(self, term: str, community: str, now: datetime,
               within: timedelta) -> list[str]:
        """Other communities (another platform, usually) where the same term warned within
        `within`; remembers this warning."""
        seen = self.warned.setdefault(term, {})
        self.warned.move_to_end(term)
        others = sorted(other for other, at in seen.items()
                        if other != community and now - at <= within)
        seen[community] = now
        for stale in [c for c, at in seen.items() if now - at > within * 4]:
            del seen[stale]
        if len(self.warned) > MAX_TRACKED:
            self.warned.popitem(last=False)
        return others

    def keep_example(self, day: str, community: str, term: str, label: str, limit: int) -> bool:
        """Whether one more example of this label may be kept for the term today."""
        if day != self._examples_day:
            self.examples_kept.clear()
            self._examples_day = day
        key = (community, term, label, day)
        kept = self.examples_kept.get(key, 0)
        if kept >= limit:
            return False
        self.examples_kept[key] = kept + 1
        return True
