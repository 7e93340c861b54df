"""The FAQ index, built once per settings: terms weighted by rarity, postings, fuzzy lookup.

A message is scored against an entry on two sides, both weighted by how rare each term is among
the entries (idf), and a message term counts for an entry term when they are equal or close
(rapidfuzz ratio on stems, for typos and inflections; `plugins.faq.fuzzy` compares a new term
only with the few index terms that share enough of its letters):

- *focus*: how much of the message the entry explains (words the entry never uses lower it);
- *coverage*: how much of the entry's closest example question the message contains (one of
  the entry's keywords, or its id, found in the message counts as a near-complete example: a
  one-word keyword like any term, typos included; a longer one as consecutive words; an
  example of one common word cannot count as complete on its own).

The confidence is their weighted harmonic mean, leaning towards focus: a message about
something else that happens to share a word scores low. Only entries sharing a term with the
message are ever scored (the postings), by decreasing focus, and only while one may still rank
(focus caps the confidence), so the cost follows the message, not the FAQ's size.
"""

from __future__ import annotations

import itertools
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from plugins.faq.fuzzy import FuzzyTerms
from plugins.faq.settings import Entry
from plugins.faq.text import faq_words, merge_compounds, stems_of, terms_of

__all__ = ["FaqIndex", "Match", "applies"]

FOCUS_WEIGHT = 0.5
"""Share of focus in the confidence (the rest is coverage)."""
KEYWORD_COVERAGE = 0.85
"""Coverage granted when a whole keyword of the entry is in the message."""
UNKNOWN_FACTOR = 0.6
"""A message term no entry uses weighs this share of the rarest term's weight."""
FUZZY_MIN_LENGTH = 5
"""Shorter terms only match exactly (too many near neighbours)."""
FUZZY_CUTOFF = 82.0
SHORT_FUZZY_CUTOFF = 88.0
"""rapidfuzz ratio needed for terms of 5-6 characters, and longer ones."""
MIN_EXAMPLE_SHARE = 1.5
"""An example question weighs at least this many average terms, however few words it has
(unless the message has exactly its terms)."""
SHORTLIST = 12
"""Entries, by focus, whose example questions are compared."""
CACHE_LIMIT = 50_000
"""Message terms whose lookup is remembered (the least recently asked about go first)."""
_ZEROS = itertools.repeat(0.0)


@dataclass(frozen=True, slots=True)
class Match:
    """How well one entry fits a message."""

    entry: Entry
    score: float
    focus: float
    coverage: float
    example: str
    matched: tuple[str, ...]
    keyword: bool = False


@dataclass(frozen=True, slots=True)
class _Example:
    terms: tuple[int, ...]
    weight: float
    text: str
    exact: frozenset[int]


