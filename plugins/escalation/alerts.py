"""Alerts sent to CMs and what they answered: the one table of the escalation plugin."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import from_text, to_text
from bot.storage import Migration, Store

__all__ = ["MIGRATIONS", "OPEN", "OUTCOMES", "AlertRecord", "AlertStore"]

OPEN = "open"
OUTCOMES = {"onit": "on_it", "false": "false_alarm", "escalate": "escalated"}
"""Button -> outcome recorded."""

MIGRATIONS = (
    Migration(1, "escalation alerts and their outcome", """
        CREATE TABLE escalation_alerts (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            heat REAL NOT NULL,
            members TEXT NOT NULL,
            evidence TEXT NOT NULL,
            transcript TEXT NOT NULL,
            event_id TEXT NOT NULL,
            revision TEXT NOT NULL,
            created_at TEXT NOT NULL,
            outcome TEXT NOT NULL DEFAULT 'open',
            decided_by TEXT,
            decided_by_name TEXT,
            decided_at TEXT
        );
        CREATE INDEX escalation_alerts_by_channel
            ON escalation_alerts (community, channel, created_at);
    """),
)


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert: where, how hot, who, the transcript, and the CMs' answer."""

    id: int
    community: str
    channel: str
    kind: str
    heat: float
    members: list[dict[str, Any]]
    evidence: str
    transcript: str
    created_at: datetime
    outcome: str
    decided_by_name: str | None


def _record(row: dict[str, Any]) -> AlertRecord:
    return AlertRecord(
        id=row["id"], community=row["community"], channel=row["channel"], kind=row["kind"],
        heat=row["heat"], members=json.loads(row["members"]), evidence=row["evidence"],
        transcript=row["transcript"], created_at=from_text(row["created_at"]),
        outcome=row["outcome"], decided_by_name=row["decided_by_name"])


class AlertStore:
    """Writes an alert before it is sent; records the first answer to it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def open(self, *, community: str, channel: str, kind: str, heat: float,
                   members: list[dict[str, Any]], evidence: str, transcript: str,
                   event_id: str, revision: str, now: datetime) -> int:
        """Store a new alert (committed); its id goes in the buttons."""
        return await self.store.execute(
            "INSERT INTO escalation_alerts (community, channel, kind, heat, members, evidence,"
            " transcript, event_id, revision, created_at) VALUES (:community, :channel, :kind,"
            " :heat, :members, :evidence, :transcript, :event_id, :revision, :now)",
            {"community": community, "channel": channel, "kind": kind, "heat": round(heat, 2),
             "members": json.dumps(members, ensure_ascii=False), "evidence": evidence,
             "transcript": transcript, "event_id": event_id, "revision": revision,
             "now": to_text(now)})

    async def get(self, alert_id: int) -> AlertRecord | None:
        """One alert."""
        row = await self.store.fetch_one(
            "SELECT * FROM escalation_alerts WHERE id = :id", {"id": alert_id})
        return _record(row) if row else None

    async def decide(self, alert_id: int, outcome: str, by_id: str, by_name: str,
                     now: datetime) -> bool:
        """Record the answer if the alert is still open; False when someone answered first."""
        changed = await self.store.execute(
            "UPDATE escalation_alerts SET outcome = :outcome, decided_by = :by,"
            " decided_by_name = :name, decided_at = :now WHERE id = :id AND outcome = :open",
            {"outcome": outcome, "by": by_id, "name": by_name, "now": to_text(now),
             "id": alert_id, "open": OPEN})
        return changed > 0
