"""Contests in the database: every write that matters is one transaction, committed on return."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import to_text
from bot.events import User
from bot.storage import Store, Transaction
from plugins.contests.draw import draw_round, entrants_digest
from plugins.contests.model import (
    CANCELLED,
    ENDED,
    OPEN,
    Contest,
    Draw,
    Entry,
    Place,
    Requirements,
    contest_from_row,
    draw_from_row,
    entry_from_row,
)

__all__ = ["ContestStore", "EntryOutcome", "NewContest"]

IN, DISQUALIFIED = "in", "disqualified"
SANCTIONED = "sanctioned"  # why an entry was disqualified (catalog: contests.entry.sanctioned)
SANCTIONS_SQL = (
    "SELECT DISTINCT target_id FROM cases WHERE community = :c"
    " AND (:member IS NULL OR target_id = :member) AND status <> 'voided' AND ("
    " (action IN ('warn', 'timeout', 'kick', 'ban') AND created_at >= :since)"
    " OR (action IN ('timeout', 'ban') AND status = 'active'))"
)


@dataclass(frozen=True, slots=True)
class NewContest:
    """What `contest start` decided, before it has an id."""

    places: tuple[Place, ...]
    prize: str
    winners: int
    mode: str
    emoji: str
    keyword: str | None
    requirements: Requirements
    seed: str
    commitment: str
    created_by: User
    ends_at: datetime
    revision: str


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """How an entry went: `entered`, `duplicate` or `closed`; `count` entrants so far."""

    status: str
    count: int = 0


class ContestStore:
    """Reads and writes the plugin's tables (and reads the core case log for exclusions)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- contests --------------------------------------------------------------------------

    async def create(self, new: NewContest, now: datetime) -> Contest:
        """Store a contest and its places; committed on return."""
        home = new.places[0]
        async with self.store.transaction() as tx:
            contest_id = await tx.execute(
                "INSERT INTO contests (community, channel, places, prize, winners, mode, emoji,"
                " keyword, requirements, status, seed, commitment, created_by, created_by_name,"
                " created_at, ends_at, revision, relayed, told_in) VALUES (:community, :channel,"
                " :places, :prize, :winners, :mode, :emoji, :keyword, :req, :open, :seed,"
                " :commitment, :by, :by_name, :now, :ends, :revision, :relayed, :community)",
                {"community": home.community, "channel": home.channel,
                 "places": json.dumps([[p.community, p.channel] for p in new.places]),
                 "prize": new.prize, "winners": new.winners, "mode": new.mode,
                 "emoji": new.emoji, "keyword": new.keyword,
                 "req": new.requirements.to_json(), "open": OPEN, "seed": new.seed,
                 "commitment": new.commitment, "by": new.created_by.id,
                 "by_name": new.created_by.name, "now": to_text(now),
                 "ends": to_text(new.ends_at), "revision": new.revision,
                 "relayed": int(len(new.places) == 1)})
            for place in new.places:
                await tx.execute(
                    "INSERT INTO contest_places (contest_id, community, channel)"
                    " VALUES (:id, :community, :channel)",
                    {"id": contest_id, "community": place.community, "channel": place.channel})
        found = await self.get(contest_id)
        assert found is not None
        return found

    async def get(self, contest_id: int) -> Contest | None:
        """A contest by id."""
        row = await self.store.fetch_one("SELECT * FROM contests WHERE id = :id",
                                         {"id": contest_id})
        return contest_from_row(row) if row else None

    async def open_contests(self) -> list[Contest]:
        """Every open contest, oldest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM contests WHERE status = :open ORDER BY id", {"open": OPEN})
        return [contest_from_row(r) for r in rows]

    async def in_community(self, community: str, limit: int = 10,
                           status: str | None = None) -> list[Contest]:
        """Contests that run in a community, newest first."""
        rows = await self.store.fetch_all(
            "SELECT c.* FROM contests c JOIN contest_places p ON p.contest_id = c.id"
            " WHERE p.community = :community AND (:status IS NULL OR c.status = :status)"
            " ORDER BY c.id DESC LIMIT :limit",
            {"community": community, "status": status, "limit": limit})
        return [contest_from_row(r) for r in rows]

    async def count_open(self, community: str) -> int:
        """Open contests that run in a community."""
        row = await self.store.fetch_one(
            "SELECT COUNT(*) AS n FROM contests c JOIN contest_places p ON p.contest_id = c.id"
            " WHERE p.community = :community AND c.status = :open",
            {"community": community, "open": OPEN})
        return int(row["n"]) if row else 0

    async def mark_relayed(self, contest_id: int) -> None:
        """The other communities' start announcements are scheduled."""
        await self.store.execute("UPDATE contests SET relayed = 1 WHERE id = :id",
                                 {"id": contest_id})

    async def cancel(self, contest_id: int, now: datetime, by: str, reason: str,
                     told_in: str) -> Contest | None:
        """Cancel an open contest (announced at once in `told_in`); None if it was not open."""
        changed = await self.store.execute(
            "UPDATE contests SET status = :cancelled, ended_at = :now, ended_by = :by,"
            " cancel_reason = :reason, relayed = 0, told_in = :told WHERE id = :id"
            " AND status = :open",
            {"cancelled": CANCELLED, "now": to_text(now), "by": by, "reason": reason,
             "id": contest_id, "open": OPEN, "told": told_in})
        return await self.get(contest_id) if changed else None

    # -- entries ---------------------------------------------------------------------------

    async def enter(self, contest_id: int, user: User, community: str, via: str,
                    now: datetime) -> EntryOutcome:
        """Record an entry if the contest is open and the member not in yet; committed."""
        async with self.store.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT status, ends_at FROM contests WHERE id = :id", {"id": contest_id})
            if row is None or row["status"] != OPEN or row["ends_at"] <= to_text(now):
                return EntryOutcome("closed")
            existing = await tx.fetch_one(
                "SELECT id FROM contest_entries WHERE contest_id = :id AND member_id = :member",
                {"id": contest_id, "member": user.id})
            if existing is None:
                await tx.execute(
                    "INSERT INTO contest_entries (contest_id, member_id, member_name, community,"
                    " language, via, entered_at, status) VALUES (:id, :member, :name,"
                    " :community, :lang, :via, :now, :in)",
                    {"id": contest_id, "member": user.id, "name": user.name,
                     "community": community, "lang": user.language, "via": via,
                     "now": to_text(now), "in": IN})
            count = await _count(tx, contest_id)
        return EntryOutcome("duplicate" if existing else "entered", count)

    async def entries(self, contest_id: int) -> list[Entry]:
        """Every entry, in the order they came."""
        rows = await self.store.fetch_all(
            "SELECT * FROM contest_entries WHERE contest_id = :id ORDER BY id",
            {"id": contest_id})
        return [entry_from_row(r) for r in rows]

    async def entry_count(self, contest_id: int) -> int:
        """Entrants still in."""
        row = await self.store.fetch_one(
            "SELECT COUNT(*) AS n FROM contest_entries WHERE contest_id = :id AND status = :in",
            {"id": contest_id, "in": IN})
        return int(row["n"]) if row else 0

    async def sanctioned(self, community: str, member_id: str, since: datetime) -> bool:
        """Whether the case log excludes a member (recent sanction, or one still in force)."""
        row = await self.store.fetch_one(
            SANCTIONS_SQL, {"c": community, "member": member_id, "since": to_text(since)})
        return row is not None

    # -- draws -----------------------------------------------------------------------------

    async def close(self, contest_id: int, now: datetime, by: str,
                    sanction_windows: Mapping[str, timedelta | None],
                    told_in: str | None) -> tuple[Contest, Draw] | None:
        """End an open contest and draw its winners in one transaction; None if not open.

        Entrants sanctioned since they entered (per `sanction_windows` of their community) are
        disqualified first, so the published entrant list is the one the draw used.
        """
        async with self.store.transaction() as tx:
            changed = await tx.execute(
                "UPDATE contests SET status = :ended, ended_at = :now, ended_by = :by"
                " WHERE id = :id AND status = :open",
                {"ended": ENDED, "now": to_text(now), "by": by, "id": contest_id, "open": OPEN})
            if not changed:
                return None
            row = await tx.fetch_one("SELECT * FROM contests WHERE id = :id", {"id": contest_id})
            assert row is not None
            contest = contest_from_row(row)
            await _disqualify(tx, contest_id, now, sanction_windows)
            entrants = await _entrants(tx, contest_id)
            count = min(contest.winners, len(entrants))
            winners = draw_round(contest.seed, entrants, count, 0)
            draw = await _insert_draw(tx, contest_id, 0, contest.winners, winners, entrants,
                                      now, by, told_in)
        return contest, draw

    async def reroll(self, contest: Contest, count: int, now: datetime, by: str,
                     told_in: str) -> Draw:
        """Draw `count` more winners among entrants who have not won; DrawError if too few."""
        async with self.store.transaction() as tx:
            rows = await tx.fetch_all(
                "SELECT * FROM contest_draws WHERE contest_id = :id ORDER BY round",
                {"id": contest.id})
            previous = [draw_from_row(r) for r in rows]
            won = [w for d in previous for w in d.winners]
            entrants = await _entrants(tx, contest.id)
            round_ = len(previous)
            winners = draw_round(contest.seed, entrants, count, round_, won)
            return await _insert_draw(tx, contest.id, round_, count, winners, entrants, now, by,
                                      told_in)

    async def draws(self, contest_id: int) -> list[Draw]:
        """Every round of a contest, in order."""
        rows = await self.store.fetch_all(
            "SELECT * FROM contest_draws WHERE contest_id = :id ORDER BY round",
            {"id": contest_id})
        return [draw_from_row(r) for r in rows]

    async def entrants(self, contest_id: int) -> list[str]:
        """The sorted ids of entrants still in: the list the draw uses."""
        return sorted(r["member_id"] for r in await self.store.fetch_all(
            "SELECT member_id FROM contest_entries WHERE contest_id = :id AND status = :in",
            {"id": contest_id, "in": IN}))

    async def mark_draw_relayed(self, contest_id: int, round_: int) -> None:
        """The other communities' announcements of a round are scheduled."""
        await self.store.execute(
            "UPDATE contest_draws SET relayed = 1 WHERE contest_id = :id AND round = :round",
            {"id": contest_id, "round": round_})

    async def unrelayed(self) -> tuple[list[Contest], list[Draw]]:
        """Contests and draws whose other-community announcements may not be scheduled yet."""
        contests = await self.store.fetch_all("SELECT * FROM contests WHERE relayed = 0")
        draws = await self.store.fetch_all("SELECT * FROM contest_draws WHERE relayed = 0")
        return [contest_from_row(r) for r in contests], [draw_from_row(r) for r in draws]

    # -- announcement posts ----------------------------------------------------------------

    async def add_post(self, contest_id: int, community: str, channel: str, message_id: str,
                       now: datetime) -> None:
        """Remember a posted announcement (reactions to it enter reaction contests)."""
        async with self.store.transaction() as tx:
            known = await tx.fetch_one(
                "SELECT contest_id FROM contest_posts WHERE channel = :ch AND message_id = :m",
                {"ch": channel, "m": message_id})
            if known is None:
                await tx.execute(
                    "INSERT INTO contest_posts (channel, message_id, contest_id, community,"
                    " posted_at) VALUES (:ch, :m, :id, :community, :now)",
                    {"ch": channel, "m": message_id, "id": contest_id, "community": community,
                     "now": to_text(now)})

    async def open_posts(self) -> dict[tuple[str, str], int]:
        """(channel, message id) -> contest id, for the announcements of open contests."""
        rows = await self.store.fetch_all(
            "SELECT p.channel, p.message_id, p.contest_id FROM contest_posts p"
            " JOIN contests c ON c.id = p.contest_id WHERE c.status = :open", {"open": OPEN})
        return {(r["channel"], r["message_id"]): int(r["contest_id"]) for r in rows}


