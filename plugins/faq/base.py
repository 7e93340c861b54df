"""What the FAQ's hooks and commands share: the index cache, the records, the answer cooldowns."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from concurrent.futures import Future
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from bot.plugin import Plugin, PluginContext
from plugins.faq.encoder import SemanticStage, Vectors
from plugins.faq.index import FaqIndex
from plugins.faq.settings import FaqSettings
from plugins.faq.store import FaqStore

if TYPE_CHECKING:
    from plugins.faq.late import Waiting

__all__ = ["FaqBase"]

INDEX_CACHE = 32
PREPARE_SECONDS = 60.0
log = logging.getLogger("vigie.plugin.faq")
COOLDOWN_LIMIT = 50_000


class FaqBase(Plugin):
    """State of the FAQ plugin: one index per distinct section, rows to write, last answers."""

    name: ClassVar[str] = "faq"

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.records = FaqStore(ctx.services.store)
        self._indexes: OrderedDict[int, tuple[FaqSettings, FaqIndex]] = OrderedDict()
        self._by_content: OrderedDict[str, FaqIndex] = OrderedDict()
        self._answered: dict[tuple[str, str, str], datetime] = {}
        self.semantic = SemanticStage()
        self.waiting: dict[str, Waiting] = {}
        self._vectors: OrderedDict[int, tuple[FaqIndex, Future[Vectors]]] = OrderedDict()

    async def start(self) -> None:
        """Begin writing records; forget old misses."""
        await self.records.prune(self.ctx.services.clock.now())
        self.records.start()
        await self.prepare()

    async def prepare(self) -> None:
        """Load the encoder and encode the rule file's FAQs now (from the disk cache when
        they were encoded before), so that the first question does not wait for it."""
        if not self.semantic.available:
            return
        rules = self.ctx.rules
        sections = [getattr(rules.fallback, self.name, None)]
        sections += [getattr(rules.community(c), self.name, None) for c in rules.communities]
        waits = [asyncio.wrap_future(self.vectors(self.index(section)))
                 for section in sections
                 if isinstance(section, FaqSettings) and section.semantic and section.entries]
        try:
            await asyncio.wait_for(asyncio.gather(*waits), PREPARE_SECONDS)
        except Exception:  # slow or failing: the first questions wait, or get the words alone
            log.warning("the FAQ's examples are not encoded yet", exc_info=True)

    async def stop(self) -> None:
        """Write every queued record; stop the encoder thread."""
        await self.records.stop()
        self.semantic.close()

    def vectors(self, index: FaqIndex) -> Future[Vectors]:
        """The encoded examples of an index's entries (encoded once, in the encoder thread)."""
        cached = self._vectors.get(id(index))
        if cached is not None and cached[0] is index:
            return cached[1]
        found = self.semantic.vectors(index.entries)
        self._vectors[id(index)] = (index, found)
        if len(self._vectors) > INDEX_CACHE:
            self._vectors.popitem(last=False)
        return found

    def index(self, settings: FaqSettings) -> FaqIndex:
        """The index of a section: built once per distinct content, cached per settings object."""
        cached = self._indexes.get(id(settings))
        if cached is not None and cached[0] is settings:
            return cached[1]
        fingerprint = hashlib.sha256(
            settings.model_dump_json(include={"entries"}).encode()).hexdigest()
        index = self._by_content.get(fingerprint)
        if index is None:
            index = FaqIndex(settings.entries)
            if settings.semantic and self.semantic.available:
                self.vectors(index)  # start encoding the examples now, in the encoder thread
            self._by_content[fingerprint] = index
            if len(self._by_content) > INDEX_CACHE:
                self._by_content.popitem(last=False)
        self._indexes[id(settings)] = (settings, index)
        if len(self._indexes) > INDEX_CACHE * 8:
            self._indexes.popitem(last=False)
        return index

    def cooling(self, key: tuple[str, str, str], now: datetime, cooldown: timedelta) -> bool:
        """True when this entry was answered in this channel less than `cooldown` ago."""
        last = self._answered.get(key)
        return last is not None and now - last < cooldown

    def answered(self, key: tuple[str, str, str], now: datetime) -> None:
        """Remember an answer, for the cooldown."""
        if len(self._answered) >= COOLDOWN_LIMIT:
            oldest = sorted(self._answered.items(), key=lambda item: item[1])
            self._answered = dict(oldest[COOLDOWN_LIMIT // 2:])
        self._answered[key] = now
