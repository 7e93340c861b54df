"""Timed sanctions are lifted once, on time, and never lift a sanction that replaced them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.events import User
from bot.executor import LIFT_JOB
from bot.scheduler import Scheduler
from bot.storage import StoreError
from plugins.moderation import ModerationPlugin
from tests.harness import Harness
from tests.moderation.conftest import RULES

CLAIRE = User(id="console:claire", name="claire")
ROOT = User(id="console:root", name="root")


async def started(tmp_path: Path) -> Harness:
    """The moderation harness on `tmp_path` (a second call is a restart on the same data)."""
    return await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin]).start()


async def test_a_ban_for_good_is_not_lifted_by_an_earlier_temporary_ban(tmp_path: Path) -> None:
    """`!ban bob 7d`, then `!ban bob` for good: a week later bob is still banned."""
    h = await started(tmp_path)
    try:
        await h.say("hi", author="bob")
        await h.say("!ban bob 7d spam", author=ROOT)
        await h.say("!ban bob for good", author=ROOT)
        await h.advance(timedelta(days=8))
        assert h.adapter.of("unban_member") == []
        jobs = await h.rows("SELECT status FROM jobs WHERE kind = :k", k=LIFT_JOB)
        assert [j["status"] for j in jobs] == ["cancelled"]
    finally:
        await h.stop()


async def test_a_lift_that_could_not_be_stored_is_stored_at_the_next_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk was full when the ban's lift was stored: the ban stands, the CM is not told it
    failed, and the next start stores the lift, which then runs on time."""
    original = Scheduler.schedule

    async def full(self: Scheduler, kind: str, *args: Any, **kw: Any) -> int:
        if kind == LIFT_JOB:
            raise StoreError("database or disk is full", "full")
        return await original(self, kind, *args, **kw)

    h = await started(tmp_path)
    await h.say("hi", author="bob")
    monkeypatch.setattr(Scheduler, "schedule", full)
    await h.say("!ban bob 2d spam", author=CLAIRE)
    monkeypatch.setattr(Scheduler, "schedule", original)
    assert [c["user"] for c in h.adapter.of("ban_member")] == ["console:bob"]
    assert not any("Could not" in text for text in h.replies())
    assert await h.rows("SELECT * FROM jobs WHERE kind = :k", k=LIFT_JOB) == []
    await h.stop()

    again = Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin])
    again.clock.set(h.clock.now() + timedelta(days=1))
    await again.start()
    try:
        [job] = await again.rows("SELECT status, run_at FROM jobs WHERE kind = :k", k=LIFT_JOB)
        assert job["status"] == "pending"
        await again.advance(timedelta(hours=23))
        assert again.adapter.of("unban_member") == []
        await again.advance(timedelta(hours=1, seconds=1))
        assert [c["user"] for c in again.adapter.of("unban_member")] == ["console:bob"]
    finally:
        await again.stop()


async def test_a_restart_does_not_double_a_pending_lift(tmp_path: Path) -> None:
    """A lift already pending is left as it is at start."""
    h = await started(tmp_path)
    await h.say("hi", author="bob")
    await h.say("!mute bob 1h calm down", author=CLAIRE)
    await h.stop()
    again = await started(tmp_path)
    try:
        jobs = await again.rows("SELECT status FROM jobs WHERE kind = :k", k=LIFT_JOB)
        assert [j["status"] for j in jobs] == ["pending"]
    finally:
        await again.stop()
