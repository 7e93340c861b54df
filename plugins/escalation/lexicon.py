"""The word lists heat is read from, in one Aho–Corasick automaton scanned once per word view.

Strong insults and profanity come from the core's lexicons (the ones automod uses); aggressive
phrases, negative sentiment, laughter and calming words are this plugin's own lists, in
`lexicons/` (curated by hand, MIT licence; each file says where it comes from).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from bot.text import NormalizedText
from bot.text.lexicons import Lexicon, entry_keys, get_lexicon, load_lexicon
from bot.text.skeletons import Skeletons

__all__ = ["CATEGORIES", "HEAT_CATEGORIES", "LEXICONS", "Matcher", "matcher"]

HERE = Path(__file__).with_name("lexicons")
MAX_MATCHES = 512  # per word view: a message is read up to its 512th match (heat is capped)
MAX_PLACES = 8  # distinct entries kept per category (heat counts at most 3)

CATEGORIES = ("insult", "hostile", "negative", "vulgar", "laughter", "calming")
"""What a matched entry says about a message; the first four add heat, the last two calm."""
HEAT_CATEGORIES = CATEGORIES[:4]

LEXICONS: dict[str, tuple[str, ...]] = {
    "insult": ("fr-insults", "fr-slurs", "en-insults", "en-slurs"),
    "vulgar": ("fr-vulgar", "en-vulgar"),
    "hostile": ("fr-hostile", "en-hostile"),
    "negative": ("fr-negative", "en-negative"),
    "laughter": ("fr-laughter", "en-laughter"),
    "calming": ("fr-calming", "en-calming"),
}
"""Lexicons of each category: the core's by name, this plugin's from `lexicons/`."""


@dataclass(frozen=True, slots=True)
class _Key:
    category: str
    entry: str
    lexicon: str
    allow: bool
    start: int  # from the end of a match back to the first character of the word(s)
    end: int  # from the end of a match back to just after the last character


def _lexicon(name: str) -> Lexicon:
    path = HERE / f"{name}.yaml"
    return load_lexicon(path) if path.exists() else get_lexicon(name)


class Matcher:
    """Finds, per category, the distinct entries a message contains (allowed phrases excepted)."""

    def __init__(self, lexicons: dict[str, tuple[str, ...]]) -> None:
        table: dict[str, list[_Key]] = {}
        heat_keys: set[str] = set()
        calm_keys: set[str] = set()
        self.sizes: dict[str, int] = {}
        for category, names in lexicons.items():
            for name in names:
                lexicon = _lexicon(name)
                self.sizes[name] = len(lexicon.entries)
                for entry, allow in [(e, False) for e in lexicon.entries] + \
                        [(a, True) for a in lexicon.allow]:
                    for key in entry_keys(entry):
                        words = key.strip(" ")
                        first = key.index(words)
                        table.setdefault(key, []).append(_Key(
                            category, entry, name, allow, len(key) - first,
                            len(key) - first - len(words)))
                        if not allow:
                            (heat_keys if category in HEAT_CATEGORIES else calm_keys).add(key)
        self._automaton: Any = ahocorasick.Automaton()
        for key, keys in table.items():
            self._automaton.add_word(key, tuple(keys))
        self._automaton.make_automaton()
        self._heat = Skeletons(heat_keys)
        self._calm = Skeletons(calm_keys)

    def may_heat(self, text: NormalizedText) -> bool:
        """False when the message has no entry of a category that adds heat (`scan` would find
        none), told from its skeleton, without building its word views."""
        return self._heat.may_match(text)

    def may_calm(self, text: NormalizedText) -> bool:
        """False when the message has no laughter or calming entry (told the same way)."""
        return self._calm.may_match(text)

    def scan(self, text: NormalizedText) -> dict[str, tuple[str, ...]]:
        """Category -> distinct entries found. Each word view is one reading of the message; a
        category counts the matches of its richest reading, one per place in the text (a
        phrase inside a longer match of its category, `ta gueule` in `ferme ta gueule`, and
        spellings of one entry count once)."""
        best: dict[str, tuple[str, ...]] = {}
        for view in text.views:
            spans: list[tuple[int, int, _Key]] = []
            for last, keys in self._automaton.iter(view.text):
                for key in keys:
                    spans.append((last + 1 - key.start, last + 1 - key.end, key))
                if len(spans) >= MAX_MATCHES:
                    break
            if not spans:
                continue
            allowed: dict[str, list[tuple[int, int]]] = {}  # by lexicon
            for s, e, k in spans:
                if k.allow:
                    allowed.setdefault(k.lexicon, []).append((s, e))
            kept = [(s, e, k) for s, e, k in spans if not k.allow and not (
                k.lexicon in allowed and any(a <= s and e <= b for a, b in allowed[k.lexicon]))]
            places: dict[str, dict[tuple[int, int], str]] = {}
            for start, end, key in sorted(kept, key=lambda m: (m[0] - m[1], m[0])):
                mine = places.setdefault(key.category, {})
                if len(mine) >= MAX_PLACES or key.entry in mine.values() or any(
                        s <= start and end <= e for s, e in mine):
                    continue
                mine[(start, end)] = key.entry
            for category, found in places.items():
                entries = tuple(dict.fromkeys(found.values()))
                if len(entries) > len(best.get(category, ())):
                    best[category] = entries
        return best


@functools.cache
def matcher() -> Matcher:
    """The matcher of every category, built once per process."""
    return Matcher(LEXICONS)
