"""Which worker serves each community: a lease in the `owners` table, renewed while it lives.

A scope (a community, or a role such as Telegram's long-polling leader) belongs to one worker at
a time. The first worker to take a free scope holds it; it renews every lease it holds with its
heartbeat and gives them back when it stops. A worker that dies (kill -9) keeps its scopes until
their leases end; then another worker may take them, or the same worker name at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, from_text, to_text
from bot.storage import Store, StoreError

__all__ = ["OWNER_LEASE", "Holder", "Owners"]

log = logging.getLogger("vigie.fleet")
OWNER_LEASE = timedelta(seconds=45)
"""How long a scope stays a worker's without renewal (renewed with every heartbeat)."""
WAIT_STEP = 1.0
RECHECK = timedelta(seconds=5)
"""How long a community found held by a live worker is left to it before the table is read again."""

_TAKE = (
    "INSERT INTO owners (scope, worker_id, since, lease_until)"
    " VALUES (:scope, :me, :now, :lease)"
    " ON CONFLICT (scope) DO UPDATE SET worker_id = excluded.worker_id,"
    " lease_until = excluded.lease_until,"
    " since = CASE WHEN owners.worker_id = excluded.worker_id THEN owners.since"
    " ELSE excluded.since END"
    " WHERE owners.worker_id = excluded.worker_id OR owners.lease_until <= :now"
    " RETURNING worker_id, lease_until")


@dataclass(frozen=True, slots=True)
class Holder:
    """The worker that holds a scope, and until when."""

    worker_id: str
    lease_until: datetime


class Owners:
    """This worker's leases; `enabled` is False on SQLite, where one process holds the database."""

    def __init__(self, store: Store, worker_id: str, clock: Clock, *,
                 lease: timedelta = OWNER_LEASE, wait_step: float = WAIT_STEP) -> None:
        self.store = store
        self.worker_id = worker_id
        self.clock = clock
        self.lease = lease
        self.wait_step = wait_step
        self._held: dict[str, datetime] = {}
        self._elsewhere: dict[str, datetime] = {}  # scope -> when to read the table again
        self._locks: dict[str, asyncio.Lock] = {}
        self._outage = False

    @property
    def enabled(self) -> bool:
        """Whether other processes may share the database (PostgreSQL)."""
        return self.store.dialect != "sqlite"

    def held(self) -> list[str]:
        """The scopes this worker holds now, by name."""
        now = self.clock.now()
        return sorted(scope for scope, until in self._held.items() if until > now)

    def holds(self, scope: str) -> bool:
        """Whether this worker holds `scope` with time to spare (no database read)."""
        until = self._held.get(scope)  # a lease with a third or less left is taken again first
        return until is not None and until - self.clock.now() > self.lease / 3

    async def take(self, scope: str) -> Holder:
        """Take `scope` if it is free, expired or already ours; its holder afterwards."""
        now = self.clock.now()
        row = await self.store.fetch_one(_TAKE, {"scope": scope, "me": self.worker_id,
                                                 "now": to_text(now),
                                                 "lease": to_text(now + self.lease)})
        if row is None:
            row = await self.store.fetch_one(
                "SELECT worker_id, lease_until FROM owners WHERE scope = :scope",
                {"scope": scope})
        if row is None:  # given back between the two statements: try once more
            return await self.take(scope)
        holder = Holder(str(row["worker_id"]), from_text(row["lease_until"]))
        if holder.worker_id == self.worker_id:
            self._held[scope] = holder.lease_until
            self._elsewhere.pop(scope, None)
        else:
            self._held.pop(scope, None)
        return holder

    async def serve(self, scope: str) -> bool:
        """Whether this worker may handle `scope` now.

        Taken at once when free or ours; when another worker holds it, wait while its lease
        runs out (a dead worker's does); False as soon as that worker renews it (it is alive
        and serves the scope). On a database fault, the last known answer stands.
        """
        if not self.enabled or self.holds(scope):
            return True
        recheck = self._elsewhere.get(scope)
        if recheck is not None and recheck > self.clock.now():
            return False
        lock = self._locks.setdefault(scope, asyncio.Lock())
        async with lock:  # one event of a scope asks the database; the others wait for it
            if self.holds(scope):
                return True
            return await self._wait_for(scope)

    async def _wait_for(self, scope: str) -> bool:
        seen: Holder | None = None
        steps = max(1, int(self.lease.total_seconds() / self.wait_step) + 2)
        for _ in range(steps):
            try:
                holder = await self.take(scope)
            except StoreError as exc:
                # The database is away: moderation goes on here (deletions need no database)
                # unless another worker is known to serve the community.
                if not self._outage:
                    log.error("cannot read the owners table (%s): events of communities not "
                              "known to be served elsewhere are handled here meanwhile", exc)
                self._outage = True
                return scope not in self._elsewhere
            self._outage = False
            if holder.worker_id == self.worker_id:
                return True
            if seen is not None and holder.lease_until > seen.lease_until:
                self._elsewhere[scope] = self.clock.now() + RECHECK
                log.warning("community %s is served by worker %s: its events are left to it",
                            scope, holder.worker_id)
                return False
            if seen is None:
                log.info("community %s is held by worker %s until %s: waiting for it to renew "
                         "or to end", scope, holder.worker_id, to_text(holder.lease_until))
            seen = holder
            await asyncio.sleep(self.wait_step)
        self._elsewhere[scope] = self.clock.now() + RECHECK
        return False

    async def renew(self) -> list[str]:
        """Extend every lease this worker holds; forget those it lost. The scopes kept."""
        if not self.enabled:
            return []
        now = self.clock.now()
        rows = await self.store.fetch_all(
            "UPDATE owners SET lease_until = :lease WHERE worker_id = :me"
            " AND lease_until > :now RETURNING scope",
            {"me": self.worker_id, "now": to_text(now), "lease": to_text(now + self.lease)})
        kept = {str(r["scope"]) for r in rows}
        lost = [scope for scope in self._held if scope not in kept]
        if lost:
            log.warning("leases lost (not renewed in time): %s", ", ".join(sorted(lost)))
        self._held = {scope: now + self.lease for scope in kept}
        return sorted(kept)

    async def release(self) -> None:
        """Give back every scope this worker holds (a clean stop)."""
        self._held.clear()
        if self.enabled:
            await self.store.execute("DELETE FROM owners WHERE worker_id = :me",
                                     {"me": self.worker_id})
