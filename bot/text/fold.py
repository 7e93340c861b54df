"""Fold text character by character: compatibility forms, case, accents, invisibles, look-alikes."""

from __future__ import annotations

import re
import unicodedata

from bot.text.homoglyphs import HOMOGLYPHS

__all__ = ["FOLD", "fold", "fold_char", "folds_one_to_one"]

# Characters that render as nothing although Unicode calls them letters or symbols.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Mc", "Me"})
_CACHE_LIMIT = 400_000
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_NOT_LATIN = re.compile(r"[^\x00-\x7f\u0300-\u036f]")
_NOT_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


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
    if lowered.isprintable() or _ASCII_CONTROL.search(lowered) is None:
        return lowered
    return lowered.translate(_ASCII_TABLE)


def _latin1_tables() -> tuple[bytes, bytes, re.Pattern[str]]:
    """Latin-1 folded byte for byte: a table, the bytes removed, and the characters that fold
    to something else than one Latin-1 character (`ß`, `æ`, `µ`...), which need the full path."""
    folded = {code: fold_char(chr(code)) for code in range(256)}
    simple = {code: f for code, f in folded.items() if len(f) == 1 and ord(f) < 256}
    table = bytes(ord(simple.get(code, chr(code))) for code in range(256))
    removed = bytes(code for code, f in folded.items() if f == "")
    others = "".join(re.escape(chr(code)) for code, f in folded.items()
                     if f and code not in simple)
    return table, removed, re.compile(f"[{others}]")


_LATIN1, _LATIN1_REMOVED, _LATIN1_OTHERS = _latin1_tables()


def _fold_latin1(text: str) -> str:
    """Fold Latin-1 text (French and most Western European text) with one byte table."""
    if _LATIN1_OTHERS.search(text) is None:
        return text.encode("latin-1").translate(_LATIN1, _LATIN1_REMOVED).decode("latin-1")
    return text.translate(FOLD)


def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if _NOT_LATIN.search(decomposed) is None:
        # Accented Latin text: ASCII letters and combining accents only once decomposed.
        return _fold_ascii(decomposed.encode("ascii", "ignore").decode("ascii"))
    # Mostly ASCII with a few symbols (emoji) is the common case: fold each run its own way.
    parts = _NOT_ASCII_RUN.split(text)
    parts[0::2] = map(_fold_ascii, parts[0::2])
    parts[1::2] = [part.translate(FOLD) for part in parts[1::2]]
    return "".join(parts)


def fold(text: str) -> str:
    """`text` folded: equal to joining `fold_char` over its characters, computed in C."""
    if text.isascii():
        return _fold_ascii(text)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return _fold_unicode(text)
    return _fold_latin1(text)


def folds_one_to_one(text: str, folded: str) -> bool:
    """Whether each character of `text` became exactly one character of `folded` (its fold),
    so a position in one is the same position in the other."""
    if len(text) != len(folded):
        return False
    if text.isascii():
        return True  # an ASCII character folds to at most one: none was removed
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return _LATIN1_OTHERS.search(text) is None  # byte for byte, none removed
