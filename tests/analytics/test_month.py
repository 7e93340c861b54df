"""A generated month: the figures equal the generator's own tally."""

from __future__ import annotations

from plugins.analytics.plugin import period_ending
from tests.analytics.conftest import Make, analytics
from tests.analytics.month import generate


async def test_a_generated_month_matches_its_tally(make: Make) -> None:
    h = await make()
    tally = await generate(h, days=30)
    start, end = period_ending(h.clock.now(), 31)
    f = await analytics(h).figures(h.community, start, end)
    t = f.totals
    assert t["messages"] == tally.messages
    assert {day: n for day, n, *_ in f.daily if n} == dict(tally.by_day)
    assert t["replies"] == tally.replies
    assert t["questions"] == tally.questions
    assert (t["answered_cm"], t["answer_cm_seconds"]) == (tally.answered, tally.answer_seconds)
    assert (t["joins"], t["first_messages"], t["leaves"]) == \
        (tally.joins, tally.first_messages, tally.leaves)
    assert f.active_members == len(tally.active)
    m = f.moderation
    assert (m.cases, m.pardoned) == (tally.warnings + tally.ladder, tally.pardoned)
    assert {r.name: r.cases for r in m.by_rule} == {
        "manual": tally.warnings, "moderation/ladder.step1": tally.ladder}
    assert tally.messages > 200 and tally.questions > 20           # the month is not trivial
