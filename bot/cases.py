"""The case log: every sanction and note, numbered per community, committed before it is told."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_text, to_text
from bot.storage import Store, Transaction

__all__ = ["ACTIVE", "EXPIRED", "VOIDED", "Case", "CaseLog", "ClaimTaken", "case_from_row"]

ACTIVE, EXPIRED, VOIDED = "active", "expired", "voided"


class ClaimTaken(Exception):
    """A case claimed a key that an earlier case already holds: it was not opened."""


@dataclass(frozen=True, slots=True)
class Case:
    """One recorded sanction or note."""

    id: int
    community: str
    number: int
    action: str
    target_id: str
    target_name: str
    author_id: str
    author_name: str
    reason: str
    duration: timedelta | None
    expires_at: datetime | None
    evidence: str
    revision: str
    event_id: str | None
    channel: str | None
    refs: tuple[int, ...]
    notified: str
    status: str
    status_reason: str
    status_by: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def automatic(self) -> bool:
        """Opened by a rule rather than a person."""
        return self.author_id.startswith("rule:")


def _case(row: dict[str, Any]) -> Case:
    return Case(
        id=row["id"], community=row["community"], number=row["number"], action=row["action"],
        target_id=row["target_id"], target_name=row["target_name"], author_id=row["author_id"],
        author_name=row["author_name"], reason=row["reason"],
        duration=timedelta(seconds=row["duration_s"]) if row["duration_s"] is not None else None,
        expires_at=from_text(row["expires_at"]) if row["expires_at"] else None,
        evidence=row["evidence"], revision=row["revision"], event_id=row["event_id"],
        channel=row["channel"],
        refs=tuple(int(n) for n in row["refs"].split(",") if n),
        notified=row["notified"], status=row["status"], status_reason=row["status_reason"],
        status_by=row["status_by"], created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )


def case_from_row(row: dict[str, Any]) -> Case:
    """A case from a row of the `cases` table (for readers that search it their own way)."""
    return _case(row)


class CaseLog:
    """Opens, reads and updates cases; lookups use the (community, member) indexes."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._queue: list[_Request | _Note] = []
        self._writer: asyncio.Task[None] | None = None

    async def open(
        self, *, community: str, action: str, target_id: str, target_name: str, author_id: str,
        author_name: str, reason: str = "", duration: timedelta | None = None,
        evidence: str = "", revision: str = "", event_id: str | None = None,
        channel: str | None = None, refs: Sequence[int] = (), claims: Sequence[str] = (),
        source: str | None = None,
    ) -> Case:
        """Record a case with the next number of its community; committed on return.

        `claims` are keys the case takes for good, in the same transaction: it takes those still
        free; if another case holds every one already, nothing is recorded (ClaimTaken).
        `source` names what caused the case (an event, a sanction): an event handled again after
        a crash, or delivered twice, finds its case there and records nothing (ClaimTaken).
        Cases opened at the same moment share one transaction (one commit, one sync to disk);
        each caller still returns only once its case is committed.
        """
        now = self.clock.now()
        request = _Request(
            community=community, action=action, target_id=target_id, target_name=target_name,
            author_id=author_id, author_name=author_name, reason=reason, duration=duration,
            evidence=evidence, revision=revision, event_id=event_id, channel=channel,
            refs=tuple(refs), claims=tuple(claims), source=source, now=now,
            done=asyncio.get_running_loop().create_future())
        self._enqueue(request)
        return await asyncio.shield(request.done)

    async def _write(self) -> None:
        """Commit what is queued, a batch per transaction, until the queue is empty."""
        try:
            while self._queue:
                batch = _next_batch(self._queue)
                del self._queue[:len(batch)]
                try:
                    outcomes = await self._commit(batch)
                except Exception as exc:
                    if len(batch) == 1:
                        _settle(batch[0], exc)
                        continue
                    # One bad case must not sink the others: each on its own, in order.
                    self._queue[:0] = [_single(item) for item in batch]
                    continue
                for request, outcome in zip(batch, outcomes, strict=True):
                    _settle(request, outcome)
        finally:
            self._writer = None

    async def _commit(self, batch: Sequence[_Request | _Note]
                      ) -> list[Case | ClaimTaken | None]:
        outcomes: list[Case | ClaimTaken | None] = []
        async with self.store.transaction() as tx:
            # Numbers and claims of a community are taken by one writer at a time, whatever the
            # process (PostgreSQL: an advisory lock, in a fixed order; SQLite: one writer).
            for community in sorted({r.community for r in batch if isinstance(r, _Request)}):
                await tx.lock(f"cases:{community}")
            for item in batch:
                if isinstance(item, _Note):
                    await tx.execute(
                        "UPDATE cases SET notified = :n, updated_at = :now WHERE id = :id",
                        {"n": item.notified, "now": to_text(item.now), "id": item.case_id})
                    outcomes.append(None)
                    continue
                try:
                    outcomes.append(await _insert(tx, item))
                except ClaimTaken as taken:
                    outcomes.append(taken)
        return outcomes

    async def get_by_id(self, case_id: int) -> Case | None:
        """A case by its database id."""
        row = await self.store.fetch_one("SELECT * FROM cases WHERE id = :id", {"id": case_id})
        return _case(row) if row else None

    async def get(self, community: str, number: int) -> Case | None:
        """A case by its number in a community."""
        row = await self.store.fetch_one(
            "SELECT * FROM cases WHERE community = :c AND number = :n",
            {"c": community, "n": number})
        return _case(row) if row else None

    async def for_member(self, community: str, target_id: str, limit: int = 50) -> list[Case]:
        """A member's cases, newest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM cases WHERE community = :c AND target_id = :t"
            " ORDER BY created_at DESC, id DESC LIMIT :limit",
            {"c": community, "t": target_id, "limit": limit})
        return [_case(r) for r in rows]

    async def active(self, community: str, target_id: str, action: str,
                     since: datetime | None = None) -> list[Case]:
        """A member's active cases of one action (optionally opened since a time), oldest first."""
        rows = await self.store.fetch_all(
            "SELECT * FROM cases WHERE community = :c AND target_id = :t AND action = :a"
            " AND status = 'active' AND (:since IS NULL OR created_at >= :since)"
            " ORDER BY created_at, id",
            {"c": community, "t": target_id, "a": action,
             "since": to_text(since) if since else None})
        return [_case(r) for r in rows]

    async def latest_timed(self) -> list[Case]:
        """Each member's latest active timeout and ban, where that one has an end."""
        rows = await self.store.fetch_all(
            "SELECT * FROM cases c WHERE c.status = 'active' AND c.action IN ('timeout', 'ban')"
            " AND c.id = (SELECT MAX(o.id) FROM cases o WHERE o.community = c.community"
            " AND o.target_id = c.target_id AND o.action = c.action AND o.status = 'active')"
            " AND c.expires_at IS NOT NULL")
        return [_case(r) for r in rows]

    async def claimed(self, community: str, claims: Sequence[str]) -> set[str]:
        """Which of these keys a case already holds."""
        return await _claimed(self.store, community, claims)

    async def set_status(self, case_id: int, status: str, reason: str = "",
                         by: str | None = None) -> None:
        """Mark a case active, expired, voided or failed, with why and by whom."""
        await self.store.execute(
            "UPDATE cases SET status = :s, status_reason = :r, status_by = :by,"
            " updated_at = :now WHERE id = :id",
            {"s": status, "r": reason, "by": by, "now": to_text(self.clock.now()), "id": case_id})

    async def set_reason(self, case_id: int, reason: str) -> None:
        """Replace a case's reason."""
        await self.store.execute(
            "UPDATE cases SET reason = :r, updated_at = :now WHERE id = :id",
            {"r": reason, "now": to_text(self.clock.now()), "id": case_id})

    async def set_notified(self, case_id: int, notified: str) -> None:
        """Record whether the member was told (`dm`, or why not); committed on return, in the
        same transaction as the cases and notes of the moment."""
        note = _Note(case_id, notified, self.clock.now(),
                     asyncio.get_running_loop().create_future())
        self._enqueue(note)
        await asyncio.shield(note.done)

    def _enqueue(self, item: _Request | _Note) -> None:
        self._queue.append(item)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write(), name="vigie-cases")


