"""Webhook workers behind one URL: an update of a chat held by another worker is posted to it."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

from bot.adapters.telegram.webhook import FORWARDED_HEADER, SECRET_HEADER
from bot.logs import redact

__all__ = ["FORWARD_TIMEOUT", "Forwarder"]

log = logging.getLogger("vigie.telegram")
FORWARD_TIMEOUT = 30.0  # seconds: the holder answers once the update is handled
RETRY_LATER = 503  # what Telegram is told when the update could not be handled now


class Forwarder:
    """Posts updates to peers with the webhook's secret; answers with the peer's HTTP status."""

    def __init__(self, secret: str, worker_id: str) -> None:
        self.secret = secret
        self.worker_id = worker_id
        self._session: aiohttp.ClientSession | None = None

    async def post(self, url: str, update: dict[str, Any]) -> int:
        """The peer's status for `update` (200 once handled there); 503 if it cannot answer."""
        if not url:
            return RETRY_LATER
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=FORWARD_TIMEOUT))
        try:
            async with self._session.post(url, json=update, headers={
                    SECRET_HEADER: self.secret, FORWARDED_HEADER: self.worker_id}) as response:
                return response.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.warning("update %s not forwarded to %s: %s", update.get("update_id"), url,
                        redact(str(exc)) or type(exc).__name__)
            return RETRY_LATER

    async def close(self) -> None:
        """Close the connections to peers."""
        if self._session is not None:
            await self._session.close()
            self._session = None
