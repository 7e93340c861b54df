"""Per-channel state in the core is bounded by age, not only by count; batched writers' queues
by backpressure when the loop is saturated."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from bot.actions import Decision
from bot.batching import BEHIND
from bot.events import MessageCreated
from bot.history import History
from bot.plugin import EventContext, Phase, Plugin, hook
from bot.storage import StoreError
from tests.harness import Harness

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_channel_gone_quiet_is_forgotten_once_its_messages_are_too_old() -> None:
    """Its messages are of no use past max_age, even if no new message comes to expire them."""
    history = History(max_age=timedelta(hours=48))
    for number in range(50):
        history.add("discord:quiet", f"discord:{number}", "discord:1", T0)
    history.add("discord:busy", "discord:1000", "discord:2", T0 + timedelta(hours=49))
    assert len(history) == 1
    assert history.recent("discord:quiet", 10) == []


class Noting(Plugin):
    """Decides about every message (no action): one audit record per message."""

    name: ClassVar[str] = "noting"

    @hook(Phase.OBSERVE, MessageCreated)
    async def observe(self, event: MessageCreated, ctx: EventContext) -> Decision:
        """Note the message."""
        return Decision(rule="seen", evidence=event.id)


async def test_a_saturated_loop_waits_for_the_writers_instead_of_filling_their_queues(
        tmp_path: Path) -> None:
    """Messages handled back to back, never yielding to the loop between them, as when the
    bot is saturated: the audit queue stays under its high-water mark (the message path waits
    for the write) and every record is written, none dropped."""
    harness = await Harness(tmp_path, plugins=[Noting]).start()
    audit = harness.app.services.audit
    longest = 0
    try:
        for number in range(3 * audit.high_water):
            await harness.say(f"message {number}")
            longest = max(longest, len(audit._items))
        assert longest <= audit.high_water
        rows = await harness.rows("SELECT COUNT(*) AS n FROM audit WHERE plugin = 'noting'")
        assert rows[0]["n"] == 3 * audit.high_water
    finally:
        await harness.stop()
    assert not BEHIND


async def test_a_writer_that_cannot_write_is_not_waited_for(tmp_path: Path) -> None:
    """While its database fails, a writer is never behind: the bot goes on deciding (its queue
    is bounded by its limit instead), and writes everything once the database is back."""
    harness = await Harness(tmp_path, plugins=[Noting]).start()
    audit = harness.app.services.audit
    real = audit._write
    failing = True
    attempts = 0

    async def flaky(tx: Any, batch: Any) -> None:
        nonlocal attempts
        if failing:
            attempts += 1
            raise StoreError("disk full")
        await real(tx, batch)

    audit._write = flaky  # type: ignore[method-assign]
    try:
        await harness.say("first")
        with contextlib.suppress(StoreError):
            await audit._tick()
        count = 2 * audit.high_water
        for number in range(count):
            await harness.say(f"message {number}")
        assert not BEHIND
        assert attempts < 5, "the message path waited for a failing writer's retries"
        assert len(audit._items) == count + 1
        failing = False
        rows = await harness.rows("SELECT COUNT(*) AS n FROM audit WHERE plugin = 'noting'")
        assert rows[0]["n"] == count + 1
    finally:
        await harness.stop()
