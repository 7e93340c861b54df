"""The sentiment lexicons, read once per process from the packages that ship them.

English: VADER's lexicon (`vaderSentiment`, MIT, Hutto & Gilbert 2014: 7,500 words, slang and
emoticons rated by people). French: the adjectives of Pattern's French lexicon (shipped in
`textblob-fr`, PDDL; 5,100 forms rated by hand, polarity -1..1, scaled to VADER's range).
Both are read as data files; neither package's code is imported. Vigie's own entries
(`vigie.yaml`) come on top.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.text import fold

__all__ = ["LANGS", "Lexicon", "lexicon", "tokens_of"]

LANGS = ("en", "fr")
PATTERN_SCALE = 3.0
"""Pattern's polarity runs from -1 to 1; VADER's strong words sit around 3."""
PATTERN_MIN = 0.1
PATTERN_SUBJECTIVE = 0.3
"""Pattern marks factual adjectives (`premier`, `nouveau`, `long`) as objective: left out."""
_TOKEN = re.compile(r"[^\W_]+")
_NOT = re.compile(r"n[’']t\b")
_FUNCTION_WORDS = frozenset(("tout", "toute", "tous", "toutes", "meme", "autre", "autres",
                             "seul", "seule", "quel", "quelle", "plein", "certain", "certaine"))
"""Pattern rates a few function words (`tout` -0.5); here they carry no sentiment."""
_CANT = {"can't": "can not", "won't": "will not", "can’t": "can not", "won’t": "will not"}


def tokens_of(folded: str) -> list[str]:
    """Words of a folded text: English `n't` read as `not`, French elisions split (`j'aime`)."""
    for short, long in _CANT.items():
        folded = folded.replace(short, long)
    return _TOKEN.findall(_NOT.sub(" not", folded))


def _key(text: str) -> str:
    return " ".join(tokens_of(fold(text)))


def _package_dir(name: str) -> Path:
    """Where an installed package's files are, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {name!r} is missing: pip install vigie-bot's "
                           "dependencies")
    return Path(next(iter(spec.submodule_search_locations)))


def _vader() -> dict[str, float]:
    words: dict[str, float] = {}
    path = _package_dir("vaderSentiment") / "vader_lexicon.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            words[parts[0].strip().lower()] = float(parts[1])
    return words


def _pattern_fr() -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    path = _package_dir("textblob_fr") / "fr-sentiment.xml"
    for word in ElementTree.parse(path).getroot().iter("word"):
        form, polarity = word.get("form"), float(word.get("polarity") or 0)
        subjectivity = float(word.get("subjectivity") or 0)
        if form and abs(polarity) >= PATTERN_MIN and subjectivity >= PATTERN_SUBJECTIVE:
            sums.setdefault(_key(form), []).append(polarity * PATTERN_SCALE)
    return {key: sum(values) / len(values) for key, values in sums.items()
            if len(key) >= 3 and " " not in key and key not in _FUNCTION_WORDS}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the scorer reads for one language."""

    words: dict[str, float]
    phrases: dict[str, float]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    negators: frozenset[str]
    contrast: frozenset[str]
    sarcasm: tuple[str, ...]
    expected: frozenset[str]
    longest: int


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Both languages, emoji and emoticons."""

    by_lang: dict[str, Lexicon]
    emoji: dict[str, float]
    emoticons: dict[str, float]
    sarcasm_emoji: frozenset[str]


def _own() -> dict[str, Any]:
    data = YAML(typ="safe").load(Path(__file__).with_name("vigie.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def lexicon() -> Lexicons:
    """The lexicons, loaded on first use and kept for the process."""
    own = _own()
    base = {"en": _vader(), "fr": _pattern_fr()}
    base["en"] = {k: v for k, v in base["en"].items() if _TOKEN.fullmatch(k)}
    by_lang = {}
    for lang in LANGS:
        section = own[lang]
        assert isinstance(section, dict)
        words = dict(base[lang])
        words.update({_key(str(k).lower()): float(v) for k, v in section["words"].items()})
        phrases = {_key(k): float(v) for k, v in section["phrases"].items()}
        for word in list(words):
            if " " in word:
                phrases[word] = words.pop(word)
        boosters = [_key(w) for w in section["boosters"]]
        dampeners = [_key(w) for w in section["dampeners"]]
        longest = max([len(p.split()) for p in phrases] + [1])
        by_lang[lang] = Lexicon(
            words=words, phrases=phrases, boosters=frozenset(boosters),
            dampeners=frozenset(dampeners), negators=frozenset(_key(w) for w in
                                                               section["negators"]),
            contrast=frozenset(_key(w) for w in section["contrast"]),
            sarcasm=tuple(_key(w) for w in section["sarcasm"]),
            expected=frozenset(_key(w) for w in section["expected"]), longest=longest)
    emoji = {str(k): float(v) for k, v in own["emoji"].items()}
    emoticons = {str(k): float(v) for k, v in own["emoticons"].items()}
    return Lexicons(by_lang, emoji, emoticons, frozenset(own["sarcasm_emoji"]))