async def _claimed(db: Transaction, community: str, claims: Sequence[str]) -> set[str]:
    """Which of these keys a case holds, read through a transaction or the store."""
    if not claims:
        return set()
    marks = ", ".join(f":k{i}" for i in range(len(claims)))
    params: dict[str, Any] = {f"k{i}": claim for i, claim in enumerate(claims)}
    params["c"] = community
    rows = await db.fetch_all(
        f"SELECT claim FROM case_claims WHERE community = :c AND claim IN ({marks})", params)
    return {str(r["claim"]) for r in rows}


MAX_BATCH = 64
"""Most cases committed in one transaction."""


@dataclass(frozen=True, slots=True)
class _Note:
    """Whether a case's member was told, to record; the future its caller waits on."""

    case_id: int
    notified: str
    now: datetime
    done: asyncio.Future[None]
    alone: bool = False


@dataclass(frozen=True, slots=True)
class _Request:
    """A case to open, and the future its caller waits on."""

    community: str
    action: str
    target_id: str
    target_name: str
    author_id: str
    author_name: str
    reason: str
    duration: timedelta | None
    evidence: str
    revision: str
    event_id: str | None
    channel: str | None
    refs: tuple[int, ...]
    claims: tuple[str, ...]
    source: str | None
    now: datetime
    done: asyncio.Future[Case]
    alone: bool = False



