"""Text normalised once per message: a folded form for patterns and word views for word lists.

`plain` is the text folded (NFKD compatibility forms, case folded, accents and other marks,
zero-width and control characters removed, look-alike letters made Latin). Word views go
further: leetspeak read as letters inside words, punctuation turned into word boundaries,
s p a c e d or d.o.t.t.e.d letters joined, and stretched letters (`connnnard`) squeezed.

A message can have several word views, because some evasions are ambiguous: `1` is `i` or
`l`; `connnnard` is `conard` or `connard`; `pu-te` is one word and `fils-de-pute` three. A word
list is matched against each view. Any view can be mapped back to the raw text, for evidence.

The rules, for one view: (1) fold; (2) inside a token of letters, digits and `@$€!|` that has a
letter, read 0 1 3 4 5 7 @ $ € ! | as o i|l e a s t a s e i l (a leading or trailing ! or | is
punctuation); (3) a word is a run of alphanumeric characters: every other character separates
words, except that a *glued* view drops punctuation instead (only white space and apostrophes
separate);
(4) three or more one-letter words in a row become one word (in a *lead* view, the first of four
or more stays a word: `a b i t c h` is `a bitch`); (4b) a word that has a letter
reads its digits as in (2) (words that steps 3 and 4 joined: `c.0.n.n.a.r.d`, `b.1.tch`);
(5) in a *squeezed* view, three or more identical characters in a row become `keep` (1 or 2)
of them.
"""

from __future__ import annotations

import bisect
import itertools
import re
import string
from collections.abc import Callable, Sequence
from typing import NamedTuple

import ahocorasick

from bot.text.fold import FOLD, fold, folds_one_to_one

__all__ = ["MAX_CHARS", "SQUEEZABLE", "NormalizedText", "View", "ViewSpec", "unrepeated",
           "word_forms", "word_skeleton"]

MAX_CHARS = 100_000
"""Only the first MAX_CHARS characters are normalised (every platform's limit is far lower)."""

_LEET_CHARS = "0134579@$€!|"
_LEET_HINT = re.compile(r"[0134579@$€|]|![^\W_]")
_LEET_CHAR = re.compile(r"[0134579@$€!|]")
_DIGIT = re.compile(r"[0-9]")
_LONG_SINGLES = re.compile(r"(?<![^ ])[^ ](?: [^ ]){3,}(?![^ ])")  # four one-letter words or more
_LONE_ONE = re.compile(r"(?<![\w@$€!|])1(?![\w@$€!|])")  # a `1` that is a token of its own
_TOKEN = re.compile(r"[\w@$€!|]*")  # from a position to the end of its token (\w is isalnum or _)
_LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                         "$": "s", "€": "e", "!": "i", "|": "l"})
_LEET_L = str.maketrans({**_LEET_I, ord("1"): "l"})
_NOT_LEET_BYTES = bytes(c for c in range(128) if chr(c) not in _LEET_CHARS)
_ALNUM_RUN = re.compile(r"[^\W_]+")  # `[^\W_]` is str.isalnum
_ALNUM_SPLIT = re.compile(r"([^\W_]+)")
_GLUED_RUN = re.compile(r"[^\s'’ʼ]+")  # `\s` is str.isspace; the apostrophes of `_APOSTROPHES`
_SINGLES = re.compile(r"(?<![^ ])[^ ](?: [^ ]){2,}(?![^ ])")
_SHAPE_BYTES = bytes(c if c == 0x20 else 0x61 for c in range(256))  # every word letter as `a`
_SINGLE_RUN = b" a a a "
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_WORDY_NON_ASCII = re.compile(r"[^\W\x00-\x7f]|[^\S\x00-\x7f]|[’]")  # letters, digits, spaces
_RUN = re.compile(r"([a-z0-9])\1{2,}")
_REPEATS = re.compile(r"(.)\1+")
SQUEEZABLE = string.ascii_lowercase + string.digits
"""Characters whose runs of three or more word views squeeze."""
_SEPARATE_BYTES = bytes(c if chr(c).isalnum() else 0x20 for c in range(256))
_APOSTROPHES = "'’ʼ"
_GLUE_DELETE_BYTES = bytes(c for c in range(128) if not chr(c).isalnum()
                           and not chr(c).isspace() and chr(c) not in _APOSTROPHES)
