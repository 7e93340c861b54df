"""Whether a word found in a word view is aimed at a person ("you fag", "t'es une pédale").

Words with an innocent sense (pédale, tapette, retard, fag, prick) count only when aimed: the
nearest word before them, once fillers are skipped (articles, intensifiers, "re" of "you're"),
is a word of address of the entry's language ("you", "t'es", "sale", "espèce de", "quel"), or
the message is the word alone (with fillers), or ends with it right after a dismissal ("shut up
retard", "ta gueule pédale") or a comma (a vocative: "nobody asked, retard"), or, in a reply or
a message that mentions someone, the word ends a message of at most one other word (`@bob
retard`). "La pédale de frein", "une tapette à mouches" and "retard de livraison" are not
aimed. Read only when such an entry matched, so it costs nothing on other messages.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["CUES", "DISMISSALS", "FILLERS", "FUNCTION_WORDS", "aimed_at_person",
           "written_in_other_language"]

CUES = {
    "en": frozenset({"you", "u", "ya", "ye", "yu", "youre", "ur", "yer", "what", "such",
                     "hey", "oi"}),
    "fr": frozenset({"es", "tu", "toi", "vous", "etes", "sale", "sales", "espece", "especes",
                     "quel", "quelle", "quels", "quelles", "bande"}),
}
"""Words of address (or of contempt) that aim the next word at a person."""
FILLERS = {
    "en": frozenset({"a", "an", "re", "are", "r", "so", "big", "little", "lil", "complete",
                     "total", "absolute", "real", "fucking", "fuckin", "stupid", "dumb",
                     "damn", "bloody", "just", "only", "being", "biggest", "fat", "ugly",
                     "dirty", "filthy"}),
    "fr": frozenset({"un", "une", "de", "d", "des", "qu", "que", "vraiment", "trop", "vrai",
                     "vraie", "bien", "grand", "grande", "gros", "grosse", "petit", "petite",
                     "sacre", "sacree", "pauvre", "vieux", "vieille", "rien", "juste", "putain",
                     "ptn"}),
}
"""Words that may stand between the word of address and the insult."""
NOT_A_NAME = frozenset({"en", "de", "du", "des", "le", "la", "les", "mon", "ma", "mes", "ton",
                        "ta", "tes", "son", "sa", "ses", "trop", "tres", "pas", "plus", "the",
                        "my", "your", "his", "her", "our", "their", "in", "on", "at", "of", "no",
                        "not", "very", "too", "so", "a", "un", "une", "late", "more"})
"""Words that cannot be the name or greeting before an insult in a reply (`en retard`)."""
DISMISSALS = {
    "en": frozenset({"up", "off", "lost"}),
    "fr": frozenset({"gueule", "degage", "voir"}),
}
"""Last words of a dismissal or a call ("shut up", "get lost", "ta gueule", "dégage",
"casse-toi"): a word ending the message right after one (fillers skipped) is said to someone."""
NEEDS_ARTICLE = frozenset({"what", "such"})
"""Cues that aim only through an article: "what a prick", not "what prick means"."""
ARTICLES = frozenset({"a", "an"})
LOOK_BACK = 5


def aimed_at_person(view: str, start: int, end: int, language: str,
                    addressed: bool = False) -> bool:
    """Whether the words at `view[start:end]` (a word view, words between single spaces) are
    aimed at a person, read with the cues of `language` ("fr" or "en"); `addressed`: the
    message replies to or mentions someone."""
    cues, fillers = CUES.get(language, frozenset()), FILLERS.get(language, frozenset())
    before = view[:start].rsplit(None, LOOK_BACK + 1)  # the last words; the rest in one piece
    nearer = ""
    last = not view[end:].strip()
    for number, word in enumerate(reversed(before[-LOOK_BACK:])):
        if word in cues:
            return word not in NEEDS_ARTICLE or nearer in ARTICLES
        if last and word in DISMISSALS.get(language, ()):
            return True
        if word not in fillers:  # in a reply, one name or greeting may come first
            return addressed and number == len(before) - 1 and word not in NOT_A_NAME \
                and not view[end:].strip()
        nearer = word
    if len(before) > LOOK_BACK:
        return False
    return not view[end:].strip()  # the insult alone (with fillers) is the whole message


FUNCTION_WORDS = {
    "fr": frozenset({"le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "que",
                     "qui", "pour", "dans", "pas", "je", "tu", "il", "elle", "nous", "vous",
                     "ils", "ce", "cette", "mais", "avec", "sur", "au", "aux", "ne", "mon",
                     "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "es", "suis", "sont"}),
    "en": frozenset({"the", "an", "and", "is", "are", "was", "of", "for", "in", "to", "with",
                     "that", "this", "it", "you", "he", "she", "we", "they", "not", "but", "be",
                     "have", "has", "at", "by", "from", "my", "your", "his", "her", "stands"}),
}
"""Short words that tell French from English (none of them is a word of the other)."""


def written_in_other_language(view: str, language: str) -> bool:
    """Whether a word view reads as the other language than `language` (more of its function
    words): an entry of `language` that is innocent there does not count (`PD`, `FDP`)."""
    counts = _function_words(view)
    return counts["en" if language == "fr" else "fr"] > counts[language]


@lru_cache(maxsize=64)
def _function_words(view: str) -> dict[str, int]:
    """French and English function words in a view (counted once per view, not per match)."""
    words = view.split()
    return {lang: sum(word in known for word in words) for lang, known in FUNCTION_WORDS.items()}
