"""Self-censored words (`c*nnard`, `f**k`, `enc**lé`, `sal#pe`, `fu*k tard`) read as the words
of a word list they can only be.

A *mask* is a run of `*`, `#` or `_` inside a word of the folded text. A run of k masks stands
for k letters (`f**k`), or one fewer or one more (`enc**lé`, `b*ch`); a run ending the word
stands for exactly its k letters, and only when k >= 2 (`pu**`). A word starting with a mask is
emphasis or a correction (`*soupir*`, `**bold**`, `*their`): its edge masks are punctuation, as
is one mask ending a word (a footnote `prix*`, `C#`).

A masked word is read as a word of the vocabulary (every word of the word lists, and the stems
of wildcard entries: `cunt*`, `*fucker*`) that fits it letter for letter, when it shows at
least two letters and at least as many as it hides (one more when each mask hides one letter:
`b***h`), and when at most `MAX_READINGS` words fit. The text with its masked words read is then
matched like any message, so phrases (`fils de p*te`) and words that count only when aimed
(`t'es une p*dale`, not `la p*dale de frein`) work as they do without masks.

Candidates come from an index by a word's first and last letters and its length (a stem's
first or last letters), so a masked word costs a few dictionary look-ups and a few candidates
whatever the vocabulary's size; at most `MAX_MASKED` masked words are read per message.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["MASK_CHARS", "MAX_MASKED", "MAX_READINGS", "MaskIndex", "Unmasked"]

MASK_CHARS = "*#_"
MAX_MASKED = 20
"""Masked words read per message, so a hostile message stays cheap."""
MAX_READINGS = 6
"""A masked word that fits more vocabulary words than this is ambiguous and not read."""
MAX_TOKEN = 40
MAX_REMEMBERED = 4096
KEY_LETTERS = 3
_LEET = str.maketrans("0134579@$€", "oieastgase")
_WORDY = frozenset("@$€")  # leetspeak symbols that are letters inside a word
_IN_WORD = frozenset("@$€" + MASK_CHARS)
_MASK = re.compile(r"[*#_]")
_WORD_END = re.compile(r"[\w@$€*#]*")  # `\w` is alphanumeric or `_`

Gap = tuple[int, int]  # a run of masks: the fewest and most letters it stands for
Piece = str | Gap


class _Token(NamedTuple):
    start: int  # span of the masked core in the folded text
    end: int
    pieces: tuple[Piece, ...]  # letters and gaps, alternating
    shown: int  # letters shown
    masks: int  # mask characters
    spaced: bool = False  # letters spaced out (`p * t e`): read back spaced out


@dataclass(frozen=True, slots=True)
class Unmasked:
    """The folded text with masked words read, and where each reading came from."""

    text: str
    spans: tuple[tuple[int, int, int, int], ...]  # (start, end) here, (start, end) in `plain`

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The span of the folded text that `text[start:end]` comes from."""
        shift = 0
        begin = finish = -1
        for here_start, here_end, plain_start, plain_end in self.spans:
            if begin < 0 and start < here_end:
                begin = plain_start if start >= here_start else start - shift
            if finish < 0 and end <= here_end:
                finish = plain_end if end > here_start else end - shift
            shift += (here_end - here_start) - (plain_end - plain_start)
        return (start - shift if begin < 0 else begin), (end - shift if finish < 0 else finish)


def _is_letter(char: str) -> bool:
    return char.isalnum() or char in _WORDY


def _tokens(plain: str) -> Iterable[_Token]:
    """The masked words of `plain`, at most MAX_MASKED."""
    found = 0
    at = 0
    while found < MAX_MASKED:
        mask = _MASK.search(plain, at)
        if mask is None:
            return
        where = mask.start()
        start = where
        while start > 0 and (plain[start - 1] in _IN_WORD or plain[start - 1].isalnum()):
            start -= 1
        end = _WORD_END.match(plain, where).end()  # type: ignore[union-attr]
        at = end
        if end - start > 1:
            token = _token(plain, start, end)
        else:  # a mask standing alone: maybe spelled out; the run is read once, whatever it is
            token, at = _spaced(plain, where)
        if token is not None:
            found += 1
            yield token