# a: letter or digit; space: white space or apostrophe; dot: punctuation (dropped in glued views)
_CLASS_BYTES = bytes(0x61 if chr(c).isalnum() else 0x20 if chr(c).isspace() or chr(c) == "'"
                     else 0x2E for c in range(256))


def _triples() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for char in SQUEEZABLE:
        automaton.add_word(char * 3, char)
    automaton.make_automaton()
    return automaton


_TRIPLES = _triples()


class _Table(dict[int, str | None]):
    """A `str.translate` table computed on first sight of each character (bounded)."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, code: int) -> str | None:
        value = self.rule(chr(code))
        if len(self) < 200_000:
            self[code] = value
        return value


_SEPARATE = _Table(lambda c: c if c.isalnum() else " ")
# Skeletons: letters and digits only, digits read as the letters they stand for, and i, l, 1
# made one symbol (so both readings of `1` share a skeleton).
_SKELETON_LETTERS = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "i": "1", "l": "1"}
_SKELETON = _Table(lambda c: _SKELETON_LETTERS.get(c, c) if c.isalnum() else None)
_SKELETON_BYTES = bytes(ord(_SKELETON_LETTERS.get(chr(c), chr(c))) for c in range(256))
_NOT_ALNUM_BYTES = bytes(c for c in range(128) if not chr(c).isalnum())
_SPLIT_BYTES = bytes(c if c < 128 and chr(c).isalnum() else 0x20 for c in range(256))
_NOT_LEET_PUNCTUATION = bytes(c for c in range(256) if c not in b"@$|!")
_WORD_BYTES = frozenset(b"_" + string.ascii_letters.encode() + string.digits.encode())
_ASCII_BYTES = bytes(range(128))
_BEYOND_ASCII_BYTES = bytes(range(128, 256))
_GLUE = _Table(lambda c: c if c.isalnum()
               else (" " if c.isspace() or c in _APOSTROPHES else None))


class ViewSpec(NamedTuple):
    """How a word view was made: `one` read as i or l, punctuation glued, runs squeezed, the
    first of four or more one-letter words kept as a word (`lead`)."""

    one: str = "i"
    glue: bool = False
    keep: int | None = None
    lead: bool = False


class View(NamedTuple):
    """A word view: words separated by single spaces, with one space at each end."""

    text: str
    spec: ViewSpec


_SPECS = {(one, glue, keep, lead): ViewSpec(one, glue, keep, lead)
          for one in "il" for glue in (False, True) for keep in (None, 1, 2)
          for lead in (False, True)}
_PLAIN = _SPECS["i", False, None, False]


def _needs_leet(plain: str) -> bool:
    if plain.isascii():
        found = plain.encode("ascii").translate(None, _NOT_LEET_BYTES)
        if not found:
            return False
        return bool(found.strip(b"!")) or _LEET_HINT.search(plain) is not None
    return _LEET_HINT.search(plain) is not None


def _leet(plain: str, table: dict[int, str]) -> tuple[str, bool]:
    """Read leetspeak inside tokens that have letters (`c0nn@rd`); numbers stay numbers."""
    if not _needs_leet(plain):
        return plain, False
    pieces: list[str] = []
    used_one = False
    at = 0
    size = len(plain)
    backwards = plain[::-1]
    for match in _LEET_CHAR.finditer(plain):
        start = match.start()
        if start < at:
            continue
        end = _TOKEN.match(plain, start).end()  # type: ignore[union-attr]
        start = size - _TOKEN.match(backwards, size - start).end()  # type: ignore[union-attr]
        word = plain[start:end]
        first = len(word) - len(word.lstrip("!|"))
        last = len(word.rstrip("!|"))
        core = word[first:last]
        if any(map(str.isalpha, core)) and _LEET_CHAR.search(core) is not None:
            used_one = used_one or "1" in core
            word = word[:first] + core.translate(table) + word[last:]
        pieces.append(plain[at:start])
        pieces.append(word)
        at = end
    pieces.append(plain[at:])
    return "".join(pieces), used_one


def _join_singles(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


def _read_word(word: str, table: dict[int, str]) -> str:
    """Step (4b): a word that has a letter reads its digits as letters."""
    return word.translate(table) if any(map(str.isalpha, word)) else word


def _read_words(text: str, table: dict[int, str]) -> str:
    """Step (4b) over words separated by spaces (only words with a digit can change: each is
    found from its digits, not by trying a pattern at every position of a long text)."""
    pieces: list[str] = []
    at = 0
    for digit in _DIGIT.finditer(text):
        where = digit.start()
        if where < at:
            continue  # another digit of the word just read
        start = text.rfind(" ", 0, where) + 1
        end = text.find(" ", where)
        if end < 0:
            end = len(text)
        pieces.append(text[at:start])
        pieces.append(_read_word(text[start:end], table))
        at = end
    if not pieces:
        return text
    pieces.append(text[at:])
    return "".join(pieces)


def _join_after_first(match: re.Match[str]) -> str:
    """A run of four or more one-letter words joined but for its first, which may be a word of
    its own (`a b i t c h`); a run of three is joined whole."""
    run = match.group()
    return run[0] + " " + run[2:].replace(" ", "") if run.count(" ") >= 3 else \
        run.replace(" ", "")


_Joined = list[tuple[str, bool]]  # words joined by single spaces, and whether `lead` made them


def _join_runs(text: str, table: dict[int, str]) -> _Joined:
    """Step (4), then (4b): runs of one-letter words joined; a second string keeps the first of
    each run of four or more apart."""
    joined = [(_read_words(_SINGLES.sub(_join_singles, text), table), False)]
    if _LONG_SINGLES.search(text) is not None:
        joined.append((_read_words(_SINGLES.sub(_join_after_first, text), table), True))
    return joined


def _joined(parts: list[str], table: dict[int, str], glued: bool) -> _Joined:
    """Words joined by single spaces, then steps (4) and (4b) (which can only change words that
    steps 3 and 4 joined)."""
    joined = " ".join(parts)
    if list(map(len, parts)).count(1) >= 3:
        return _join_runs(joined, table)
    return [(_read_words(joined, table) if glued else joined, False)]


def _joined_bytes(joined: bytes, table: dict[int, str], glued: bool) -> _Joined:
    """`_joined` for ASCII words already joined by single spaces."""
    text = joined.decode("ascii")
    if _SINGLE_RUN in b" " + joined.translate(_SHAPE_BYTES) + b" ":
        return _join_runs(text, table)
    return [(_read_words(text, table) if glued else text, False)]


_Strings = list[tuple[str, bool, bool]]  # the words of a view before squeezing, glue, lead


def _word_strings(text: str, table: dict[int, str]) -> _Strings:
    """The words of `text` with punctuation as a separator, then glued when that differs."""
    if not text.isascii():
        # (searched among the characters beyond ASCII alone: a short string, even in a long text)
        others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
        if _WORDY_NON_ASCII.search(others.decode("utf-8", "surrogatepass")) is not None:
            return _unicode_word_strings(text, table)
        text = _NON_ASCII.sub("#", text)  # only symbols (emoji): they act like ASCII punctuation
    data = text.encode("ascii")
    split = b" ".join(data.translate(_SEPARATE_BYTES).split())
    strings = [(words, False, lead) for words, lead in _joined_bytes(split, table, False)]
    classes = data.translate(_CLASS_BYTES)
    if b"a." in classes and b".a" in classes:  # punctuation may sit inside a word
        glued = b" ".join(data.translate(None, _GLUE_DELETE_BYTES).replace(b"'", b" ").split())
        if glued != split:
            strings += [(words, True, lead) for words, lead in _joined_bytes(glued, table, True)]
    return strings


def _unicode_word_strings(text: str, table: dict[int, str]) -> _Strings:
    """`_word_strings` for text with letters, digits or spaces beyond ASCII."""
    parts = text.translate(_SEPARATE).split()
    strings = [(words, False, lead) for words, lead in _joined(parts, table, False)]
    glued_parts = text.translate(_GLUE).split()
    if len(glued_parts) != len(parts):
        strings += [(words, True, lead) for words, lead in _joined(glued_parts, table, True)]
    return strings


def _quick_skeleton(plain: str) -> str | None:
    """The skeleton straight from the folded text, when no reading can differ from it but by
    digits (which the skeleton reads the same way); None when leetspeak punctuation
    (`@ $ € |`, a `!` inside a word) or letters beyond ASCII need the readings."""
    data = plain.encode()
    if not plain.isascii():
        others = data.translate(None, _ASCII_BYTES).decode()
        if "€" in others or any(map(str.isalnum, others)):
            return None
        data = data.translate(None, _BEYOND_ASCII_BYTES)  # symbols and emoji: punctuation
    punctuation = data.translate(None, _NOT_LEET_PUNCTUATION)
    if punctuation and (punctuation.strip(b"!") or _inner_bang(data)):
        return None
    return data.translate(_SKELETON_BYTES, _NOT_ALNUM_BYTES).decode()


def _inner_bang(data: bytes) -> bool:
    """Whether a `!` has a word character (as in `_TOKEN`) on each side."""
    at = data.find(b"!", 1)
    while at != -1:
        end = at + 1
        while data[end:end + 1] == b"!":
            end += 1
        if data[at - 1] in _WORD_BYTES and end < len(data) and data[end] in _WORD_BYTES:
            return True
        at = data.find(b"!", end + 1)
    return False


def word_skeleton(words: str) -> str:
    """The skeleton of a word view or entry (see `NormalizedText.skeleton`)."""
    return words.translate(_SKELETON)


def _first_of_run(match: re.Match[str]) -> str:
    return match.group(1)


def unrepeated(skeleton: str) -> str:
    """A skeleton with each run of one symbol written once (`connnard` -> `conard`): the same
    for every word view's skeleton, squeezed or not (squeezing only shortens runs)."""
    return _REPEATS.sub(_first_of_run, skeleton)


