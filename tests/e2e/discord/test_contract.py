"""The Discord adapter passes the adapter contract shared with every other adapter."""

from __future__ import annotations

import pytest

from bot.adapters.base import Adapter
from bot.adapters.discord import DiscordAdapter
from bot.events import User
from tests.adapters.contract import AdapterContract
from tests.e2e.discord.conftest import connected
from tests.e2e.discord.fake import GUILD_ID, FakeDiscord


class TestDiscordContract(AdapterContract):
    """The shared contract, on a real discord.py client over the fake Discord."""

    community = f"discord:{GUILD_ID}"
    foreign_channel = "discord:999999999999999999"

    @pytest.fixture(autouse=True)
    async def server(self, monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
        """A connected fake server; its #general and bob are the contract's channel and member."""
        self.fake = await connected(monkeypatch)
        self.channel = f"discord:{self.fake.general}"
        self.member = User(id=f"discord:{self.fake.bob.id}", name="bob")
        return self.fake

    async def make_adapter(self) -> Adapter:
        """The adapter on the connected client."""
        return DiscordAdapter(self.fake.client)
