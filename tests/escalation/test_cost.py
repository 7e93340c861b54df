"""What a message costs: its words are read only when they can matter, a quiet channel is not
weighed again until one of its members' records changes, and both decide as before."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.dispatch import Report
from bot.text import NormalizedText
from plugins.escalation.lexicon import HEAT_CATEGORIES, LEXICONS, Matcher, _lexicon, matcher
from plugins.escalation.plugin import EscalationPlugin
from plugins.escalation.signals import read
from plugins.escalation.state import Conversation
from tests.escalation.conftest import FIGHT, Make
from tests.harness import Harness


def _entries() -> Iterator[str]:
    for names in LEXICONS.values():
        for name in names:
            lexicon = _lexicon(name)
            yield from lexicon.entries
            yield from lexicon.allow


def _spellings(entry: str) -> list[str]:
    """The entry as members write it: capitals, leetspeak, spaced, stretched, in a sentence."""
    return [entry, entry.upper(), f"t'es {entry} !!", f"@bob {entry} mdr 😂",
            entry.replace("a", "4").replace("i", "1").replace("o", "0"), " ".join(entry),
            ".".join(entry), entry.replace("o", "ooo").replace("e", "eee"), f"{entry}s",
            f"super{entry}", f"« {entry} »"]


def test_the_skeleton_filters_never_miss_a_word() -> None:
    """Whenever a scan finds a word that adds heat (or calms), the filters that spare the scan
    said it might be there; and a reading finds exactly what a full scan finds."""
    scanner = matcher()
    rng = random.Random(5)
    entries = list(_entries())
    texts = [s for entry in entries for s in _spellings(entry)]
    texts += [" ".join(rng.sample(entries, rng.randint(1, 4))) for _ in range(2_000)]
    for text in texts:
        found = scanner.scan(NormalizedText(text))
        if any(found.get(c) for c in HEAT_CATEGORIES):
            assert scanner.may_heat(NormalizedText(text)), text
        elif found:
            assert scanner.may_calm(NormalizedText(text)), text
        reading = read(NormalizedText(text))
        assert reading.may_heat or not any(found.get(c) for c in HEAT_CATEGORIES), text
        assert reading.words == found, text


def test_plain_chat_is_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message with no listed word is told from its skeleton: its word views are not read."""
    scans: list[str] = []
    scan = Matcher.scan

    def spy(self: Matcher, text: NormalizedText) -> dict[str, tuple[str, ...]]:
        scans.append(text.raw)
        return scan(self, text)

    monkeypatch.setattr(Matcher, "scan", spy)
    assert not read(NormalizedText("the patch notes are out, see you at the raid")).may_heat
    quiet = read(NormalizedText("the patch notes are out"))
    assert not quiet.may_heat and quiet.words == {} and not quiet.calming
    assert scans == []
    assert read(NormalizedText("shut up, this is ridiculous")).words["hostile"] == ("shut up",)
    assert scans == ["shut up, this is ridiculous"]


