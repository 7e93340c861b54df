"""The CMs' answer to an alert: recorded once, then carried out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dispatch import Report
from bot.events import ButtonClicked, User
from bot.permissions import Role
from tests.escalation.conftest import FIGHT, Make, play
from tests.harness import Harness


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def alerted(make: Make, lines: int = 8) -> tuple[Harness, dict[str, object]]:
    """A harness where the fight reached the alert (and the timeout, by default)."""
    h = await make()
    await play(h, FIGHT[:lines])
    alert = next(c for c in h.adapter.of("send_message") if c["channel"] == "console:cm")
    return h, alert


async def click(h: Harness, button: str, who: User, alert_id: int = 1) -> Report:
    return await h.app.handle(ButtonClicked(
        id=f"click-{button}-{who.id}", ts=h.clock.now(), community=h.community,
        channel="console:cm", message_id="console:1000", user=who,
        custom_id=f"escalation:{button}:{alert_id}"))


async def outcome(h: Harness) -> dict[str, object]:
    return (await h.rows("SELECT outcome, decided_by, decided_by_name FROM escalation_alerts"))[0]


async def test_on_it_is_recorded_and_stops_the_ladder(make: Make) -> None:
    """"I'm on it": the outcome is stored, the CM is named, no further step is taken."""
    h, _ = await alerted(make, lines=5)
    report = await click(h, "onit", h.user("claire"))
    assert [d.rule for d in report.decisions] == ["alert.on_it"]
    assert await outcome(h) == {"outcome": "on_it", "decided_by": "console:claire",
                                "decided_by_name": "claire"}
    assert h.replies()[-1] == "claire is on it: Vigie takes no further step in #general."
    later = await play(h, FIGHT[5:] * 2)
    assert not any(d.plugin == "escalation" and d.rule.startswith("step")
                   for r in later for d in r.decisions)


async def test_false_alarm_lifts_slowmode_and_timeouts(make: Make) -> None:
    """"False alarm": our slowmode and the timeouts of this exchange are lifted."""
    h, _ = await alerted(make)
    assert len(h.adapter.of("timeout_member")) == 2
    report = await click(h, "false", h.user("claire"))
    assert [d.rule for d in report.decisions] == ["alert.false_alarm"]
    assert h.adapter.of("set_slowmode")[-1]["seconds"] == 0
    assert sorted(c["user"] for c in h.adapter.of("remove_timeout")) == \
        ["console:alice", "console:bob"]
    assert h.replies()[-1] == ("claire marked it a false alarm: Vigie takes no further step in"
                               " #general; its slowmode and timeouts are lifted.")
    cases = await h.rows("SELECT status, status_reason FROM cases")
    assert {c["status"] for c in cases} == {"expired"}
    assert all("false alarm (escalation alert #1) by claire" in c["status_reason"]
               for c in cases)
    assert (await outcome(h))["outcome"] == "false_alarm"


async def test_escalate_locks_the_channel_for_a_while(make: Make) -> None:
    """"Escalate": the channel is locked, and unlocked by a job after `escalate.lock`."""
    h, _ = await alerted(make)
    report = await click(h, "escalate", h.user("claire"))
    assert [d.rule for d in report.decisions] == ["alert.escalated"]
    assert [c["channel"] for c in h.adapter.of("lock_channel")] == ["console:general"]
    assert h.replies()[-1] == "claire escalated: #general is locked for 10m."
    await h.advance(timedelta(minutes=10))
    assert [c["channel"] for c in h.adapter.of("unlock_channel")] == ["console:general"]


async def test_only_the_first_answer_counts(make: Make) -> None:
    """A second click is told who answered first; nothing else happens."""
    h, _ = await alerted(make)
    await click(h, "onit", h.user("claire"))
    second = await click(h, "escalate", h.user("root", Role.ADMIN))
    assert [d.rule for d in second.decisions] == ["alert.already"]
    assert h.replies()[-1] == "This alert was already answered: on it (claire)."
    assert not h.adapter.of("lock_channel")
    assert (await outcome(h))["outcome"] == "on_it"


async def test_members_cannot_answer(make: Make) -> None:
    """Only the team answers alerts."""
    h, _ = await alerted(make)
    report = await click(h, "false", h.user("mallory"))
    assert [d.rule for d in report.decisions] == ["alert.refused"]
    assert h.replies()[-1] == "Only the team can answer this alert."
    assert (await outcome(h))["outcome"] == "open"


async def test_unknown_alerts_and_other_buttons(make: Make) -> None:
    """A button of another plugin is ignored; an unknown alert is said so."""
    h, _ = await alerted(make)
    assert [d.rule for d in (await click(h, "onit", h.user("claire"), 99)).decisions] == \
        ["alert.unknown"]
    other = await h.app.handle(ButtonClicked(
        id="c2", ts=h.clock.now(), community=h.community, channel="console:cm",
        message_id="console:1", user=h.user("claire"), custom_id="contests:enter:1"))
    assert not [d for d in other.decisions if d.plugin == "escalation"]


async def test_answers_in_the_clicker_language(make: Make) -> None:
    """The answer is written in the language of the CM who clicked."""
    h, _ = await alerted(make)
    await click(h, "onit", h.user("claire", language="fr"))
    assert h.replies()[-1] == ("claire s'en occupe : Vigie ne prend plus d'étape dans"
                               " #general.")
