"""The closest vocabulary term to a word (rapidfuzz ratio), without comparing it with every term.

The ratio of two words is 200 * LCS / (len1 + len2), and their longest common subsequence
cannot be longer than the letters they share (counted with repeats: `a`, a second `a`...). So a
term can reach the cutoff only if it has the right length and lacks few enough of the word's
letters. Each letter occurrence keeps the set of terms that have it as the bits of an int; the
letters a term lacks are counted for every term at once (a saturating counter of bitsets), and
only the terms that pass are compared with rapidfuzz, in vocabulary order: the answer (term,
score, and the first of equals) is the one a scan of every term gives (`scan`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rapidfuzz import fuzz, process

__all__ = ["FuzzyTerms", "scan"]

SLACK = 0.05
"""Letters of leeway in the bounds, so that rounding in the ratio never drops a candidate."""


def scan(word: str, terms: Sequence[str], cutoff: float) -> tuple[str, float] | None:
    """The best term by ratio, at least `cutoff` (the first of equals): every term compared."""
    best = process.extractOne(word, terms, scorer=fuzz.ratio, score_cutoff=cutoff)
    return None if best is None else (best[0], best[1])


class FuzzyTerms:
    """A vocabulary (in order) indexed by letter occurrences and by length."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = tuple(terms)
        self._all = (1 << len(self.terms)) - 1
        self._letters: dict[str, int] = {}
        self._lengths: dict[int, int] = {}
        for number, term in enumerate(self.terms):
            bit = 1 << number
            self._lengths[len(term)] = self._lengths.get(len(term), 0) | bit
            for key in _occurrences(term):
                self._letters[key] = self._letters.get(key, 0) | bit
        self._plans: dict[tuple[int, float], tuple[int, tuple[tuple[int, int], ...]]] = {}

    def closest(self, word: str, cutoff: float) -> tuple[str, float] | None:
        """The best term by ratio, at least `cutoff` (the first of equals), as `scan` finds it."""
        levels, lengths = self._plan(len(word), cutoff)
        if not lengths:
            return None
        every, letters = self._all, self._letters
        lacking = [every] + [0] * levels  # lacking[j]: terms that lack at least j letters so far
        for key in _occurrences(word):
            missing = every ^ letters.get(key, 0)
            if missing:
                for j in range(levels, 0, -1):
                    lacking[j] |= lacking[j - 1] & missing
        found = 0
        for members, allowed in lengths:
            found |= members & ~lacking[allowed + 1]
        if not found:
            return None
        choices = []
        terms = self.terms
        while found:
            low = found & -found
            choices.append(terms[low.bit_length() - 1])
            found ^= low
        return scan(word, choices, cutoff)

    def _plan(self, size: int, cutoff: float) -> tuple[int, tuple[tuple[int, int], ...]]:
        """For a word of `size` letters: each possible length's terms and how many of its letters
        they may lack, and one more than the most any may lack (the counter's levels)."""
        key = (size, cutoff)
        plan = self._plans.get(key)
        if plan is None:
            lengths = []
            for length, members in sorted(self._lengths.items()):
                shared = cutoff * (size + length) / 200  # the least LCS the cutoff allows
                if min(size, length) - shared >= -SLACK:
                    lengths.append((members, math.floor(size - shared + SLACK)))
            plan = (max((allowed for _, allowed in lengths), default=0) + 1, tuple(lengths))
            self._plans[key] = plan
        return plan


def _occurrences(word: str) -> list[str]:
    """Each letter of a word with its repeats so far: `kayak` -> k a y kk aa."""
    seen: dict[str, int] = {}
    keys = []
    for letter in word:
        count = seen.get(letter, 0) + 1
        seen[letter] = count
        keys.append(letter * count)
    return keys
