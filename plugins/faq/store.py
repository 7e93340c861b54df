"""The FAQ's records: written in batches off the message path, read back for the CM commands.

Answers, votes and misses are acknowledged to nobody, so they are queued in memory and written
in one transaction every FLUSH_SECONDS (or sooner when many are queued). A crash loses at most
that much; a stop writes everything. Reads flush first, so a CM always sees what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.batching import BatchedWriter
from bot.clock import from_text, to_text
from bot.storage import Store, Transaction

__all__ = ["AnswerRow", "EntryStats", "FaqStore", "MissRow", "VoteRow"]

FLUSH_SECONDS = 1.0
FLUSH_SIZE = 200
MAX_QUEUED = 20_000
KEEP_MISSES = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """An answer given, automatically or on request."""

    ts: datetime
    community: str
    channel: str
    entry: str
    source: str
    score: float
    lang: str
    event_id: str
    question: str | None = None
    qkey: str | None = None


@dataclass(frozen=True, slots=True)
class VoteRow:
    """A member's vote on one answer message (their last click counts)."""

    ts: datetime
    community: str
    message_id: str
    user_id: str
    entry: str
    helpful: bool
    qkey: str | None = None


@dataclass(frozen=True, slots=True)
class MissRow:
    """A question no entry answered confidently (its text, not who asked)."""

    ts: datetime
    community: str
    channel: str
    lang: str
    text: str
    terms: str
    closest: str | None
    score: float


@dataclass(frozen=True, slots=True)
class EntryStats:
    """Activity of one entry."""

    entry: str
    answers: int
    on_request: int
    helpful: int
    unhelpful: int


Row = AnswerRow | VoteRow | MissRow


class FaqStore(BatchedWriter[Row]):
    """Queues the FAQ's rows and writes them in batches; answers the CM commands' queries."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, "vigie-faq", period=FLUSH_SECONDS, size=FLUSH_SIZE,
                         limit=MAX_QUEUED)
        self._pruned: datetime | None = None

    async def _write(self, tx: Transaction, batch: list[Row]) -> None:
        by_statement: dict[str, list[dict[str, Any]]] = {}
        for row in batch:
            sql, params = _insert(row)
            by_statement.setdefault(sql, []).append(params)
        for sql, rows in by_statement.items():
            await tx.execute_many(sql, rows)

    async def prune(self, now: datetime) -> int:
        """Forget misses older than KEEP_MISSES (at most once an hour)."""
        if self._pruned is not None and now - self._pruned < timedelta(hours=1):
            return 0
        self._pruned = now
        return await self.store.execute("DELETE FROM faq_misses WHERE ts < :cutoff",
                                        {"cutoff": to_text(now - KEEP_MISSES)})

    # -- reading ----------------------------------------------------------------------------

    async def misses(self, community: str, since: datetime, limit: int = 2000) -> list[MissRow]:
        """The community's most recent misses since a time (newest first)."""
        await self.flush()
        rows = await self.store.fetch_all(
            "SELECT * FROM faq_misses WHERE community = :c AND ts >= :since"
            " ORDER BY ts DESC, id DESC LIMIT :limit",
            {"c": community, "since": to_text(since), "limit": limit})
        return [MissRow(from_text(r["ts"]), r["community"], r["channel"],
                        r["lang"], r["text"], r["terms"], r["closest"], float(r["score"]))
                for r in rows]

    async def stats(self, community: str) -> list[EntryStats]:
        """Answers and votes per entry, most answered first."""
        await self.flush()
        answers = await self.store.fetch_all(
            "SELECT entry, COUNT(*) AS total, SUM(CASE WHEN source = 'request' THEN 1 ELSE 0"
            " END) AS requested FROM faq_answers WHERE community = :c GROUP BY entry",
            {"c": community})
        votes = await self.store.fetch_all(
            "SELECT entry, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM faq_votes"
            " WHERE community = :c GROUP BY entry", {"c": community})
        found: dict[str, dict[str, int]] = {}
        for row in answers:
            found.setdefault(row["entry"], {}).update(
                answers=int(row["total"]), on_request=int(row["requested"] or 0))
        for row in votes:
            found.setdefault(row["entry"], {}).update(helpful=int(row["up"] or 0),
                                                      unhelpful=int(row["down"] or 0))
        stats = [EntryStats(entry, data.get("answers", 0), data.get("on_request", 0),
                            data.get("helpful", 0), data.get("unhelpful", 0))
                 for entry, data in found.items()]
        return sorted(stats, key=lambda s: (-s.answers, -s.helpful - s.unhelpful, s.entry))


    async def unhelpful(self, community: str, limit: int = 200) -> list[tuple[str, str, int]]:
        """(entry, question, 👎 count) of the answers members found not helpful, most first."""
        await self.flush()
        rows = await self.store.fetch_all(
            "SELECT a.entry AS entry, a.question AS question, COUNT(*) AS down"
            " FROM faq_votes v JOIN faq_answers a ON a.community = v.community"
            " AND a.qkey = v.qkey AND a.entry = v.entry"
            " WHERE v.community = :c AND v.helpful = 0 AND a.question IS NOT NULL"
            " GROUP BY a.entry, a.question ORDER BY COUNT(*) DESC, a.entry LIMIT :limit",
            {"c": community, "limit": limit})
        return [(r["entry"], r["question"], int(r["down"])) for r in rows]


def _insert(row: Row) -> tuple[str, dict[str, Any]]:
    if isinstance(row, AnswerRow):
        return ("INSERT INTO faq_answers (ts, community, channel, entry, source, score, lang,"
                " event_id, question, qkey) VALUES (:ts, :community, :channel, :entry, :source,"
                " :score, :lang, :event, :question, :qkey)",
                {"ts": to_text(row.ts), "community": row.community, "channel": row.channel,
                 "entry": row.entry, "source": row.source, "score": row.score,
                 "lang": row.lang, "event": row.event_id, "question": row.question,
                 "qkey": row.qkey})
    if isinstance(row, VoteRow):
        return ("INSERT INTO faq_votes (community, message_id, user_id, entry, helpful, ts,"
                " qkey) VALUES (:community, :message, :user, :entry, :helpful, :ts, :qkey)"
                " ON CONFLICT (community, message_id, user_id) DO UPDATE SET"
                " helpful = excluded.helpful, entry = excluded.entry, ts = excluded.ts,"
                " qkey = excluded.qkey",
                {"community": row.community, "message": row.message_id, "user": row.user_id,
                 "entry": row.entry, "helpful": int(row.helpful), "ts": to_text(row.ts),
                 "qkey": row.qkey})
    return ("INSERT INTO faq_misses (ts, community, channel, lang, text, terms, closest, score)"
            " VALUES (:ts, :community, :channel, :lang, :text, :terms, :closest, :score)",
            {"ts": to_text(row.ts), "community": row.community, "channel": row.channel,
             "lang": row.lang, "text": row.text, "terms": row.terms, "closest": row.closest,
             "score": row.score})
