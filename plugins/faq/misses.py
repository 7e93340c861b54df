"""Unanswered questions grouped by what they ask: the same terms, or nearly the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from plugins.faq.store import MissRow

__all__ = ["MissGroup", "group_misses"]

SAME_TERMS = 0.5
"""Share of terms two questions must have in common (Jaccard) to be grouped..."""
SAME_SPELLING = 85.0
"""...or how alike their sorted terms must read (rapidfuzz token_sort_ratio)."""


@dataclass(slots=True)
class MissGroup:
    """Questions that ask the same thing: how many, the newest wording, the closest entry."""

    terms: frozenset[str]
    key: str
    example: str
    count: int = 0
    closest: str | None = None
    score: float = 0.0
    channels: set[str] = field(default_factory=set)

    def absorb(self, row: MissRow) -> None:
        """Count one more miss in this group."""
        self.count += 1
        self.channels.add(row.channel)
        if row.score > self.score:
            self.score, self.closest = row.score, row.closest


def _alike(group: MissGroup, terms: frozenset[str], key: str) -> bool:
    union = len(group.terms | terms)
    if union and len(group.terms & terms) / union >= SAME_TERMS:
        return True
    return fuzz.token_sort_ratio(group.key, key) >= SAME_SPELLING


def group_misses(rows: Sequence[MissRow], limit: int = 10) -> list[MissGroup]:
    """The `limit` largest groups, largest first; `rows` come newest first."""
    by_key: dict[str, list[MissRow]] = {}
    for row in rows:
        if row.terms:
            by_key.setdefault(row.terms, []).append(row)
    groups: list[MissGroup] = []
    for key, members in sorted(by_key.items(), key=lambda item: (-len(item[1]), item[0])):
        terms = frozenset(key.split())
        group = next((g for g in groups if _alike(g, terms, key)), None)
        if group is None:
            group = MissGroup(terms, key, members[0].text)
            groups.append(group)
        for row in members:
            group.absorb(row)
    groups.sort(key=lambda g: (-g.count, g.key))
    return groups[:limit]
