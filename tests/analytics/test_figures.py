"""Figures against values computed by hand on a scripted community."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.events import MemberLeft
from plugins.analytics.figures import MANUAL, Figures, RuleRow, compute
from plugins.analytics.plugin import period_ending
from tests.analytics.conftest import Make, analytics
from tests.harness import Harness

# START (tests/harness.py) is Saturday 2026-11-21 10:00 UTC.


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def script(h: Harness) -> None:
    """Three days of a small community (the expected figures are worked out in the tests)."""
    claire = h.user("claire")
    await h.join("bob")
    await h.join("carol")
    await h.app.handle(MemberLeft(id="console:l1", ts=h.clock.now(), community=h.community,
                                  user=h.user("dave")))
    await h.say("hello everyone", "alice")
    await h.say("how do I reset my password?", "bob")
    question = h.last
    await h.advance(timedelta(minutes=10))
    await h.say("Settings, then Security.", claire, reply_to=question)
    await h.say("where is the shop?", "alice", channel="help")
    await h.advance(timedelta(minutes=10))
    await h.say("!warn bob spam", claire)                      # case 1: 20 min after bob
    await h.advance(timedelta(days=1, hours=1))                # Sunday 11:20
    await h.say("hi again", "bob")
    await h.advance(timedelta(minutes=5))
    await h.say("!warn bob spam again", claire)                # case 2: 5 min after bob
    await h.say("!pardon 2 my mistake", claire)
    await h.advance(timedelta(hours=22))                       # Monday 09:25
    await h.say("!warn bob still spamming", claire)            # case 3: 22 h 5 min after bob


async def test_a_scripted_week_gives_the_hand_computed_figures(make: Make) -> None:
    h = await make()
    await script(h)
    start, end = period_ending(h.clock.now(), 7)
    assert (start, end) == (datetime(2026, 11, 17, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC))
    f = await analytics(h).figures(h.community, start, end)
    t = f.totals
    # Commands are not conversation: 4 messages on Saturday, 1 on Sunday.
    assert t["messages"] == 5
    assert f.active_members == 3                               # alice, bob, claire
    assert (t["joins"], t["first_messages"], t["leaves"]) == (2, 1, 1)
    assert t["replies"] == 1
    assert t["questions"] == 2                                 # bob's and alice's
    assert (t["answered_cm"], t["answer_cm_seconds"]) == (1, 600)
    assert f.answered == 1
    assert f.mean("answer_cm_seconds", "answered_cm") == 600
    days = {day: rest for day, *rest in f.daily}
    assert len(f.daily) == 7
    assert days["2026-11-21"] == [4, 3, 2, 1]
    assert days["2026-11-22"] == [1, 1, 0, 0]
    assert days["2026-11-23"] == [0, 0, 0, 0]
    assert f.heat[5][10] == 4 and f.heat[6][11] == 1           # Saturday 10h, Sunday 11h
    assert sum(map(sum, f.heat)) == 5
    assert f.channels == [("console:general", 4), ("console:help", 1)]
    # Time from bob's last message to each warning: 20 min, 5 min, 22 h 5 min.
    assert t["lag_cm"] == 3
    assert t["lag_cm_seconds"] == 1200 + 300 + 22 * 3600 + 300
    assert t["lag_auto"] == 0
    m = f.moderation
    assert (m.cases, m.pardoned) == (3, 1)
    assert m.by_action == {"warn": 3}
    assert m.by_rule == [RuleRow(MANUAL, 3, 1)]
    assert m.by_cm == [RuleRow("claire", 3, 1)]
    # Case 1 is followed by case 3 within 30 days; case 2 was pardoned (not counted).
    assert m.repeat == {"warn": (2, 1)}
    assert f.retention7 is None                                # a 7-day period is too short


async def test_retention_counts_members_back_after_seven_days(make: Make) -> None:
    h = await make()
    await script(h)
    await h.advance(timedelta(days=6))                         # Sunday 29th
    await h.say("back after a week", "alice")
    start, end = period_ending(h.clock.now(), 30)
    f = await analytics(h).figures(h.community, start, end)
    # First seen between Oct 31 and Nov 22 (so 7 more days fit): alice, bob, claire (21st);
    # only alice was active again on or after the 28th.
    assert f.retention7 == (1, 3)
    assert f.retention30 is None
    assert f.active_members == 3
    assert f.totals["messages"] == 6


async def test_an_faq_answer_in_the_audit_log_answers_the_question(make: Make) -> None:
    from bot.audit import AuditRecord

    h = await make()
    await h.say("when will my order arrive?", "bob")
    question = h.last
    await h.advance(timedelta(seconds=1))
    h.app.services.audit.record(AuditRecord(
        h.clock.now(), question.id, h.community, "faq", "answer:delivery",
        [{"type": "reply", "text": {"en": "Within 3 days."}}], "", "r1"))
    h.app.services.audit.record(AuditRecord(
        h.clock.now(), "console:other", h.community, "contests", "enter.button",
        [{"type": "reply", "text": "contests.enter.done"}], "", "r1"))
    h.app.services.audit.record(AuditRecord(
        h.clock.now(), "console:x", h.community, "escalation", "step1.reminder",
        [{"type": "send", "text": {"en": "Calm down."}}], "", "r1"))
    h.app.services.audit.record(AuditRecord(
        h.clock.now(), "console:y", h.community, "automod", "links", [], "monitor", "r1"))
    await h.app.services.audit.flush()
    plugin = analytics(h)
    await plugin.writer.flush()                                # reads the audit page
    start, end = period_ending(h.clock.now(), 7)
    f = await plugin.figures(h.community, start, end)         # writes the matched answer
    t = f.totals
    assert (t["questions"], t["faq_answers"], t["contest_entries"], t["escalation_steps"]) \
        == (1, 1, 1, 1)
    assert (t["answered_faq"], t["answer_faq_seconds"], t["answered_cm"]) == (1, 1, 0)
    assert f.moderation.monitor == {"links": 1}
    # Read once: another write adds nothing.
    again = await plugin.figures(h.community, start, end)
    assert again.totals == t


async def test_an_empty_community_has_empty_figures(make: Make) -> None:
    h = await make()
    start, end = period_ending(h.clock.now(), 30)
    f = await analytics(h).figures(h.community, start, end)
    assert f.empty and f.active_members == 0 and len(f.daily) == 30
    assert f.retention7 == (0, 0)


async def test_the_first_answer_counts_the_faq_before_a_cm(make: Make) -> None:
    from bot.audit import AuditRecord

    h = await make()
    await h.say("is the shop open on sunday?", "bob")
    faq_answered, cm_answered = h.last, None
    await h.say("where do I send a return?", "carol")
    cm_answered = h.last
    h.app.services.audit.record(AuditRecord(
        h.clock.now(), faq_answered.id, h.community, "faq", "answer:hours",
        [{"type": "reply", "text": {"en": "Every day."}}], "", "r1"))
    await h.advance(timedelta(minutes=3))
    claire = h.user("claire")
    await h.say("yes, 10 to 18", claire, reply_to=faq_answered)     # after the FAQ: not counted
    await h.say("to the warehouse", claire, reply_to=cm_answered)
    await h.say("and the label is free", claire, reply_to=cm_answered)  # second answer
    start, end = period_ending(h.clock.now(), 1)
    t = (await analytics(h).figures(h.community, start, end)).totals
    assert (t["questions"], t["answered_faq"], t["answer_faq_seconds"]) == (2, 1, 0)
    assert (t["answered_cm"], t["answer_cm_seconds"]) == (1, 180)


async def test_the_audit_log_is_read_a_page_at_a_time(make: Make,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.audit import AuditRecord
    from plugins.analytics import writer

    monkeypatch.setattr(writer, "AUDIT_PAGE", 2)
    h = await make()
    for n in range(5):
        h.app.services.audit.record(AuditRecord(
            h.clock.now(), f"console:e{n}", h.community, "escalation", "step1.reminder",
            [{"type": "send", "text": {"en": "Calm down."}}], "", "r1"))
    await h.app.services.audit.flush()
    plugin = analytics(h)
    start, end = period_ending(h.clock.now(), 1)
    seen = []
    for _ in range(4):  # a full page also wakes the background writer for the next one
        await plugin.writer.flush()
        f = await compute_now(h, start, end)
        seen.append(f.totals["escalation_steps"])
    assert seen[0] >= 2 and seen[-2:] == [5, 5] and seen == sorted(seen)
    [last] = await h.rows("SELECT MAX(id) AS id FROM audit")
    assert await h.rows("SELECT value FROM analytics_state") == [{"value": str(last["id"])}]


async def compute_now(h: Harness, start: datetime, end: datetime) -> Figures:
    """Figures without writing anything first."""
    return await compute(h.store, h.community, start, end)