def _single(item: _Request | _Note) -> _Request | _Note:
    """The same item, to be committed in a transaction of its own."""
    return replace(item, alone=True)


def _next_batch(queue: Sequence[_Request | _Note]) -> list[_Request | _Note]:
    """The requests to commit together: the first one alone if it must be, else up to
    MAX_BATCH that may share a transaction."""
    if queue[0].alone:
        return [queue[0]]
    batch: list[_Request | _Note] = []
    for request in queue[:MAX_BATCH]:
        if request.alone:
            break
        batch.append(request)
    return batch


def _settle(item: _Request | _Note, outcome: Case | BaseException | None) -> None:
    if item.done.done():
        return
    if isinstance(outcome, BaseException):
        item.done.set_exception(outcome)
    elif isinstance(item, _Note):
        item.done.set_result(None)
    elif outcome is not None:
        item.done.set_result(outcome)


async def _insert(tx: Transaction, r: _Request) -> Case:
    """Number and insert one case, with its claims; ClaimTaken if its cause or claims are."""
    keys = [*r.claims, r.source] if r.source is not None else list(r.claims)
    taken = await _claimed(tx, r.community, keys)
    if r.source is not None and r.source in taken:
        raise ClaimTaken(f"{r.source}: already recorded")
    free = [claim for claim in r.claims if claim not in taken]
    if r.claims and not free:
        raise ClaimTaken(f"{', '.join(r.claims)}: already taken by an earlier case")
    if r.source is not None:
        free.append(r.source)
    row = await tx.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM cases WHERE community = :c",
        {"c": r.community})
    number = int(row["next"]) if row else 1
    expires = r.now + r.duration if r.duration is not None else None
    case_id = await tx.execute(
        "INSERT INTO cases (community, number, action, target_id, target_name, author_id,"
        " author_name, reason, duration_s, expires_at, evidence, revision, event_id,"
        " channel, refs, status, created_at, updated_at) VALUES (:c, :n, :action, :tid,"
        " :tname, :aid, :aname, :reason, :dur, :exp, :evidence, :rev, :event, :channel,"
        " :refs, 'active', :now, :now)",
        {"c": r.community, "n": number, "action": r.action, "tid": r.target_id,
         "tname": r.target_name, "aid": r.author_id, "aname": r.author_name,
         "reason": r.reason,
         "dur": int(r.duration.total_seconds()) if r.duration is not None else None,
         "exp": to_text(expires) if expires else None, "evidence": r.evidence,
         "rev": r.revision, "event": r.event_id, "channel": r.channel,
         "refs": ",".join(str(n) for n in r.refs), "now": to_text(r.now)})
    for claim in free:
        await tx.execute(
            "INSERT INTO case_claims (community, claim, case_id) VALUES (:c, :claim, :id)",
            {"c": r.community, "claim": claim, "id": case_id})
    stamp = from_text(to_text(r.now))
    return Case(
        id=case_id, community=r.community, number=number, action=r.action,
        target_id=r.target_id, target_name=r.target_name, author_id=r.author_id,
        author_name=r.author_name, reason=r.reason,
        duration=timedelta(seconds=int(r.duration.total_seconds()))
        if r.duration is not None else None,
        expires_at=from_text(to_text(expires)) if expires else None, evidence=r.evidence,
        revision=r.revision, event_id=r.event_id, channel=r.channel, refs=r.refs, notified="",
        status=ACTIVE, status_reason="", status_by=None, created_at=stamp, updated_at=stamp)
