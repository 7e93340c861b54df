"""An angry customer the escalation plugin hands over to the CMs counts as a negative voice
about the terms they mention: in the daily figures and in the early warning (read through the
core signal bot/handovers.py, not by importing escalation)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.handovers import handovers_since
from plugins.escalation import EscalationPlugin
from plugins.reputation import ReputationPlugin
from tests.harness import Harness
from tests.reputation.conftest import rule_file, stored

ANGRY_CUSTOMER = [
    "Three weeks waiting for my Acme order.",      # read as neutral
    "You never answer, this is unacceptable!!",
    "Obviously! No answer. You're scammers.",
    "I want a refund, this is a total scam!!!",    # escalation hands greg over here
]
NEUTRAL_AFTER = "Acme order 4521, still nothing."  # read as neutral too
SECTION = """\
warning:
  window: 1h
  baseline: 1d
  min_negative: 3
  significance: 0.01
  cooldown: 1h
  remind: null
"""


@pytest.fixture
def harness_url(store_url: str) -> str:
    """On SQLite and PostgreSQL."""
    return store_url


async def _start(tmp_path: Path, url: str | None, escalation: bool) -> Harness:
    plugins = [ReputationPlugin, EscalationPlugin] if escalation else [ReputationPlugin]
    return await Harness(tmp_path, rules=rule_file(SECTION, language="en"), plugins=plugins,
                         database_url=url).start()


async def _negative(h: Harness) -> int:
    rows = await stored(h, "SELECT SUM(negative) AS n FROM reputation_daily WHERE term = 'acme'")
    return int(rows[0]["n"] or 0)


async def _customer(h: Harness) -> list[str]:
    """greg complains on his own, then mentions Acme neutrally once more; the evidence of
    the reputation warnings meanwhile."""
    reports = []
    for text in ANGRY_CUSTOMER:
        await h.advance(timedelta(seconds=10))
        reports.append(await h.say(text, "greg"))
    await h.advance(timedelta(minutes=1))
    reports.append(await h.say(NEUTRAL_AFTER, "greg"))
    return [d.evidence for r in reports for d in r.decisions
            if d.plugin == "reputation" and d.rule.startswith("warning:")]


@pytest.mark.parametrize("escalation", [False, True])
async def test_a_handed_over_customer_counts_as_negative(tmp_path: Path, harness_url: str | None,
                                                         escalation: bool) -> None:
    """Both Acme mentions read neutral; with escalation on, the one after the handover is an
    unhappy voice (the one before stays as counted)."""
    h = await _start(tmp_path, harness_url, escalation)
    try:
        await _customer(h)
        handovers = await handovers_since(h.store, "console:test",
                                          h.clock.now() - timedelta(hours=1))
        assert [x.members for x in handovers] == ([("console:greg",)] if escalation else [])
        assert await _negative(h) == (1 if escalation else 0)
        examples = await stored(h, "SELECT label FROM reputation_examples")
        assert [r["label"] for r in examples] == (["negative"] if escalation else [])
    finally:
        await h.stop()


async def _buzz(h: Harness) -> tuple[list[str], list[str]]:
    """A calm morning, then two members complain and greg is handed over within the hour:
    the warnings posted and their evidence."""
    for hour in range(8):
        for text in ("Acme delivery received, thanks!", "Does Acme ship to Belgium?"):
            await h.say(text, f"calm{hour}{len(text)}")
            await h.advance(timedelta(minutes=30))
    await h.say("Acme support is slow today", "ann")
    await h.advance(timedelta(minutes=5))
    await h.say("Acme c'est nul, colis en retard", "bea")
    evidence = await _customer(h)
    return [c["text"] for c in h.adapter.of("send_message")
            if c["channel"] == "console:equipe" and c["text"].startswith("⚠️")], evidence


@pytest.mark.parametrize("escalation", [False, True])
async def test_a_handover_can_tip_the_warning(tmp_path: Path, harness_url: str | None,
                                              escalation: bool) -> None:
    """Two negative mentions are below min_negative (3); the handed-over customer's neutral
    mentions make the rest (one member counts at most twice in the window)."""
    h = await _start(tmp_path, harness_url, escalation)
    try:
        warned, evidence = await _buzz(h)
        if not escalation:
            assert (warned, evidence) == ([], [])
            return
        assert len(warned) == 1 and "Acme" in warned[0]
        assert len(evidence) == 1
        assert evidence[0].endswith("handed over to the CMs as angry customers: console:greg")
        rows = await h.rows("SELECT negative, mentions FROM reputation_warnings")
        assert [(r["negative"], r["mentions"]) for r in rows] == [(4, 5)]
    finally:
        await h.stop()
