"""Long polling with several workers: one leader polls, elected through the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.fleet.routing import Routing

__all__ = ["LEAD_EVERY", "PollingLeader"]

log = logging.getLogger("vigie.telegram")
LEAD_EVERY = 5.0  # seconds between two looks at the leadership


class PollingLeader:
    """Polls while this worker holds `role`; the others wait and take over when its lease ends."""

    def __init__(self, routing: Routing, role: str, start: Callable[[], Awaitable[None]],
                 stop: Callable[[], Awaitable[None]], *, every: float = LEAD_EVERY) -> None:
        self.routing = routing
        self.role = role
        self._start = start
        self._stop = stop
        self.every = every
        self.polling = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin: poll at once if this worker can lead, else keep looking."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="vigie-telegram-leader")

    async def step(self) -> None:
        """Look once: start polling on becoming leader, stop on losing it."""
        try:
            leading = await self.routing.lead(self.role)
        except Exception as exc:  # the database is away: keep what this worker knows
            log.warning("telegram polling leader: cannot read the owners table (%s)", exc)
            leading = self.routing.leads(self.role)
        if leading and not self.polling:
            await self._start()
            self.polling = True
            log.info("telegram: worker %s leads long polling", self.routing.worker_id)
        elif not leading and self.polling:
            await self._stop()
            self.polling = False
            log.warning("telegram: worker %s no longer leads long polling (its lease ended)",
                        self.routing.worker_id)
        elif not leading:
            log.debug("telegram: another worker leads long polling")

    async def _run(self) -> None:
        while True:
            try:
                await self.step()
            except Exception:
                log.exception("telegram: could not start or stop long polling")
            await asyncio.sleep(self.every)

    async def stop(self) -> None:
        """Stop looking (the caller stops polling)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
