"""The `reputation:` section: the brand's watched terms (names, products, competitors, topics)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel
from bot.settings.unique import unique_ids
from bot.text import fold

__all__ = ["KINDS", "ReputationSettings", "Term", "WarningSettings"]

Kind = Literal["brand", "product", "competitor", "topic"]
KINDS: tuple[Kind, ...] = ("brand", "product", "competitor", "topic")
MAX_TERMS = 500
MAX_WORDS = 200
_TERM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_WORDY = re.compile(r"[^\W_]")


def _check_word(word: str) -> str:
    """A watched word or phrase: some letters, an optional `*` at the end (any ending)."""
    body = word.strip()
    if body.endswith("*"):
        body = body[:-1]
    if "*" in body:
        raise ValueError(f"{word!r}: a `*` may only end a word (`livr*` matches livraison)")
    folded = fold(body).strip()
    if not _WORDY.search(folded):
        raise ValueError(f"{word!r} has no letter or digit to match")
    if word.strip().endswith("*") and len(folded) < 3:
        raise ValueError(f"{word!r}: write at least 3 letters before a `*`")
    if len(folded) < 2:
        raise ValueError(f"{word!r} is too short to watch (at least 2 letters)")
    return word.strip()


Word = Annotated[str, AfterValidator(_check_word)]


class Term(StrictModel):
    """One watched term: how members write it, in any language, French or English."""

    id: str = Field(description="A short name, e.g. acme (used by `reputation <id>`).")
    kind: Kind = Field("brand", description="brand, product, competitor or topic (delivery, "
                       "price, support...).")
    label: str | None = Field(None, description="How the term is shown (default: its id).")
    words: tuple[Word, ...] = Field((), description="Spellings in any language, variants and "
                                    "misspellings included; `word*` matches any ending.")
    fr: tuple[Word, ...] = Field((), description="French words for this term.")
    en: tuple[Word, ...] = Field((), description="English words for this term.")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _TERM_ID.fullmatch(value):
            raise ValueError(f"term id {value!r}: use lower-case letters, digits, - and _ "
                             "(up to 40, starting with a letter or digit)")
        if value == "examples":
            raise ValueError("term id 'examples' is reserved for `reputation examples`")
        return value

    @field_validator("words", "fr", "en")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) > MAX_WORDS:
            raise ValueError(f"at most {MAX_WORDS} words")
        return value

    def all_words(self) -> tuple[str, ...]:
        """Every spelling of the term, its id included."""
        return (self.id, *self.words, *self.fr, *self.en)

    @property
    def shown(self) -> str:
        """The name CMs read."""
        return self.label or self.id


class WarningSettings(StrictModel):
    """When a rise of negative mentions about a term is worth waking a CM."""

    enabled: bool = Field(True, description="Alert the CMs when the negative share or volume "
                          "about a term rises significantly over its baseline.")
    window: Duration = Field(timedelta(hours=1), description="The recent stretch compared with "
                             "the baseline.")
    baseline: Duration = Field(timedelta(days=7), description="How far back the baseline goes.")
    significance: float = Field(0.0001, gt=0, le=0.05, description="How unlikely the rise "
                                "must be under the baseline (a p-value: smaller alerts less). "
                                "It is tested at every negative mention, hence so small.")
    min_negative: int = Field(5, ge=1, le=1000, description="Negative mentions needed in the "
                              "window before any alert.")
    cooldown: Duration = Field(timedelta(hours=1), description="At most one alert per term "
                               "within this time.")
    kinds: tuple[Kind, ...] = Field(("brand", "product", "topic"), description="Kinds of "
                                    "terms that warn (competitors do not, by default).")
    remind: Duration | None = Field(timedelta(minutes=30), description="Remind the CMs when "
                                    "no one answered a warning after this time (needs an "
                                    "alerts channel; null: never).")

    @field_validator("window")
    @classmethod
    def _window(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=5) <= value <= timedelta(days=1):
            raise ValueError("between 5m and 1d")
        return value

    @field_validator("baseline")
    @classmethod
    def _baseline(cls, value: timedelta) -> timedelta:
        if not timedelta(hours=6) <= value <= timedelta(days=60):
            raise ValueError("between 6h and 60d")
        return value


class ReputationSettings(PluginSettings):
    """Reputation watch: what members say about the brand, and a warning before a bad buzz."""

    terms: tuple[Term, ...] = Field((), description="The watched terms: the brand, its "
                                    "products, competitors and topics.")
    examples: int = Field(5, ge=0, le=20, description="Example messages kept per term and day "
                          "(their ids, not their text).")
    retention: Duration = Field(timedelta(days=400), description="How long daily figures and "
                                "examples are kept.")
    neutral_band: float = Field(0.25, ge=0.0, le=0.9, description="Scores within this distance "
                                "of 0 are neutral (scores run from -1 to 1).")
    warning: WarningSettings = Field(default_factory=WarningSettings,
                                     description="The early warning.")

    @field_validator("terms", mode="wrap")
    @classmethod
    def _unique_ids(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Terms are valid one by one, and no two share an id (the second one is named)."""
        return unique_ids(value, handler, field="terms", noun="term", limit=MAX_TERMS)

    @field_validator("retention")
    @classmethod
    def _retention(cls, value: timedelta) -> timedelta:
        if not timedelta(days=1) <= value <= timedelta(days=3650):
            raise ValueError("between 1d and 3650d")
        return value

    def config_warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """A word two terms share (a mention counts for both)."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        owner: dict[str, str] = {}
        for index, term in enumerate(self.terms):
            for word in term.all_words():
                key = fold(word).strip()
                first = owner.setdefault(key, term.id)
                if first != term.id:
                    found.append((("terms", index), f"term '{term.id}': {word!r} is also a "
                                  f"word of term '{first}' (a mention counts for both)"))
        return found