def _readings(plain: str) -> tuple[str, ...]:
    """The text with leetspeak read: `1` as i, then (only if a word had a `1`, or a `1` stands
    alone and may join spaced letters) as l."""
    leet_i, used_one = _leet(plain, _LEET_I)
    if used_one or ("1" in plain and _LONE_ONE.search(plain) is not None):
        return leet_i, _leet(plain, _LEET_L)[0]
    return (leet_i,)


def _squeezed(words: str, keep: int) -> str:
    """Step (5): each run of three or more of a SQUEEZABLE character written `keep` times
    (`_RUN.sub`, with the runs found by the triples automaton rather than tried at every
    position)."""
    pieces: list[str] = []
    at = 0
    size = len(words)
    for last, char in _TRIPLES.iter(words):
        start = last - 2
        if start < at:
            continue  # inside the run just squeezed
        end = last + 1
        while end < size and words[end] == char:
            end += 1
        pieces.append(words[at:start + keep])
        at = end
    if not pieces:
        return words
    pieces.append(words[at:])
    return "".join(pieces)


def _build_views(readings: tuple[str, ...]) -> tuple[View, ...]:
    strings = _word_strings(readings[0], _LEET_I)
    if len(readings) == 1 and len(strings) == 1 \
            and next(_TRIPLES.iter(strings[0][0]), None) is None:
        return (View(f" {strings[0][0]} ", _PLAIN),)  # the common case: one view
    views: dict[str, ViewSpec] = {}
    bases = [("i", strings)]
    if len(readings) > 1:
        bases.append(("l", _word_strings(readings[1], _LEET_L)))
    for one, based in bases:
        for words, glue, lead in based:
            if next(_TRIPLES.iter(words), None) is None:
                views.setdefault(f" {words} ", _SPECS[one, glue, None, lead])
                continue
            for keep in (1, 2):
                views.setdefault(f" {_squeezed(words, keep)} ", _SPECS[one, glue, keep, lead])
    return tuple(View(text, spec) for text, spec in views.items())


