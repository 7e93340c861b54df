"""Webhook mode: an endpoint that checks Telegram's secret and answers once the update is handled.

Answering after the work (not on receipt) is what makes a crash safe: Telegram posts an update
again until a worker answers 200 for it.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.adapters.telegram.config import WebhookConfig

__all__ = ["FORWARDED_HEADER", "SECRET_HEADER", "Accept", "WebhookServer"]

log = logging.getLogger("vigie.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FORWARDED_HEADER = "X-Vigie-Forwarded-By"
MAX_BODY = 1024 * 1024
Accept = Callable[[dict[str, Any], str | None], Awaitable[int]]
"""Handles one update (and who forwarded it, if a worker did); the HTTP status to answer."""


class WebhookServer:
    """Serves `config.path` on `config.listen:config.port`; `accept` handles each update."""

    def __init__(self, config: WebhookConfig, accept: Accept) -> None:
        self.config = config
        self.accept = accept
        self.port: int | None = None
        self.refused = 0
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Listen; the port actually bound (useful when configured as 0)."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.config.path, self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.listen, self.config.port)
        await site.start()
        addresses = self._runner.addresses
        self.port = int(addresses[0][1]) if addresses else self.config.port
        log.info("webhook listening on %s:%s path=%s", self.config.listen, self.port,
                 self.config.path)
        return self.port

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.config.secret.encode()):
            self.refused += 1
            log.warning("webhook request refused: wrong or missing secret token from %s",
                        request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        forwarded_by = request.headers.get(FORWARDED_HEADER) or None
        try:
            status = await self.accept(data, forwarded_by)
        except ValueError:
            log.exception("webhook update not accepted update_id=%s", data.get("update_id"))
            return web.Response(status=400, text="unreadable update")
        return web.Response(status=status)
