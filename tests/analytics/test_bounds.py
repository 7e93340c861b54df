"""What the message path keeps in memory is bounded by count and by age."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plugins.analytics import collect
from plugins.analytics.collect import Collector
from tests.harness import START


def test_open_questions_and_newcomers_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collect, "MAX_QUESTIONS", 100)
    monkeypatch.setattr(collect, "MAX_NEWCOMERS", 50)
    c = Collector()
    for n in range(1000):
        c.joined("console:x", f"u{n}", START)
        c.message("console:x", "console:g", f"m{n}", f"a{n}", START, reply_to=None,
                  question=True, staff=False)
    assert len(c.questions) == 100 and len(c.newcomers) == 50
    assert ("console:x", "m999") in c.questions and ("console:x", "m0") not in c.questions


def test_old_questions_and_newcomers_are_forgotten() -> None:
    c = Collector()
    c.joined("console:x", "old", START)
    c.message("console:x", "console:g", "q1", "bob", START, reply_to=None, question=True,
              staff=False)
    c.joined("console:x", "new", START + timedelta(days=29))
    c.message("console:x", "console:g", "q2", "bob", START + timedelta(days=29, hours=1),
              reply_to=None, question=True, staff=False)
    c.expire(START + timedelta(days=30, minutes=1))
    assert list(c.questions) == [("console:x", "q2")]
    assert list(c.newcomers) == [("console:x", "new")]


def test_a_taken_batch_leaves_nothing_behind() -> None:
    c = Collector()
    for n in range(100):
        c.message("console:x", f"console:c{n}", f"m{n}", f"a{n}", START, reply_to=None,
                  question=False, staff=False)
    batch = c.take()
    assert len(batch.counts) == 100 and len(batch.active) == 100
    assert len(c.batch) == 0
