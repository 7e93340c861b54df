"""The matcher's shortcuts change nothing it finds: fuzzy lookups, the term cache, early stops."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from plugins.faq import index as index_module
from plugins.faq.bench import _word
from plugins.faq.fuzzy import FuzzyTerms, scan
from plugins.faq.index import FUZZY_CUTOFF, SHORT_FUZZY_CUTOFF, FaqIndex
from tests.faq.conftest import Make, answers, rule_file
from tests.faq.sameness import (
    _misspelt,
    default_entries,
    describe,
    expected,
    generated_entries,
    lines,
)


def test_every_message_finds_what_it_found_before_the_shortcuts() -> None:
    """Entries, scores, examples and matched words of ~2,400 messages, as recorded."""
    now, before = list(lines()), expected()
    changed = [f"was {old}\nnow {new}" for old, new in zip(before, now, strict=False)
               if old != new]
    assert len(now) == len(before) and not changed, "\n".join(changed[:10])


def _words(vocabulary: list[str], rng: random.Random) -> list[str]:
    """Words a message may bring: misspelt and extended terms, new words, odd ones."""
    seen = set(vocabulary)
    out = [_misspelt(rng.choice(vocabulary), rng) for _ in range(1500)]
    out += [rng.choice(vocabulary) + rng.choice(("s", "x", "er", "ement")) for _ in range(300)]
    out += [_word(rng, seen) for _ in range(500)]
    out += ["aaaaaaa", "zzzzz", "12345ab", "x" * 40, "kazoriborvelquidra", "éèêàç",
            "passwords", "commandes", "livraisons", "remboursement"]
    return out


@pytest.mark.parametrize("which", ["default", "generated"])
def test_fuzzy_lookup_finds_what_comparing_every_term_finds(which: str) -> None:
    """The letter prefilter never drops the term a full rapidfuzz scan picks (nor its score)."""
    entries = default_entries() if which == "default" else generated_entries()
    vocabulary = FaqIndex(entries).vocabulary
    terms = FuzzyTerms(vocabulary)
    found = 0
    for word in _words(vocabulary, random.Random(5)):
        for cutoff in (FUZZY_CUTOFF, SHORT_FUZZY_CUTOFF, 60.0):
            full = scan(word, vocabulary, cutoff)
            assert terms.closest(word, cutoff) == full, (word, cutoff)
            found += full is not None
    assert found > 500  # the words really are close to terms, often


def test_the_first_of_equally_close_terms_wins_as_in_a_full_scan() -> None:
    vocabulary = ["zzzzz", "abcdx", "abcdy", "abcdz"]
    assert FuzzyTerms(vocabulary).closest("abcdw", 75.0) == scan("abcdw", vocabulary, 75.0) \
        == ("abcdx", 80.0)
    assert FuzzyTerms([]).closest("abcdw", 75.0) is None


def test_the_term_cache_is_bounded_and_keeps_the_recent_terms(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Old terms leave one by one (not all at once); what a term resolves to never changes."""
    monkeypatch.setattr(index_module, "CACHE_LIMIT", 3)
    index = FaqIndex(generated_entries(20))
    looked_up: list[str] = []
    original = FuzzyTerms.closest

    def counting(self: FuzzyTerms, word: str, cutoff: float) -> tuple[str, float] | None:
        looked_up.append(word)
        return original(self, word, cutoff)

    monkeypatch.setattr(FuzzyTerms, "closest", counting)
    words = [_misspelt(term, random.Random(n)) for n, term in enumerate(index.vocabulary)
             if len(term) >= 7][:5]
    first = [index.resolve(word) for word in words]
    assert looked_up == words and any(first)
    looked_up.clear()
    assert index.resolve(words[4]) == first[4] and index.resolve(words[3]) == first[3]
    assert looked_up == []  # the last three stay
    assert index.resolve(words[0]) == first[0]
    assert looked_up == [words[0]]  # the oldest went first
    assert index.resolve(words[4]) == first[4] and looked_up == [words[0]]


