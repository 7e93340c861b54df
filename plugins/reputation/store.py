"""Daily figures and example ids, added up in memory and written in batches off the message path."""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from bot.batching import BatchedWriter
from bot.clock import to_text
from bot.storage import Store, Transaction

__all__ = ["ANY", "Day", "Example", "ReputationStore", "Totals", "WarningRow"]

ANY = "*"
"""The term of the rows that count messages mentioning any watched term (each once)."""
PRUNE_EVERY = timedelta(hours=6)
FLUSH_SECONDS = 5.0
FLUSH_SIZE = 2_000


class Example(NamedTuple):
    """A message kept as an example: its id, not its text."""

    ts: datetime
    community: str
    platform: str
    term: str
    channel: str
    message_id: str
    label: str
    score: float


class WarningRow(NamedTuple):
    """An early warning sent to the CMs."""

    ts: datetime
    community: str
    term: str
    kind: str
    negative: int
    mentions: int
    baseline_negative: int
    baseline_mentions: int
    p_value: float


@dataclass(slots=True)
class Totals:
    """Mentions of a term on a day, by label, and the sum of their scores."""

    mentions: int = 0
    negative: int = 0
    positive: int = 0
    score_sum: float = 0.0

    def add(self, label: str, score: float) -> None:
        """Count one mention."""
        self.mentions += 1
        self.negative += label == "negative"
        self.positive += label == "positive"
        self.score_sum += score


Day = tuple[str, str, str, str]
"""(community, day, platform, term)."""


@dataclass(slots=True)
class _Pending:
    totals: dict[Day, Totals]
    examples: list[Example]

    def __len__(self) -> int:
        return len(self.totals) + len(self.examples)


