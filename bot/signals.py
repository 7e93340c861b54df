"""SIGINT and SIGTERM end `vigie run` cleanly: the run stops as at the end of input."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable
from types import TracebackType

__all__ = ["StopSignals"]

log = logging.getLogger("vigie.signals")
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """While installed, the first SIGINT or SIGTERM interrupts a start in progress (the store
    is closed on the way out), or, once `running`, ends `until()` so the caller stops in order
    (queued writes flushed, store closed); later signals are noted and ignored meanwhile."""

    def __init__(self) -> None:
        self.received = asyncio.Event()
        self.running = False
        self._task: asyncio.Task[object] | None = None
        self._installed: list[signal.Signals] = []

    def __enter__(self) -> StopSignals:
        self._task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, sig)  # not on Windows
                self._installed.append(sig)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._installed:
            loop.remove_signal_handler(sig)
        self._installed.clear()

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.received.is_set():
            log.warning("%s received again: already stopping", sig.name)
            return
        log.info("%s received: stopping", sig.name)
        self.received.set()
        if not self.running and self._task is not None:
            self._task.cancel()

    def interrupted(self) -> bool:
        """After a CancelledError: True when a signal caused it (the cancel is then undone)."""
        if not self.received.is_set():
            return False
        if self._task is not None:
            self._task.uncancel()
        return True

    async def until(self, work: Awaitable[object]) -> None:
        """Wait for `work` or a signal, whichever comes first."""
        self.running = True
        tasks = [asyncio.ensure_future(work), asyncio.ensure_future(self.received.wait())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        failure = None if tasks[0].cancelled() else tasks[0].exception()
        if failure is not None:
            raise failure
