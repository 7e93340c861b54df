"""Figures of one community over a period, from the hourly counters and the case log."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.clock import from_text, to_text
from bot.storage import Transaction
from plugins.analytics.collect import hour_of, hour_text
from plugins.analytics.others import Others, read_others

__all__ = ["FAQ_ENTRY", "MONITOR", "SANCTIONS", "WOULD", "Cohort", "Figures", "Moderation",
           "RuleRow", "communities", "compute"]

SANCTIONS = ("warn", "timeout", "kick", "ban")
REPEAT_WITHIN = timedelta(days=30)
MONITOR = "monitor:"
"""Prefix of the counters of automod rules in monitor mode: `monitor:<rule>`."""
FAQ_ENTRY = "faq_answer:"
"""Prefix of the FAQ's answers per entry: `faq_answer:<entry>`."""
WOULD = "would:"
"""Prefix of what such a rule would have done: `would:<action kind>:<rule>`."""
MANUAL = "manual"
"""The rule name of cases a person opened (by CM, see `by_cm`)."""


@dataclass(frozen=True, slots=True)
class RuleRow:
    """Cases opened under one rule (or by one CM), and how many were pardoned."""

    name: str
    cases: int
    pardoned: int

    @property
    def pardoned_share(self) -> float:
        """Pardoned cases over cases (0 when none)."""
        return self.pardoned / self.cases if self.cases else 0.0


@dataclass(slots=True)
class Moderation:
    """Does moderation work: cases by rule and CM, pardons, repeat offences, time to act."""

    cases: int = 0
    pardoned: int = 0
    by_action: dict[str, int] = field(default_factory=dict)
    by_rule: list[RuleRow] = field(default_factory=list)
    by_cm: list[RuleRow] = field(default_factory=list)
    repeat: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per sanction kind: (cases, cases followed by another offence within 30 days)."""
    monitor: dict[str, int] = field(default_factory=dict)
    """Automod rules in monitor mode: how often each would have acted."""
    would: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per monitored rule: the actions it would have taken (`delete`, `warn`...), how often."""


@dataclass(frozen=True, slots=True)
class Cohort:
    """Members first seen in one week of the period, and how many came back."""

    week: str
    members: int
    back7: int | None
    """Active again 7+ days after their first day (None: too recent to tell)."""
    back30: int | None


@dataclass(slots=True)
class Figures:
    """Everything a report shows about one community over [start, end)."""

    community: str
    start: datetime
    end: datetime
    totals: Counter[str] = field(default_factory=Counter)
    daily: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    """(day, messages, active members, joins, leaves) for every day of the period."""
    answers_daily: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    """(day, questions, answered by a CM, answered by the FAQ, seconds the CMs took in all)
    for every day."""
    heat: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    """Messages by weekday (Monday first) and hour (UTC)."""
    channels: list[tuple[str, int]] = field(default_factory=list)
    active_members: int = 0
    retention7: tuple[int, int] | None = None
    """(came back 7+ days after their first day, members whose first day allows it)."""
    retention30: tuple[int, int] | None = None
    cohorts: list[Cohort] = field(default_factory=list)
    """Weekly cohorts of new members (first seen in the period) and their return."""
    times_daily: list[tuple[str, float | None, float | None, float | None]] = field(
        default_factory=list)
    """(day, team's mean answer time, FAQ's mean answer time, team's mean time to act), in
    seconds, None without any, for every day."""
    moderation: Moderation = field(default_factory=Moderation)
    faq_entries: dict[str, int] = field(default_factory=dict)
    """The FAQ's answers per entry (from the audit log)."""
    others: Others = field(default_factory=Others)

    @property
    def days(self) -> int:
        """Length of the period in days."""
        return max(1, round((self.end - self.start) / timedelta(days=1)))

    def mean(self, metric: str, count: str) -> float | None:
        """`metric` summed over `count`: a mean, or None without any."""
        n = self.totals[count]
        return self.totals[metric] / n if n else None

    @property
    def answered(self) -> int:
        """Questions answered by a CM or the FAQ."""
        return self.totals["answered_cm"] + self.totals["answered_faq"]

    @property
    def empty(self) -> bool:
        """Nothing at all happened in the period."""
        return not self.totals and not self.moderation.cases


