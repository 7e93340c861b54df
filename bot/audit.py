"""The decision audit log: every decision with its evidence and revision, written in batches."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from bot.batching import BatchedWriter
from bot.clock import from_text, to_text
from bot.storage import Store, Transaction

__all__ = ["AuditLog", "AuditRecord"]

FLUSH_SECONDS = 0.5
FLUSH_SIZE = 200


class AuditRecord(NamedTuple):
    """One decision as stored (a tuple: one is made per decision)."""

    ts: datetime
    event_id: str | None
    community: str
    plugin: str
    rule: str
    actions: list[dict[str, Any]]
    evidence: str
    revision: str


class AuditLog(BatchedWriter[AuditRecord]):
    """Buffers records off the decision path and writes them in one transaction per batch."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, "vigie-audit", period=FLUSH_SECONDS, size=FLUSH_SIZE)

    def record(self, record: AuditRecord) -> None:
        """Queue a record; it is written within FLUSH_SECONDS."""
        self.add(record)

    async def _write(self, tx: Transaction, batch: list[AuditRecord]) -> None:
        await tx.execute_many(
            "INSERT INTO audit (ts, event_id, community, plugin, rule, actions,"
            " evidence, revision) VALUES (:ts, :event, :community, :plugin, :rule,"
            " :actions, :evidence, :revision)",
            [{"ts": to_text(r.ts), "event": r.event_id, "community": r.community,
              "plugin": r.plugin, "rule": r.rule,
              "actions": json.dumps(r.actions, sort_keys=True, default=str),
              "evidence": r.evidence, "revision": r.revision} for r in batch])

    async def for_event(self, community: str, event_id: str) -> list[AuditRecord]:
        """Decisions recorded about one event (after a flush)."""
        await self.flush()
        rows = await self.store.fetch_all(
            "SELECT * FROM audit WHERE community = :c AND event_id = :e ORDER BY id",
            {"c": community, "e": event_id})
        return [AuditRecord(from_text(r["ts"]), r["event_id"], r["community"], r["plugin"],
                            r["rule"], json.loads(r["actions"]), r["evidence"], r["revision"])
                for r in rows]
