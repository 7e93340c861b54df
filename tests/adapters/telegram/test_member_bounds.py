"""The Telegram adapter's per-chat administrator cache stays bounded by count and by age."""

from __future__ import annotations

from typing import Any

from bot.adapters.telegram import members
from bot.adapters.telegram.members import ADMIN_TTL, ChatMembers


class _Bot:
    """Answers getChatAdministrators with nobody, and counts the calls."""

    def __init__(self) -> None:
        self.reads = 0

    async def get_chat_administrators(self, chat: int) -> list[Any]:
        self.reads += 1
        return []


async def test_a_bot_in_many_chats_keeps_the_most_recent_ones(monkeypatch: Any) -> None:
    """Past MAX_CHATS, the chats read longest ago are forgotten (and read again if needed)."""
    monkeypatch.setattr(members, "MAX_CHATS", 50)
    now = [0.0]
    bot = _Bot()
    chats = ChatMembers(bot, monotonic=lambda: now[0])  # type: ignore[arg-type]
    for number in range(200):
        await chats.admins(-1000 - number)
    assert len(chats) == 50
    await chats.admins(-1000 - 199)  # recent: still cached
    assert bot.reads == 200
    await chats.admins(-1000)  # forgotten: read again
    assert bot.reads == 201


async def test_chats_gone_quiet_are_forgotten(monkeypatch: Any) -> None:
    """A cached list older than twice its time to live goes at the next read."""
    now = [0.0]
    chats = ChatMembers(_Bot(), monotonic=lambda: now[0])  # type: ignore[arg-type]
    for number in range(20):
        await chats.admins(-2000 - number)
    now[0] += 2 * ADMIN_TTL + 1
    await chats.admins(-3000)
    assert len(chats) == 1
