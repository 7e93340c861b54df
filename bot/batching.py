"""Writes that nobody waits for (audit, statistics) queued in memory and written in batches.

Backpressure: a healthy writer whose queue reaches its high-water mark (HIGH_WATER batches) is
*behind*; the dispatcher awaits `catch_up` after such a message, which lets the loop run the
write before the next message is handled. So when messages come faster than the database
takes them (the loop saturated), intake slows down to the writers' pace instead of the queues
filling up to their limits; nothing acknowledged is dropped. A writer whose database fails is
never waited for (the bot goes on deciding; its queue is bounded by `limit`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sized
from typing import Any, Generic, TypeVar

from bot.loop import BackgroundLoop
from bot.storage import Store, StoreError, Transaction

__all__ = ["BEHIND", "HIGH_WATER", "BatchedWriter", "catch_up"]

log = logging.getLogger("vigie.batching")
T = TypeVar("T")
HIGH_WATER = 4
"""Batches (`size`) a writer may have queued before the message path waits for it."""
BEHIND: set[BatchedWriter[Any]] = set()
"""Writers past their high-water mark, until their next write (usually empty: one cheap
truth test per message)."""


async def catch_up(store: Store) -> None:
    """Wait until every writer of `store` that is behind has written once (or failed)."""
    for writer in [w for w in BEHIND if w.store is store]:
        await writer.caught_up()


class BatchedWriter(Generic[T]):
    """Queues items and writes each batch in one transaction, every `period` seconds, sooner
    when `size` are waiting, and all of them at stop. A failed write keeps the batch for later
    (the loop goes on; the failure is logged once, and the recovery); past `limit` queued items
    the oldest are dropped (and logged) rather than eating memory. Stopping never raises: what
    the database refuses then is logged as lost, so a full disk cannot block the shutdown.

    Subclasses implement `_write`; a subclass that merges items (counters) overrides `_take`
    and `_restore` too.
    """

    def __init__(self, store: Store, name: str, *, period: float, size: int,
                 limit: int = 100_000, high_water: int | None = None) -> None:
        self.store = store
        self.name = name
        self.period = period
        self.size = size
        self.limit = limit
        self.high_water = min(limit, high_water or size * HIGH_WATER)
        self._items: list[T] = []
        self._failures = 0
        self._loop = BackgroundLoop(name, self._tick)
        self._written = asyncio.Event()

    def add(self, item: T) -> None:
        """Queue an item; it is written within `period` seconds."""
        if len(self._items) >= self.limit:
            log.error("%s: %d items queued, dropping the oldest %d", self.name,
                      len(self._items), self.size)
            del self._items[: self.size]
        self._items.append(item)
        self.queued(len(self._items))

    def queued(self, count: int) -> None:
        """Subclasses that queue their own way report their count here."""
        if count >= self.size:
            self._loop.wake()
            if count >= self.high_water and not self._failures and self._loop.running:
                BEHIND.add(self)

    async def caught_up(self) -> None:
        """Return once this writer is no longer behind (its next write ended, or it stopped)."""
        while self in BEHIND:
            self._written.clear()
            await self._written.wait()

    def _release(self) -> None:
        """No longer behind: whoever waits for this writer goes on."""
        BEHIND.discard(self)
        self._written.set()

    def _take(self) -> Sized:
        """Detach what is queued."""
        batch, self._items = self._items, []
        return batch

    def _restore(self, batch: Any) -> None:
        """Put a batch that could not be written back in front of the queue."""
        self._items[:0] = batch

    async def _write(self, tx: Transaction, batch: Any) -> None:
        """Write one batch inside a transaction."""
        raise NotImplementedError

    async def flush(self) -> int:
        """Write everything queued in one transaction; return how many items were written."""
        batch = self._take()
        if not len(batch):
            return 0
        try:
            async with self.store.transaction() as tx:
                await self._write(tx, batch)
        except StoreError:
            self._restore(batch)
            raise
        return len(batch)

    async def _tick(self) -> float:
        try:
            await self.flush()
        except StoreError as exc:
            self._failures += 1
            if self._failures == 1:
                log.error("%s: write failed, will retry every %ss: %s", self.name, self.period,
                          exc)
        else:
            if self._failures:
                log.warning("%s: writing again after %d failed attempt(s)", self.name,
                            self._failures)
            self._failures = 0
        finally:
            self._release()
        return self.period

    def start(self) -> None:
        """Begin writing periodically."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop, then write what remains; what cannot be written is logged as lost."""
        await self._loop.stop()
        self._release()
        try:
            await self.flush()
        except StoreError as exc:
            lost = len(self._take())
            log.error("%s: %d queued item(s) could not be written at stop and are lost: %s",
                      self.name, lost, exc)
