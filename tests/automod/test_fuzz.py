"""Fuzzing: matchers agree with a naive reference; hostile messages never break the guard."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.discovery import discover_plugins
from bot.events import User
from bot.text import NormalizedText
from plugins.automod.facts import Hit
from plugins.automod.matching import PatternIndex, WordIndex
from plugins.automod.triggers.content import count_capitals, count_letters
from tests.automod.labelled import ROOT
from tests.harness import Harness

words = st.text(alphabet="abcé0il1", min_size=1, max_size=4)
texts = st.lists(st.sampled_from(["ab", "ba", "abc", "c", "a", "b", "é", "a0", "ab-c", "a.b.c",
                                  "AB", "abbb", "!", "🙂", "\u200b", "a b c", "i", "1", "ill",
                                  "0o0", "ccc", "www.ab.c"]),
                 max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(words, min_size=1, max_size=6, unique=True), text=texts)
@example(entries=["1", "11i"], text="111111111")  # an entry's skeleton is a run of three
@example(entries=["abc"], text="aaabbbccc")  # found only once runs are squeezed
def test_word_index_matches_like_a_naive_search(entries: list[str], text: str) -> None:
    """The automaton fires for an entry exactly when a view holds it as a whole word."""
    index = WordIndex()
    for slot, entry in enumerate(entries):
        index.add(slot, entry, "fuzz")
    index.build()
    normalized = NormalizedText(text)
    fired: dict[int, Callable[[], Hit]] = {}
    index.scan(normalized, fired)
    for slot, entry in enumerate(entries):
        forms = NormalizedText(entry).views
        expected = any(form.text in view.text for form in forms
                       for view in normalized.views if form.text.strip())
        assert (slot in fired) == expected, (entry, text)
        if expected:
            evidence = fired[slot]().evidence
            assert evidence.key == "automod.evidence.word"
            assert dict(evidence.params)["entry"] == repr(entry)


def test_views_are_built_only_when_an_entry_may_be_in_them() -> None:
    """A run of three (`www`) no longer means "build the views" unless an entry, its runs
    counted once, is in the text; a squeezed evasion still is."""
    index = WordIndex()
    index.add(0, "connard", "fuzz")
    index.build()
    assert not index.may_match(NormalizedText("voir https://www.exemple.fr/page !!!"))
    assert index.may_match(NormalizedText("quel cooonnnnaaard"))
    assert index.may_match(NormalizedText("quel c.o.n.n.a.r.d"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_pattern_set_agrees_with_each_pattern(text: str) -> None:
    """The RE2 set reports the same patterns as running each one alone."""
    patterns = [r"a+b", r"\d{3,}", r"(?:x|y)z", r"^\s*$", r"é", r"[^\x00-\x7f]{2}"]
    index = PatternIndex()
    for slot, pattern in enumerate(patterns):
        index.add(slot, pattern, raw=slot % 2 == 1, case_sensitive=False)
    index.build()
    normalized = NormalizedText(text)
    fired: dict[int, Callable[[], Hit]] = {}
    index.scan(normalized, fired)
    for name, target in index.targets.items():
        subject = normalized.plain if name == "plain" else normalized.scanned
        for slot, _, compiled in target.patterns:
            assert (slot in fired) == (compiled.search(subject) is not None)


EVERYTHING = """
      all-triggers:
        trigger:
          any:
            - {type: regex, patterns: ['(a+)+$', '\\bx{2,}\\b']}
            - {type: emoji, at_least: 50}
            - {type: zalgo, max_marks: 8}
            - {type: length, max_chars: 500000}
            - {type: newlines, max_lines: 5000}
            - {type: attachments, at_least: 3}
            - {type: duplicates, by: member, count: 3, within: 60s}
            - {type: new_account, younger_than: 1d}
            - {type: links, deny: [evil.example], all_links: true}
        actions: [alert]
"""


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """The default rules plus a rule using every other trigger."""
    rules = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace("    rules:\n", "    rules:\n" + EVERYTHING.lstrip("\n"), 1)
    harness = await Harness(tmp_path, rules=rules, plugins=discover_plugins()).start()
    harness.community = "console:local"
    yield harness
    await harness.stop()


HOSTILE = [
    "x" * 1_000_000,
    "connard " * 130_000,
    "\u200b" * 50_000,
    "\u202e\u202dconnard\u202c" * 1000,
    "e" + "\u0301" * 100_000,
    "👨\u200d👩\u200d👧\u200d👦" * 20_000,
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f" * 5000,
    "a" * 100_000 + "!",
    "http://" + "a." * 50_000 + "com",
    "discord.gg/" * 20_000,
    "1." * 50_000,  # hosts that never end in a top-level domain (links use Python's re)
    "!a.1" * 25_000,
    ("a-" * 30 + ".") * 1600,
    "t . me / " * 10_000,
    "https://" * 12_000 + "a.b",
    "\n" * 100_000,
    "c*nn*rd b*tch " * 20_000,
    "\ud800\udfff".encode("utf-16", "surrogatepass").decode("utf-16", "replace") * 1000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{len(t)}:{t[:12]!r}")
async def test_hostile_messages(h: Harness, text: str) -> None:
    """Huge and hostile messages go through every trigger without an error."""
    report = await h.say(text)
    assert report.errors == []


async def test_ten_thousand_mentions(h: Harness) -> None:
    """Mention spam at scale is one decision, one timeout."""
    members = [User(id=f"console:m{i}", name=f"m{i}") for i in range(10_000)]
    report = await h.say("@everyone", mentions=members)
    assert report.errors == []
    assert any(d.rule == "mention-spam" for d in report.decisions)
    assert len(h.adapter.of("timeout_member")) == 1


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
async def test_any_text_through_every_trigger(h: Harness, text: str) -> None:
    """No text makes a hook fail."""
    report = await h.say(text, author="fuzzer")
    assert report.errors == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*"aAzZéÉßẞΣσǅ日 !😄"]), max_size=40)
       | st.text(max_size=60))
def test_capitals_and_letters_are_counted_like_python(text: str) -> None:
    """The byte-level counts the caps trigger uses agree with str.isupper / str.isalpha."""
    assert count_capitals(text) == sum(map(str.isupper, text))
    assert count_letters(text) == (sum(map(str.isupper, text)), sum(map(str.isalpha, text)))
