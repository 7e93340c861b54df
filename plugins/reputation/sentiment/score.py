"""Sentiment of a chat message in French or English: a VADER-style reading of word valences
with negation, intensifiers, contrast (`but` / `mais`), capitals, stretched letters,
exclamation marks, emoji and emoticons, and sarcasm markers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from bot.text import fold
from plugins.reputation.sentiment.lexicons import Lexicon, Lexicons, lexicon, tokens_of

__all__ = ["Label", "Sentiment", "guess_language", "label_of", "score"]

Label = Literal["negative", "neutral", "positive"]
MAX_CHARS = 2000
BOOST = 0.293          # VADER's empirical booster / dampener step
CAPS = 0.733           # VADER's ALL CAPS emphasis
NEGATION = -0.74       # VADER's negation scalar
STRETCH = 0.3          # `nuuul`, `loooove`
EXCLAMATION = 0.292    # per `!`, at most four (VADER)
BEFORE_CONTRAST = 0.5  # words before `but` / `mais` count half...
AFTER_CONTRAST = 1.5   # ...and those after one and a half (VADER)
SARCASM = -0.8         # a positive word read as sarcastic counts negative
ALPHA = 15.0           # VADER's normalisation: sum / sqrt(sum^2 + alpha)
SCOPE = 3              # negators and boosters act on the next three words
UNMET = -2.0           # what a customer expects, negated: `never arrived`, `ne répond pas`
SHOUTING = -1.2        # a message in capitals with no other cue reads as anger (not a question)
SHOUT_LETTERS = 10


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FR_HINTS = _words("""le la les un une des du de et est c ce ca je j tu il elle on nous vous
ils pas ne n que qui quoi mais ou donc pour avec sans sur dans chez mon ma mes ton ta votre vos
leur tres trop encore toujours jamais rien deja aussi bien merci bonjour svp oui non""")
_EN_HINTS = _words("""the a an and is are was were be been it its this that i you he she we
they my your our their not no never don doesn didn isn wasn can will would should could of to
for with without on in at from but or so very too again still always just what why how thanks
please yes hi hello""")
_QUOTED = re.compile(r"[«\"“]\s*([^\W_]+)\s*[»\"”]")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_RAW_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Sentiment:
    """A message's sentiment: compound score in -1..1, its label, language and main cues."""

    score: float
    label: Label
    lang: str
    cues: tuple[str, ...] = ()


def label_of(compound: float, band: float) -> Label:
    """negative / neutral / positive, with `band` around 0 neutral."""
    if compound > band:
        return "positive"
    if compound < -band:
        return "negative"
    return "neutral"


def guess_language(tokens: list[str], default: str = "fr") -> str:
    """fr or en, by the function words of each language the text uses."""
    fr = sum(token in _FR_HINTS for token in tokens)
    en = sum(token in _EN_HINTS for token in tokens)
    if fr == en:
        return default if default in ("fr", "en") else "fr"
    return "fr" if fr > en else "en"


def _squeezed(token: str) -> tuple[str, ...]:
    """`nuuul` -> nuul, nul; `loooove` -> loove, love."""
    if not _STRETCHED.search(token):
        return ()
    return (_STRETCHED.sub(r"\1\1", token), _STRETCHED.sub(r"\1", token))


def _sign(value: float) -> float:
    return 1.0 if value >= 0 else -1.0


class _Reader:
    """One message being read: its tokens and the valence found at each."""

    def __init__(self, tokens: list[str], main: Lexicon, other: Lexicon) -> None:
        self.tokens = tokens
        self.main = main
        self.other = other

    def phrase_at(self, i: int) -> tuple[int, float] | None:
        """The longest phrase of either lexicon starting at token i: (length, valence)."""
        longest = min(max(self.main.longest, self.other.longest), len(self.tokens) - i)
        for size in range(longest, 1, -1):
            key = " ".join(self.tokens[i:i + size])
            value = self.main.phrases.get(key)
            if value is None:
                value = self.other.phrases.get(key)
            if value is not None:
                return size, value
        return None

    def word(self, token: str) -> tuple[float | None, bool]:
        """The valence of a word (main language first) and whether it was stretched."""
        for lex in (self.main, self.other):
            value = lex.words.get(token)
            if value is not None:
                return value, False
        for form in _squeezed(token):
            for lex in (self.main, self.other):
                value = lex.words.get(form)
                if value is not None:
                    return value, True
        return None, False

    def negated(self, i: int) -> bool:
        """A negator among the SCOPE words before token i (French `plus` only after `ne`)."""
        before = self.tokens[max(0, i - SCOPE):i]
        for index, token in enumerate(before):
            if token in self.main.negators or token in self.other.negators:
                return True
            if token == "plus" and any(t in ("ne", "n") for t in before[:index]):
                return True
        return False

    def modified(self, i: int, value: float) -> float:
        """Valence after the boosters and dampeners among the SCOPE words before token i."""
        for distance, j in enumerate(range(i - 1, max(-1, i - 1 - SCOPE), -1)):
            token = self.tokens[j]
            pair = " ".join(self.tokens[j - 1:j + 1]) if j > 0 else ""
            step = BOOST * (1.0, 0.95, 0.9)[distance]
            if token in self.main.boosters or token in self.other.boosters:
                value += _sign(value) * step
            elif token in self.main.dampeners or token in self.other.dampeners \
                    or pair in self.main.dampeners or pair in self.other.dampeners:
                value -= _sign(value) * step
        return value


