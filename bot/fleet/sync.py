"""One worker in a fleet: heartbeats, announcing its reloads, following the others'."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.clock import Clock
from bot.fleet.notices import Notices
from bot.fleet.owners import Owners
from bot.fleet.registry import WorkerRegistry, WorkerRow, disagreeing
from bot.i18n import Msg
from bot.loop import BackgroundLoop
from bot.settings.compile import revision_of
from bot.settings.manager import ReloadOutcome, RuleBook

__all__ = ["BEAT_SECONDS", "CHECK_SECONDS", "NOTICE", "Fleet"]

log = logging.getLogger("vigie.fleet")
BEAT_SECONDS = 15.0
CHECK_SECONDS = 30.0
NOTICE = "notice from "
PERIODIC = "periodic check"


class Fleet:
    """Keeps this worker's row fresh and its rules in step with the shared rule file."""

    def __init__(self, worker_id: str, rulebook: RuleBook, registry: WorkerRegistry,
                 clock: Clock, communities: Callable[[], Iterable[str]],
                 notices: Notices | None = None, *, owners: Owners | None = None,
                 peer_url: Callable[[], str] | None = None, beat_s: float = BEAT_SECONDS,
                 check_s: float = CHECK_SECONDS) -> None:
        self.worker_id = worker_id
        self.rulebook = rulebook
        self.registry = registry
        self.clock = clock
        self.communities = communities
        self.notices = notices
        self.owners = owners
        self.peer_url = peer_url or (lambda: "")
        self.beat_s = beat_s
        self.check_s = check_s
        self._tried = ""
        self._checked = False  # the first check waits a period: the rules were just loaded
        self._beats = BackgroundLoop("vigie-heartbeat", self._beat_step)
        self._checks = BackgroundLoop("vigie-rule-check", self._check_step)
        rulebook.listen(self._on_reload)

    async def start(self) -> None:
        """Record this worker, listen for notices, start the heartbeat and the check."""
        await self.beat(started=True)
        if self.notices is not None:
            await self.notices.start(self._on_notice)
        self._beats.start()
        self._checks.start()

    async def stop(self) -> None:
        """Stop the loops and the listener; give back the communities; remove this worker's row."""
        await self._checks.stop()
        await self._beats.stop()
        if self.notices is not None:
            await self.notices.close()
        try:
            if self.owners is not None:
                await self.owners.release()
            await self.registry.leave()
        except Exception:
            log.exception("could not remove worker %s from the workers table", self.worker_id)

    async def beat(self, *, started: bool = False) -> None:
        """Record the revision in force and the communities served, now."""
        served = set(self.communities())
        if self.owners is not None and self.owners.enabled:
            served = set(self.owners.held())
        await self.registry.beat(self.clock.now(), self.rulebook.current.revision, served,
                                 started=started, peer_url=self.peer_url())

    async def live(self) -> list[WorkerRow]:
        """The workers seen in the last minute."""
        return await self.registry.live(self.clock.now())

    async def disagreement(self) -> Msg | None:
        """A message naming the live workers' revisions when they differ, else None."""
        try:
            rows = await self.live()
        except Exception:
            log.exception("could not read the workers table")
            return None
        # This worker knows its own revision better than its row, which a reload may not have
        # rewritten yet.
        current = self.rulebook.current.revision
        rows = [replace(row, revision=current) if row.worker_id == self.worker_id else row
                for row in rows]
        if not disagreeing(rows):
            return None
        listed = ", ".join(f"{row.worker_id}: {row.revision}" for row in rows)
        return Msg.of("workers.disagree", worker=self.worker_id, revision=current,
                      workers=listed)

    async def _beat_step(self) -> float:
        """Renew the leases first (they are what keeps a community this worker's), then beat."""
        if self.owners is not None:
            try:
                await self.owners.renew()
            except Exception:
                log.exception("could not renew this worker's leases")
        await self.beat()
        return self.beat_s

    async def _check_step(self) -> float:
        """The safety net for a lost notice: the file's revision against the one in force."""
        if not self._checked:
            self._checked = True
            return self.check_s
        if self.notices is not None:
            await self.notices.connect()
        try:
            content = await asyncio.to_thread(self.rulebook.path.read_bytes)
        except OSError as exc:
            log.warning("rule check: cannot read %s (%s)", self.rulebook.path, exc)
            return self.check_s
        revision = revision_of(content)
        if revision != self.rulebook.current.revision and revision != self._tried:
            outcome = await self.rulebook.reload(PERIODIC)
            # An invalid file is tried once, not every period; an unexpected failure again.
            self._tried = revision if outcome.status == "refused" else ""
        return self.check_s

    async def _on_notice(self, worker: str, revision: str) -> None:
        if worker == self.worker_id or revision == self.rulebook.current.revision:
            return
        log.info("reload notice from worker=%s revision=%s", worker, revision)
        await self.rulebook.reload(f"{NOTICE}{worker}")

    async def _on_reload(self, outcome: ReloadOutcome) -> None:
        """After a new revision: record it, and tell the others unless they told us."""
        if outcome.status != "applied":
            return
        try:
            await self.beat()
        except Exception:
            log.exception("could not record revision %s in the workers table", outcome.revision)
        if self.notices is not None and not outcome.trigger.startswith((NOTICE, PERIODIC)):
            await self.notices.announce(self.worker_id, outcome.revision)