class FaqIndex:
    """Every entry of one `faq:` section, indexed for matching."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = tuple(entries)
        self.by_id = {entry.id: entry for entry in self.entries}
        self._ids: dict[str, int] = {}
        entry_terms: list[set[int]] = []
        raw_examples: list[list[tuple[tuple[int, ...], str]]] = []
        self._phrases: list[tuple[tuple[tuple[str, ...], int | None], ...]] = []
        self._plain_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for entry in self.entries:
            examples = [(self._intern(question), question)
                        for questions in entry.questions.values() for question in questions]
            keywords = tuple(self._intern(keyword) or self._plain_phrase(keyword)
                             for keyword in entry.keywords)
            raw_examples.append([(terms, text) for terms, text in examples if terms])
            phrases = [_phrase(keyword) for keyword in (*entry.keywords, entry.id)]
            self._phrases.append(tuple(
                (phrase, self._ids.get(phrase[0]) if len(phrase) == 1 else None)
                for phrase in dict.fromkeys(p for p in phrases if p)))
            entry_terms.append({t for terms, _ in examples for t in terms}
                               | {t for k in keywords for t in k})
        self.vocabulary = list(self._ids)
        count = max(len(self.entries), 1)
        frequency = [0] * len(self.vocabulary)
        for terms in entry_terms:
            for term in terms:
                frequency[term] += 1
        self.idf = [math.log(1 + count / max(f, 1)) for f in frequency]
        self.unknown_weight = UNKNOWN_FACTOR * math.log(1 + count)
        postings: dict[int, list[int]] = {}
        for number, terms in enumerate(entry_terms):
            for term in terms:
                postings.setdefault(term, []).append(number)
        self._postings = {term: tuple(found) for term, found in postings.items()}
        self._entry_terms = [frozenset(terms) for terms in entry_terms]
        least = MIN_EXAMPLE_SHARE * sum(self.idf) / max(len(self.idf), 1)
        self._examples = [tuple(_Example(terms, max(sum(self.idf[t] for t in terms), least),
                                         text, frozenset(terms))
                                for terms, text in examples) for examples in raw_examples]
        self._lightest = [min((e.weight for e in examples if e.weight > 0), default=math.inf)
                          for examples in self._examples]
        pseudo = {key for found in self._plain_phrases.values() for _, key in found}
        self._fuzzy = FuzzyTerms([term for term in self.vocabulary if term not in pseudo])
        self._plain_firsts = frozenset(self._plain_phrases)
        self._resolved: OrderedDict[str, tuple[int, float] | None] = OrderedDict()

    def _intern(self, text: str) -> tuple[int, ...]:
        terms = terms_of(merge_compounds(faq_words(text)))
        return tuple(self._ids.setdefault(term, len(self._ids)) for term in terms)

    def _plain_phrase(self, keyword: str) -> tuple[int, ...]:
        """A keyword made only of short or common words (`en 3 fois`, `cv`, `mettre à jour`):
        the whole phrase is one term, found as consecutive words of a message."""
        phrase = _phrase(keyword)
        if not phrase:
            return ()
        key = " ".join(phrase)
        found = self._plain_phrases.setdefault(phrase[0], [])
        if (phrase, key) not in found:
            found.append((phrase, key))
        return (self._ids.setdefault(key, len(self._ids)),)

    def phrase_terms(self, stems: Sequence[str]) -> list[str]:
        """The keywords of short or common words (see `_plain_phrase`) a message contains."""
        if self._plain_firsts.isdisjoint(stems):
            return []
        found: list[str] = []
        for at, first in enumerate(stems):
            for phrase, key in self._plain_phrases.get(first, ()):
                if tuple(stems[at:at + len(phrase)]) == phrase:
                    found.append(key)
        return found

    # -- matching -------------------------------------------------------------------------

    def resolve(self, term: str) -> tuple[int, float] | None:
        """The index term a message term stands for, and how close it is (1.0: the same)."""
        known = self._ids.get(term)
        if known is not None:
            return known, 1.0
        resolved = self._resolved
        if term in resolved:
            resolved.move_to_end(term)
            return resolved[term]
        found: tuple[int, float] | None = None
        if len(term) >= FUZZY_MIN_LENGTH and self.vocabulary:
            cutoff = SHORT_FUZZY_CUTOFF if len(term) <= 6 else FUZZY_CUTOFF
            best = self._fuzzy.closest(term, cutoff)
            if best is not None:
                found = (self._ids[best[0]], best[1] / 100)
        if len(resolved) >= CACHE_LIMIT:
            resolved.popitem(last=False)  # the term least recently asked about
        resolved[term] = found
        return found

    def match(self, terms: Sequence[str], community: str, channel: str | None,
              limit: int = 2, stems: Sequence[str] = ()) -> list[Match]:
        """The best entries for a message's terms (best first); `stems` find keyword phrases."""
        resolved: dict[int, tuple[float, str]] = {}
        total = 0.0
        unknown = 0
        if stems and self._plain_phrases:
            terms = [*terms, *self.phrase_terms(stems)]
        for term in terms:
            hit = self.resolve(term)
            if hit is None:
                total += self.unknown_weight
                unknown += 1
                continue
            term_id, closeness = hit
            if term_id not in resolved or resolved[term_id][0] < closeness:
                resolved[term_id] = (closeness, term)
            total += self.idf[term_id]
        if not resolved:
            return []
        gains = {term_id: self.idf[term_id] * closeness
                 for term_id, (closeness, _) in resolved.items()}
        focus: dict[int, float] = {}
        for term_id, gain in gains.items():
            for number in self._postings.get(term_id, ()):
                focus[number] = focus.get(number, 0.0) + gain
        same = unknown == 0 and all(closeness == 1.0 for closeness, _ in resolved.values())
        said = frozenset(stems)
        found: list[Match] = []
        best: list[float] = []  # the `limit` best scores so far, best first
        considered = 0
        for number in sorted(focus, key=focus.__getitem__, reverse=True):  # ties: first seen
            entry = self.entries[number]
            if not applies(entry, community, channel):
                continue
            considered += 1
            share = focus[number] / total
            # An entry that cannot beat the `limit`-th best so far cannot rank: the sort below
            # is stable, so an equal score comes after the entries already found.
            if len(best) < limit or round(self._most(number, share, focus[number], resolved,
                                                     stems, said, same), 3) > best[-1]:
                found.append(self._score(number, share, resolved, gains, stems, said, same))
                best = sorted((*best, found[-1].score), reverse=True)[:limit]
            elif round(_confidence(share, 1.0), 3) <= best[-1]:
                break  # no entry after this one (less focus) can rank either
            if considered >= SHORTLIST:
                break
        found.sort(key=lambda m: m.score, reverse=True)
        return found[:limit]

    def _most(self, number: int, share: float, gained: float,
              resolved: dict[int, tuple[float, str]], stems: Sequence[str],
              said: frozenset[str], same: bool) -> float:
        """The highest confidence an entry can reach, cheaply: its coverage is at most what it
        gained over its lightest example, or a keyword's, or 1 for the message's own words."""
        if same and resolved.keys() <= self._entry_terms[number]:
            return _confidence(share, 1.0)
        coverage = min(1.0, gained / self._lightest[number] * (1 + 1e-9))
        if coverage < KEYWORD_COVERAGE and self._keyword(number, resolved, stems, said):
            coverage = KEYWORD_COVERAGE
        return _confidence(share, coverage)

    def _keyword(self, number: int, resolved: dict[int, tuple[float, str]],
                 stems: Sequence[str], said: frozenset[str]) -> tuple[str, ...] | None:
        """The first of an entry's keywords (or its id) the message contains."""
        for phrase, term in self._phrases[number]:
            if term in resolved if term is not None \
                    else phrase[0] in said and _contains(stems, phrase):
                return phrase
        return None

    def _score(self, number: int, focus: float, resolved: dict[int, tuple[float, str]],
               gains: dict[int, float], stems: Sequence[str], said: frozenset[str],
               same: bool) -> Match:
        coverage, example, keyword = 0.0, "", False
        present = resolved.keys()
        for candidate in self._examples[number]:
            if candidate.weight <= 0:
                continue
            if same and candidate.exact == present:
                share = 1.0  # the example itself, in other words: whatever its weight
            else:
                share = sum(map(gains.get, candidate.terms, _ZEROS)) / candidate.weight
            if share > coverage:
                coverage, example = share, candidate.text
        if coverage < KEYWORD_COVERAGE:
            phrase = self._keyword(number, resolved, stems, said)
            if phrase is not None:
                coverage, example, keyword = KEYWORD_COVERAGE, " ".join(phrase), True
        matched = tuple(sorted(resolved[t][1] for t in self._entry_terms[number] & present))
        return Match(self.entries[number], round(_confidence(focus, coverage), 3),
                     round(focus, 3), round(coverage, 3), example, matched, keyword)


def _confidence(focus: float, coverage: float) -> float:
    """The weighted harmonic mean of focus and coverage (0 if either is)."""
    if focus > 0 and coverage > 0:
        return 1 / (FOCUS_WEIGHT / focus + (1 - FOCUS_WEIGHT) / coverage)
    return 0.0


def _phrase(text: str) -> tuple[str, ...]:
    """A keyword as the stems of all its words, to be found in this order in a message."""
    return stems_of(merge_compounds(faq_words(text)))


def _contains(stems: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in `stems` as consecutive words."""
    size = len(phrase)
    first = phrase[0]
    return any(stems[at] == first and tuple(stems[at:at + size]) == phrase
               for at in range(len(stems) - size + 1))


def applies(entry: Entry, community: str, channel: str | None) -> bool:
    """Whether an entry may answer in this community and channel (None: any channel)."""
    if entry.communities and community not in entry.communities:
        return False
    return not (entry.channels and channel is not None and channel not in entry.channels)