class ReputationStore(BatchedWriter[Any]):
    """Adds mentions up per (community, day, platform, term) and writes the sums and the
    examples in one transaction every FLUSH_SECONDS; warnings (rare) are written at once."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, "vigie-reputation", period=FLUSH_SECONDS, size=FLUSH_SIZE)
        self._pending = _Pending({}, [])
        self._retention: dict[str, timedelta] = {}
        self._now: datetime | None = None
        self._pruned: datetime | None = None

    def seen(self, community: str, retention: timedelta, now: datetime) -> None:
        """Note a community's retention and the time (figures past it are pruned in batches)."""
        self._retention[community] = retention
        self._now = now

    def mention(self, key: Day, label: str, score: float) -> None:
        """Count one mention of a term."""
        totals = self._pending.totals.get(key)
        if totals is None:
            totals = self._pending.totals[key] = Totals()
        totals.add(label, score)
        self.queued(len(self._pending))

    def example(self, example: Example) -> None:
        """Keep a message's id as an example."""
        self._pending.examples.append(example)
        self.queued(len(self._pending))

    async def warning(self, row: WarningRow) -> int:
        """Store an early warning now (committed: its id goes in the alert's buttons)."""
        return await self.store.execute(
            "INSERT INTO reputation_warnings (ts, community, term, kind, negative, mentions,"
            " baseline_negative, baseline_mentions, p_value) VALUES (:ts, :c, :t, :k, :n, :m,"
            " :bn, :bm, :pv)",
            {"ts": to_text(row.ts), "c": row.community, "t": row.term, "k": row.kind,
             "n": row.negative, "m": row.mentions, "bn": row.baseline_negative,
             "bm": row.baseline_mentions, "pv": row.p_value})

    async def warning_of(self, warning_id: int) -> dict[str, Any] | None:
        """One stored warning."""
        return await self.store.fetch_one(
            "SELECT * FROM reputation_warnings WHERE id = :id", {"id": warning_id})

    async def decide(self, warning_id: int, outcome: str, by: str, now: datetime) -> bool:
        """Record a CM's answer if the warning is still open; False when one answered first."""
        changed = await self.store.execute(
            "UPDATE reputation_warnings SET outcome = :o, decided_by = :by, decided_at = :now"
            " WHERE id = :id AND outcome = 'open'",
            {"o": outcome, "by": by, "now": to_text(now), "id": warning_id})
        return changed > 0

    def _take(self) -> Sized:
        batch, self._pending = self._pending, _Pending({}, [])
        return batch

    def _restore(self, batch: Any) -> None:
        assert isinstance(batch, _Pending)
        for key, totals in batch.totals.items():
            mine = self._pending.totals.setdefault(key, Totals())
            mine.mentions += totals.mentions
            mine.negative += totals.negative
            mine.positive += totals.positive
            mine.score_sum += totals.score_sum
        self._pending.examples[:0] = batch.examples

    async def _write(self, tx: Transaction, batch: Any) -> None:
        assert isinstance(batch, _Pending)
        now = self._now
        if now is not None and (self._pruned is None or now - self._pruned >= PRUNE_EVERY):
            self._pruned = now
            for community, retention in self._retention.items():
                cutoff = (now - retention).date().isoformat()
                for table in ("reputation_daily", "reputation_examples"):
                    await tx.execute(f"DELETE FROM {table} WHERE community = :c AND day < :d",
                                     {"c": community, "d": cutoff})
        if batch.totals:
            await tx.execute_many(
                "INSERT INTO reputation_daily (community, day, platform, term, mentions,"
                " negative, positive, score_sum) VALUES (:c, :d, :p, :t, :m, :n, :pos, :s)"
                " ON CONFLICT (community, day, platform, term) DO UPDATE SET"
                " mentions = reputation_daily.mentions + excluded.mentions,"
                " negative = reputation_daily.negative + excluded.negative,"
                " positive = reputation_daily.positive + excluded.positive,"
                " score_sum = reputation_daily.score_sum + excluded.score_sum",
                [{"c": c, "d": d, "p": p, "t": t, "m": v.mentions, "n": v.negative,
                  "pos": v.positive, "s": v.score_sum}
                 for (c, d, p, t), v in batch.totals.items()])
        if batch.examples:
            await tx.execute_many(
                "INSERT INTO reputation_examples (ts, day, community, platform, term, channel,"
                " message_id, label, score) VALUES (:ts, :d, :c, :p, :t, :ch, :m, :l, :s)",
                [{"ts": to_text(e.ts), "d": e.ts.date().isoformat(), "c": e.community,
                  "p": e.platform, "t": e.term, "ch": e.channel, "m": e.message_id,
                  "l": e.label, "s": e.score} for e in batch.examples])

    async def days(self, community: str, since: datetime) -> list[dict[str, Any]]:
        """Daily figures of a community from `since` (after writing what is queued)."""
        await self.flush()
        return await self.store.fetch_all(
            "SELECT day, platform, term, mentions, negative, positive, score_sum"
            " FROM reputation_daily WHERE community = :c AND day >= :d ORDER BY day",
            {"c": community, "d": since.date().isoformat()})

    async def history(self, community: str, term: str, since: datetime,
                      ) -> list[tuple[str, int, int]]:
        """(day, mentions, negative) of a term from `since`, all platforms, as stored (what is
        still queued is not read)."""
        rows = await self.store.fetch_all(
            "SELECT day, SUM(mentions) AS mentions, SUM(negative) AS negative"
            " FROM reputation_daily WHERE community = :c AND term = :t AND day >= :d"
            " GROUP BY day ORDER BY day",
            {"c": community, "t": term, "d": since.date().isoformat()})
        return [(str(r["day"]), int(r["mentions"]), int(r["negative"])) for r in rows]

    async def examples_of(self, community: str, term: str, since: datetime,
                          label: str = "negative", limit: int = 5) -> list[dict[str, Any]]:
        """The most telling kept examples of a term since a day."""
        await self.flush()
        order = "score ASC" if label == "negative" else "score DESC"
        return await self.store.fetch_all(
            "SELECT ts, platform, channel, message_id, label, score FROM reputation_examples"
            " WHERE community = :c AND term = :t AND day >= :d AND label = :l"
            f" ORDER BY {order}, id LIMIT :n",
            {"c": community, "t": term, "d": since.date().isoformat(), "l": label, "n": limit})