# -- alignment: where each character of a view comes from, to explain a match --------------

_Word = tuple[str, Sequence[int]]  # a word and the position of each of its characters


def _merge_singles(words: list[_Word], lead: bool) -> list[_Word]:
    merged: list[_Word] = []
    run: list[_Word] = []
    for word in words:
        if len(word[0]) == 1:
            run.append(word)
            continue
        if run:
            _flush_singles(run, merged, lead)
        merged.append(word)
    if run:
        _flush_singles(run, merged, lead)
    return merged


def _flush_singles(run: list[_Word], merged: list[_Word], lead: bool) -> None:
    """A run of three or more one-letter words becomes one word (but for its first, in a `lead`
    view, when the run has four or more); a shorter run stays."""
    if len(run) >= 3:
        if lead and len(run) >= 4:
            merged.append(run[0])
            del run[0]
        merged.append(("".join(w for w, _ in run), [p for _, ps in run for p in ps]))
    else:
        merged.extend(run)
    run.clear()


def _squeeze(word: _Word, keep: int) -> _Word:
    """Step (5) for one word, with the positions of the characters it keeps."""
    text, where = word
    chars: list[str] = []
    kept: list[int] = []
    at = 0
    for run in _RUN.finditer(text):
        start, end = run.span()
        chars.append(text[at:start + keep])
        kept.extend(where[at:start + keep])
        at = end
    if not at:
        return word
    chars.append(text[at:])
    kept.extend(where[at:])
    return "".join(chars), kept


