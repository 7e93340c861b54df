"""Shared scans: every word list in one Aho–Corasick automaton, every pattern in one RE2 set."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import re2

from bot.i18n import Msg
from bot.text import NormalizedText, View
from bot.text.aim import aimed_at_person, written_in_other_language
from bot.text.lexicons import entry_keys
from bot.text.masks import MaskIndex, Unmasked
from bot.text.skeletons import Skeletons
from plugins.automod.facts import Hit

__all__ = ["Compiler", "PatternIndex", "WordIndex", "addressed_slot", "compile_pattern",
           "entry_keys"]

PATTERN_MEMORY = 8 << 20
SET_MEMORY = 256 << 20
_PHRASE_BREAK = re.compile(r"(?<=[^\W_]{2})[,;:.!?…)(\]\[]+\s")  # after a word, not `f.i.l.s. `


@dataclass(frozen=True, slots=True)
class _Entry:
    slot: int
    entry: str
    label: str
    allow: bool
    start: int  # from the end of a match to the first character of the word(s)
    end: int  # from the end of a match to just after the last character
    aimed: str = ""  # the language of an entry that counts only when aimed at a person
    guard: str = ""  # the language of an entry that does not count in a message of the other


@dataclass
class WordIndex:
    """Every word-list entry of every rule, in one automaton scanned once per word view.

    Self-censored words (`c*nnard`, `f**k`, `fils de p*te`) are matched too: a message with
    masks (`*`, `#`, `_` inside a word) is read again with each masked word read as the listed
    word it can only be (`bot.text.masks`), then scanned like any message.
    """

    entries: dict[str, list[_Entry]] = field(default_factory=dict)
    _automaton: Any = None
    _skeletons: Skeletons | None = None
    _masks: MaskIndex = field(default_factory=MaskIndex)

    def add(self, slot: int, entry: str, label: str, *, allow: bool = False,
            aimed: str = "", guard: str = "") -> None:
        """Add an entry (or an allowed phrase) of the trigger in `slot`; an `aimed` entry (of
        that language) counts only when aimed at a person, a `guard`ed one only in a message
        not written in the other language (see `bot.text.aim`)."""
        for key in entry_keys(entry):
            words = key.strip(" ")
            first = key.index(words)
            self.entries.setdefault(key, []).append(_Entry(
                slot, entry, label, allow, len(key) - first, len(key) - first - len(words),
                aimed, guard))

    def build(self) -> None:
        """Make the automaton (once every entry is in)."""
        automaton = ahocorasick.Automaton()
        denied_keys: list[str] = []
        for key, entries in self.entries.items():
            automaton.add_word(key, tuple(entries))
            if any(not e.allow for e in entries):  # a key the quick test must let through
                denied_keys.append(key)
                self._masks.add_key(key)
        if self.entries:
            automaton.make_automaton()
            self._automaton = automaton
        self._skeletons = Skeletons(denied_keys)

    def may_match(self, text: NormalizedText) -> bool:
        """False when no denied entry can be in any word view of `text` (see Skeletons)."""
        return self._skeletons is not None and self._skeletons.may_match(text)

    def scan(self, text: NormalizedText, fired: dict[int, Callable[[], Hit]]) -> None:
        """Record in `fired` the first match of each slot not covered by an allowed phrase."""
        if self._automaton is None:
            return
        if self.may_match(text):
            self._scan(text, fired, lambda view, start, end, item: _word_hit(
                text, view, start, end, item))
        plain = text.plain
        if self._masks and ("*" in plain or "#" in plain or "_" in plain):  # MASK_CHARS
            for unmasked in self._masks.unmask(plain):
                read = NormalizedText(unmasked.text)
                if self.may_match(read):
                    self._scan(read, fired, functools.partial(_masked_hit, text, read, unmasked))

    def _scan(self, text: NormalizedText, fired: dict[int, Callable[[], Hit]],
              hit: Callable[[View, int, int, _Entry], Callable[[], Hit]]) -> None:
        for view in text.views:
            found: list[tuple[int, int, _Entry]] = []
            for last, entries in self._automaton.iter(view.text):
                for item in entries:
                    found.append((last + 1 - item.start, last + 1 - item.end, item))
            if not found:
                continue
            allowed = [(s, e, i.slot) for s, e, i in found if i.allow]
            for start, end, item in found:
                if item.allow or item.slot in fired:
                    continue
                if any(slot == item.slot and s <= start and end <= e for s, e, slot in allowed):
                    continue
                if item.aimed and not aimed_at_person(view.text, start, end, item.aimed) \
                        and not _vocative(text, view, start, end):
                    if addressed_slot(item.slot) not in fired and aimed_at_person(
                            view.text, start, end, item.aimed, addressed=True):
                        fired[addressed_slot(item.slot)] = hit(view, start, end, item)
                    continue
                if " " in item.entry.strip() and _broken(text, view, start, end):
                    continue
                if item.guard and written_in_other_language(view.text, item.guard):
                    continue
                fired[item.slot] = hit(view, start, end, item)


def addressed_slot(slot: int) -> int:
    """Where a scan records a match of `slot` that counts only if the message replies to or
    mentions someone (an aimed entry ending `@bob retard`)."""
    return -1 - slot


def _broken(text: NormalizedText, view: View, start: int, end: int) -> bool:
    """Whether punctuation followed by a space splits a phrase's match in the raw text
    ("sale, noir"), which dotted spellings (`f.i.l.s de pute`) never have."""
    raw_start, raw_end = text.view_span(view, start, end)
    return _PHRASE_BREAK.search(text.raw, raw_start, raw_end) is not None


def _vocative(text: NormalizedText, view: View, start: int, end: int) -> bool:
    """Whether the words end the message right after a comma (`nobody asked, retard`)."""
    if view.text[end:].strip():
        return False
    raw_start, _ = text.view_span(view, start, end)
    return text.raw[:raw_start].rstrip().endswith(",")


def _word_hit(text: NormalizedText, view: View, start: int, end: int,
              item: _Entry) -> Callable[[], Hit]:
    def hit() -> Hit:
        raw_start, raw_end = text.view_span(view, start, end)
        shown = text.raw[raw_start:raw_end]
        return Hit(Msg.of("automod.evidence.word", entry=repr(item.entry), label=item.label,
                          start=raw_start, end=raw_end, shown=repr(_clip(shown))))
    return hit


def _masked_hit(text: NormalizedText, read: NormalizedText, unmasked: Unmasked, view: View,
                start: int, end: int, item: _Entry) -> Callable[[], Hit]:
    """Evidence for a match in the text read with its masked words: shown as typed."""
    def hit() -> Hit:
        read_start, read_end = read.view_span(view, start, end)
        raw_start, raw_end = text.plain_span(*unmasked.origin(read_start, read_end))
        return Hit(Msg.of("automod.evidence.masked_word", entry=repr(item.entry),
                          label=item.label, start=raw_start, end=raw_end,
                          shown=repr(_clip(text.raw[raw_start:raw_end]))))
    return hit


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _options(memory: int) -> re2.Options:
    options = re2.Options()
    options.max_mem = memory
    options.log_errors = False
    return options


def compile_pattern(pattern: str, case_sensitive: bool) -> Any:
    """Compile an admin pattern with RE2; ValueError with RE2's reason when it is refused."""
    source = pattern if case_sensitive else f"(?i:{pattern})"
    try:
        return re2.compile(source, _options(PATTERN_MEMORY))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(f"pattern {pattern!r} is not valid RE2 (linear-time regex): "
                         f"{reason}") from None


