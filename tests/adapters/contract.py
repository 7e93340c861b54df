"""The adapter contract: what every adapter must do, whatever its platform.

A platform's test module subclasses `AdapterContract` and provides `make_adapter` (plus the ids of
a community, a channel and a member that exist on its fake transport).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.base import ActionResult, Adapter
from bot.events import Event, User

STATUSES = {"ok", "unsupported", "failed"}


class AdapterContract:
    """Subclass and implement `make_adapter`; every test below must pass."""

    community = "console:local"
    channel = "console:general"
    member = User(id="console:bob", name="bob")
    foreign_channel: str | None = None  # a channel of another community, where there can be one

    async def make_adapter(self) -> Adapter:
        """A started-able adapter on a fake transport."""
        raise NotImplementedError

    @pytest.fixture
    async def adapter(self) -> AsyncIterator[Adapter]:
        """The adapter, started with a sink that collects events."""
        adapter = await self.make_adapter()
        self.events: list[Event] = []

        async def sink(event: Event) -> None:
            self.events.append(event)

        await adapter.start(sink)
        yield adapter
        await adapter.stop()

    async def test_declares_platform_and_capabilities(self, adapter: Adapter) -> None:
        """A platform name that prefixes its ids, and a set of capabilities."""
        assert adapter.platform and adapter.platform.isidentifier()
        assert self.community.startswith(f"{adapter.platform}:")
        assert isinstance(adapter.capabilities, frozenset)

    async def test_send_returns_a_message_id(self, adapter: Adapter) -> None:
        """Sending gives the platform-qualified id of the new message."""
        result = await adapter.send_message(self.channel, "hello")
        assert result.status == "ok"
        assert result.message_id and result.message_id.startswith(f"{adapter.platform}:")

    async def test_delete_own_message_then_unknown(self, adapter: Adapter) -> None:
        """Deleting works once; a message that does not exist is a clear failure, not a crash."""
        sent = await adapter.send_message(self.channel, "to delete")
        assert sent.message_id is not None
        first = await adapter.delete_message(self.channel, sent.message_id, reason="test")
        assert first.status == "ok"
        again = await adapter.delete_message(self.channel, sent.message_id, reason="test")
        assert again.status in ("failed", "ok")
        missing = await adapter.delete_message(self.channel, f"{adapter.platform}:999999999",
                                               reason="test")
        assert missing.status == "failed" and missing.detail

    async def test_bulk_delete_reports_each_message(self, adapter: Adapter) -> None:
        """One result per id, in order."""
        ids = [(await adapter.send_message(self.channel, f"m{i}")).message_id for i in range(3)]
        results = await adapter.delete_messages(self.channel, [i for i in ids if i],
                                                reason="purge")
        assert [r.status for r in results] == ["ok", "ok", "ok"]

    async def test_every_action_answers_with_a_result(self, adapter: Adapter) -> None:
        """No action raises; each says ok, unsupported (why) or failed (the platform's error)."""
        results: list[ActionResult] = [
            await adapter.timeout_member(self.community, self.member,
                                         _soon(), reason="contract"),
            await adapter.remove_timeout(self.community, self.member, reason="contract"),
            await adapter.kick_member(self.community, self.member, reason="contract"),
            await adapter.ban_member(self.community, self.member, reason="contract"),
            await adapter.unban_member(self.community, self.member, reason="contract"),
            await adapter.set_slowmode(self.channel, 10, reason="contract"),
            await adapter.set_slowmode(self.channel, 0, reason="contract"),
            await adapter.lock_channel(self.channel, reason="contract"),
            await adapter.unlock_channel(self.channel, reason="contract"),
            await adapter.send_dm(self.member, "private"),
            await adapter.send_alert(self.community, None, "alert"),
            await adapter.send_alert(self.community, self.channel, "alert"),
        ]
        for result in results:
            assert result.status in STATUSES
            if result.status != "ok":
                assert result.detail, "a refusal must say why"

    async def test_unknown_channel_is_a_failure(self, adapter: Adapter) -> None:
        """A channel of another platform is refused cleanly."""
        result = await adapter.send_message("elsewhere:1", "hello")
        assert result.status == "failed" and result.detail

    async def test_knows_its_own_channels(self, adapter: Adapter) -> None:
        """Commands may act only on channels of their community; the adapter tells which."""
        assert await adapter.owns_channel(self.community, self.channel)
        assert not await adapter.owns_channel(self.community, "elsewhere:1")
        if self.foreign_channel is not None:
            assert not await adapter.owns_channel(self.community, self.foreign_channel)

    async def test_serves_its_communities(self, adapter: Adapter) -> None:
        """The communities it serves are ids of its own platform."""
        assert all(c.startswith(f"{adapter.platform}:") for c in adapter.communities())


def _soon() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=5)