async def communities(store: Transaction) -> list[str]:
    """Communities with any figures or cases, sorted."""
    rows = await store.fetch_all(
        "SELECT community FROM analytics_hours UNION SELECT community FROM analytics_active"
        " UNION SELECT community FROM cases")
    return sorted(str(r["community"]) for r in rows)


async def compute(store: Transaction, community: str, start: datetime, end: datetime) -> Figures:
    """The figures of `community` over [start, end) (UTC, whole hours)."""
    figures = Figures(community, start, end)
    await _activity(store, figures)
    await _members(store, figures)
    await _cases(store, figures)
    figures.others = await read_others(store, community, start, end, figures.faq_entries)
    return figures


async def _activity(store: Transaction, f: Figures) -> None:
    rows = await store.fetch_all(
        "SELECT channel, hour, metric, value FROM analytics_hours WHERE community = :c"
        " AND hour >= :s AND hour < :e",
        {"c": f.community, "s": hour_text(hour_of(f.start)), "e": hour_text(hour_of(f.end))})
    by_day: dict[str, Counter[str]] = defaultdict(Counter)
    by_channel: Counter[str] = Counter()
    for r in rows:
        metric, value = str(r["metric"]), int(r["value"])
        if metric.startswith(MONITOR):
            rule = metric.removeprefix(MONITOR)
            f.moderation.monitor[rule] = f.moderation.monitor.get(rule, 0) + value
            continue
        if metric.startswith(FAQ_ENTRY):
            entry = metric.removeprefix(FAQ_ENTRY)
            f.faq_entries[entry] = f.faq_entries.get(entry, 0) + value
            continue
        if metric.startswith(WOULD):
            kind, _, rule = metric.removeprefix(WOULD).partition(":")
            kinds = f.moderation.would.setdefault(rule, {})
            kinds[kind] = kinds.get(kind, 0) + value
            continue
        f.totals[metric] += value
        hour = str(r["hour"])
        by_day[hour[:10]][metric] += value
        if metric == "messages":
            moment = datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)
            f.heat[moment.weekday()][moment.hour] += value
            by_channel[str(r["channel"])] += value
    f.channels = by_channel.most_common()
    active = await store.fetch_all(
        "SELECT day, COUNT(*) AS n FROM analytics_active WHERE community = :c AND day >= :s"
        " AND day < :e GROUP BY day", {"c": f.community, "s": _day(f.start), "e": _day(f.end)})
    active_by_day = {str(r["day"]): int(r["n"]) for r in active}
    day = f.start
    while day < f.end:
        text = _day(day)
        got = by_day[text]
        f.daily.append((text, got["messages"], active_by_day.get(text, 0), got["joins"],
                        got["leaves"]))
        f.answers_daily.append((text, got["questions"], got["answered_cm"],
                                got["answered_faq"], got["answer_cm_seconds"]))
        f.times_daily.append((text, _mean(got, "answer_cm_seconds", "answered_cm"),
                              _mean(got, "answer_faq_seconds", "answered_faq"),
                              _mean(got, "lag_cm_seconds", "lag_cm")))
        day += timedelta(days=1)


async def _members(store: Transaction, f: Figures) -> None:
    row = await store.fetch_one(
        "SELECT COUNT(DISTINCT member) AS n FROM analytics_active WHERE community = :c"
        " AND day >= :s AND day < :e", {"c": f.community, "s": _day(f.start), "e": _day(f.end)})
    f.active_members = int(row["n"]) if row else 0
    rows = await store.fetch_all(
        "SELECT member, day FROM analytics_active WHERE community = :c AND day < :e"
        " ORDER BY member, day", {"c": f.community, "e": _day(f.end)})
    days: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        days[str(r["member"])].append(str(r["day"]))
    f.retention7 = _retention(days, f.start, f.end, 7)
    f.retention30 = _retention(days, f.start, f.end, 30)
    f.cohorts = _cohorts(days, f.start, f.end)


