"""The default rule file does what the README promises, and the labelled set scores well."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.discovery import discover_plugins
from tests.automod.labelled import ROOT, Scores, evaluate, labelled
from tests.automod.test_triggers import deleted, fired
from tests.harness import Harness

NO_FALSE_POSITIVES = ["dispute", "réputation", "député", "computer", "salopette", "technique",
                      "Mâcon", "bosser", "confiant", "Scunthorpe", "cocktail", "assassin",
                      "pique-nique"]


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """An App on the default rule file, with every plugin."""
    rules = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
    harness = await Harness(tmp_path, rules=rules, plugins=discover_plugins()).start()
    harness.community = "console:local"
    yield harness
    await harness.stop()


@pytest.mark.parametrize("word", NO_FALSE_POSITIVES)
async def test_ordinary_words_are_left_alone(h: Harness, word: str) -> None:
    """Words that contain a listed word are not matched, alone or in a sentence."""
    assert fired(await h.say(word)) == {}
    assert fired(await h.say(f"Je pense que {word} est le bon mot, {word.upper()}!")) == {}


async def test_insults_and_slurs(h: Harness) -> None:
    """Strong insults and slurs, French and English: delete and warn (a case)."""
    assert fired(await h.say("espèce de c0nn@rd")) == {"insults": ["delete", "warn"]}
    report = await h.say("you stupid b1tch", author=h.user("bob", language="en"))
    assert fired(report) == {"insults": ["delete", "warn"]}
    cases = await h.rows("SELECT action, target_id, reason FROM cases ORDER BY number")
    assert [(c["action"], c["target_id"]) for c in cases] == \
        [("warn", "console:alice"), ("warn", "console:bob")]
    assert [c["reason"] for c in cases] == ["insulte ou propos haineux", "insult or hate speech"]


async def test_invites(h: Harness) -> None:
    """Invites to other servers or groups are deleted, without a sanction."""
    assert fired(await h.say("rejoignez discord.gg/autreserveur")) == {"invites": ["delete"]}
    assert fired(await h.say("t.me/+AbCdEfGh")) == {"invites": ["delete"]}
    assert await h.rows("SELECT * FROM cases") == []


async def test_flood(h: Harness) -> None:
    """Six messages within ten seconds: a five-minute timeout."""
    for i in range(5):
        assert fired(await h.say(f"message {i}")) == {}
        h.clock.advance(timedelta(seconds=1))
    assert fired(await h.say("message 6")) == {"flood": ["timeout"]}
    until = h.adapter.of("timeout_member")[0]["until"]
    assert until - h.clock.now() == timedelta(minutes=5)


async def test_mention_spam(h: Harness) -> None:
    """Six distinct members mentioned: delete and a ten-minute timeout."""
    members = [h.user(f"m{i}") for i in range(6)]
    assert fired(await h.say("coucou", mentions=members)) == \
        {"mention-spam": ["delete", "timeout"]}
    assert fired(await h.say("coucou", mentions=members[:5], author="bob")) == {}


async def test_copy_paste_raid(h: Harness) -> None:
    """The same text from four accounts within a minute: every copy deleted, CMs alerted."""
    ids = []
    for name in ("r1", "r2", "r3", "r4"):
        report = await h.say("Gagnez 1000€ maintenant sur mon site !", author=name)
        ids.append(h.last.id)
        h.clock.advance(timedelta(seconds=10))
    assert fired(report) == {"copy-paste-raid": ["delete"] * 4 + ["alert"]}
    assert sorted(deleted(h)) == sorted(ids)


async def test_shouting_gets_a_friendly_reminder(h: Harness) -> None:
    """Mostly capitals over twenty letters: a reminder in the member's language, no delete."""
    report = await h.say("POURQUOI PERSONNE NE ME RÉPOND ???")
    assert fired(report) == {"shouting": ["reply"]}
    assert deleted(h) == []
    assert h.replies()[-1].startswith("alice, inutile de crier")
    await h.say("WHY DOES NOBODY ANSWER ME ???", author=h.user("bob", language="en"))
    assert h.replies()[-1].startswith("bob, no need to shout")


async def test_labelled_set() -> None:
    """Precision and recall of the default insult rule on the labelled set (fr and en)."""
    by_language: dict[str, Scores] = {}
    total = await evaluate(by_language)
    assert len(labelled()) >= 200
    assert set(by_language) == {"fr", "en"}
    for scores in by_language.values():
        assert scores.precision >= 0.95, scores.wrongly_flagged
        assert scores.recall >= 0.88, scores.missed
    assert total.true_negative > 100 and total.true_positive > 90