@dataclass
class _Target:
    patterns: list[tuple[int, str, Any]] = field(default_factory=list)
    matcher: Any = None
    fallback: bool = False


@dataclass
class PatternIndex:
    """Every admin pattern of every rule in one RE2 set per text (folded or raw)."""

    targets: dict[str, _Target] = field(default_factory=dict)

    def add(self, slot: int, pattern: str, *, raw: bool, case_sensitive: bool) -> None:
        """Add a pattern of the trigger in `slot`."""
        target = self.targets.setdefault("raw" if raw else "plain", _Target())
        target.patterns.append((slot, pattern, compile_pattern(pattern, case_sensitive)))

    def build(self) -> None:
        """Compile each set; if RE2 cannot hold one set, its patterns are run one by one."""
        for target in self.targets.values():
            regex_set = re2.Set.SearchSet(_options(SET_MEMORY))
            try:
                for _, _, compiled in target.patterns:
                    regex_set.Add(compiled.pattern)
                regex_set.Compile()
                target.matcher = regex_set
            except re2.error:
                target.fallback = True

    def scan(self, text: NormalizedText, fired: dict[int, Callable[[], Hit]]) -> None:
        """Record in `fired` each slot with a matching pattern."""
        for name, target in self.targets.items():
            subject = text.plain if name == "plain" else text.scanned
            if target.fallback:
                indexes: list[int] | None = [i for i, (_, _, c) in enumerate(target.patterns)
                                             if c.search(subject) is not None]
            else:
                indexes = target.matcher.Match(subject)
            if not indexes:
                continue
            for index in sorted(indexes):
                slot, pattern, compiled = target.patterns[index]
                if slot not in fired:
                    fired[slot] = _pattern_hit(text, name == "plain", subject, pattern,
                                               compiled)


def _pattern_hit(text: NormalizedText, plain: bool, subject: str, pattern: str,
                 compiled: Any) -> Callable[[], Hit]:
    def hit() -> Hit:
        match = compiled.search(subject)
        if match is None:  # the set and the pattern disagree only if RE2 ran out of memory
            return Hit(Msg.of("automod.evidence.pattern", pattern=repr(pattern)))
        start, end = text.plain_span(*match.span()) if plain else match.span()
        return Hit(Msg.of("automod.evidence.pattern_at", pattern=repr(pattern), start=start,
                          end=end, shown=repr(_clip(text.raw[start:end]))))
    return hit


class Compiler:
    """Collects what rules need while their triggers compile: slots, scans, state."""

    def __init__(self) -> None:
        self.words = WordIndex()
        self.patterns = PatternIndex()
        self.needs: set[str] = set()
        self.window = 0.0
        self._slots = itertools.count()

    def slot(self) -> int:
        """A new slot in the shared scans."""
        return next(self._slots)

    def require(self, what: str, window: float = 0.0) -> None:
        """Note that some trigger needs a kind of per-message state (`members`, `texts`...),
        looking `window` seconds back."""
        self.needs.add(what)
        self.window = max(self.window, window)

    def finish(self) -> None:
        """Build the shared scans."""
        self.words.build()
        self.patterns.build()
