"""The early warning: is the last window's negativity about a term unusual for that term?

Two exact tail probabilities, both honest about small counts on either side:

- *share*: k negative mentions out of n in the window, against K out of N in the baseline.
  The baseline's negative rate is uncertain (Beta(K+1, N-K+1)), so the number of negative
  mentions expected among n follows a beta-binomial law; the p-value is P(X >= k).
- *volume*: k negative mentions in the window, against K in a baseline m windows long. With
  the rate's uncertainty (Gamma(K+1, m)) the count in one window is negative binomial
  (r = K+1, p = m/(m+1)); the p-value is P(X >= k).

A window warns when either p-value is below `significance` and it holds at least
`min_negative` negative mentions. In the window each member counts for at most
PER_MEMBER mentions, so one angry member repeating themselves is not a crisis. A member
handed over to the CMs as an angry customer (`angry`) is an unhappy voice: their mentions in
the window that were read as neutral count as negative.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

__all__ = ["Evidence", "Recent", "TermWatch", "beta_binomial_tail", "negative_binomial_tail"]

MAX_RECENT = 5_000
"""Mentions of one term remembered for the window (the oldest go first)."""
BUCKET = timedelta(hours=1)
PER_MEMBER = 2
"""Mentions of one member that count in a window."""


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def beta_binomial_tail(k: int, n: int, a: float, b: float) -> float:
    """P(X >= k) for X ~ BetaBinomial(n, a, b), summed exactly in log space."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    base = _log_beta(a, b)
    total = 0.0
    for x in range(k, n + 1):
        log_choose = math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1)
        total += math.exp(log_choose + _log_beta(x + a, n - x + b) - base)
    return min(1.0, total)


def negative_binomial_tail(k: int, r: float, p: float) -> float:
    """P(X >= k) for X ~ NegBin(r, p) counting failures (mean r(1-p)/p)."""
    if k <= 0:
        return 1.0
    below = 0.0
    for x in range(k):
        log_pmf = (math.lgamma(x + r) - math.lgamma(r) - math.lgamma(x + 1)
                   + r * math.log(p) + x * math.log1p(-p))
        below += math.exp(log_pmf)
    return max(0.0, 1.0 - below)


@dataclass(frozen=True, slots=True)
class Recent:
    """One mention in the window, with what an alert shows of it."""

    ts: datetime
    negative: bool
    score: float
    platform: str
    channel: str
    message_id: str
    text: str
    author: str = ""
    positive: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a window is unusual: the figures, the baseline and the p-values."""

    kind: str
    negative: int
    mentions: int
    baseline_negative: int
    baseline_mentions: int
    baseline_windows: float
    share_p: float
    volume_p: float
    examples: tuple[Recent, ...]
    handed_over: tuple[str, ...] = ()
    """Members handed over to the CMs whose mentions in the window counted as negative."""

    @property
    def p_value(self) -> float:
        """The smaller p-value, the one that warned."""
        return min(self.share_p, self.volume_p)


@dataclass(slots=True)
class TermWatch:
    """One term in one community: its recent mentions and hourly counts for the baseline."""

    recent: deque[Recent] = field(default_factory=lambda: deque(maxlen=MAX_RECENT))
    hours: dict[int, list[float]] = field(default_factory=dict)
    first: datetime | None = None
    last_warning: datetime | None = None

    def add(self, mention: Recent, window: timedelta, baseline: timedelta) -> None:
        """Remember a mention; forget what is older than the window and the baseline."""
        if self.first is None:
            self.first = mention.ts
        self.recent.append(mention)
        while self.recent and self.recent[0].ts <= mention.ts - window:
            self.recent.popleft()
        hour = int(mention.ts.timestamp() // 3600)
        counts = self.hours.setdefault(hour, [0.0, 0.0])
        counts[0] += 1
        counts[1] += mention.negative
        oldest = hour - int(baseline / BUCKET) - int(window / BUCKET) - 2
        for stale in [h for h in self.hours if h < oldest]:
            del self.hours[stale]

    def restore(self, days: list[tuple[str, int, int]], now: datetime) -> None:
        """Rebuild the baseline from stored daily figures (day, mentions, negative) after a
        restart: each day's counts spread over its hours (today's over the hours gone by)."""
        for day, mentions, negative in days:
            start = datetime.fromisoformat(day).replace(tzinfo=now.tzinfo)
            hours = 24 if start.date() < now.date() else int((now - start) / BUCKET)
            if hours <= 0 or mentions <= 0:
                continue
            first = int(start.timestamp() // 3600)
            for hour in range(first, first + hours):
                counts = self.hours.setdefault(hour, [0.0, 0.0])
                counts[0] += mentions / hours
                counts[1] += negative / hours
            if self.first is None or start < self.first:
                self.first = start

    def check(self, now: datetime, window: timedelta, baseline: timedelta,
              significance: float, min_negative: int,
              angry: frozenset[str] = frozenset()) -> Evidence | None:
        """The evidence when the window is significantly worse than the baseline (`angry`:
        members handed over to the CMs, whose neutral mentions count as negative)."""
        start = now - window
        inside, seen = [], dict[str, int]()
        for mention in self.recent:
            if mention.ts > start:
                seen[mention.author] = seen.get(mention.author, 0) + 1
                if seen[mention.author] <= PER_MEMBER:
                    if not mention.negative and not mention.positive \
                            and mention.author in angry:
                        mention = replace(mention, negative=True)
                    inside.append(mention)
        negative = sum(m.negative for m in inside)
        if negative < min_negative:
            return None
        first_hour = int((start - baseline).timestamp() // 3600)
        last_hour = int(start.timestamp() // 3600)  # hours that end before the window starts
        base_mentions = base_negative = 0.0
        for hour, (count, bad) in self.hours.items():
            if first_hour <= hour < last_hour:
                base_mentions += count
                base_negative += bad
        observed = min(baseline, start - self.first) if self.first else timedelta(0)
        windows = max(observed.total_seconds() // 3600 * 3600, 3600) / window.total_seconds()
        share_p = beta_binomial_tail(negative, len(inside), base_negative + 1,
                                     base_mentions - base_negative + 1)
        volume_p = negative_binomial_tail(negative, base_negative + 1, windows / (windows + 1))
        if min(share_p, volume_p) >= significance:
            return None
        worst = sorted((m for m in inside if m.negative), key=lambda m: m.score)[:5]
        kind = "share" if share_p <= volume_p else "volume"
        handed = tuple(sorted({m.author for m in inside if m.negative and m.author in angry}))
        return Evidence(kind, negative, len(inside), round(base_negative),
                        round(base_mentions), windows, share_p, volume_p, tuple(worst), handed)
