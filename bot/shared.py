"""Windows shared by every worker through Redis, with a local fallback while Redis is down.

Each call is one command (a Lua script, atomic on the server). Calls made while a round trip is
in flight wait for it and then go together in one pipeline, so a busy worker makes one round
trip per batch of events, not per event. A call that fails (refused,
timed out) returns None: the caller keeps the count its own process made. The first failure is
logged once, then Redis is left alone for a backoff (1 s, doubling up to 30 s) before the next
try; the first success after that is logged once too. `notice(community)` hands each community
the matching alert once: "down" during an outage, "back" after it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import NoScriptError, RedisError

from bot.i18n import Msg
from bot.logs import redact

__all__ = ["BUSY_TTL", "UPDATE_TTL", "SharedWindows"]

log = logging.getLogger("vigie.redis")
TIMEOUT = 0.1  # seconds: a slow Redis must not hold a message longer than this
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
UPDATE_TTL = 600  # seconds an update id is remembered: webhook retries come within minutes
BUSY_TTL = 60  # seconds an update stays taken by a worker that has not finished it (or died)
MAX_JOINS = 10_000
SLACK_MS = 60_000  # keys outlive their window by a minute (expiry is only garbage collection)
_DOWN: Any = object()  # what a call gives when Redis could not answer

# KEYS: the sorted sets; ARGV: ts, entry, horizon, ttl ms, then how many entries each key keeps.
# Adds the entry to each set, drops entries older than the horizon (exclusive) and past the cap,
# and returns each set's entries in time order.
_POSTS = """
local out = {}
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[3])
  redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[4 + i]) + 1))
  redis.call('PEXPIRE', key, ARGV[4])
  out[i] = redis.call('ZRANGE', key, 0, -1)
end
return out
"""

# KEYS: joins set, raid mark; ARGV: ts, entry, window s, threshold, duration s, cap, ttl ms.
# Returns {joins within the window, 0 below the threshold | 1 raid declared now | 2 in raid};
# a declared or ongoing raid moves its end (the mark's value) to ts + duration.
_JOINS = """
local ts = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ts - tonumber(ARGV[3]))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[6]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
local count = redis.call('ZCARD', KEYS[1])
local ends = tonumber(redis.call('GET', KEYS[2]) or '0')
local state = 0
if ends > ts then state = 2 elseif count >= tonumber(ARGV[4]) then state = 1 end
if state > 0 then
  local new = ts + tonumber(ARGV[5])
  if new > ends then redis.call('SET', KEYS[2], string.format('%.6f', new), 'PX', ARGV[7]) end
end
return {count, state}
"""

# KEYS: the hits set; ARGV: ts, entry, window s, limit, ttl ms. 1 when the hit is allowed
# (and counted), 0 when the key is at its limit (not counted), as SlidingWindow.hit.
_BEGIN = """
return redis.call('SET', KEYS[1], 'busy', 'NX', 'GET', 'EX', ARGV[1])
"""
# KEYS: the key; ARGV: seconds. nil (false in Lua) for the first taker, else the value it holds.

_RATE = """
local ts = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ts - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""


def _where(url: str) -> str:
    """host:port of a Redis URL, for logs (never the password)."""
    parts = urlsplit(url)
    return redact(f"{parts.hostname or '?'}:{parts.port or 6379}")


