"""French and English message catalogs, and the two kinds of text the bot can say."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.durations import Span

__all__ = [
    "LANGUAGES",
    "Catalog",
    "CatalogError",
    "Localized",
    "Msg",
    "Text",
    "load_messages",
    "pick_language",
]

LANGUAGES: tuple[str, ...] = ("en", "fr")
CORE_MESSAGES = Path(__file__).with_name("messages.yaml")


class CatalogError(Exception):
    """A catalog file is incomplete or inconsistent."""


@dataclass(frozen=True, slots=True)
class Msg:
    """A catalog message: a key and its parameters, rendered in the reader's language."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **params: Any) -> Msg:
        """Build a message from keyword parameters."""
        return cls(key, tuple(sorted(params.items())))

    def render(self, catalog: Catalog, lang: str) -> str:
        """The message in `lang`, with its parameters filled in."""
        return catalog.render(self.key, lang, dict(self.params))


@dataclass(frozen=True, slots=True)
class Localized:
    """Text given in several languages by a person (rule file), rendered in the best one."""

    texts: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Localized:
        """Build from a language -> text mapping."""
        return cls(tuple(sorted(texts.items())))

    def render(self, catalog: Catalog, lang: str) -> str:
        """The text in `lang`, else in the first language that has one."""
        texts = dict(self.texts)
        if lang in texts:
            return texts[lang]
        for other in LANGUAGES:
            if other in texts:
                return texts[other]
        return next(iter(texts.values()), "")


Text = Msg | Localized


def pick_language(member_language: str | None, community_language: str) -> str:
    """A member's platform language wins where known and supported; else the community's."""
    if member_language:
        short = member_language.split("-")[0].split("_")[0].lower()
        if short in LANGUAGES:
            return short
    return community_language


def load_messages(path: Path) -> dict[str, dict[str, str]]:
    """Read a catalog file: `key: {en: ..., fr: ...}`."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping of message keys")
    messages: dict[str, dict[str, str]] = {}
    for key, texts in data.items():
        if not isinstance(texts, dict):
            raise CatalogError(f"{path}: {key}: expected a mapping of languages")
        messages[str(key)] = {str(lang): str(text) for lang, text in texts.items()}
    return messages


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalog:
    """All messages the bot can say, in every supported language."""

    def __init__(self) -> None:
        self._messages: dict[str, dict[str, str]] = {}
        self.add(load_messages(CORE_MESSAGES), origin=str(CORE_MESSAGES))

    def add(self, messages: Mapping[str, Mapping[str, str]], origin: str) -> None:
        """Add messages, refusing missing languages, mismatched placeholders and clashes."""
        for key, texts in messages.items():
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise CatalogError(f"{origin}: {key}: missing translation for {', '.join(missing)}")
            names = {lang: _placeholders(texts[lang]) for lang in LANGUAGES}
            if len({frozenset(n) for n in names.values()}) > 1:
                raise CatalogError(f"{origin}: {key}: placeholders differ between languages: "
                                   f"{names}")
            if key in self._messages and self._messages[key] != dict(texts):
                raise CatalogError(f"{origin}: {key}: already defined elsewhere")
            self._messages[key] = dict(texts)

    def keys(self) -> Iterable[str]:
        """Every message key."""
        return self._messages.keys()

    def has(self, key: str) -> bool:
        """Whether `key` is in the catalog."""
        return key in self._messages

    def render(self, key: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
        """Render `key` in `lang`; an unknown key is a programming error."""
        texts = self._messages.get(key)
        if texts is None:
            raise KeyError(f"no message {key!r} in the catalog")
        text = texts.get(lang) or texts[LANGUAGES[0]]
        values = {name: value.render(self, lang) if isinstance(value, Msg | Localized)
                  else value.in_language(lang) if isinstance(value, Span) else value
                  for name, value in (params or {}).items()}
        return text.format(**values)

    def text(self, text: Text, lang: str) -> str:
        """Render either kind of text."""
        return text.render(self, lang)
