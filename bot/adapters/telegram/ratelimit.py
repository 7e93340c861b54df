"""Telegram's flood limits: AIORateLimiter paces messages; every call waits out a RetryAfter."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.adapters.telegram.errors import retry_seconds

__all__ = ["PACED_METHODS", "VigieRateLimiter"]

log = logging.getLogger("vigie.telegram")
JSON = bool | dict[str, Any] | list[dict[str, Any]]
# Methods that post something: paced at 30/s overall and 20/min per group (Telegram's limits).
# Moderation calls (delete, restrict, ban) are not held to the per-group message pace, so a raid
# is cleaned up at once; a 429 on them is still waited out.
PACED_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendAnimation",
                           "sendVideo", "sendAudio", "sendVoice", "sendSticker", "sendPoll",
                           "copyMessage", "forwardMessage", "editMessageText"})


class VigieRateLimiter(BaseRateLimiter[int]):
    """Paces messages with AIORateLimiter; on 429 waits `retry_after` (up to `max_wait`) and
    retries up to `max_retries` times, holding every other call meanwhile."""

    def __init__(self, max_retries: int = 2, max_wait: float = 60.0,
                 pacer: AIORateLimiter | None = None) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._pacer = pacer or AIORateLimiter(max_retries=0)
        self._open = asyncio.Event()
        self._open.set()

    async def initialize(self) -> None:
        """Start the pacer."""
        await self._pacer.initialize()

    async def shutdown(self) -> None:
        """Stop the pacer."""
        await self._pacer.shutdown()

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, JSON]], args: Any,
        kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        """Run one request, paced if it posts, retried after a 429 Telegram asked us to wait."""
        for attempt in range(self.max_retries + 1):
            await self._open.wait()
            try:
                if endpoint in PACED_METHODS:
                    return await self._pacer.process_request(callback, args, kwargs, endpoint,
                                                             data, None)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == self.max_retries or wait > self.max_wait:
                    raise
                log.warning("telegram rate limit method=%s retry_after=%ss attempt=%s",
                            endpoint, wait, attempt + 1)
                self._open.clear()
                try:
                    await asyncio.sleep(wait)
                finally:
                    self._open.set()
        raise AssertionError("unreachable")  # pragma: no cover
