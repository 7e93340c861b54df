"""Built-in word lists, curated in this folder (one YAML file each), referenced by name."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from bot.settings.explain import did_you_mean

__all__ = ["Lexicon", "get_lexicon", "lexicon_names"]

HERE = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A named word list: entries to match and allowed phrases that contain them."""

    name: str
    language: str
    description: str
    entries: tuple[str, ...]
    allow: tuple[str, ...]


def _load(path: Path) -> Lexicon:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("name") != path.stem:
        raise ValueError(f"{path}: expected a mapping whose name is {path.stem!r}")
    entries = tuple(str(e) for e in data.get("entries") or ())
    if not entries:
        raise ValueError(f"{path}: no entries")
    return Lexicon(name=path.stem, language=str(data.get("language", "")),
                   description=str(data.get("description", "")), entries=entries,
                   allow=tuple(str(e) for e in data.get("allow") or ()))


@functools.cache
def _all() -> dict[str, Lexicon]:
    return {path.stem: _load(path) for path in sorted(HERE.glob("*.yaml"))}


def lexicon_names() -> list[str]:
    """Names of the built-in lexicons."""
    return list(_all())


def get_lexicon(name: str) -> Lexicon:
    """A lexicon by name; ValueError (with a suggestion) when there is none."""
    found = _all().get(name)
    if found is None:
        hint = did_you_mean(name, _all()) or f" (built-in lexicons: {', '.join(_all())})"
        raise ValueError(f"unknown lexicon '{name}'{hint}")
    return found