async def test_a_member_who_cooled_down_is_not_read_again(
        make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    """A calm message is read for apologies and laughter only while its author has heat left
    to lower: an hour after a jab, "thanks all" is not scanned; a minute after, it is."""
    scans: list[str] = []
    scan = Matcher.scan

    def spy(self: Matcher, text: NormalizedText) -> dict[str, tuple[str, ...]]:
        scans.append(text.raw)
        return scan(self, text)

    monkeypatch.setattr(Matcher, "scan", spy)
    h = await make()
    await h.say("shut up, this is ridiculous", "alice")
    await h.advance(timedelta(minutes=1))
    await h.say("thanks all, sorry", "alice")
    await h.advance(timedelta(hours=1))
    await h.say("thanks all, see you", "alice")
    assert scans == ["shut up, this is ridiculous", "thanks all, sorry"]


def _shouting(raw: str) -> bool:
    """The definition: 70% capitals over 10 letters or more, letters as `str.isalpha` says."""
    letters = [c for c in raw if c.isalpha()]
    return len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def test_shouting_is_counted_over_letters_only() -> None:
    """Capitals are counted among letters, whatever the script: a circled Ⓐ or a Roman Ⅻ is
    upper case but no letter; an accented É is both."""
    rng = random.Random(8)
    for alphabet in ("ABCdef !?1", "abcXYZÉéÀßⒶⅫ²½ !?1😂ǅİſ"):
        for _ in range(3_000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            assert read(NormalizedText(f"idiot {text}")).shouting == _shouting(
                f"idiot {text}"), text
    assert read(NormalizedText("ⒶⒷⒸⒹⒺⒻⒼⒽⒾⒿ idiot")).shouting is False
    assert read(NormalizedText("TU ES VRAIMENT NUL, ÉNERVANT")).shouting is True


SCRIPT: list[tuple[str, str, str, int]] = [
    *[(who, text, "general", 10) for who, text in FIGHT],
    ("carol", "thanks everyone, calm down please", "general", 30),
    *[("dave", "this update is useless and ridiculous!!", "support", 15)] * 4,
    ("erin", "lol you're such a noob 😂", "banter", 5),
    ("frank", "haha shut up, you're the noob 😂", "banter", 5),
    *[("gina", f"the raid starts at {n}, see you there", "general", 60) for n in range(20)],
    *[(who, text, "general", 600) for who, text in FIGHT[:2]],
    *[(who, text, "general", 10) for who, text in FIGHT[2:]],
    *[("gina", f"anyone up for a run at {n}?", "general", 120) for n in range(20)],
    *[(who, text, "general", 10) for who, text in FIGHT],
]
"""A fight, its calm, a lone angry member, banter, a long calm and relapses."""


async def _play(h: Harness) -> list[tuple[str, str]]:
    decided: list[tuple[str, str]] = []
    for who, text, channel, gap in SCRIPT:
        await h.advance(timedelta(seconds=gap))
        report: Report = await h.say(text, who, channel=channel)
        decided += [(d.rule, d.evidence) for d in report.decisions if d.plugin == "escalation"]
    return decided


async def test_a_quiet_channel_is_skipped_without_changing_a_decision(
        make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same script decides the same with and without the quiet shortcut, which does skip
    most messages of calm stretches."""
    skipped: list[bool] = []
    quiet = Conversation.quiet

    def counted(self: Conversation, *args: Any) -> bool:
        skipped.append(quiet(self, *args))
        return skipped[-1]

    monkeypatch.setattr(Conversation, "quiet", counted)
    fast = await _play(await make())
    monkeypatch.setattr(Conversation, "quiet", lambda self, *args: False)
    slow = await _play(await make())
    assert fast == slow
    assert {rule for rule, _ in fast} >= {"step1.reminder", "step4.alert", "solo.alert",
                                          "calmed"}
    assert sum(skipped) > len(skipped) // 2


async def test_quiet_until_a_member_heats_up(make: Make) -> None:
    """A cooled channel stays quiet as time passes; a hostile message makes it look again."""
    h = await make()
    for who, text in FIGHT[:4]:
        await h.advance(timedelta(seconds=10))
        await h.say(text, who)
    plugin = next(p for p in h.app.plugins if isinstance(p, EscalationPlugin))
    conversation = plugin.tracker.get(h.community, "console:general")
    assert conversation is not None
    settings = plugin.settings_at(await _context(h), h.community, "console:general")
    now = h.clock.now()
    assert not conversation.quiet(now, settings)
    conversation.reset_ladder()
    later = now + timedelta(hours=1)
    assert conversation.quiet(later, settings)
    assert conversation.quiet(later + timedelta(minutes=1), settings)
    assert not conversation.quiet(now, settings)  # earlier: the heat had not decayed yet


async def _context(h: Harness) -> Any:
    return h.app.dispatcher.context(h.last)
