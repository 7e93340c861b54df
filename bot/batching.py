"""Writes that nobody waits for (audit, statistics) queued in memory and written in batches."""

from __future__ import annotations

import logging
from collections.abc import Sized
from typing import Any, Generic, TypeVar

from bot.loop import BackgroundLoop
from bot.storage import Store, StoreError, Transaction

__all__ = ["BatchedWriter"]

log = logging.getLogger("vigie.batching")
T = TypeVar("T")


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
                 limit: int = 100_000) -> None:
        self.store = store
        self.name = name
        self.period = period
        self.size = size
        self.limit = limit
        self._items: list[T] = []
        self._failures = 0
        self._loop = BackgroundLoop(name, self._tick)

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
        return self.period

    def start(self) -> None:
        """Begin writing periodically."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop, then write what remains; what cannot be written is logged as lost."""
        await self._loop.stop()
        try:
            await self.flush()
        except StoreError as exc:
            lost = len(self._take())
            log.error("%s: %d queued item(s) could not be written at stop and are lost: %s",
                      self.name, lost, exc)
