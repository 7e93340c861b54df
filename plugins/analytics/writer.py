"""Writes the collected counters in batches, reads other plugins' decisions from the audit log
(FAQ answers, escalation steps, contest entries, automod monitoring) and prunes old figures."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from bot.batching import BatchedWriter
from bot.clock import Clock, from_text
from bot.storage import Store, StoreError, Transaction
from plugins.analytics.collect import COMMUNITY, Batch, Collector, hour_of, hour_text
from plugins.analytics.figures import FAQ_ENTRY, MONITOR, WOULD
from plugins.analytics.monitor import WouldReader

__all__ = ["AUDIT_PAGE", "FLUSH_SIZE", "AnalyticsWriter", "classify"]

log = logging.getLogger("vigie.analytics")
FLUSH_SECONDS = 30.0
FLUSH_SIZE = 5_000
AUDIT_PAGE = 5_000
"""Audit rows read per write."""
PRUNE_EVERY = timedelta(hours=6)
AUDIT_POSITION = "audit_position"
MONITOR_SKIP = frozenset({"lift", "raid", "redis"})


def _texts(actions: list[dict[str, Any]]) -> set[str]:
    return {a["text"] for a in actions if isinstance(a.get("text"), str)}


def classify(plugin: str, rule: str, actions: list[dict[str, Any]]) -> str | None:
    """The counter an audited decision of another plugin adds to, if any."""
    if plugin == "faq":
        if rule.startswith("answer:") and actions:
            return "faq_answers"
        if rule.startswith("vote:"):
            return "faq_votes"
    elif plugin == "escalation":
        if rule.startswith("step") and actions:
            return "escalation_steps"
    elif plugin == "contests":
        if rule.startswith("enter.") and "contests.enter.done" in _texts(actions):
            return "contest_entries"
    elif plugin == "automod" and rule not in MONITOR_SKIP \
            and ("automod.monitor" in _texts(actions) or not actions):
        return f"{MONITOR}{rule}"
    return None


class AnalyticsWriter(BatchedWriter[Batch]):
    """Adds the collector's counters to the tables every FLUSH_SECONDS, in one transaction with
    a page of the audit log read since the last write; prunes past `retention(community)`."""

    def __init__(self, store: Store, clock: Clock, collector: Collector,
                 retention: Callable[[str], timedelta], would: WouldReader | None = None
                 ) -> None:
        super().__init__(store, "vigie-analytics", period=FLUSH_SECONDS, size=FLUSH_SIZE)
        self.clock = clock
        self.collector = collector
        self.retention = retention
        self.would = would
        """Reads what a monitor-mode automod rule would have done from its evidence."""
        self._pruned: datetime | None = None

    def _take(self) -> Batch:
        return self.collector.take()

    def _restore(self, batch: Batch) -> None:
        self.collector.batch.merge(batch)

    async def flush(self) -> int:
        """Write what is queued and what the audit log holds since the last write."""
        now = self.clock.now()
        batch = Batch()
        audited = Batch()
        answers: list[tuple[str, str, datetime]] = []
        try:
            async with self.store.transaction() as tx:
                await tx.lock("analytics:audit")
                await self._read_audit(tx, audited, answers)
                # Who answered each question is settled once the FAQ's answers are read.
                self.collector.settle(answers)
                self.collector.expire(now)
                batch = self._take()
                await self._write(tx, batch)
                await self._write(tx, audited)
                if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
                    await self._prune(tx, now)
        except StoreError:
            self._restore(batch)
            raise
        if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
        return len(batch) + len(audited)

    async def _read_audit(self, tx: Transaction, into: Batch,
                          answers: list[tuple[str, str, datetime]]) -> None:
        row = await tx.fetch_one("SELECT value FROM analytics_state WHERE name = :n",
                                 {"n": AUDIT_POSITION})
        position = int(row["value"]) if row else 0
        rows = await tx.fetch_all(
            "SELECT id, ts, event_id, community, plugin, rule, actions, evidence FROM audit"
            " WHERE id > :p ORDER BY id LIMIT :n", {"p": position, "n": AUDIT_PAGE})
        if not rows:
            return
        for r in rows:
            if r["plugin"] not in ("faq", "escalation", "contests", "automod"):
                continue
            try:
                actions = json.loads(r["actions"])
            except ValueError:
                continue
            metric = classify(r["plugin"], r["rule"], actions)
            if metric is None:
                continue
            moment = from_text(r["ts"])
            hour = hour_of(moment)
            into.add((r["community"], COMMUNITY, hour, metric))
            if metric.startswith(MONITOR) and self.would is not None:
                for kind in self.would.kinds(str(r["evidence"] or "")):
                    into.add((r["community"], COMMUNITY, hour, f"{WOULD}{kind}:{r['rule']}"))
            if metric == "faq_answers":
                into.add((r["community"], COMMUNITY, hour,
                          f"{FAQ_ENTRY}{r['rule'].removeprefix('answer:')}"))
                if r["event_id"]:
                    answers.append((r["community"], r["event_id"], moment))
        await tx.execute(
            "INSERT INTO analytics_state (name, value) VALUES (:n, :v)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            {"n": AUDIT_POSITION, "v": str(rows[-1]["id"])})
        if len(rows) == AUDIT_PAGE:
            self.queued(self.size)  # more to read: the next write comes at once

    async def _write(self, tx: Transaction, batch: Batch) -> None:
        if batch.counts:
            await tx.execute_many(
                "INSERT INTO analytics_hours (community, channel, hour, metric, value)"
                " VALUES (:c, :ch, :h, :m, :v) ON CONFLICT (community, hour, channel, metric)"
                " DO UPDATE SET value = analytics_hours.value + excluded.value",
                [{"c": c, "ch": ch, "h": hour_text(h), "m": m, "v": v}
                 for (c, ch, h, m), v in batch.counts.items()])
        if batch.active:
            await tx.execute_many(
                "INSERT INTO analytics_active (community, day, member) VALUES (:c, :d, :m)"
                " ON CONFLICT (community, day, member) DO NOTHING",
                [{"c": c, "d": f"{date.fromordinal(d):%Y-%m-%d}", "m": m}
                 for c, d, m in batch.active])

    async def _prune(self, tx: Transaction, now: datetime) -> None:
        """Drop each community's figures older than its retention."""
        rows = await tx.fetch_all("SELECT DISTINCT community FROM analytics_active"
                                  " UNION SELECT DISTINCT community FROM analytics_hours")
        for r in rows:
            oldest = now - self.retention(r["community"])
            await tx.execute("DELETE FROM analytics_hours WHERE community = :c AND hour < :h",
                             {"c": r["community"], "h": hour_text(hour_of(oldest))})
            await tx.execute("DELETE FROM analytics_active WHERE community = :c AND day < :d",
                             {"c": r["community"], "d": oldest.strftime("%Y-%m-%d")})
        log.debug("analytics pruned %d communities", len(rows))
