"""Figures other plugins already keep in their own tables (FAQ, contests, reputation), read
through the store at report time, only where the plugin's tables exist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import from_text, to_text
from bot.storage import Transaction

__all__ = ["BROUGHT_WITHIN", "EntryRow", "Others", "TermRow", "installed", "read_others"]

BROUGHT_WITHIN = timedelta(days=7)
"""A newcomer who enters a contest this soon after joining was brought by contests."""
TERMS_KEPT = 20
ANY_TERM = "*"
"""The reputation plugin's row of every term together (a message counts once there)."""


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One FAQ entry over the period: answers given, helpful and not helpful votes."""

    entry: str
    answers: int
    helpful: int
    unhelpful: int


@dataclass(frozen=True, slots=True)
class TermRow:
    """One watched reputation term over the period."""

    term: str
    mentions: int
    negative: int
    positive: int


@dataclass(slots=True)
class Others:
    """What the FAQ, contests and reputation plugins recorded in the period (None: that plugin
    has no tables in this database)."""

    faq: list[EntryRow] | None = None
    contests: tuple[int, int, int] | None = None
    """(members who joined, of them entered a contest within BROUGHT_WITHIN, contest entries)."""
    reputation: list[TermRow] | None = None
    warnings: int = 0
    """Reputation warnings raised in the period."""


async def installed(store: Transaction, namespace: str) -> bool:
    """Whether a plugin's migrations ran on this database (its tables exist)."""
    try:
        row = await store.fetch_one(
            "SELECT COUNT(*) AS n FROM schema_migrations WHERE namespace = :ns",
            {"ns": namespace})
    except Exception:  # no schema_migrations at all: a database Vigie never opened
        return False
    return bool(row and int(row["n"]))


async def read_others(store: Transaction, community: str, start: datetime, end: datetime,
                      answers: dict[str, int]) -> Others:
    """The other plugins' figures of `community` over [start, end); `answers`: the FAQ's
    answers per entry, counted from the audit log as they happen (its votes come from its
    table: a member's last click on an answer is their vote)."""
    out = Others()
    s, e = to_text(start), to_text(end)
    if answers or await installed(store, "faq"):
        out.faq = await _faq(store, community, s, e, answers)
    if await installed(store, "contests"):
        out.contests = await _contests(store, community, start, end)
    if await installed(store, "reputation"):
        await _reputation(store, out, community, start, end)
    return out


async def _faq(store: Transaction, community: str, s: str, e: str,
               answers: dict[str, int]) -> list[EntryRow]:
    if not await installed(store, "faq"):
        return [EntryRow(k, n, 0, 0) for k, n in sorted(answers.items(), key=lambda kv: (
            -kv[1], kv[0]))]
    votes = await store.fetch_all(
        "SELECT entry, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM faq_votes"
        " WHERE community = :c AND ts >= :s AND ts < :e GROUP BY entry",
        {"c": community, "s": s, "e": e})
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry, n in answers.items():
        rows[entry][0] = n
    for r in votes:
        rows[str(r["entry"])][1] = int(r["up"] or 0)
        rows[str(r["entry"])][2] = int(r["down"] or 0)
    return sorted((EntryRow(k, *v) for k, v in rows.items()),
                  key=lambda row: (-row.answers, -row.helpful - row.unhelpful, row.entry))


async def _contests(store: Transaction, community: str, start: datetime,
                    end: datetime) -> tuple[int, int, int]:
    joined = await store.fetch_all(
        "SELECT member_id, joined_at FROM contest_activity WHERE community = :c"
        " AND joined_at >= :s AND joined_at < :e",
        {"c": community, "s": to_text(start), "e": to_text(end)})
    entries = await store.fetch_all(
        "SELECT member_id, entered_at FROM contest_entries WHERE community = :c"
        " AND entered_at >= :s AND entered_at < :e",
        {"c": community, "s": to_text(start), "e": to_text(end + BROUGHT_WITHIN)})
    entered: dict[str, list[datetime]] = defaultdict(list)
    in_period = 0
    for r in entries:
        moment = from_text(str(r["entered_at"]))
        entered[str(r["member_id"])].append(moment)
        in_period += moment < end
    brought = 0
    for r in joined:
        came = from_text(str(r["joined_at"]))
        if any(came <= at <= came + BROUGHT_WITHIN for at in entered.get(str(r["member_id"]), ())):
            brought += 1
    return len(joined), brought, in_period


async def _reputation(store: Transaction, out: Others, community: str, start: datetime,
                      end: datetime) -> None:
    rows = await store.fetch_all(
        "SELECT term, SUM(mentions) AS m, SUM(negative) AS n, SUM(positive) AS p"
        " FROM reputation_daily WHERE community = :c AND day >= :s AND day < :e"
        " AND term <> :any GROUP BY term",
        {"c": community, "s": f"{start:%Y-%m-%d}", "e": f"{end:%Y-%m-%d}", "any": ANY_TERM})
    out.reputation = sorted((TermRow(str(r["term"]), int(r["m"] or 0), int(r["n"] or 0),
                                     int(r["p"] or 0)) for r in rows),
                            key=lambda row: (-row.mentions, row.term))[:TERMS_KEPT]
    warnings = await store.fetch_all(
        "SELECT COUNT(*) AS n FROM reputation_warnings WHERE community = :c"
        " AND ts >= :s AND ts < :e", {"c": community, "s": to_text(start), "e": to_text(end)})
    out.warnings = int(warnings[0]["n"]) if warnings else 0
