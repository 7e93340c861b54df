"""Reload notices between workers: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from typing import Any

import asyncpg
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["CHANNEL", "Notices", "OnNotice", "PostgresNotices", "RedisNotices"]

log = logging.getLogger("vigie.fleet")
CHANNEL = "vigie_reload"
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0

OnNotice = Callable[[str, str], Coroutine[Any, Any, None]]
"""Called with (the announcing worker, the revision it applied)."""


class Notices(ABC):
    """Announce a revision to the other workers; hear theirs. Losing one is allowed (the
    periodic check catches up), so every failure is logged, never raised."""

    def __init__(self) -> None:
        self._on_notice: OnNotice | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, on_notice: OnNotice) -> None:
        """Begin hearing notices."""
        self._on_notice = on_notice
        await self.connect()

    @abstractmethod
    async def connect(self) -> None:
        """(Re)connect the listener if it is not connected; never raises."""

    @abstractmethod
    async def announce(self, worker: str, revision: str) -> None:
        """Tell the others that `worker` now runs `revision`."""

    @abstractmethod
    async def close(self) -> None:
        """Stop hearing notices."""

    def _heard(self, payload: str | bytes, scope: str) -> None:
        """Decode a notice and hand it on, in its own task."""
        try:
            data = json.loads(payload)
            worker, revision = str(data["worker"]), str(data["revision"])
            if str(data.get("scope", "")) != scope:
                return  # another schema or prefix on the same server
        except (ValueError, KeyError, TypeError):
            log.warning("reload notice not understood: %r", payload)
            return
        if self._on_notice is not None:
            task = asyncio.create_task(self._on_notice(worker, revision))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    def _payload(worker: str, revision: str, scope: str) -> str:
        return json.dumps({"worker": worker, "revision": revision, "scope": scope})


class PostgresNotices(Notices):
    """LISTEN on a dedicated connection (a pooled one may be handed to someone else); a lost
    connection is opened again at once, then after 1 s, 2 s... up to 30 s between tries."""

    def __init__(self, dsn: str, application_name: str = "vigie notices") -> None:
        super().__init__()
        self.dsn = dsn
        self.application_name = application_name[:63]  # as pg_stat_activity shows it
        self._conn: Any = None
        self._scope = ""
        self._lock = asyncio.Lock()
        self._closing = False
        self._reconnecting: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        async with self._lock:
            if self._conn is not None and not self._conn.is_closed():
                return
            try:
                conn = await asyncpg.connect(
                    self.dsn, timeout=10,
                    server_settings={"application_name": self.application_name})
                self._scope = str(await conn.fetchval("SELECT current_schema()"))
                await conn.add_listener(CHANNEL, self._listener)
                conn.add_termination_listener(self._lost)
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError,
                    TimeoutError) as exc:
                log.warning("reload notices: cannot listen on PostgreSQL (%s); the periodic "
                            "check still applies edits", type(exc).__name__)
                return
            self._conn = conn

    def _listener(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self._heard(payload, self._scope)

    def _lost(self, _conn: Any) -> None:
        if self._closing or (self._reconnecting is not None and not self._reconnecting.done()):
            return
        log.warning("reload notices: the PostgreSQL connection was lost; listening again")
        self._reconnecting = asyncio.create_task(self._reconnect(), name="vigie-notices-again")

    async def _reconnect(self) -> None:
        delay = FIRST_RETRY_S
        while not self._closing:
            await self.connect()
            if self._conn is not None and not self._conn.is_closed():
                log.info("reload notices: listening on PostgreSQL again")
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_S)

    async def announce(self, worker: str, revision: str) -> None:
        await self.connect()
        async with self._lock:
            if self._conn is None:
                return
            try:
                await self._conn.execute("SELECT pg_notify($1, $2)", CHANNEL,
                                         self._payload(worker, revision, self._scope))
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                log.warning("reload notice not sent (%s)", type(exc).__name__)

    async def close(self) -> None:
        self._closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
        async with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await conn.close(timeout=5)
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError):
                conn.terminate()


class RedisNotices(Notices):
    """SUBSCRIBE on a channel under the Redis key prefix."""

    def __init__(self, url: str, prefix: str = "vigie:") -> None:
        super().__init__()
        self.url = url
        self.channel = f"{prefix}{CHANNEL}"
        self._redis: Redis = Redis.from_url(url, socket_connect_timeout=2)
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        if self._reader is not None and not self._reader.done():
            return
        ready: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(ready), name="vigie-reload-notices")
        await ready

    async def _read(self, ready: asyncio.Future[bool]) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.channel)
            ready.set_result(True)
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self._heard(message["data"], self.channel)
        except (RedisError, OSError) as exc:
            log.warning("reload notices: Redis subscription lost (%s); the periodic check "
                        "still applies edits", type(exc).__name__)
        finally:
            if not ready.done():
                ready.set_result(False)
            await pubsub.aclose()

    async def announce(self, worker: str, revision: str) -> None:
        await self.connect()
        try:
            await self._redis.publish(self.channel,
                                      self._payload(worker, revision, self.channel))
        except (RedisError, OSError) as exc:
            log.warning("reload notice not sent (%s)", type(exc).__name__)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        await self._redis.aclose()
