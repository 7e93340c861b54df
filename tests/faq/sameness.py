"""Generated messages for two FAQs, and what the matcher finds for each, line by line.

`tests/faq/golden/matches.txt` holds these lines as the matcher gave them before its lookups
were made faster (fuzzy terms compared only with terms sharing their letters, a bounded term
cache, scoring stopped when no other entry can rank): the same messages must still find the
same entries, scores, examples and matched words. Regenerate on purpose only, when what the
matcher answers is meant to change: `.venv/bin/python -m tests.faq.sameness > ...matches.txt`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ruamel.yaml import YAML

from bot.text import NormalizedText
from plugins.faq.bench import _word, faq_rules
from plugins.faq.decide import read
from plugins.faq.index import FaqIndex, Match
from plugins.faq.settings import Entry, FaqSettings
from tests.faq.labelled import HERE, ROOT, labelled

__all__ = ["GOLDEN", "default_entries", "generated_entries", "lines", "messages"]

GOLDEN = HERE / "golden" / "matches.txt"
MESSAGES = 1000
"""Generated messages per FAQ (the labelled sets' texts come on top for the default FAQ)."""
PLACES = (("console:local", None), ("console:local", "console:general"),
          ("discord:1", "discord:100"))
FILLERS = ("please", "svp", "merci", "hello", "bonjour", "help", "je", "my", "the", "?", "!")


def _entries(text: str) -> tuple[Entry, ...]:
    data = YAML(typ="safe").load(text)
    return FaqSettings.model_validate(data["defaults"]["faq"]).entries


def default_entries() -> tuple[Entry, ...]:
    """The entries of the default rule file."""
    return _entries((ROOT / "config" / "rules.yaml").read_text(encoding="utf-8"))


def generated_entries(count: int = 500) -> tuple[Entry, ...]:
    """The FAQ bench's generated entries (French and English)."""
    return _entries(faq_rules(count))


def _misspelt(word: str, rng: random.Random) -> str:
    """A word with one typo: a letter dropped, doubled, swapped or replaced, or an ending."""
    if len(word) < 3:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(5)
    if kind == 0:
        return word[:at] + word[at + 1:]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at - 1] + word[at] + word[at - 1] + word[at + 1:]
    if kind == 3:
        return word[:at] + rng.choice("aeioursntx") + word[at + 1:]
    return word + rng.choice(("s", "e", "es", "er", "ing", "ment"))


def messages(entries: Sequence[Entry], count: int, seed: int) -> Iterator[str]:
    """Questions made of the entries' words (some misspelt), new words and fillers."""
    rng = random.Random(seed)
    questions = [q for entry in entries for qs in entry.questions.values() for q in qs]
    keywords = [k for entry in entries for k in entry.keywords]
    words = sorted({w for q in questions for w in NormalizedText(q).words if len(w) > 2})
    seen = set(words)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.3:  # an example question, rephrased a little
            base = NormalizedText(rng.choice(questions)).words
            text = " ".join(_misspelt(w, rng) if rng.random() < 0.3 else w for w in base
                            if rng.random() < 0.85)
        elif roll < 0.4 and keywords:
            text = f"{rng.choice(FILLERS)} {rng.choice(keywords)} {rng.choice(words)} ?"
        else:  # a bag of the FAQ's words, misspelt words and new words
            bag = [rng.choice(words) for _ in range(rng.randint(1, 6))]
            bag = [_misspelt(w, rng) if rng.random() < 0.35 else w for w in bag]
            bag += [_word(rng, seen) for _ in range(rng.randint(0, 2))]
            bag.insert(rng.randrange(len(bag) + 1), rng.choice(FILLERS))
            text = " ".join(bag)
        yield text


def describe(found: Sequence[Match]) -> str:
    """Every figure of the matches, in one line."""
    return " | ".join(f"{m.entry.id} {m.score} {m.focus} {m.coverage} {m.keyword} "
                      f"{m.example!r} {','.join(m.matched)}" for m in found)


def lines(make: Callable[[Sequence[Entry]], FaqIndex] = FaqIndex) -> Iterator[str]:
    """`faq text -> matches (3 at most)` for every message, with a digest of the details."""
    said = [item.text for name in ("labelled", "heldout", "fresh")
            for item in labelled(HERE / f"{name}.yaml")]
    sets: list[tuple[str, Sequence[Entry], list[str]]] = [
        ("default", default_entries(), said), ("generated", generated_entries(), [])]
    for number, (name, entries, texts) in enumerate(sets):
        index = make(entries)
        for at, text in enumerate([*texts, *messages(entries, MESSAGES, seed=17 + number)]):
            community, channel = PLACES[at % len(PLACES)]
            _, terms, stems = read(NormalizedText(text))
            found = index.match(terms, community, channel, limit=3, stems=stems)
            details = describe(found)
            digest = hashlib.sha256(details.encode()).hexdigest()[:12]
            summary = " ".join(f"{m.entry.id}:{m.score}" for m in found) or "-"
            yield f"{name}\t{text}\t{summary}\t{digest}"


def expected(path: Path = GOLDEN) -> list[str]:
    """The recorded lines."""
    return path.read_text(encoding="utf-8").splitlines()


if __name__ == "__main__":
    for line in lines():
        print(line)
