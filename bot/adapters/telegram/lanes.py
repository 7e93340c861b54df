"""One lane per chat: a chat's updates are handled in order, different chats concurrently."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["FAILED", "Lanes"]

log = logging.getLogger("vigie.telegram")
T = TypeVar("T")
FAILED = "failed"
"""What an item's future holds when its handler raised (the error is logged)."""


class Lanes(Generic[T]):
    """Runs `handle` on items in order per key; a worker lives while its lane has work.

    `submit` gives a future of what the handler returned for that item (FAILED if it raised),
    for callers that answer only once the item is handled (webhooks).
    """

    def __init__(self, handle: Callable[[T], Awaitable[str]]) -> None:
        self._handle = handle
        self._queues: dict[Hashable, deque[tuple[T, asyncio.Future[str]]]] = {}
        self._workers: dict[Hashable, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values()) + len(self._workers)

    def submit(self, key: Hashable, item: T) -> asyncio.Future[str]:
        """Queue `item` behind the earlier items of the same key; the future of its outcome."""
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
        done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        queue.append((item, done))
        if key not in self._workers:
            self._idle.clear()
            self._workers[key] = asyncio.create_task(self._work(key), name=f"vigie-lane-{key}")
        return done

    async def _work(self, key: Hashable) -> None:
        queue = self._queues[key]
        try:
            while queue:
                item, done = queue.popleft()
                try:
                    outcome = await self._handle(item)
                except Exception:
                    log.exception("update handling failed lane=%s", key)
                    outcome = FAILED
                except BaseException:
                    done.cancel()
                    raise
                if not done.done():
                    done.set_result(outcome)
        finally:
            for _item, waiting in queue:
                waiting.cancel()
            # No await between the emptiness check and the removal: a new item starts a new worker.
            del self._queues[key]
            del self._workers[key]
            if not self._workers:
                self._idle.set()

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every lane is empty; False when `timeout` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Cancel the work in progress and drop what is queued."""
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
