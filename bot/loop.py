"""A background loop that runs a step, waits (or is woken), and stops without losing a wake-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["BackgroundLoop"]

log = logging.getLogger("vigie.loop")
RETRY_SECONDS = 5.0

Step = Callable[[], Awaitable[float | None]]


class BackgroundLoop:
    """Runs `step` until stopped; `step` returns how long to wait (None: until woken).

    Stopping asks the loop to end and waits for the step in progress, instead of cancelling it:
    on Python 3.11 a cancel that races with a wake-up inside `wait_for` can be lost, and a
    cancelled flush would lose its batch anyway.
    """

    def __init__(self, name: str, step: Step) -> None:
        self.name = name
        self.step = step
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin looping (once)."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=self.name)

    @property
    def running(self) -> bool:
        """Started and not asked to stop."""
        return self._task is not None and not self._stopping

    def wake(self) -> None:
        """Run the step again now rather than after the wait."""
        self._wake.set()

    async def stop(self) -> None:
        """Let the step in progress finish, then end the loop."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await self._task
        finally:
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                wait = await self.step()
            except Exception:
                log.exception("%s: step failed; trying again in %ss", self.name, RETRY_SECONDS)
                wait = RETRY_SECONDS
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
