"""Fold text character by character: compatibility forms, case, accents, invisibles, look-alikes."""

from __future__ import annotations

import re
import unicodedata

from bot.text.homoglyphs import HOMOGLYPHS

__all__ = ["FOLD", "fold", "fold_char"]

# Characters that render as nothing although Unicode calls them letters or symbols.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Mc", "Me"})
_CACHE_LIMIT = 400_000
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_NOT_LATIN = re.compile(r"[^\x00-\x7f\u0300-\u036f]")


def fold_char(char: str) -> str:
    """What one character becomes: `É` -> `e`, `ﬁ` -> `fi`, Cyrillic `с` -> `c`, ZWSP -> ``."""
    if char == "\n":
        return "\n"
    if char.isspace():
        return " "
    if char in _INVISIBLE or unicodedata.category(char) in _REMOVED_CATEGORIES:
        return ""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    out = []
    for piece in folded:
        if unicodedata.category(piece) in _REMOVED_CATEGORIES or piece in _INVISIBLE:
            continue
        if piece == "\n" or not piece.isspace():
            out.append(HOMOGLYPHS.get(piece, piece))
        else:
            out.append(" ")
    return "".join(out)


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character (bounded)."""

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


FOLD = _FoldTable()
_ASCII_TABLE = {code: fold_char(chr(code)) for code in range(128)}


def _fold_ascii(text: str) -> str:
    lowered = text.lower()
    if _ASCII_CONTROL.search(lowered) is None:
        return lowered
    return lowered.translate(_ASCII_TABLE)


def fold(text: str) -> str:
    """`text` folded: equal to joining `fold_char` over its characters, computed in C."""
    if text.isascii():
        return _fold_ascii(text)
    decomposed = unicodedata.normalize("NFKD", text)
    if _NOT_LATIN.search(decomposed) is None:
        # Accented Latin text: ASCII letters and combining accents only once decomposed.
        return _fold_ascii(decomposed.encode("ascii", "ignore").decode("ascii"))
    return text.translate(FOLD)