class SharedWindows:
    """Counts over time windows kept in Redis, so that every worker counts the same events."""

    def __init__(self, url: str, *, prefix: str = "vigie:", timeout: float = TIMEOUT,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.where = _where(url)
        self.prefix = prefix
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0), decode_responses=True)
        self._scripts = {name: self._redis.register_script(code)
                         for name, code in (("posts", _POSTS), ("joins", _JOINS),
                                            ("rate", _RATE), ("begin", _BEGIN))}
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        self._sender: asyncio.Task[None] | None = None
        self._now = monotonic
        self._retry_at: float | None = None  # set while Redis is down: no call before then
        self._backoff = FIRST_BACKOFF
        self._told: set[str] = set()  # communities told of the current outage
        self._owed: set[str] = set()  # communities told of an outage that has ended since
        self._reported: set[str] = set()  # kinds of command errors already logged

    async def start(self) -> None:
        """Check Redis once; unreachable is logged, never fatal (local windows meanwhile)."""
        if await self._call(self._redis.ping) is not _DOWN:
            log.info("redis connected at %s: windows, rate limits and update ids are shared",
                     self.where)

    async def close(self) -> None:
        """Close the connections (calls still queued get no answer: local windows)."""
        if self._sender is not None:
            await asyncio.gather(self._sender, return_exceptions=True)
        await self._redis.aclose()

    async def _call(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one Redis call on its own; _DOWN when Redis is down or fails now."""
        if self._retry_at is not None and self._now() < self._retry_at:
            return _DOWN
        try:
            result = await call(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return _DOWN
        if self._retry_at is not None:
            self._recovered()
        return result

    async def _command(self, *command: Any) -> Any:
        """One command in the next pipeline; its reply, or _DOWN."""
        if self._retry_at is not None and self._now() < self._retry_at:
            return _DOWN
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((command, future))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send(), name="vigie-redis")
        return await future

    async def _script(self, name: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        return await self._command("EVALSHA", self._scripts[name].sha, len(keys), *keys, *args)

    async def _send(self) -> None:
        """Send what is queued, one pipeline per round trip, until the queue is empty."""
        batch: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    replies = await self._pipeline([command for command, _ in batch])
                except Exception:
                    log.exception("redis batch failed")
                    replies = [_DOWN] * len(batch)
                for (_, future), reply in zip(batch, replies, strict=True):
                    if not future.done():
                        future.set_result(reply)
        finally:
            self._sender = None
            for _, future in [*batch, *self._queue]:  # cancelled: nobody waits forever
                if not future.done():
                    future.set_result(_DOWN)
            self._queue = []

    async def _pipeline(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """The replies to `commands`, all _DOWN if Redis fails; scripts Redis has forgotten
        (a restart, SCRIPT FLUSH) are loaded again once."""
        for attempt in (1, 2):
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for command in commands:
                        pipe.execute_command(*command)
                    replies = await pipe.execute(raise_on_error=False)
                if attempt == 1 and any(isinstance(r, NoScriptError) for r in replies):
                    for script in self._scripts.values():
                        await self._redis.script_load(script.script)
                    continue
            except (RedisError, OSError) as exc:
                self._failed(exc)
                return [_DOWN] * len(commands)
            if self._retry_at is not None:
                self._recovered()
            self._report_errors(r for r in replies if isinstance(r, Exception))
            return [_DOWN if isinstance(r, Exception) else r for r in replies]
        raise AssertionError("unreachable")

    def _report_errors(self, errors: Iterable[BaseException]) -> None:
        """A command Redis refused (not an outage): that call counts locally; logged once a kind."""
        for error in errors:
            kind = type(error).__name__
            if kind not in self._reported:
                self._reported.add(kind)
                log.warning("redis refused a command (%s: %s): that count used this worker's own "
                            "window", kind, redact(str(error)))

    def _failed(self, exc: BaseException) -> None:
        if self._retry_at is None:
            log.warning("redis unreachable at %s (%s): counting with this worker's own windows "
                        "until it is back", self.where, redact(str(exc)) or type(exc).__name__)
        else:
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
        self._retry_at = self._now() + self._backoff

    def _recovered(self) -> None:
        log.warning("redis reachable again at %s: windows are shared again", self.where)
        self._retry_at = None
        self._backoff = FIRST_BACKOFF
        self._owed |= self._told
        self._told.clear()

    def notice(self, community: str) -> Msg | None:
        """The alert a community is owed now, once per outage: Redis down, or back."""
        if self._retry_at is not None:
            if community in self._told:
                return None
            self._told.add(community)
            return Msg.of("shared.down")
        if self._owed and community in self._owed:
            self._owed.discard(community)
            return Msg.of("shared.back")
        return None

    # -- the windows ---------------------------------------------------------------------

    async def posts(self, keys: Sequence[str], entry: str, ts: float, horizon: float,
                    keep: Sequence[int]) -> list[list[str]] | None:
        """Add a post to each key's window (from `horizon`, at most `keep` posts); each
        window's entries, oldest first."""
        ttl = int((ts - horizon) * 1000) + SLACK_MS
        result = await self._script("posts", [self.prefix + k for k in keys],
                                    [repr(ts), entry, repr(horizon), ttl, *keep])
        return None if result is _DOWN else [list(r) for r in result]

    async def joins(self, community: str, entry: str, ts: float, window: float, threshold: int,
                    duration: float) -> tuple[int, int] | None:
        """Count a join: (joins within `window`, 0 calm | 1 raid declared by this call | 2 raid
        going on); a declared or ongoing raid lasts `duration` from this join."""
        ttl = int(max(window, duration) * 1000) + SLACK_MS
        result = await self._script(
            "joins", [f"{self.prefix}joins:{community}", f"{self.prefix}raid:{community}"],
            [repr(ts), entry, repr(window), threshold, repr(duration), MAX_JOINS, ttl])
        return None if result is _DOWN else (int(result[0]), int(result[1]))

    async def raid_end(self, community: str) -> float | None:
        """When the community's raid ends (a timestamp), None if unknown or Redis is down."""
        value = await self._command("GET", f"{self.prefix}raid:{community}")
        return None if value is _DOWN or value is None else float(value)

    async def hit(self, key: str, entry: str, ts: float, window: float,
                  limit: int) -> bool | None:
        """A hit of a rate limit: False when `key` already has `limit` hits within `window`."""
        result = await self._script("rate", [self.prefix + key],
                                    [repr(ts), entry, repr(window), limit,
                                     int(window * 1000) + SLACK_MS])
        return None if result is _DOWN else bool(result)

    async def begin(self, key: str, ttl: int = BUSY_TTL) -> str | None:
        """Take `key` for work: "mine" for the first worker (SET NX, busy for `ttl` seconds),
        else what another worker left: "busy" (at work, or died at it) or "done"; None if down."""
        result = await self._script("begin", [self.prefix + key], [ttl])
        if result is _DOWN:
            return None
        if not result:
            return "mine"
        return result.decode() if isinstance(result, bytes) else str(result)

    async def finish(self, key: str, ttl: int = UPDATE_TTL) -> None:
        """Mark `key` done for `ttl` seconds: later deliveries of it are duplicates."""
        await self._command("SET", self.prefix + key, "done", "EX", ttl)
