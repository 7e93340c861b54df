"""The weekly report: a durable job armed on the first message, posted to the alerts channel."""

from __future__ import annotations

from datetime import timedelta

from tests.analytics.conftest import Make
from tests.analytics.test_figures import script


async def test_the_weekly_report_compares_with_the_week_before(make: Make) -> None:
    h = await make(lang="fr")
    await script(h)                                            # ends Monday 23rd 09:25
    jobs = await h.rows("SELECT run_at, status FROM jobs WHERE kind = 'analytics.weekly'"
                        " ORDER BY id")
    assert [(j["run_at"][:16], j["status"]) for j in jobs] == [
        ("2026-11-23T09:00", "done"), ("2026-11-30T09:00", "pending")]
    first = [c["text"] for c in h.adapter.of("send_alert")]
    assert len(first) == 1
    assert "Messages : 5 (+5 par rapport à 0)" in first[0].splitlines()
    await h.advance(timedelta(days=7))                         # Monday 30th 09:25
    alerts = [c["text"] for c in h.adapter.of("send_alert")]
    assert len(alerts) == 2
    report = alerts[-1].splitlines()
    assert report[0] == ("📊 Rapport de la semaine de Test community (du 2026-11-23 au "
                         "2026-11-29, UTC), comparé à la semaine précédente")
    assert "Messages : 0 (-5 par rapport à 5)" in report
    assert "Sanctions : 1 (-1 par rapport à 2)" in report      # Monday's warning; 2 before
    pending = await h.rows("SELECT run_at FROM jobs WHERE kind = 'analytics.weekly'"
                           " AND status = 'pending'")
    assert [j["run_at"][:16] for j in pending] == ["2026-12-07T09:00"]


async def test_no_weekly_report_without_an_alerts_channel(make: Make) -> None:
    h = await make(alerts="null")
    await h.say("hello")
    assert await h.rows("SELECT * FROM jobs WHERE kind = 'analytics.weekly'") == []