def score(text: str, default_lang: str = "fr", band: float = 0.25) -> Sentiment:
    """Read a message's sentiment (French or English, guessed from the text)."""
    raw = text[:MAX_CHARS]
    folded = fold(raw)
    tokens = tokens_of(folded)
    lexicons = lexicon()
    lang = guess_language(tokens, default_lang)
    main = lexicons.by_lang[lang]
    other = lexicons.by_lang["en" if lang == "fr" else "fr"]
    reader = _Reader(tokens, main, other)
    caps = {fold(word) for word in _RAW_TOKEN.findall(raw) if len(word) >= 2 and word.isupper()}
    quoted = set(_QUOTED.findall(folded))
    found: list[tuple[int, str, float]] = []  # (token index, cue, valence)
    i = 0
    while i < len(tokens):
        phrase = reader.phrase_at(i)
        if phrase is not None:
            size, value = phrase
            cue = " ".join(tokens[i:i + size])
            stretched = False
        else:
            size, cue = 1, tokens[i]
            found_value, stretched = reader.word(cue)
            if (cue in main.expected or cue in other.expected) and reader.negated(i):
                found.append((i, cue, UNMET))
                i += 1
                continue
            if found_value is None or (cue in main.boosters and i + 1 < len(tokens)):
                i += 1
                continue
            value = found_value
        if value != 0:
            value = reader.modified(i, value)
            words = tokens[i:i + size]
            if reader.negated(i) and not any(
                    w in main.negators or w in other.negators for w in words):
                value *= NEGATION
            if any(token in caps for token in words):
                value += _sign(value) * CAPS
            if stretched:
                value += _sign(value) * STRETCH
            if value > 0 and cue in quoted:
                value *= SARCASM
            found.append((i, cue, value))
        i += size
    found = _contrast(tokens, main, other, found)
    found = _sarcasm(raw, folded, tokens, main, other, lexicons, found)
    values = [value for _, _, value in found]
    values += _symbols(raw, lexicons)
    total = sum(values)
    if not total and _shouting(raw):
        total = SHOUTING
        found.append((0, "CAPS", SHOUTING))
    if total:
        total += _sign(total) * EXCLAMATION * min(raw.count("!"), 4)
    compound = total / math.sqrt(total * total + ALPHA) if total else 0.0
    compound = max(-1.0, min(1.0, compound))
    cues = tuple(f"{cue} {value:+.1f}" for _, cue, value in
                 sorted(found, key=lambda item: -abs(item[2]))[:4])
    return Sentiment(round(compound, 4), label_of(compound, band), lang, cues)


def _contrast(tokens: list[str], main: Lexicon, other: Lexicon,
              found: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """Words before the last `but` / `mais` count less, words after it more."""
    at = max((i for i, token in enumerate(tokens)
              if token in main.contrast or token in other.contrast), default=-1)
    if at < 0:
        return found
    return [(i, cue, value * (BEFORE_CONTRAST if i < at else AFTER_CONTRAST))
            for i, cue, value in found]


def _sarcasm(raw: str, folded: str, tokens: list[str], main: Lexicon, other: Lexicon,
             lexicons: Lexicons, found: list[tuple[int, str, float]],
             ) -> list[tuple[int, str, float]]:
    """Positive words read as sarcasm: with a marker (`/s`, 🙄, `yeah right`, `merci pour
    rien`...) every positive word turns negative; without one, a positive opener (`Super,
    ...`, `Great...`) followed by a negative rest does."""
    joined = f" {' '.join(tokens)} "
    marked = "/s" in raw.split() or "#sarcas" in folded or "#ironi" in folded \
        or any(char in lexicons.sarcasm_emoji for char in raw) \
        or any(f" {marker} " in joined for marker in (*main.sarcasm, *other.sarcasm))
    if marked:
        return [(i, cue, value * SARCASM if value > 0 else value) for i, cue, value in found]
    if len(found) >= 2 and found[0][0] <= 1 and found[0][2] > 0 \
            and sum(value for _, _, value in found[1:]) < 0:
        i, cue, value = found[0]
        return [(i, cue, value * SARCASM), *found[1:]]
    return found


def _shouting(raw: str) -> bool:
    """Most letters in capitals, over enough letters."""
    letters = [char for char in raw if char.isalpha()]
    upper = sum(char.isupper() for char in letters)
    return len(letters) >= SHOUT_LETTERS and upper >= 0.8 * len(letters) and "?" not in raw


def _symbols(raw: str, lexicons: Lexicons) -> list[float]:
    """Valences of the emoji and emoticons of a message."""
    values = [lexicons.emoji[char] for char in raw if char in lexicons.emoji]
    for word in raw.lower().split():
        value = lexicons.emoticons.get(word.strip(".,!?"))
        if value:
            values.append(value)
    return values