def _cohorts(days: dict[str, list[str]], start: datetime, end: datetime) -> list[Cohort]:
    """Members first seen in each 7-day slice of the period (from its first day), and how many
    were active again 7 and 30 days after their first day (None when the slice is too recent
    for every member of it to have had the time)."""
    weeks: list[list[int]] = []
    first_day = start.date()
    for seen in days.values():
        first = datetime.strptime(seen[0], "%Y-%m-%d").replace(tzinfo=UTC)
        if not start <= first < end:
            continue
        index = (first.date() - first_day).days // 7
        while len(weeks) <= index:
            weeks.append([0, 0, 0])
        row = weeks[index]
        row[0] += 1
        row[1] += seen[-1] >= _day(first + timedelta(days=7))
        row[2] += seen[-1] >= _day(first + timedelta(days=30))
    out = []
    for index, (members, back7, back30) in enumerate(weeks):
        week = start + timedelta(days=7 * index)
        last_first = min(week + timedelta(days=6), end - timedelta(days=1))
        out.append(Cohort(_day(week), members,
                          back7 if last_first + timedelta(days=7) < end else None,
                          back30 if last_first + timedelta(days=30) < end else None))
    return out


def _mean(got: Counter[str], metric: str, count: str) -> float | None:
    return got[metric] / got[count] if got[count] else None


def _retention(days: dict[str, list[str]], start: datetime, end: datetime,
               after: int) -> tuple[int, int] | None:
    """Of the members first seen in the period early enough to come back `after` days later
    within it, how many did."""
    last_first = end - timedelta(days=after + 1)
    if last_first < start:
        return None
    first_from, first_to = _day(start), _day(last_first)
    cohort = back = 0
    for seen in days.values():
        first = seen[0]
        if not first_from <= first <= first_to:
            continue
        cohort += 1
        again = _day(datetime.strptime(first, "%Y-%m-%d").replace(tzinfo=UTC)
                     + timedelta(days=after))
        if seen[-1] >= again:
            back += 1
    return back, cohort


async def _cases(store: Transaction, f: Figures) -> None:
    rows = await store.fetch_all(
        "SELECT action, target_id, author_id, author_name, status, refs, created_at FROM cases"
        " WHERE community = :c AND created_at >= :s AND created_at < :e"
        " ORDER BY created_at, id",
        {"c": f.community, "s": to_text(f.start), "e": to_text(f.end + REPEAT_WITHIN)})
    m = f.moderation
    start, end = to_text(f.start), to_text(f.end)
    offences: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["action"] in SANCTIONS and r["status"] not in ("voided", "failed") \
                and not r["refs"]:
            offences[str(r["target_id"])].append(str(r["created_at"]))
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    cms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    repeat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        created = str(r["created_at"])
        if r["action"] not in SANCTIONS or not start <= created < end or r["status"] == "failed":
            continue
        pardoned = int(r["status"] == "voided")
        m.cases += 1
        m.pardoned += pardoned
        m.by_action[str(r["action"])] = m.by_action.get(str(r["action"]), 0) + 1
        author = str(r["author_id"])
        if author.startswith("rule:"):
            row = rules[author.removeprefix("rule:")]
        else:
            row = rules[MANUAL]
            cm = cms[str(r["author_name"])]
            cm[0] += 1
            cm[1] += pardoned
        row[0] += 1
        row[1] += pardoned
        if pardoned:
            continue
        until = to_text(from_text(created) + REPEAT_WITHIN)
        again = any(created < later <= until for later in offences[str(r["target_id"])])
        counts = repeat[str(r["action"])]
        counts[0] += 1
        counts[1] += int(again)
    m.by_rule = sorted((RuleRow(k, v[0], v[1]) for k, v in rules.items()),
                       key=lambda row: (-row.cases, row.name))
    m.by_cm = sorted((RuleRow(k, v[0], v[1]) for k, v in cms.items()),
                     key=lambda row: (-row.cases, row.name))
    m.repeat = {action: (v[0], v[1]) for action, v in repeat.items()}


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")