_WordAt = Callable[[int], _Word]  # a view's word by its index


def _view_words(reading: str, spec: ViewSpec) -> _WordAt:
    """The words of the view `spec` of `reading` after steps (3) and (4), with the position in
    `reading` of each character (steps 4b and 5 change words one at a time: see `_shown`)."""
    if not spec.glue:
        parts = _ALNUM_SPLIT.split(reading)  # separator, word, separator, ..., separator
        if _SINGLES.search(" ".join(parts[1::2])) is None:  # each word is a run: no list
            ends = list(itertools.accumulate(map(len, parts)))
            return lambda index: (parts[2 * index + 1], range(
                ends[2 * index], ends[2 * index + 1]))
        runs: list[_Word] = [(m.group(), range(*m.span())) for m in _ALNUM_RUN.finditer(reading)]
        return _merge_singles(runs, spec.lead).__getitem__
    words: list[_Word] = []  # white space and apostrophes separate words; punctuation is dropped
    for run in _GLUED_RUN.finditer(reading):
        chars: list[str] = []
        where: list[int] = []
        for part in _ALNUM_RUN.finditer(reading, run.start(), run.end()):
            chars.append(part.group())
            where.extend(range(*part.span()))
        if chars:
            words.append(("".join(chars), where))
    if _SINGLES.search(" ".join([word for word, _ in words])) is not None:
        words = _merge_singles(words, spec.lead)
    return words.__getitem__


def _shown(word: _Word, spec: ViewSpec) -> _Word:
    """A word as the view shows it: digits read (4b) and runs squeezed (5), which change
    positions only where a view squeezes."""
    if spec.keep is None:
        return word
    text, where = word
    return _squeeze((_read_word(text, _LEET_I if spec.one == "i" else _LEET_L), where),
                    spec.keep)


