"""Threads: a THREAD_CREATE through discord.py becomes a neutral ThreadCreated."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.events import ThreadCreated
from tests.e2e.discord.conftest import Listening


def _thread(fake: object, thread_id: int, owner: int, *, newly: bool = True) -> dict[str, object]:
    guild, general = fake.guild_id, fake.general  # type: ignore[attr-defined]
    return {"id": str(thread_id), "guild_id": str(guild), "parent_id": str(general),
            "owner_id": str(owner), "name": "release notes", "type": 11,
            "newly_created": newly, "member_count": 1, "message_count": 0,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                "archive_timestamp": datetime.now(UTC).isoformat(),
                                "locked": False,
                                "create_timestamp": "2026-11-21T10:00:00+00:00"}}


async def test_a_new_thread_is_a_thread_event(listening: Listening) -> None:
    fake, at = listening.fake, listening.at
    await fake.send("THREAD_CREATE", _thread(fake, 7001, fake.bob.id))
    await fake.send("THREAD_CREATE", _thread(fake, 7002, fake.bob.id, newly=False))  # joined
    await fake.send("THREAD_CREATE", _thread(fake, 7003, fake.bot.id))    # Vigie's own
    [thread] = [e for e in listening.events if isinstance(e, ThreadCreated)]
    assert (thread.community, thread.channel, thread.parent) == (
        at(fake.guild_id), at(7001), at(fake.general))
    assert thread.name == "release notes"
    assert thread.author is not None and thread.author.id == at(fake.bob.id)
    assert thread.ts == datetime(2026, 11, 21, 10, tzinfo=UTC)
