"""The Telegram adapter passes the shared adapter contract, against the fake Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.base import Adapter
from bot.adapters.telegram import TelegramAdapter
from bot.events import User
from tests.adapters.contract import AdapterContract
from tests.adapters.telegram.conftest import GROUP, telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi


class TestTelegramContract(AdapterContract):
    """The shared contract, on Telegram."""

    community = f"telegram:{GROUP}"
    channel = f"telegram:{GROUP}"
    member = User(id="telegram:12", name="bob")
    foreign_channel = "telegram:-1009999"

    @pytest.fixture(autouse=True)
    async def fake_server(self) -> AsyncIterator[FakeBotApi]:
        """A fake Bot API with the group and Bob in it."""
        self.server = await FakeBotApi().start()
        self.server.group(GROUP, "Brand group")
        self.server.user(12, "Bob", "bob")
        yield self.server
        await self.server.stop()

    async def make_adapter(self) -> Adapter:
        """A Telegram adapter long-polling the fake server."""
        return TelegramAdapter(telegram_config(self.server))


async def test_contract_actions_reach_telegram() -> None:
    """The contract's actions are real Bot API calls with the expected parameters."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    adapter = TelegramAdapter(telegram_config(server))
    await adapter.connect()
    bob = User(id="telegram:12", name="bob")
    community = f"telegram:{GROUP}"
    try:
        assert (await adapter.kick_member(community, bob, reason="x")).succeeded
        ban, unban = server.of("banChatMember")[0], server.of("unbanChatMember")[0]
        assert int(ban["user_id"]) == 12 and unban["only_if_banned"] == "true"
        assert server.banned == set()
        assert (await adapter.ban_member(community, bob, reason="x",
                                         delete_message_seconds=86400)).succeeded
        assert server.of("banChatMember")[-1]["revoke_messages"] == "true"
        assert (GROUP, 12) in server.banned
        before = dict(server.chats[GROUP].permissions)
        assert (await adapter.lock_channel(community, reason="x")).succeeded
        assert not any(server.chats[GROUP].permissions.values())
        assert (await adapter.unlock_channel(community, reason="x")).succeeded
        assert server.chats[GROUP].permissions == before
        assert (await adapter.remove_timeout(community, bob, reason="x")).succeeded
        assert all(server.of("restrictChatMember")[-1]["permissions"].values())
        slow = await adapter.set_slowmode(community, 30, reason="x")
        assert slow.status == "unsupported" and "enforces it itself" in slow.detail
    finally:
        await adapter.stop()
        await server.stop()