class NormalizedText:
    """A message's text normalised for matching; each form is computed on first use, once."""

    __slots__ = ("_plain", "_plain_ends", "_quick", "_readings", "_skeleton", "_unrepeated",
                 "_views", "_words", "raw", "scanned")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.scanned = raw if len(raw) <= MAX_CHARS else raw[:MAX_CHARS]
        """The part of the raw text that is normalised (all of it below MAX_CHARS)."""
        self._plain: str | None = None
        self._plain_ends: list[int] | None = None
        self._readings: tuple[str, ...] | None = None
        self._skeleton: str | None = None
        self._quick = False
        self._views: tuple[View, ...] | None = None
        self._words: list[str] | None = None
        self._unrepeated: str | None = None

    @property
    def plain(self) -> str:
        """Folded text, punctuation and line breaks kept: what admin patterns run on."""
        if self._plain is None:
            self._plain = fold(self.scanned)
        return self._plain

    @property
    def views(self) -> tuple[View, ...]:
        """Distinct word views (one or two for most messages), each ` word word `."""
        if self._views is None:
            self._views = _build_views(self.readings)
        return self._views

    @property
    def readings(self) -> tuple[str, ...]:
        """The folded text with leetspeak read (twice when a `1` can be i or l)."""
        if self._readings is None:
            self._readings = _readings(self.plain)
        return self._readings

    @property
    def skeleton(self) -> str:
        """Letters and digits alone, digits read as letters, i/l/1 as one symbol: every word
        view without its spaces has this skeleton (unless it squeezed repeats), so a word list
        entry whose skeleton is not in it is in no view."""
        if self._skeleton is None:
            quick = _quick_skeleton(self.plain)
            self._skeleton = self.readings[0].translate(_SKELETON) if quick is None else quick
            self._quick = quick is not None
        return self._skeleton

    @property
    def unrepeated(self) -> str:
        """The skeleton with each run of one symbol written once (see `unrepeated`), computed
        once for every word list that asks."""
        if self._unrepeated is None:
            self._unrepeated = unrepeated(self.skeleton)
        return self._unrepeated

    @property
    def boundaries(self) -> frozenset[int]:
        """Positions in the skeleton where a word can start or end in some word view: views
        only ever join words (glued punctuation, spaced letters), never split one."""
        _ = self.skeleton  # (tells which text the skeleton came from)
        words: list[bytes] | list[str]
        if self._quick:  # the words of the folded text, every other character a separator
            words = self.plain.encode().translate(_SPLIT_BYTES).split()
        else:
            words = self.readings[0].translate(_SEPARATE).split()
        return frozenset(itertools.accumulate(map(len, words), initial=0))

    @property
    def squeezed(self) -> bool:
        """Whether a letter or digit may repeat three times in a row in a view (views squeeze
        those runs, so their skeleton can differ)."""
        triples = _TRIPLES.iter(self.skeleton)
        first = next(triples, None)
        if first is None:
            return False
        if first[1] != "1" or any(char != "1" for _, char in triples):
            return True  # (the first run of another symbol answers: no need to list them all)
        # i, l and 1 share a symbol: `ill` may be no repeat at all
        tables = (_LEET_I, _LEET_L)[:len(self.readings)]  # digits read, as (4b) may
        return any(next(_TRIPLES.iter(
            reading.translate(_SEPARATE).replace(" ", "").translate(table)), None) is not None
            for reading, table in zip(self.readings, tables, strict=True))

    @property
    def words(self) -> list[str]:
        """The words of the first view (split once, shared by every plugin: not to be
        modified)."""
        if self._words is None:
            self._words = self.views[0].text.split()
        return self._words

    def plain_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of `plain[start:end]`."""
        end = min(end, len(self.plain))
        if start >= end:
            return 0, 0
        if folds_one_to_one(self.scanned, self.plain):
            return start, end
        if self._plain_ends is None:  # where each raw character's fold ends in `plain`
            self._plain_ends = list(itertools.accumulate(
                map(len, map(FOLD.__getitem__, map(ord, self.scanned)))))
        ends = self._plain_ends
        return bisect.bisect_right(ends, start), bisect.bisect_right(ends, end - 1) + 1

    def view_span(self, view: View, start: int, end: int) -> tuple[int, int]:
        """Raw span of `view.text[start:end]`: the span in the reading the view was made from
        (which is a span of the folded text) of its first and last characters, found word by
        word, then mapped back to the raw text."""
        text = view.text
        shown = text[start:end]
        inner = shown.strip(" ")
        if not inner:
            return 0, 0
        first = start + len(shown) - len(shown.lstrip(" "))
        last = first + len(inner) - 1
        word_at = _view_words(self.readings[1 if view.spec.one == "l" else 0], view.spec)
        first_word, last_word = text.count(" ", 0, first) - 1, text.count(" ", 0, last) - 1
        word = _shown(word_at(first_word), view.spec)
        begin = word[1][first - text.rfind(" ", 0, first) - 1]
        if last_word != first_word:
            word = _shown(word_at(last_word), view.spec)
        return self.plain_span(begin, word[1][last - text.rfind(" ", 0, last) - 1] + 1)


def word_forms(entry: str) -> tuple[str, ...]:
    """The word-view forms of a word-list entry (`Nique ta mère` -> ` nique ta mere `)."""
    return tuple(dict.fromkeys(view.text for view in NormalizedText(entry).views
                               if view.text.strip()))