def _single(plain: str, at: int) -> bool:
    """Whether `plain[at]` is a one-character word (a letter, a digit or a mask)."""
    return 0 <= at < len(plain) and (_is_letter(plain[at]) or plain[at] in MASK_CHARS) and \
        (at == 0 or plain[at - 1] == " ") and (at + 1 == len(plain) or plain[at + 1] == " ")


def _spaced(plain: str, where: int) -> tuple[_Token | None, int]:
    """A masked word spelled out one character at a time (`p * t e`), from one of its masks:
    the run of one-character words separated by single spaces around it; and where the run
    ends."""
    if not _single(plain, where):
        return None, where + 1
    start = end = where
    while start - 2 >= 0 and _single(plain, start - 2) and where - start < 2 * MAX_TOKEN:
        start -= 2
    while _single(plain, end + 2):
        end += 2
    if end - start < 4 or end - start > 2 * MAX_TOKEN:  # three characters at least
        return None, end + 1
    spelled = plain[start:end + 1:2]
    token = _token(spelled, 0, len(spelled))
    if token is None or token.start != 0 or token.end != len(spelled):
        return None, end + 1  # (a mask at either end is not read spelled out)
    return token._replace(start=start, end=end + 1, spaced=True), end + 1


def _token(plain: str, start: int, end: int) -> _Token | None:
    """A masked word from `plain[start:end]` (letters and masks), or None when it is not one."""
    if end - start > MAX_TOKEN:
        return None
    word = plain[start:end]
    core = word.lstrip(MASK_CHARS)
    trailing = len(core) - len(core.rstrip(MASK_CHARS))
    if len(core) != len(word) or trailing == 1:  # emphasis, a correction, a footnote, `C#`
        core = core.rstrip(MASK_CHARS)
    start += len(word) - len(word.lstrip(MASK_CHARS))
    if len(core) < 3 or not any(char in core for char in MASK_CHARS):
        return None
    runs = [(masked, "".join(run)) for masked, run in
            itertools.groupby(core, lambda c: c in MASK_CHARS)]
    pieces: list[Piece] = []
    shown = masks = 0
    for number, (masked, text) in enumerate(runs):
        if masked:
            count = len(text)
            masks += count
            last = number == len(runs) - 1
            pieces.append((count, count) if last else (max(1, count - 1), count + 1))
        else:
            shown += len(text)
            pieces.append(text.translate(_LEET))
    if not masks or shown < 2 or sum(c.isalpha() for c in core) < 2:
        return None
    return _Token(start, start + len(core), tuple(pieces), shown, masks)


def _consume(pieces: tuple[Piece, ...], word: str) -> list[tuple[str, int]]:
    """Ways the pieces can begin with all of `word`, each gap reading letters of it: the
    letters left after it (none when a gap is left) and how many letters of `word` gaps hid."""
    done: list[tuple[str, int]] = []
    states = [(0, 0, 0)]  # piece, position in word, letters hidden
    while states:
        index, at, hidden = states.pop()
        if at == len(word):
            rest = pieces[index:]
            if all(isinstance(p, str) for p in rest):
                done.append(("".join(rest), hidden))  # type: ignore[arg-type]
            continue
        if index == len(pieces):
            continue
        piece = pieces[index]
        if isinstance(piece, str):
            left = word[at:]
            if piece.startswith(left) and len(left) < len(piece):  # the word ends inside
                rest = pieces[index + 1:]
                if all(isinstance(p, str) for p in rest):
                    done.append((piece[len(left):] + "".join(rest), hidden))  # type: ignore
            elif word.startswith(piece, at):
                states.append((index + 1, at + len(piece), hidden))
            continue
        low, high = piece
        for count in range(low, min(high, len(word) - at) + 1):
            states.append((index + 1, at + count, hidden + count))
    return done


def _clear(token: _Token, hidden: int) -> bool:
    """Whether a reading hiding `hidden` letters shows enough of the word to be unambiguous."""
    return 0 < hidden <= token.shown or (hidden == token.masks and hidden <= token.shown + 1)


