"""What one message says, read once from its normalised text: words, shouting, bursts, tone."""

from __future__ import annotations

import re

from bot.text import NormalizedText
from plugins.escalation.lexicon import HEAT_CATEGORIES, matcher

__all__ = ["Reading", "read"]

SHAPE_CHARS = 2_000  # shouting and bursts are read on the first 2,000 characters
SHOUT_MIN_LETTERS = 10
SHOUT_RATIO = 0.7
MAX_FRIENDLY_SHOWN = 3

_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII_BYTES = bytes(range(128))
_BURST = re.compile(r"[!?]{2,}")
# Each starts with a lookahead on the characters a match can start with: a cheap test at
# every position of a long text before the lookbehind and the alternatives (same matches).
_LAUGH = re.compile(r"(?=[ahxl])(?<![^\W\d_])"
                    r"(?:a?(?:h+[aeiu]+){2,}h*|(?:a+h+){2,}|x+d+|(?:lo+)+l+)(?![^\W\d_])")
_EMOTICON = re.compile(r"(?=[:;=8^<x])(?<!\S)"
                       r"(?:[:;=8]-?[)D\]pP3]+|\^\^|<3+|x+D+|:'\))(?!\S)")
_FRIENDLY_EMOJI = frozenset(
    "😂🤣😅😆😄😁😃😀😉😜😝😛🙃🙂😊🥰😘😍😇🤗🤪😋😎🥲😹❤♥💕💖💙💚💛🧡💜🤍🖤👍🙏✌🤝👌🫶😺😸")
_EMOJI = re.compile(f"[{''.join(sorted(map(re.escape, _FRIENDLY_EMOJI)))}]")
_YOU = frozenset({
    "tu", "t", "toi", "te", "ton", "ta", "tes", "vous", "votre", "vos", "ty",
    "you", "your", "youre", "yours", "yourself", "yourselves", "u", "ur", "ya", "yall"})


_EMPTY: dict[str, tuple[str, ...]] = {}


class Reading:
    """The signals of one message, before any weight: explainable as they are.

    Each signal is read from the message's normalised text when first asked for, once: a
    message that can add no heat, from a member with none, is never read further than that.
    """

    __slots__ = ("_bursts", "_friendly", "_heat", "_says_you", "_shouting", "_text", "_words")

    def __init__(self, text: NormalizedText | None = None) -> None:
        raw = text.scanned[:SHAPE_CHARS] if text is not None else ""
        self._text = text if raw.strip() else None
        self._heat: bool | None = None
        self._words: dict[str, tuple[str, ...]] | None = None if self._text else _EMPTY
        self._shouting: bool | None = None if self._text else False
        self._bursts: int | None = None if self._text else 0
        self._friendly: tuple[str, ...] | None = None if self._text else ()
        self._says_you: bool | None = None if self._text else False

    @property
    def may_heat(self) -> bool:
        """False when the message has no insult, aggressive phrase, negative word or
        profanity, told without reading its words (True: it may have some)."""
        if self._words is not None:
            return any(self._words.get(c) for c in HEAT_CATEGORIES)
        if self._heat is None:
            assert self._text is not None
            self._heat = matcher().may_heat(self._text)
        return self._heat

    @property
    def words(self) -> dict[str, tuple[str, ...]]:
        """Category -> distinct entries found (word views are built only when some entry may
        be in them)."""
        if self._words is None:
            assert self._text is not None
            if self._heat is False and not matcher().may_calm(self._text):
                self._words = _EMPTY
            else:
                self._words = matcher().scan(self._text)
        return self._words

    @property
    def shouting(self) -> bool:
        """Mostly capitals."""
        if self._shouting is None:
            assert self._text is not None
            self._shouting = _shouting(self._text.scanned[:SHAPE_CHARS])
        return self._shouting

    @property
    def bursts(self) -> int:
        """`!!`, `??` and `?!` runs."""
        if self._bursts is None:
            assert self._text is not None
            self._bursts = len(_BURST.findall(self._text.scanned[:SHAPE_CHARS]))
        return self._bursts

    @property
    def friendly(self) -> tuple[str, ...]:
        """Friendly emoji, emoticons and written laughter, as written (three at most)."""
        if self._friendly is None:
            assert self._text is not None
            self._friendly = _friendly(self._text.scanned[:SHAPE_CHARS],
                                       self._text.plain[:SHAPE_CHARS])
        return self._friendly

    @property
    def says_you(self) -> bool:
        """Whether the message says "tu", "vous" or "you"."""
        if self._says_you is None:
            assert self._text is not None
            self._says_you = not _YOU.isdisjoint(self._text.words)
        return self._says_you

    def entries(self, category: str) -> tuple[str, ...]:
        """Entries of a category found in the message."""
        return self.words.get(category, ())

    @property
    def hostile(self) -> bool:
        """Whether the message has insults, aggressive phrases or negative sentiment."""
        words = self.words
        return bool(words.get("insult") or words.get("hostile") or words.get("negative"))

    @property
    def laughing(self) -> bool:
        """Laughter, a friendly emoji or emoticon: the mark of banter."""
        return bool(self.words.get("laughter") or self.friendly)

    @property
    def calming(self) -> bool:
        """An apology, thanks or agreement, or laughter."""
        return bool(self.words.get("calming")) or self.laughing


def _shouting(raw: str) -> bool:
    """At least SHOUT_RATIO of the letters are capitals, over SHOUT_MIN_LETTERS letters or more
    (counted in C: byte deletions for ASCII text, `str` predicates otherwise)."""
    data = raw.encode("utf-8", "surrogatepass")
    others = "" if raw.isascii() else _beyond_ascii(data)
    if others:  # the ASCII part in C as below, the (few) characters beyond ASCII one by one
        data = data.translate(None, bytes(range(128, 256)))
    letters = len(data.translate(None, _ASCII_NOT_LETTERS)) + sum(map(str.isalpha, others))
    upper = len(data) - len(data.translate(None, _ASCII_UPPER)) \
        + sum(map(str.isupper, filter(str.isalpha, others)))
    return letters >= SHOUT_MIN_LETTERS and upper >= SHOUT_RATIO * letters


def _beyond_ascii(data: bytes) -> str:
    """The characters beyond ASCII of a UTF-8 text, in order (deleting its ASCII bytes)."""
    return data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


def _friendly(raw: str, plain: str) -> tuple[str, ...]:
    found: list[str] = [] if raw.isascii() else list(dict.fromkeys(_EMOJI.findall(
        _beyond_ascii(raw.encode("utf-8", "surrogatepass")))))  # (emoji are beyond ASCII)
    found.extend(m.group() for m in _EMOTICON.finditer(raw))
    found.extend(m.group() for m in _LAUGH.finditer(plain))
    return tuple({f.casefold(): f for f in reversed(found)}.values())[::-1][:MAX_FRIENDLY_SHOWN]


def read(text: NormalizedText) -> Reading:
    """Every signal of a message's text, each read when first asked for; the normalised forms
    are shared with other plugins."""
    return Reading(text)
