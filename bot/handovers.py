"""Angry customers handed over to the CMs, read from the shared store (core signal).

The escalation plugin stores every alert it sends in its table `escalation_alerts` before the
alert goes out (see plugins/escalation/alerts.py); an alert of kind `solo` is a member angry on
their own, an unhappy customer handed over to the CMs. The table is shared by every worker and
survives restarts, so any plugin can ask who was handed over lately without importing
escalation. Where escalation never ran on the database (no table), there are none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_text, to_text
from bot.storage import Transaction

__all__ = ["HANDOVER_KIND", "Handover", "handovers_since"]

HANDOVER_KIND = "solo"
"""The kind of escalation alert that hands one angry member over to the CMs."""
NAMESPACE = "escalation"
LIMIT = 500


@dataclass(frozen=True, slots=True)
class Handover:
    """One member handed over: when, where, who, and the message that tipped it."""

    id: int
    at: datetime
    community: str
    channel: str
    members: tuple[str, ...]
    event_id: str


async def _installed(store: Transaction) -> bool:
    """Whether escalation's migrations ran on this database (its table exists)."""
    try:
        row = await store.fetch_one(
            "SELECT COUNT(*) AS n FROM schema_migrations WHERE namespace = :ns",
            {"ns": NAMESPACE})
    except Exception:  # no schema_migrations at all: a database Vigie never opened
        return False
    return bool(row and int(row["n"]))


def _members(text: str) -> tuple[str, ...]:
    try:
        members = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(m["id"]) for m in members if isinstance(m, dict) and m.get("id"))


async def handovers_since(store: Transaction, community: str,
                          since: datetime) -> list[Handover]:
    """A community's handovers from `since` on, oldest first (at most LIMIT)."""
    if not await _installed(store):
        return []
    rows = await store.fetch_all(
        "SELECT id, community, channel, members, event_id, created_at FROM escalation_alerts"
        " WHERE community = :c AND kind = :k AND created_at >= :since"
        " ORDER BY created_at, id LIMIT :n",
        {"c": community, "k": HANDOVER_KIND, "since": to_text(since), "n": LIMIT})
    return [Handover(int(r["id"]), from_text(r["created_at"]), str(r["community"]),
                     str(r["channel"]), _members(str(r["members"])), str(r["event_id"]))
            for r in rows]
