"""Join verification on Discord: real discord.py objects from gateway payloads, a fake REST."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app import App
from bot.storage import SqliteStore
from plugins.moderation import ModerationPlugin
from plugins.verification import VerificationPlugin
from tests.e2e.discord.conftest import World, start_world

MEMBER = "/guilds/{guild_id}/members/{user_id}"
ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
DELETE = "/channels/{channel_id}/messages/{message_id}"
ROLE_RULES = """\
    verification:
      enabled: true
      challenge: emoji
      hold: role
      role: Verified
      channel: "discord:{channel}"
"""
TIMEOUT_RULES = """\
    verification:
      enabled: true
      challenge: math
      time_limit: 10m
"""


async def verification_world(tmp: Path, monkeypatch: pytest.MonkeyPatch, rules: str) -> World:
    world = await start_world(tmp, monkeypatch, plugins=(ModerationPlugin, VerificationPlugin))
    fake = world.fake
    verified = fake.role(fake.snowflake(), "Verified", discord.Permissions.none(), position=1)
    await fake.send("GUILD_ROLE_CREATE", {"guild_id": str(fake.guild_id),
                                          "role": fake.roles[verified]})
    path = tmp / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + rules.format(channel=fake.general), encoding="utf-8")
    await world.app.rulebook.reload()
    return world


@pytest.fixture
async def role_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    world = await verification_world(tmp_path, monkeypatch, ROLE_RULES)
    yield world
    await world.app.stop()


@pytest.fixture
async def timeout_world(tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    world = await verification_world(tmp_path, monkeypatch, TIMEOUT_RULES)
    yield world
    await world.app.stop()


async def challenge_of(world: World, person: Any) -> dict[str, Any]:
    [row] = await world.rows("SELECT * FROM verification_challenges WHERE member_id = :m",
                             m=world.at(person.id))
    return row


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row["components"]]


async def test_role_hold_a_newcomer_passes_and_gets_the_role(role_world: World) -> None:
    world, fake = role_world, role_world.fake
    newbie = fake.person("newbie", in_guild=False)
    await fake.join(newbie)
    row = await challenge_of(world, newbie)
    assert row["via"] == "role" and row["message_id"]
    [challenge] = [m for m in fake.messages[fake.general].values()
                   if "Welcome newbie" in m["content"]]
    ids = custom_ids(challenge)
    assert ids == [f"vigie:verify:{row['id']}:{n}" for n in range(4)]
    assert not fake.of("PATCH", MEMBER)  # no timeout: the channels do the holding
    await fake.click(newbie, challenge, ids[row["answer"]])
    [grant] = fake.of("PUT", ROLE)
    assert grant.ids["user_id"] == str(newbie.id)
    assert fake.roles[int(grant.ids["role_id"])]["name"] == "Verified"
    assert [c.ids["message_id"] for c in fake.of("DELETE", DELETE)] == [challenge["id"]]
    assert (await challenge_of(world, newbie))["status"] == "passed"


async def test_role_hold_a_wrong_answer_kicks(role_world: World) -> None:
    world, fake = role_world, role_world.fake
    bot = fake.person("spambot", in_guild=False)
    await fake.join(bot)
    row = await challenge_of(world, bot)
    challenge = next(m for m in fake.messages[fake.general].values()
                     if "Welcome spambot" in m["content"])
    await fake.click(bot, challenge, custom_ids(challenge)[(row["answer"] + 1) % 4])
    assert [c.ids["user_id"] for c in fake.of("DELETE", MEMBER)] == [str(bot.id)]
    assert not fake.of("PUT", ROLE)
    assert (await challenge_of(world, bot))["status"] == "failed"
    alerts = [e["description"] for body in fake.sent(fake.alerts)
              for e in body.get("embeds", ())] + [b.get("content") or ""
                                                   for b in fake.sent(fake.alerts)]
    assert any("gave a wrong answer" in a and "they were removed" in a for a in alerts)


async def test_staff_joining_is_never_challenged(role_world: World) -> None:
    fake = role_world.fake
    await fake.join(fake.claire)  # a Moderator (cm in the rule file)
    assert not await role_world.rows("SELECT * FROM verification_challenges")
    assert not fake.sent(fake.general)


async def test_timeout_hold_challenge_by_private_message_then_lifted(
        timeout_world: World) -> None:
    world, fake = timeout_world, timeout_world.fake
    newbie = fake.person("newbie", in_guild=False)
    await fake.join(newbie)
    row = await challenge_of(world, newbie)
    assert row["via"] == "dm"
    [hold] = fake.of("PATCH", MEMBER)
    assert hold.json["communication_disabled_until"] is not None
    dm_channel = fake.dm_channels[newbie.id]
    [challenge] = list(fake.messages[dm_channel].values())
    ids = custom_ids(challenge)
    assert ids == [f"vigie:verify:{row['id']}:{n}@{fake.guild_id}" for n in range(4)]
    await fake.dm_click(newbie, challenge, ids[row["answer"]])
    lifts = fake.of("PATCH", MEMBER)
    assert len(lifts) == 2 and lifts[1].json["communication_disabled_until"] is None
    assert any("you are in" in m["content"] for m in fake.messages[dm_channel].values())
    assert (await challenge_of(world, newbie))["status"] == "passed"


async def test_timeout_hold_a_wrong_private_answer_kicks(timeout_world: World) -> None:
    world, fake = timeout_world, timeout_world.fake
    bot = fake.person("spambot", in_guild=False)
    await fake.join(bot)
    row = await challenge_of(world, bot)
    [challenge] = list(fake.messages[fake.dm_channels[bot.id]].values())
    await fake.dm_click(bot, challenge, custom_ids(challenge)[(row["answer"] + 1) % 4])
    assert [c.ids["user_id"] for c in fake.of("DELETE", MEMBER)] == [str(bot.id)]
    assert (await challenge_of(world, bot))["status"] == "failed"


async def test_a_restart_mid_challenge_still_takes_the_answer(role_world: World) -> None:
    """A new App on the same database (the same client: discord.py keeps its connection)
    finishes the challenge the old one began."""
    world, fake = role_world, role_world.fake
    newbie = fake.person("newbie", in_guild=False)
    await fake.join(newbie)
    row = await challenge_of(world, newbie)
    await world.app.stop()
    world.app = App(config_path=world.tmp / "rules.yaml", adapters=[world.adapter],
                    store=SqliteStore(str(world.tmp / "vigie.db")),
                    plugin_classes=[ModerationPlugin, VerificationPlugin])
    await world.app.start()
    [job] = await world.rows("SELECT run_at, status FROM jobs WHERE job_key = :k",
                             k=f"verification:deadline:{row['id']}")
    assert job["status"] == "pending" and job["run_at"] == row["deadline"]  # deadline kept
    challenge = next(m for m in fake.messages[fake.general].values()
                     if "Welcome newbie" in m["content"])
    await fake.click(newbie, challenge, custom_ids(challenge)[row["answer"]])
    assert [c.ids["user_id"] for c in fake.of("PUT", ROLE)] == [str(newbie.id)]
    assert (await challenge_of(world, newbie))["status"] == "passed"
