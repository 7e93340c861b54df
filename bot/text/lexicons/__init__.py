"""Word lists shared by plugins: the built-in lexicons in this folder, and how entries match.

A lexicon is a YAML file: `name` (its file name), `language`, `description`, `entries` and
`allow` (phrases that contain an entry but are fine). Entries match whole words of a message's
word views (see `bot.text.normalize`); a trailing `*` matches any ending (`encul*`), a leading
one any beginning. `entry_keys` turns an entry into the keys an Aho–Corasick automaton looks for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from bot.settings.explain import did_you_mean
from bot.text.normalize import word_forms

__all__ = [
    "MAX_ENTRY_CHARS",
    "MIN_WILDCARD_CORE",
    "Lexicon",
    "entry_keys",
    "get_lexicon",
    "lexicon_names",
    "load_lexicon",
]

HERE = Path(__file__).parent
MIN_WILDCARD_CORE = 3
MAX_ENTRY_CHARS = 200


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A named word list: entries to match and allowed phrases that contain them."""

    name: str
    language: str
    description: str
    entries: tuple[str, ...]
    allow: tuple[str, ...]


def load_lexicon(path: Path) -> Lexicon:
    """Read one lexicon file; ValueError when it is not a well-formed lexicon."""
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
    return {path.stem: load_lexicon(path) for path in sorted(HERE.glob("*.yaml"))}


def lexicon_names() -> list[str]:
    """Names of the built-in lexicons."""
    return list(_all())


def get_lexicon(name: str) -> Lexicon:
    """A built-in lexicon by name; ValueError (with a suggestion) when there is none."""
    found = _all().get(name)
    if found is None:
        hint = did_you_mean(name, _all()) or f" (built-in lexicons: {', '.join(_all())})"
        raise ValueError(f"unknown lexicon '{name}'{hint}")
    return found


def entry_keys(entry: str) -> tuple[str, ...]:
    """Automaton keys of a word-list entry; ValueError explains an entry that cannot match.

    ` word ` matches a whole word; a leading or trailing `*` lets the word start or end
    anywhere (`encul*` -> ` encul`). A phrase also matches with its words run together, as
    glued or dotted spellings produce (`fils de pute` -> ` filsdepute `).
    """
    text = entry.strip()
    if not text:
        raise ValueError("an empty entry matches nothing")
    if len(text) > MAX_ENTRY_CHARS:
        raise ValueError(f"entry {text[:30]!r}...: longer than {MAX_ENTRY_CHARS} characters")
    starts, ends = text.startswith("*"), text.endswith("*")
    core = text.strip("*")
    if "*" in core:
        raise ValueError(f"entry {text!r}: '*' is only allowed at the start or the end")
    forms = list(word_forms(core))
    if not forms:
        raise ValueError(f"entry {text!r} has no letters or digits to match")
    for form in list(forms):
        if form.count(" ") > 2:
            forms.append(" " + form.replace(" ", "") + " ")
    keys = []
    for form in dict.fromkeys(forms):
        key = form[1:] if starts else form
        key = key[:-1] if ends else key
        if (starts or ends) and len(key.strip()) < MIN_WILDCARD_CORE:
            raise ValueError(f"entry {text!r}: a wildcard entry needs at least "
                             f"{MIN_WILDCARD_CORE} letters, or it matches too much")
        keys.append(key)
    return tuple(keys)
