"""Triggers answered by the shared scans: word lists (Aho–Corasick) and patterns (RE2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from plugins.automod.lexicons import get_lexicon
from plugins.automod.matching import addressed_slot, compile_pattern, entry_keys
from plugins.automod.triggers.base import Facts, Hit, Node, TriggerModel, register

if TYPE_CHECKING:
    from plugins.automod.matching import Compiler

__all__ = ["RegexTrigger", "SlotNode", "WordsNode", "WordsTrigger"]

MAX_ENTRIES = 50_000
MAX_PATTERNS = 500


class SlotNode(Node):
    """Holds when the shared scans recorded a match for its slot."""

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.gate = frozenset({slot})
        self.cost = 0

    def check(self, facts: Facts) -> list[Hit] | None:
        """The recorded match, as a hit."""
        found = facts.fired.get(self.slot)
        return None if found is None else [found()]


class WordsNode(SlotNode):
    """A slot node that also holds, in a reply or a message with mentions, for the matches the
    scan kept aside as aimed only at the one addressed (`@bob retard`)."""

    def __init__(self, slot: int) -> None:
        super().__init__(slot)
        self.addressed = addressed_slot(slot)
        self.gate = frozenset({slot, self.addressed})

    def check(self, facts: Facts) -> list[Hit] | None:
        """The recorded match, as a hit."""
        found = facts.fired.get(self.slot)
        if found is None and (facts.event.reply_to or facts.event.mentions):
            found = facts.fired.get(self.addressed)
        return None if found is None else [found()]


def _entry(entry: str) -> str:
    entry_keys(entry)
    return entry


def _pattern(pattern: str) -> str:
    compile_pattern(pattern, case_sensitive=True)
    return pattern


def _lexicon(name: str) -> str:
    get_lexicon(name)
    return name


Entry = Annotated[str, AfterValidator(_entry)]
LexiconName = Annotated[str, AfterValidator(_lexicon)]
Pattern = Annotated[str, AfterValidator(_pattern)]


@register("words")
class WordsTrigger(TriggerModel):
    """Words and phrases, inline or from built-in lexicons, matched as whole words."""

    type: Literal["words"] = "words"
    words: tuple[Entry, ...] = Field(
        (), max_length=MAX_ENTRIES,
        description="Words or phrases; `word*` matches any ending, `*word` any beginning.")
    lexicons: tuple[LexiconName, ...] = Field((), description="Built-in lists, e.g. fr-insults, "
                                                      "en-slurs (see the README).")
    allow: tuple[Entry, ...] = Field(
        (), max_length=MAX_ENTRIES,
        description="Phrases that contain a listed word but are fine (e.g. 'pique nique').")

    @model_validator(mode="after")
    def _something_to_match(self) -> WordsTrigger:
        if not self.words and not self.lexicons:
            raise ValueError("a words trigger needs `words`, `lexicons` or both")
        return self

    def compile(self, compiler: Compiler) -> Node:
        """One slot in the shared automaton."""
        slot = compiler.slot()
        for word in self.words:
            compiler.words.add(slot, word, "words")
        for name in self.lexicons:
            lexicon = get_lexicon(name)
            aimed = lexicon.language if lexicon.aimed else ""
            guarded = set(lexicon.own_language_only)
            for entry in lexicon.entries:
                compiler.words.add(slot, entry, name, aimed=aimed,
                                   guard=lexicon.language if entry in guarded else "")
            for phrase in lexicon.allow:
                compiler.words.add(slot, phrase, name, allow=True)
        for phrase in self.allow:
            compiler.words.add(slot, phrase, "allow", allow=True)
        return WordsNode(slot)


@register("regex")
class RegexTrigger(TriggerModel):
    """Admin patterns, run by RE2 (linear time: a pattern can never freeze the bot)."""

    type: Literal["regex"] = "regex"
    patterns: tuple[Pattern, ...] = Field(
        max_length=MAX_PATTERNS,
        description="RE2 patterns (no look-around or back-references).")
    on: Literal["normalized", "raw"] = Field(
        "normalized", description="normalized: folded text (lower case, no accents, look-alike "
                                  "letters made Latin); raw: the text as typed.")
    case_sensitive: bool = Field(False, description="Only meaningful with on: raw.")

    @field_validator("patterns")
    @classmethod
    def _some_patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("list at least one pattern")
        return value

    def compile(self, compiler: Compiler) -> Node:
        """One slot in the shared RE2 set."""
        slot = compiler.slot()
        for pattern in self.patterns:
            compiler.patterns.add(slot, pattern, raw=self.on == "raw",
                                  case_sensitive=self.case_sensitive)
        return SlotNode(slot)
