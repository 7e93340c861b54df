"""What the other plugins record, in the figures: threads, FAQ answers and votes per entry,
members brought by contests, reputation, and what monitor-mode automod rules would have done."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.batching import BatchedWriter
from bot.events import ButtonClicked, ThreadCreated
from plugins.analytics.figures import Figures
from plugins.analytics.others import EntryRow, TermRow
from plugins.analytics.plugin import AnalyticsPlugin, period_ending
from plugins.analytics.render import TextRenderer
from plugins.automod import AutomodPlugin
from plugins.contests import ContestsPlugin
from plugins.faq import FaqPlugin
from plugins.moderation import ModerationPlugin
from plugins.reputation import ReputationPlugin
from tests.analytics.conftest import analytics
from tests.harness import Harness

RULES = """\
version: 1
defaults:
  language: en
  roles:
    cm: ["console:claire"]
  rules_text: {en: "Be nice.", fr: "Soyez gentils."}
  automod:
    rules:
      shop-links:
        mode: monitor
        trigger: {type: words, words: [spamshop]}
        actions: [delete, warn]
  faq:
    entries:
      - id: delivery
        questions:
          en: ["When will my order arrive?", "How long does delivery take?"]
          fr: ["Quand arrive ma commande ?"]
        answer: {en: "Within 3 working days.", fr: "Sous 3 jours ouvrés."}
      - id: password
        questions:
          en: ["How do I reset my password?"]
          fr: ["Comment réinitialiser mon mot de passe ?"]
        answer: {en: "Click Forgot password.", fr: "Cliquez sur Mot de passe oublié."}
  reputation:
    terms:
      - id: acme
        kind: brand
        label: Acme
        words: [Acme]
communities:
  "console:test":
    name: Test community
"""
_ids = itertools.count(1)


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


@pytest.fixture
async def h(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Harness]:
    """Every plugin analytics reads from, on one console community."""
    harness = await Harness(tmp_path, rules=RULES, database_url=harness_url, plugins=[
        ModerationPlugin, AnalyticsPlugin, AutomodPlugin, FaqPlugin, ContestsPlugin,
        ReputationPlugin]).start()
    yield harness
    await harness.stop()


async def click(h: Harness, who: str, message_id: str, custom_id: str) -> None:
    await h.app.handle(ButtonClicked(
        id=f"console:click{next(_ids)}", ts=h.clock.now(), community=h.community,
        channel="console:general", message_id=message_id, user=h.user(who), custom_id=custom_id))


async def figures(h: Harness, days: int = 7) -> Figures:
    """The figures once every plugin's queued rows are written."""
    for plugin in h.app.plugins:
        for name in ("records", "activity"):
            writer = getattr(plugin, name, None)
            if isinstance(writer, BatchedWriter):
                await writer.flush()
    start, end = period_ending(h.clock.now(), days)
    return await analytics(h).figures(h.community, start, end)


async def test_faq_answers_and_votes_per_entry(h: Harness) -> None:
    answers = []
    for text, who in (("When will my order arrive?", "bob"), ("How long does delivery take?",
                                                             "carol"),
                      ("How do I reset my password?", "dave")):
        report = await h.say(text, who)
        [outcome] = [o for o in report.outcomes if o.action.type == "reply"]
        assert outcome.result.message_id is not None
        answers.append(outcome.result.message_id)
        await h.advance(timedelta(minutes=11))        # the FAQ's channel cooldown
    await click(h, "bob", answers[0], "faq:up:delivery")
    await click(h, "carol", answers[1], "faq:down:delivery")
    await click(h, "erin", answers[1], "faq:up:delivery")
    await click(h, "dave", answers[2], "faq:up:password")
    f = await figures(h)
    assert f.others.faq == [EntryRow("delivery", 2, 2, 1), EntryRow("password", 1, 1, 0)]
    assert (f.totals["faq_answers"], f.totals["faq_votes"]) == (3, 4)
    lines = TextRenderer(h.app.services.catalog, "en").lines(f, "Test")
    assert "FAQ by entry: delivery 2 answers (2 helpful, 1 not), password 1 answers " \
           "(1 helpful, 0 not)" in lines


