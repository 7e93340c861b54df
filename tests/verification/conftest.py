"""A console community with verification on, on either storage backend."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.dispatch import Report
from bot.events import ButtonClicked, User
from plugins.moderation import ModerationPlugin
from plugins.verification import VerificationPlugin
from tests.harness import MINIMAL_RULES, Harness

RULES = MINIMAL_RULES + """\
    alerts_channel: "console:mods"
    roles:
      cm: ["console:claire"]
    verification:
      enabled: true
      challenge: math
      time_limit: 5m
      on_failure: kick
      allow: ["console:friend"]
      raid:
        joins: 5
        within: 1m
        quiet: 10m
"""
_clicks = itertools.count(1)


class VerifyHarness(Harness):
    """A harness with the verification plugin, and helpers to read and answer challenges."""

    def __init__(self, tmp: Path, database_url: str | None = None, rules: str = RULES) -> None:
        super().__init__(tmp, rules, plugins=(VerificationPlugin, ModerationPlugin),
                         database_url=database_url)

    async def challenge(self, name: str) -> dict[str, Any]:
        """The stored challenge of `console:<name>` (the latest)."""
        rows = await self.rows("SELECT * FROM verification_challenges WHERE member_id = :m"
                               " ORDER BY id DESC", m=f"console:{name}")
        assert rows, f"no challenge for {name}"
        return rows[0]

    async def answer(self, name: str, right: bool = True) -> Report:
        """`name` clicks the right (or a wrong) button under their challenge."""
        row = await self.challenge(name)
        choice = row["answer"] if right else (row["answer"] + 1) % 4
        return await self.click(self.user(name), f"verify:{row['id']}:{choice}",
                                row["message_id"] or "console:0")

    async def click(self, who: User, custom_id: str, message_id: str) -> Report:
        return await self.app.handle(ButtonClicked(
            id=f"console:click{next(_clicks)}", ts=self.clock.now(), community=self.community,
            channel="console:general", message_id=message_id, user=who, custom_id=custom_id))


@pytest.fixture
async def verify(tmp_path: Path, store_url: str) -> AsyncIterator[VerifyHarness]:
    harness = VerifyHarness(tmp_path, store_url)
    await harness.start()
    yield harness
    await harness.stop()
