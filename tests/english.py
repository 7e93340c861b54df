"""Find English words in a text meant for French readers, from real word lists.

The English vocabulary is the 20,000 most frequent words of pyspellchecker's English list
(word frequencies from subtitles), minus every word its French list also has above the list's
floor count (`on`, `a`, `message`, `note`, `case`, `lot`...). Nothing is chosen by hand for a
test. Text inside quotes, URLs, hosts, ids (`console:bob`), mentions, commands (`!case`,
`!contest proof 1`), `#12` and `#channel`, words with digits and the names a test gives are
not read: they are not the bot's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spellchecker import SpellChecker

__all__ = ["english_vocabulary", "english_words"]

TOP = 20_000  # the most frequent English words considered

# Quoted text: «...», “...”, "...", `...`, and '...' opened after a space or bracket (not the
# apostrophe of l'équipe).
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"|`[^`\n]*`|(?<![\w])'[^'\n]*'(?!\w)")
_NOT_WORDS = re.compile(
    r"https?://\S+|\b[\w.-]+\.(?:com|org|net|gg|me|fr|io)\S*"  # URLs and hosts
    r"|!\w+(?: [a-z]+){0,2}(?= \d)"  # a command with its subcommand: !contest proof 1
    r"|[<@#!]\S*"  # mentions, #12, #channel, <#123>, !commands
    r"|\w+(?:\.\w+)+"  # hosts and dotted keys: grabify.link, contests.channel
    r"|\S*:\S+"  # ids: console:bob, discord:123, automod/insults: (kept apart by the colon)
    r"|\S*[/_]\S*"  # plugin/rule, snake_case keys, paths
    r"|\w*\d\w*",  # words with digits: 5m, 2026, m1
    re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _frequencies(language: str) -> dict[str, int]:
    return dict(SpellChecker(language=language, distance=1).word_frequency.dictionary)


@cache
def english_vocabulary() -> frozenset[str]:
    """Frequent English words that are not also French words."""
    en, fr = _frequencies("en"), _frequencies("fr")
    floor = min(fr.values())  # the count the French list gives its rarest (noise) entries
    top = sorted(en, key=lambda w: (-en[w], w))[:TOP]
    return frozenset(word for word in top
                     if word.isalpha() and len(word) > 1 and fr.get(word, 0) <= floor)


def english_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The English words of `text`, outside quotes, ids, URLs and the given names."""
    vocabulary = english_vocabulary()
    skip = {n.casefold() for name in names for n in _WORD.findall(name)}
    kept = _NOT_WORDS.sub(" ", _QUOTED.sub(" ", text))
    return [word for word in _WORD.findall(kept)
            if word.casefold() in vocabulary and word.casefold() not in skip]
