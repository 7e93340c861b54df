"""Events handled at the same time: every case reaches the ladder, each crossing fires once."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ActionResult
from bot.events import User
from plugins.moderation import ModerationPlugin
from tests.harness import Harness, RecordingAdapter
from tests.moderation.conftest import RULES

CLAIRE = User(id="console:claire", name="claire")


class ShufflingAdapter(RecordingAdapter):
    """A recording adapter whose calls yield to the loop a random number of times first."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.random = random.Random(seed)

    async def _shuffle(self) -> None:
        for _ in range(self.random.randrange(4)):
            await asyncio.sleep(0)

    async def send_message(self, channel: str, text: str, **kw: Any) -> ActionResult:
        await self._shuffle()
        return await super().send_message(channel, text, **kw)

    async def send_dm(self, user: User, text: str) -> ActionResult:
        await self._shuffle()
        return await super().send_dm(user, text)

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        await self._shuffle()
        return await super().timeout_member(community, user, until, reason=reason)

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        await self._shuffle()
        return await super().ban_member(community, user, reason=reason,
                                        delete_message_seconds=delete_message_seconds)

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        await self._shuffle()
        return await super().send_alert(community, channel, text)


ONE_STEP = RULES + """\
    moderation:
      ladder:
        - {warnings: 3, within: 7d, action: timeout, duration: 1h}
"""


async def started(tmp_path: Path, adapter: RecordingAdapter | None = None,
                  rules: str = RULES) -> Harness:
    """The moderation harness, optionally on another adapter or rule file."""
    h = Harness(tmp_path, rules=rules, plugins=[ModerationPlugin])
    if adapter is not None:
        h.adapter = adapter
        h.app.adapters[adapter.platform] = adapter
    return await h.start()


async def ladder_cases(h: Harness) -> list[tuple[str, str]]:
    """(target, action) of every case the ladder opened."""
    rows = await h.rows("SELECT target_id, action FROM cases WHERE author_id LIKE "
                        "'rule:moderation/ladder%' ORDER BY id")
    return [(r["target_id"], r["action"]) for r in rows]


async def test_concurrent_third_warnings_in_five_channels_each_reach_the_ladder(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Five members reach their third warning at the same moment, in five channels: five
    ladder timeouts, and no event chain is cut short by the others."""
    h = await started(tmp_path)
    try:
        members = [f"m{i}" for i in range(5)]
        for name in members:
            await h.say("hi", author=name)
            for n in range(2):
                await h.say(f"!warn {name} earlier {n}", author=CLAIRE)
        caplog.set_level(logging.WARNING, logger="vigie.dispatch")
        reports = await asyncio.gather(*(
            h.say(f"!warn {name} third", author=CLAIRE, channel=f"room{i}")
            for i, name in enumerate(members)))
        assert all(not r.errors for r in reports)
        assert "too deep" not in caplog.text
        assert sorted(await ladder_cases(h)) == [(f"console:{n}", "timeout") for n in members]
        timed_out = sorted(c["user"] for c in h.adapter.of("timeout_member"))
        assert timed_out == [f"console:{n}" for n in members]
    finally:
        await h.stop()


async def test_six_concurrent_warnings_to_one_member_fire_each_step_once(
        tmp_path: Path) -> None:
    """Six warnings at once: the ban step (5) fires exactly once, the timeout step (3) at most
    once (a ban reached in the same look supersedes it), and nothing twice."""
    h = await started(tmp_path)
    try:
        await h.say("hi", author="bob")
        await asyncio.gather(*(h.say(f"!warn bob offence {n}", author=CLAIRE,
                                     channel=f"room{n}") for n in range(6)))
        actions = Counter(action for _, action in await ladder_cases(h))
        assert actions["ban"] == 1
        assert actions["timeout"] <= 1
        claims = await h.rows("SELECT claim FROM case_claims WHERE claim LIKE 'ladder:%'"
                              " ORDER BY claim")
        assert [r["claim"] for r in claims] == ["ladder:3:console:bob:3",
                                                "ladder:5:console:bob:5"]
        assert len(h.adapter.of("ban_member")) == 1
    finally:
        await h.stop()


async def test_a_step_fires_again_only_after_a_new_crossing(tmp_path: Path) -> None:
    """Warnings past the threshold do not repeat the step; a new run after the window does."""
    h = await started(tmp_path, rules=ONE_STEP)
    try:
        await h.say("hi", author="bob")
        for n in range(4):
            await h.say(f"!warn bob offence {n}", author=CLAIRE)
        assert await ladder_cases(h) == [("console:bob", "timeout")]
        h.clock.advance(timedelta(days=8))
        for n in range(3):
            await h.say(f"!warn bob later {n}", author=CLAIRE)
        assert [a for _, a in await ladder_cases(h)] == ["timeout", "timeout"]
    finally:
        await h.stop()


@pytest.mark.parametrize("seed", range(12))
async def test_randomised_interleavings_keep_the_ladder_exact(tmp_path: Path,
                                                              seed: int) -> None:
    """Warnings to several members in a random order, with the adapter's calls yielding at
    random: each member's crossings are applied exactly once, whatever the interleaving."""
    rng = random.Random(seed)
    h = await started(tmp_path, ShufflingAdapter(seed))
    try:
        counts = {f"u{i}": rng.randrange(1, 8) for i in range(4)}
        for name in counts:
            await h.say("hi", author=name)
        warns = [name for name, k in counts.items() for _ in range(k)]
        rng.shuffle(warns)
        await asyncio.gather(*(h.say(f"!warn {name} offence", author=CLAIRE,
                                     channel=f"room{rng.randrange(3)}") for name in warns))
        by_member: dict[str, Counter[str]] = {name: Counter() for name in counts}
        for target, action in await ladder_cases(h):
            by_member[target.partition(":")[2]][action] += 1
        for name, k in counts.items():
            got = by_member[name]
            if k >= 5:
                assert got["ban"] == 1 and got["timeout"] <= 1, (name, k, got)
            elif k >= 3:
                assert got == Counter(timeout=1), (name, k, got)
            else:
                assert not got, (name, k, got)
        warned = await h.rows("SELECT target_id, COUNT(*) AS n FROM cases WHERE action = 'warn'"
                              " GROUP BY target_id")
        assert {r["target_id"].partition(":")[2]: r["n"] for r in warned} == counts
        numbers = [r["number"] for r in await h.rows("SELECT number FROM cases ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1))
    finally:
        await h.stop()