async def test_members_brought_by_a_contest(h: Harness) -> None:
    await h.join("early")                                  # joins, never enters
    report = await h.say("!contest start 3d 1 Mug", "claire")
    assert not report.errors, report.errors
    await h.join("nina")                                   # enters 2 days after joining
    await h.join("omar")                                   # enters 8 days after: too late
    await h.say("hello", "bob")
    await h.app.handle(ButtonClicked(
        id="console:e0", ts=h.clock.now(), community=h.community, channel="console:general",
        message_id="console:x", user=h.user("bob"), custom_id="contests:enter:1"))
    await h.advance(timedelta(days=2))
    await h.app.handle(ButtonClicked(
        id="console:e1", ts=h.clock.now(), community=h.community, channel="console:general",
        message_id="console:x", user=h.user("nina"), custom_id="contests:enter:1"))
    await h.say("!contest start 10d 1 Cap", "claire")
    await h.advance(timedelta(days=6))
    await h.app.handle(ButtonClicked(
        id="console:e2", ts=h.clock.now(), community=h.community, channel="console:general",
        message_id="console:y", user=h.user("omar"), custom_id="contests:enter:2"))
    rows = await h.rows("SELECT member_id FROM contest_entries ORDER BY id")
    assert [r["member_id"] for r in rows] == ["console:bob", "console:nina", "console:omar"]
    f = await figures(h, days=14)
    assert f.others.contests == (3, 1, 3)                  # 3 joined, nina brought, 3 entries
    lines = TextRenderer(h.app.services.catalog, "fr").lines(f, "Test")
    assert "Concours : 3 participations ; 1 des 3 arrivants y ont participé sous 7 jours " \
           "(33 %)" in lines


async def test_reputation_figures_when_that_plugin_is_on(h: Harness) -> None:
    await h.say("Acme is great, I love it", "bob")
    await h.say("Acme is terrible, awful service", "carol")
    await h.say("Acme again", "dave")
    f = await figures(h)
    assert f.others.reputation is not None
    [acme] = f.others.reputation
    assert (acme.term, acme.mentions) == ("acme", 3)
    assert acme.negative >= 1 and acme.positive >= 1
    rows = await h.rows("SELECT SUM(mentions) AS m, SUM(negative) AS n, SUM(positive) AS p"
                        " FROM reputation_daily WHERE term = 'acme'")
    assert acme == TermRow("acme", rows[0]["m"], rows[0]["n"], rows[0]["p"])
    text = TextRenderer(h.app.services.catalog, "en").lines(f, "Test")
    assert f"Reputation: acme 3 mentions ({acme.negative} negative, {acme.positive} positive);" \
           " 0 warnings" in text


async def test_monitor_rules_say_what_they_would_have_done(h: Harness) -> None:
    for who in ("bob", "carol", "bob"):
        report = await h.say("buy at spamshop now", who)
        assert not any(o.action.type in ("delete", "warn") for o in report.outcomes)
        await h.advance(timedelta(minutes=1))
    f = await figures(h)
    assert f.moderation.monitor == {"shop-links": 3}
    assert f.moderation.would == {"shop-links": {"delete": 3, "warn": 3}}
    assert f.moderation.cases == 0
    lines = TextRenderer(h.app.services.catalog, "fr").lines(f, "Test")
    assert "Règles en surveillance qui auraient agi : shop-links 3 (aurait : supprimé 3, " \
           "averti 3)" in lines


async def test_threads_are_counted_in_the_channel_they_open_from(h: Harness) -> None:
    for n, author in enumerate(("bob", "carol")):
        await h.app.handle(ThreadCreated(
            id=f"console:t{n}", ts=h.clock.now(), community=h.community,
            channel=f"console:thread{n}", parent="console:general", author=h.user(author),
            name="a topic"))
    await h.app.handle(ThreadCreated(
        id="console:t9", ts=h.clock.now(), community=h.community, channel="console:thread9",
        parent="console:general", author=h.user("robot", is_bot=True)))
    await h.say("in the thread", "bob", channel="thread0")
    f = await figures(h)
    assert f.totals["threads"] == 2
    rows = await h.rows("SELECT channel, value FROM analytics_hours WHERE metric = 'threads'")
    assert [(r["channel"], r["value"]) for r in rows] == [("console:general", 2)]
    assert "Activity: 1 messages, 1 active members, 0 replies, 2 threads" in \
        TextRenderer(h.app.services.catalog, "en").lines(f, "Test")
