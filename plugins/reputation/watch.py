"""Finding watched terms in a message: one automaton per distinct term list, built once."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from bot.text import fold
from plugins.reputation.settings import Term

__all__ = ["Mention", "Watch"]

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A watched term found in a message, and where (in the folded text)."""

    term: Term
    start: int
    end: int


def _key(word: str) -> tuple[str, bool]:
    """The folded form of a word or phrase and whether any ending is allowed (`livr*`)."""
    prefix = word.endswith("*")
    return _SPACES.sub(" ", fold(word.rstrip("*")).strip()), prefix


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


class Watch:
    """Every spelling of every term in one Aho-Corasick automaton over the folded text; a
    spelling matches as whole words (`acme` is not found in `acmexpress`), a `word*` spelling
    with any ending."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms
        self.by_id = {term.id: term for term in terms}
        self._automaton: ahocorasick.Automaton | None = None
        entries: dict[str, list[tuple[int, bool]]] = {}
        for index, term in enumerate(terms):
            for word in term.all_words():
                key, prefix = _key(word)
                if key and (index, prefix) not in entries.setdefault(key, []):
                    entries[key].append((index, prefix))
        if entries:
            automaton = ahocorasick.Automaton()
            for key, owners in entries.items():
                automaton.add_word(key, (len(key), tuple(owners)))
            automaton.make_automaton()
            self._automaton = automaton

    def __bool__(self) -> bool:
        return self._automaton is not None

    def find(self, plain: str) -> list[Mention]:
        """The terms a folded text mentions, each once, in order of first appearance."""
        if self._automaton is None or not plain:
            return []
        found: dict[int, Mention] = {}
        for end, (length, owners) in self._automaton.iter(plain):
            start = end - length + 1
            if _is_word_char(plain, start - 1):
                continue
            whole = not _is_word_char(plain, end + 1)
            for index, prefix in owners:
                if (whole or prefix) and index not in found:
                    found[index] = Mention(self.terms[index], start, end + 1)
        return sorted(found.values(), key=lambda mention: mention.start)
