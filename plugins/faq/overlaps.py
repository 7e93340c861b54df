"""Overlaps between entries that steal answers: a keyword of one entry in another's examples or
keywords, and example questions of two entries that say nearly the same thing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from plugins.faq.text import faq_words, merge_compounds, stems_of, terms_of

if TYPE_CHECKING:
    from plugins.faq.settings import Entry

__all__ = ["CLOSE_EXAMPLES", "overlaps"]

CLOSE_EXAMPLES = 0.8
"""Share of content terms (Jaccard) two examples of different entries must share to be close."""
MAX_WARNINGS = 50

Where = tuple[str | int, ...]


def _stems(text: str) -> tuple[str, ...]:
    return stems_of(merge_compounds(faq_words(text)))


def _contains(stems: Sequence[str], phrase: Sequence[str]) -> bool:
    size = len(phrase)
    return any(tuple(stems[at:at + size]) == tuple(phrase)
               for at in range(len(stems) - size + 1))


def overlaps(entries: Sequence[Entry]) -> list[tuple[Where, str]]:
    """Warnings, each at the keyword or example that overlaps another entry's (at most
    MAX_WARNINGS)."""
    examples: list[tuple[int, str, str, tuple[str, ...], frozenset[str]]] = []
    by_stem: dict[str, set[int]] = {}
    for number, entry in enumerate(entries):
        for lang, questions in entry.questions.items():
            for position, question in enumerate(questions):
                stems = _stems(question)
                terms = frozenset(terms_of(merge_compounds(faq_words(question))))
                for stem in stems:
                    by_stem.setdefault(stem, set()).add(len(examples))
                examples.append((number, f"{lang}.{position}", question, stems, terms))
    found: list[tuple[Where, str]] = []
    for number, entry in enumerate(entries):
        for position, keyword in enumerate(entry.keywords):
            phrase = _stems(keyword)
            if not phrase:
                continue
            for other, other_entry in enumerate(entries):
                if other != number and any(_stems(k) == phrase for k in other_entry.keywords):
                    found.append((("entries", number, "keywords", position),
                                  f"keyword {keyword!r} of entry '{entry.id}' is also a keyword "
                                  f"of entry '{other_entry.id}': neither can win on it"))
                    break
            else:
                hits = sorted(by_stem.get(phrase[0], set()))
                for at in hits:
                    other, _, question, stems, _ = examples[at]
                    if other != number and _contains(stems, phrase):
                        found.append((("entries", number, "keywords", position),
                                      f"keyword {keyword!r} of entry '{entry.id}' is in entry "
                                      f"'{entries[other].id}''s example {question!r}: that "
                                      "question may get this entry's answer, or none"))
                        break
    found += _close_examples(entries, examples)
    return found[:MAX_WARNINGS]


def _close_examples(entries: Sequence[Entry],
                    examples: list[tuple[int, str, str, tuple[str, ...], frozenset[str]]]
                    ) -> list[tuple[Where, str]]:
    """Examples of two entries sharing CLOSE_EXAMPLES of their terms (prefix filtering on the
    rarest terms keeps this far from comparing every pair)."""
    frequency: dict[str, int] = {}
    for *_, terms in examples:
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    postings: dict[str, list[int]] = {}
    found: list[tuple[Where, str]] = []
    reported: set[tuple[int, int]] = set()
    for at, (number, where, question, _, terms) in enumerate(examples):
        if not terms:
            continue
        ordered = sorted(terms, key=lambda t: (frequency[t], t))
        prefix = ordered[:len(ordered) - math.ceil(CLOSE_EXAMPLES * len(ordered)) + 1]
        candidates = {seen for term in prefix for seen in postings.get(term, ())}
        for seen in sorted(candidates):
            other, _, other_question, _, other_terms = examples[seen]
            if other == number or (other, number) in reported:
                continue
            if len(terms & other_terms) / len(terms | other_terms) >= CLOSE_EXAMPLES:
                reported.add((other, number))
                lang, position = where.split(".")
                found.append((("entries", number, "questions", lang, int(position)),
                              f"example {question!r} of entry '{entries[number].id}' says "
                              f"nearly what entry '{entries[other].id}''s {other_question!r} "
                              "says: such questions get no answer (ambiguous)"))
        for term in prefix:
            postings.setdefault(term, []).append(at)
    return found
