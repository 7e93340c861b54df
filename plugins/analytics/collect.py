"""In-memory aggregates of the message path: hourly counters, active members, open questions."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

__all__ = ["COMMUNITY", "Batch", "Collector", "Pending", "day_text", "hour_of", "hour_text"]

COMMUNITY = ""
"""The channel of community-wide counters (joins, leaves)."""
MAX_QUESTIONS = 20_000
"""Open questions kept, per process; the oldest go first."""
QUESTION_MAX_AGE = timedelta(hours=48)
MAX_NEWCOMERS = 20_000
"""Members who joined and have not posted yet, kept to count first messages."""
NEWCOMER_MAX_AGE = timedelta(days=30)

CounterKey = tuple[str, str, int, str]
"""(community, channel, hour number since the epoch, metric)."""


def hour_of(moment: datetime) -> int:
    """The hour a moment counts in: hours since 0001-01-01 (UTC), cheap to compute (no
    timestamp arithmetic, once per message)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.toordinal() * 24 + moment.hour


def hour_text(hour: int) -> str:
    """`2026-11-21T10`, as stored: sorts like time."""
    return f"{date.fromordinal(hour // 24):%Y-%m-%d}T{hour % 24:02d}"


def day_text(hour: int) -> str:
    """`2026-11-21`: the day of an hour number."""
    return f"{date.fromordinal(hour // 24):%Y-%m-%d}"


@dataclass(slots=True)
class Batch:
    """What is waiting to be written: counters to add and active-member days to insert."""

    counts: dict[CounterKey, int] = field(default_factory=dict)
    active: set[tuple[str, int, str]] = field(default_factory=set)
    """(community, day number since 0001-01-01, member): the day as text when written."""

    def __len__(self) -> int:
        return len(self.counts) + len(self.active)

    def add(self, key: CounterKey, amount: int = 1) -> None:
        """Add to one counter."""
        self.counts[key] = self.counts.get(key, 0) + amount

    def merge(self, other: Batch) -> None:
        """Fold another batch in (one that could not be written goes back this way)."""
        for key, amount in other.counts.items():
            self.add(key, amount)
        self.active |= other.active


@dataclass(frozen=True, slots=True)
class Pending:
    """A question nobody has answered yet."""

    channel: str
    asked: datetime


class Collector:
    """The message path's side of analytics: dict increments and bounded trackers."""

    def __init__(self) -> None:
        self.batch = Batch()
        self.questions: OrderedDict[tuple[str, str], Pending] = OrderedDict()
        self.team_answers: dict[tuple[str, str], datetime] = {}
        """Questions a CM replied to, settled at the next write: the FAQ may have answered
        first (its answer is read from the audit log, a little later)."""
        self.newcomers: OrderedDict[tuple[str, str], datetime] = OrderedDict()

    def take(self) -> Batch:
        """Detach what is queued."""
        batch, self.batch = self.batch, Batch()
        return batch

    def count(self, community: str, channel: str, moment: datetime, metric: str,
              amount: int = 1) -> None:
        """Add to a counter in the hour of `moment`."""
        self.batch.add((community, channel, hour_of(moment), metric), amount)

    def message(self, community: str, channel: str, message_id: str, author: str,
                moment: datetime, *, reply_to: str | None, question: bool, staff: bool) -> None:
        """One member message: counters, the author's active day, questions and answers."""
        if moment.tzinfo is not UTC:
            moment = moment.astimezone(UTC)
        day = moment.toordinal()
        hour = day * 24 + moment.hour                      # hour_of, inlined: once per message
        batch = self.batch
        counts = batch.counts
        key = (community, channel, hour, "messages")
        counts[key] = counts.get(key, 0) + 1
        batch.active.add((community, day, author))
        if self.newcomers and self.newcomers.pop((community, author), None) is not None:
            batch.add((community, channel, hour, "first_messages"))
        if reply_to is not None:
            batch.add((community, channel, hour, "replies"))
            if staff and (community, reply_to) in self.questions:
                self.team_answers.setdefault((community, reply_to), moment)
        if question and not staff:
            batch.add((community, channel, hour, "questions"))
            self.questions[(community, message_id)] = Pending(channel, moment)
            if len(self.questions) > MAX_QUESTIONS:
                self.questions.popitem(last=False)

    def settle(self, faq_answers: Iterable[tuple[str, str, datetime]]) -> None:
        """Count who answered first: the FAQ (`faq_answers`, read from the audit log) or
        the team (a CM's reply since the last write)."""
        for community, message_id, moment in faq_answers:
            key = (community, message_id)
            team = self.team_answers.get(key)
            if team is None or moment <= team:
                self.team_answers.pop(key, None)
                self._answered(community, message_id, moment, "faq")
        answers, self.team_answers = self.team_answers, {}
        for (community, message_id), moment in answers.items():
            self._answered(community, message_id, moment, "cm")

    def _answered(self, community: str, message_id: str, moment: datetime, who: str) -> None:
        pending = self.questions.pop((community, message_id), None)
        if pending is None:
            return
        hour = hour_of(pending.asked)
        seconds = max(0, int((moment - pending.asked).total_seconds()))
        self.batch.add((community, pending.channel, hour, f"answered_{who}"))
        self.batch.add((community, pending.channel, hour, f"answer_{who}_seconds"), seconds)

    def joined(self, community: str, member: str, moment: datetime) -> None:
        """A member joined: counted, and watched for their first message."""
        self.count(community, COMMUNITY, moment, "joins")
        self.newcomers[(community, member)] = moment
        self.newcomers.move_to_end((community, member))
        if len(self.newcomers) > MAX_NEWCOMERS:
            self.newcomers.popitem(last=False)

    def left(self, community: str, member: str, moment: datetime) -> None:
        """A member left."""
        self.count(community, COMMUNITY, moment, "leaves")
        self.newcomers.pop((community, member), None)

    def expire(self, now: datetime) -> None:
        """Forget questions and newcomers too old to count (called at each write, not per
        message)."""
        while self.questions:
            key, pending = next(iter(self.questions.items()))
            if now - pending.asked <= QUESTION_MAX_AGE:
                break
            del self.questions[key]
        while self.newcomers:
            member, joined = next(iter(self.newcomers.items()))
            if now - joined <= NEWCOMER_MAX_AGE:
                break
            del self.newcomers[member]