async def _count(tx: Transaction, contest_id: int) -> int:
    row = await tx.fetch_one(
        "SELECT COUNT(*) AS n FROM contest_entries WHERE contest_id = :id AND status = :in",
        {"id": contest_id, "in": IN})
    return int(row["n"]) if row else 0


async def _entrants(tx: Transaction, contest_id: int) -> list[str]:
    rows = await tx.fetch_all(
        "SELECT member_id FROM contest_entries WHERE contest_id = :id AND status = :in",
        {"id": contest_id, "in": IN})
    return sorted(r["member_id"] for r in rows)


async def _disqualify(tx: Transaction, contest_id: int, now: datetime,
                      windows: Mapping[str, timedelta | None]) -> None:
    for community, within in windows.items():
        if within is None:
            continue
        rows = await tx.fetch_all(SANCTIONS_SQL, {"c": community, "member": None,
                                                  "since": to_text(now - within)})
        for row in rows:
            await tx.execute(
                "UPDATE contest_entries SET status = :out, note = :note WHERE contest_id = :id"
                " AND member_id = :member AND community = :c AND status = :in",
                {"out": DISQUALIFIED, "note": SANCTIONED, "id": contest_id,
                 "member": row["target_id"], "c": community, "in": IN})


async def _insert_draw(tx: Transaction, contest_id: int, round_: int, requested: int,
                       winners: Sequence[str], entrants: Sequence[str], now: datetime,
                       by: str, told_in: str | None) -> Draw:
    digest = entrants_digest(entrants)
    await tx.execute(
        "INSERT INTO contest_draws (contest_id, round, requested, winners, entrants,"
        " entrants_sha256, drawn_at, drawn_by, relayed, told_in) VALUES (:id, :round,"
        " :requested, :winners, :entrants, :digest, :now, :by, 0, :told)",
        {"id": contest_id, "round": round_, "requested": requested,
         "winners": json.dumps(list(winners)), "entrants": len(entrants), "digest": digest,
         "now": to_text(now), "by": by, "told": told_in})
    return Draw(contest_id, round_, requested, tuple(winners), len(entrants), digest, now, by,
                False, told_in)