def test_early_stop_keeps_the_best_entries_for_any_limit() -> None:
    """Asking for 1, 2 or 3 entries gives the first ones of the longest list."""
    index = FaqIndex(generated_entries())
    from bot.text import NormalizedText
    from plugins.faq.decide import read

    rng = random.Random(8)
    vocabulary = index.vocabulary
    for _ in range(300):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 5)))
        _, terms, stems = read(NormalizedText(text))
        longest = describe(index.match(terms, "console:x", None, limit=12, stems=stems))
        for limit in (1, 2, 3):
            got = describe(index.match(terms, "console:x", None, limit=limit, stems=stems))
            assert longest.startswith(got), (text, limit)


DELIVERY = """\
entries:
  - id: delivery
    questions:
      en: ["When will my parcel arrive?"]
    answer: {en: "Within 3 days."}
"""
SHIPPING = """\
entries:
  - id: shipping
    questions:
      en: ["How long does shipping take?"]
    answer: {en: "Two days."}
  - id: lockers
    questions:
      en: ["Can I pick my parcel from a locker?"]
    answer: {en: "Yes."}
"""


async def test_a_reloaded_faq_answers_from_its_new_entries(make: Make, tmp_path: Path) -> None:
    """A misspelt word looked up before a reload is looked up again in the new entries."""
    h = await make(entries=DELIVERY)
    assert answers(await h.say("when will my parcell arrive?", channel="one")) == ["delivery"]
    h.rules_path.write_text(rule_file("", SHIPPING), encoding="utf-8")
    assert (await h.app.rulebook.reload(trigger="test")).status == "applied"
    assert answers(await h.say("when will my parcell arrive?", channel="two")) == []
    assert answers(await h.say("can I pick my parcell from a lockr?", channel="two")) \
        == ["lockers"]


def test_reading_a_message_gives_its_terms_and_stems_as_before() -> None:
    """`read` (one pass, words remembered) equals `terms_of` and `stems_of` on every text."""
    from bot.text import NormalizedText
    from plugins.faq.decide import read
    from plugins.faq.text import stems_of, terms_of, words_of

    texts = [line.split("\t")[1] for line in expected()]
    assert len(texts) > 2000
    for text in texts:
        normalized = NormalizedText(text)
        words = words_of(normalized)
        assert read(normalized) == (words, terms_of(words), stems_of(words)), text


def test_the_grouped_question_patterns_match_what_the_written_ones_match() -> None:
    """`looks_like_question` searches its patterns with alternatives grouped by first letter:
    on ~30,000 texts (the labelled sets, generated questions, and random runs of the patterns'
    own words) the grouped search finds a match exactly when the written one does."""
    import re

    from bot.text import NormalizedText
    from plugins.faq import text as faq_text
    from plugins.faq.bench import community_mix

    written = re.compile("|".join(f"(?:{p.pattern})" for p in (
        faq_text._QUESTION_START, faq_text._HELP_SEEKING, faq_text._PROBLEM)))
    assert faq_text._ASKS.pattern != written.pattern  # grouped indeed
    rng = random.Random(11)
    vocabulary = sorted({w for p in (faq_text._QUESTION_START, faq_text._HELP_SEEKING,
                                     faq_text._PROBLEM) for w in re.findall(r"[a-z]+", p.pattern)}
                        | {"the", "my", "le", "ma", "order", "commande", "ok", "a", "n", "t"})
    texts = [" ".join(NormalizedText(line.split("\t")[1]).words) for line in expected()]
    texts += [" ".join(NormalizedText(e.text).words) for e in community_mix(3000)]
    texts += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 8)))
              for _ in range(25_000)]
    texts += [t.replace(" ", "-", 1) for t in texts[-2000:]]
    asks = 0
    for text in texts:
        expected_match = written.search(text) is not None
        assert (faq_text._ASKS.search(text) is not None) is expected_match, text
        asks += expected_match
    assert 0.2 * len(texts) < asks < 0.95 * len(texts)


def test_grouping_leaves_what_it_cannot_group_as_written() -> None:
    from plugins.faq.text import by_first_letter

    assert by_first_letter(r"\b(?:ab|ac|b ?c|\w+x|[xy]z)\b") \
        == r"\b(?:a(?:b|c)|b(?: ?c)|\w+x|[xy]z)\b"
    assert by_first_letter(r"\b(?:a?b|ab)\b") == r"\b(?:a(?:b)|a?b)\b"
    assert by_first_letter(r"^(?:ab|ac)") == r"^(?:ab|ac)"
    assert by_first_letter(r"\b(?:a)|(?:b)\b") == r"\b(?:a)|(?:b)\b"
