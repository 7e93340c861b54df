"""The decision audit log: every decision with its evidence and revision, written in batches."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import from_text, to_text
from bot.loop import BackgroundLoop
from bot.storage import Store, StoreError

__all__ = ["AuditLog", "AuditRecord"]

log = logging.getLogger("vigie.audit")
FLUSH_SECONDS = 0.5
FLUSH_SIZE = 200


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One decision as stored."""

    ts: datetime
    event_id: str | None
    community: str
    plugin: str
    rule: str
    actions: list[dict[str, Any]]
    evidence: str
    revision: str


class AuditLog:
    """Buffers records off the decision path and writes them in one transaction per batch."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._buffer: list[AuditRecord] = []
        self._loop = BackgroundLoop("vigie-audit", self._tick)

    def record(self, record: AuditRecord) -> None:
        """Queue a record; it is written within FLUSH_SECONDS."""
        self._buffer.append(record)
        if len(self._buffer) >= FLUSH_SIZE:
            self._loop.wake()

    async def flush(self) -> int:
        """Write everything queued; return how many records were written."""
        batch, self._buffer = self._buffer, []
        if not batch:
            return 0
        try:
            async with self.store.transaction() as tx:
                for r in batch:
                    await tx.execute(
                        "INSERT INTO audit (ts, event_id, community, plugin, rule, actions,"
                        " evidence, revision) VALUES (:ts, :event, :community, :plugin, :rule,"
                        " :actions, :evidence, :revision)",
                        {"ts": to_text(r.ts), "event": r.event_id, "community": r.community,
                         "plugin": r.plugin, "rule": r.rule,
                         "actions": json.dumps(r.actions, sort_keys=True, default=str),
                         "evidence": r.evidence, "revision": r.revision})
        except StoreError:
            self._buffer[:0] = batch
            raise
        return len(batch)

    async def for_event(self, community: str, event_id: str) -> list[AuditRecord]:
        """Decisions recorded about one event (after a flush)."""
        await self.flush()
        rows = await self.store.fetch_all(
            "SELECT * FROM audit WHERE community = :c AND event_id = :e ORDER BY id",
            {"c": community, "e": event_id})
        return [AuditRecord(from_text(r["ts"]), r["event_id"], r["community"], r["plugin"],
                            r["rule"], json.loads(r["actions"]), r["evidence"], r["revision"])
                for r in rows]

    async def _tick(self) -> float:
        """Write what is queued; wait FLUSH_SECONDS before the next round."""
        try:
            await self.flush()
        except StoreError as exc:
            log.error("audit flush failed, will retry: %s", exc)
        return FLUSH_SECONDS

    def start(self) -> None:
        """Begin periodic flushing."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop and write what remains."""
        await self._loop.stop()
        await self.flush()
