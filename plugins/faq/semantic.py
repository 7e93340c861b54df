"""Whether the encoder's closest entry answers a question the words left uncertain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plugins.faq.encoder import SemanticHit
from plugins.faq.settings import Entry

__all__ = ["SEMANTIC_MARGIN", "SemanticOutcome", "judge"]

SEMANTIC_MARGIN = 0.06
"""The closest entry must be this much closer than the next one."""
AGREEMENT_DISCOUNT = 0.15
"""When the words' best entry is the encoder's too, this much less similarity is enough..."""
AGREEMENT_INDEX = 0.4
"""...provided the words gave that entry at least this confidence."""


@dataclass(frozen=True, slots=True)
class SemanticOutcome:
    """The encoder's best entry, its similarity, the next one's, and the verdict."""

    entry: Entry | None
    score: float
    runner_up: float
    example: str
    agreed: bool
    confident: bool

    @property
    def evidence(self) -> str:
        """Why, in a line."""
        if self.entry is None:
            return "semantic: no entry"
        return (f"semantic: entry {self.entry.id}: similarity {self.score:.2f} (next "
                f"{self.runner_up:.2f}{', the words agree' if self.agreed else ''}); closest "
                f"example {self.example!r}")


def judge(hits: Sequence[SemanticHit], entries: Sequence[Entry], threshold: float,
          index_best: str | None, index_score: float) -> SemanticOutcome:
    """The verdict on the encoder's hits (entries that may answer here only, best first)."""
    if not hits:
        return SemanticOutcome(None, 0.0, 0.0, "", False, False)
    best = hits[0]
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    entry = entries[best.entry]
    agreed = index_best == entry.id and index_score >= AGREEMENT_INDEX
    needed = threshold - AGREEMENT_DISCOUNT if agreed else threshold
    confident = best.score >= needed and best.score - runner_up >= SEMANTIC_MARGIN
    return SemanticOutcome(entry, round(best.score, 3), round(runner_up, 3), best.example,
                           agreed, confident)
