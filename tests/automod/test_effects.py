"""Effects are data: timed lifts are actions that the verdict merges and the audit records."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.actions import Cancel, Lock, Schedule, Verdict
from bot.actions import Decision as D
from bot.scheduler import Scheduler
from tests.automod.conftest import Make

TWO_LOCKS = """
rules:
  long:
    trigger: {type: words, words: [bagarre]}
    actions:
      - {type: lock, duration: 1h}
  short:
    trigger: {type: words, words: [bagarre]}
    actions:
      - {type: lock, duration: 10m}
"""

OPEN_ENDED = """
rules:
  forever:
    trigger: {type: words, words: [bagarre]}
    actions:
      - {type: lock}
  short:
    trigger: {type: words, words: [bagarre]}
    actions:
      - {type: lock, duration: 10m}
"""

AT = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def test_the_later_lift_and_a_cancel_win_a_merge() -> None:
    """Jobs with one key compete: later wins, a cancel (no end) beats any time."""
    early = Schedule.of("lift", "console:test", AT + timedelta(minutes=10), "k", {"a": 1})
    late = Schedule.of("lift", "console:test", AT + timedelta(hours=1), "k", {"a": 1})
    never = Cancel(key="k")
    other = Schedule.of("lift", "console:test", AT, "other")
    for first, second in [(early, late), (late, early)]:
        verdict = Verdict.of([D(rule="a", actions=(first,)), D(rule="b", actions=(second,))])
        assert verdict.actions == (late,)
    verdict = Verdict.of([D(rule="a", actions=(late, never, other))])
    assert set(verdict.actions) == {never, other}
    assert Verdict.of([D(rule="a", actions=(Lock(channel="c"), early))]).actions[-1] == early


async def test_the_longer_of_two_timed_locks_decides_when_the_channel_opens(
        make: Make) -> None:
    """A 1 h lock and a 10 min lock at once: the channel stays locked for the hour."""
    h = await make(TWO_LOCKS)
    await h.say("bagarre !")
    assert len(h.adapter.of("lock_channel")) == 1
    await h.advance(timedelta(minutes=11))
    assert not h.adapter.of("unlock_channel")
    await h.advance(timedelta(minutes=50))
    assert [c["channel"] for c in h.adapter.of("unlock_channel")] == ["console:general"]
    jobs = await h.rows("SELECT kind, status FROM jobs ORDER BY id")
    assert jobs == [{"kind": "automod.lift", "status": "done"}]


async def test_an_open_ended_lock_is_not_lifted_by_a_timed_one(make: Make) -> None:
    """A lock without an end beats a 10 min one, and cancels a lift already pending."""
    h = await make(OPEN_ENDED.replace("  forever:\n    trigger: {type: words, words: [bagarre]}",
                                      "  forever:\n    trigger: {type: words, words: [rixe]}"))
    await h.say("bagarre !")
    [pending] = await h.rows("SELECT status FROM jobs")
    assert pending["status"] == "pending"
    await h.say("rixe !")
    await h.advance(timedelta(hours=2))
    assert not h.adapter.of("unlock_channel")
    assert [r["status"] for r in await h.rows("SELECT status FROM jobs")] == ["cancelled"]
    h2 = await make(OPEN_ENDED)
    await h2.say("bagarre !")
    await h2.advance(timedelta(hours=2))
    assert not h2.adapter.of("unlock_channel")


async def test_the_audit_records_every_effect_with_its_time(make: Make) -> None:
    """What `vigie replay` and `!why` read: the lift is in the decision, with when and what."""
    h = await make(TWO_LOCKS)
    await h.say("bagarre !")
    rows = await h.rows("SELECT rule, actions FROM audit WHERE plugin = 'automod' ORDER BY rule")
    actions: dict[str, list[dict[str, Any]]] = {r["rule"]: json.loads(r["actions"]) for r in rows}
    [lift] = [a for a in actions["long"] if a["type"] == "schedule"]
    assert lift["kind"] == "automod.lift"
    assert lift["payload"] == {"action": "lock", "channel": "console:general"}
    assert datetime.fromisoformat(lift["at"]) - h.clock.now() == timedelta(hours=1)


@pytest.mark.parametrize("rules", [TWO_LOCKS, OPEN_ENDED])
async def test_no_hook_schedules_on_the_side(make: Make, rules: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """While events are handled, jobs are stored by the executor only."""
    calls: list[str] = []
    original_schedule, original_cancel = Scheduler.schedule, Scheduler.cancel

    def caller() -> str:
        """`executor` when the nearest frame outside this test is the executor's."""
        frames = [f for f in inspect.stack()[2:] if not f.filename.endswith(__file__)]
        nearest = frames[0]
        if nearest.filename.endswith("scheduler.py"):  # Scheduler.schedule's own helpers
            nearest = next(f for f in frames if not f.filename.endswith("scheduler.py"))
        return "executor" if nearest.filename.endswith("executor.py") \
            else f"{nearest.filename}:{nearest.function}"

    async def schedule(self: Scheduler, *args: Any, **kw: Any) -> int:
        calls.append(caller())
        return await original_schedule(self, *args, **kw)

    async def cancel(self: Scheduler, key: str) -> bool:
        calls.append(caller())
        return await original_cancel(self, key)

    monkeypatch.setattr(Scheduler, "schedule", schedule)
    monkeypatch.setattr(Scheduler, "cancel", cancel)
    h = await make(rules)
    await h.say("bagarre !")
    await h.advance(timedelta(hours=2))
    assert calls and set(calls) == {"executor"}