def _reversed(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    return tuple(p[::-1] if isinstance(p, str) else p for p in reversed(pieces))


@dataclass
class MaskIndex:
    """The words and wildcard stems of word lists, indexed to read masked words."""

    words: dict[tuple[str, str, int], list[str]] = field(default_factory=dict)
    heads: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)  # stem, infix
    tails: dict[str, set[str]] = field(default_factory=dict)
    _read: dict[tuple[Piece, ...], list[str]] = field(default_factory=dict)
    """Readings already found, by a masked word's pieces (chat repeats the same few)."""

    def add_key(self, key: str) -> None:
        """Add the words of an automaton key (` word `, ` stem`, `stem `, ` a phrase `)."""
        words = key.split()
        for number, word in enumerate(words):
            if len(word) < 3:
                continue
            starts = number > 0 or key.startswith(" ")
            ends = number < len(words) - 1 or key.endswith(" ")
            if starts and ends:  # by first and last letters, or first two (a masked end)
                for found in (self.words.setdefault((word[0], word[-1], len(word)), []),
                              self.words.setdefault((word[:2], "", len(word)), [])):
                    if word not in found:
                        found.append(word)
            elif starts or not ends:  # a stem that may end anywhere (`cunt*`, `*slut*`)
                for size in range(1, min(KEY_LETTERS, len(word)) + 1):
                    self.heads.setdefault(word[:size], set()).add((word, not starts))
            else:  # a stem that may start anywhere (`*fucker`)
                for size in range(1, min(KEY_LETTERS, len(word)) + 1):
                    self.tails.setdefault(word[-size:], set()).add(word)

    def __bool__(self) -> bool:
        return bool(self.words or self.heads or self.tails)

    def unmask(self, plain: str) -> list[Unmasked]:
        """The folded text with its masked words read (one text per reading when a word has
        several, at most MAX_READINGS); empty when no masked word reads as a listed word."""
        chosen: list[tuple[_Token, list[str]]] = []
        for token in _tokens(plain):
            readings = self._read.get(token.pieces)
            if readings is None:
                if len(self._read) >= MAX_REMEMBERED:
                    self._read.clear()
                readings = self._read[token.pieces] = self._readings(token)
            if 0 < len(readings) <= MAX_READINGS:
                chosen.append((token, readings))
        texts = []
        for number in range(max((len(r) for _, r in chosen), default=0)):
            pieces: list[str] = []
            spans: list[tuple[int, int, int, int]] = []
            at = length = 0
            for token, readings in chosen:
                reading = readings[min(number, len(readings) - 1)]
                if token.spaced:
                    reading = " ".join(reading)
                pieces.append(plain[at:token.start])
                length += token.start - at
                spans.append((length, length + len(reading), token.start, token.end))
                pieces.append(reading)
                length += len(reading)
                at = token.end
            pieces.append(plain[at:])
            texts.append(Unmasked("".join(pieces), tuple(spans)))
        return texts

    def _readings(self, token: _Token) -> list[str]:
        """The listed words (or stems with the rest of the token) a masked word can be."""
        pieces = token.pieces
        first = pieces[0]
        found: dict[str, None] = {}
        if not isinstance(first, str):
            return []
        gaps = [p for p in pieces if not isinstance(p, str)]
        low = token.shown + sum(p[0] for p in gaps)
        high = token.shown + sum(p[1] for p in gaps)
        last = pieces[-1]
        for size in range(low, high + 1):
            key = (first[0], last[-1], size) if isinstance(last, str) else (first[:2], "", size)
            for word in self.words.get(key, ()):
                if word.startswith(first) and (not isinstance(last, str) or word.endswith(last)) \
                        and any(rest == "" and _clear(token, hidden)
                                for rest, hidden in _consume(pieces, word)):
                    found[word] = None
        for offset in range(len(first)):
            for stem, infix in self.heads.get(first[offset:offset + KEY_LETTERS], ()):
                if offset and not infix:
                    continue
                head = first[:offset]
                shifted = (first[offset:], *pieces[1:])
                for rest, hidden in _consume(shifted, stem):
                    if _clear(token, hidden):
                        found[head + stem + rest] = None
        if isinstance(last, str):
            for stem in self.tails.get(last[-KEY_LETTERS:], ()):
                for rest, hidden in _consume(_reversed(pieces), stem[::-1]):
                    if _clear(token, hidden):
                        found[rest[::-1] + stem] = None
        return list(found)
