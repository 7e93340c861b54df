"""What one message says, read once from its normalised text: words, shouting, bursts, tone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.text import NormalizedText
from plugins.escalation.lexicon import matcher

__all__ = ["Reading", "read"]

SHAPE_CHARS = 2_000  # shouting and bursts are read on the first 2,000 characters
SHOUT_MIN_LETTERS = 10
SHOUT_RATIO = 0.7
MAX_FRIENDLY_SHOWN = 3

_BURST = re.compile(r"[!?]{2,}")
_LAUGH = re.compile(r"(?<![^\W\d_])(?:a?(?:h+[aeiu]+){2,}h*|(?:a+h+){2,}|x+d+|(?:lo+)+l+)"
                    r"(?![^\W\d_])")
_EMOTICON = re.compile(r"(?<!\S)(?:[:;=8]-?[)D\]pP3]+|\^\^|<3+|x+D+|:'\))(?!\S)")
_FRIENDLY_EMOJI = frozenset(
    "😂🤣😅😆😄😁😃😀😉😜😝😛🙃🙂😊🥰😘😍😇🤗🤪😋😎🥲😹❤♥💕💖💙💚💛🧡💜🤍🖤👍🙏✌🤝👌🫶😺😸")
_YOU = frozenset({
    "tu", "t", "toi", "te", "ton", "ta", "tes", "vous", "votre", "vos", "ty",
    "you", "your", "youre", "yours", "yourself", "yourselves", "u", "ur", "ya", "yall"})


@dataclass(frozen=True, slots=True)
class Reading:
    """The signals of one message, before any weight: explainable as they are."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shouting: bool = False
    bursts: int = 0
    friendly: tuple[str, ...] = ()
    says_you: bool = False

    def entries(self, category: str) -> tuple[str, ...]:
        """Entries of a category found in the message."""
        return self.words.get(category, ())

    @property
    def hostile(self) -> bool:
        """Whether the message has insults, aggressive phrases or negative sentiment."""
        return any(self.words.get(c) for c in ("insult", "hostile", "negative"))

    @property
    def laughing(self) -> bool:
        """Laughter, a friendly emoji or emoticon: the mark of banter."""
        return bool(self.friendly or self.words.get("laughter"))

    @property
    def calming(self) -> bool:
        """An apology, thanks or agreement, or laughter."""
        return self.laughing or bool(self.words.get("calming"))


def _shouting(raw: str) -> bool:
    letters = upper = 0
    for char in raw:
        if char.isalpha():
            letters += 1
            upper += char.isupper()
    return letters >= SHOUT_MIN_LETTERS and upper >= SHOUT_RATIO * letters


def _friendly(raw: str, plain: str) -> tuple[str, ...]:
    found: list[str] = [c for c in dict.fromkeys(raw) if c in _FRIENDLY_EMOJI]
    found.extend(m.group() for m in _EMOTICON.finditer(raw))
    found.extend(m.group() for m in _LAUGH.finditer(plain))
    return tuple({f.casefold(): f for f in reversed(found)}.values())[::-1][:MAX_FRIENDLY_SHOWN]


def read(text: NormalizedText) -> Reading:
    """Every signal of a message's text; the normalised forms are shared with other plugins."""
    raw = text.scanned[:SHAPE_CHARS]
    if not raw.strip():
        return Reading()
    words = matcher().scan(text)
    return Reading(
        words=words,
        shouting=_shouting(raw),
        bursts=len(_BURST.findall(raw)),
        friendly=_friendly(raw, text.plain[:SHAPE_CHARS]),
        says_you=not _YOU.isdisjoint(text.words),
    )
