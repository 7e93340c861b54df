"""Bans, kicks and timeouts done in Discord's own menus reach the case log once: audit log
entries through a real discord.py client on the fake Discord, both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.discord.fake import BOT_ID, FakeDiscord, Person
from tests.platform_actions.conftest import StartDiscord, Started

RULES = """\
version: 1
defaults:
  language: en
  roles:
    cm: ["Moderators"]
communities:
  "discord:{guild}":
    name: Brand HQ
    alerts_channel: "discord:{alerts}"
"""
BAN, UNBAN, KICK, MEMBER_UPDATE = 22, 23, 20, 24


def entry(fake: FakeDiscord, action: int, actor: int, target: Person, reason: str | None = None,
          changes: list[dict[str, Any]] | None = None, entry_id: int | None = None
          ) -> dict[str, Any]:
    """GUILD_AUDIT_LOG_ENTRY_CREATE as the gateway sends it."""
    return {"guild_id": str(fake.guild_id), "id": str(entry_id or fake.snowflake()),
            "user_id": str(actor), "target_id": str(target.id), "action_type": action,
            "reason": reason, "changes": changes or [], "options": None}


async def start(start_discord: StartDiscord) -> Started:
    """Vigie with moderation only."""
    return await start_discord(lambda fake: RULES.format(guild=fake.guild_id,
                                                         alerts=fake.alerts))


async def test_a_ban_in_discords_menu_is_one_case_by_that_moderator(
        start_discord: StartDiscord) -> None:
    """claire bans bob from Discord's menu: a ban case authored by claire, with her reason;
    the entry delivered again (a resumed gateway session) records nothing more."""
    world = await start(start_discord)
    fake = world.fake
    ban = entry(fake, BAN, fake.claire.id, fake.bob, reason="raid account")
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", ban)
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", ban)
    cases = await world.cases()
    assert len(cases) == 1, cases
    case = cases[0]
    assert (case["action"], case["target_id"], case["author_id"], case["author_name"],
            case["reason"]) == ("ban", f"discord:{fake.bob.id}", f"discord:{fake.claire.id}",
                                "claire", "raid account")
    assert case["duration_s"] is None and "Discord" in case["evidence"]
    alerts = fake.sent(fake.alerts)
    assert any("#1" in f"{m.get('content')}{m.get('embeds')}" for m in alerts)
    assert not fake.of("PUT", "/guilds/{guild_id}/bans/{user_id}")  # nothing done again

    await fake.say(fake.claire, f"!cases <@{fake.bob.id}>")
    assert "raid account" in fake.sent(fake.general)[-1]["content"]


async def test_a_ban_by_vigie_is_not_recorded_twice(start_discord: StartDiscord) -> None:
    """`!ban` through Vigie: Discord's audit log names the bot as the actor; and a moderator's
    entry for the same ban right after Vigie's case is Vigie's too."""
    world = await start(start_discord)
    fake = world.fake
    await fake.say(fake.claire, f"!ban <@{fake.bob.id}> spam")
    assert len(fake.of("PUT", "/guilds/{guild_id}/bans/{user_id}")) == 1
    assert [c["action"] for c in await world.cases()] == ["ban"]
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE",
                    entry(fake, BAN, BOT_ID, fake.bob, reason="case #1: spam"))
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE",
                    entry(fake, BAN, fake.claire.id, fake.bob, reason="spam"))
    cases = await world.cases()
    assert len(cases) == 1, cases
    assert cases[0]["author_id"] == f"discord:{fake.claire.id}"


async def test_timeouts_kicks_and_unbans_from_the_menus(start_discord: StartDiscord) -> None:
    """A timeout has its duration; Vigie's own timeout coming back is ignored; an unban in
    Discord ends the active ban case and is recorded; a kick by an admin too."""
    world = await start(start_discord)
    fake = world.fake
    until = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", entry(
        fake, MEMBER_UPDATE, fake.claire.id, fake.alice, reason="calm down", changes=[
            {"key": "communication_disabled_until", "new_value": until.isoformat()}]))
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", entry(
        fake, MEMBER_UPDATE, BOT_ID, fake.bob, changes=[
            {"key": "communication_disabled_until", "new_value": until.isoformat()}]))
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", entry(
        fake, MEMBER_UPDATE, fake.claire.id, fake.alice, changes=[
            {"key": "nick", "old_value": None, "new_value": "Ally"}]))  # not a sanction
    cases = await world.cases()
    assert [(c["action"], c["target_id"], c["reason"]) for c in cases] == [
        ("timeout", f"discord:{fake.alice.id}", "calm down")]
    assert 7000 <= cases[0]["duration_s"] <= 7200

    await fake.say(fake.claire, f"!ban <@{fake.bob.id}> 7d spam")
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", entry(
        fake, UNBAN, fake.ada.id, fake.bob, reason="appeal accepted"))
    await fake.send("GUILD_AUDIT_LOG_ENTRY_CREATE", entry(fake, KICK, fake.ada.id, fake.alice))
    cases = await world.cases()
    assert [(c["action"], c["author_id"], c["status"]) for c in cases] == [
        ("timeout", f"discord:{fake.claire.id}", "active"),
        ("ban", f"discord:{fake.claire.id}", "expired"),
        ("unban", f"discord:{fake.ada.id}", "active"),
        ("kick", f"discord:{fake.ada.id}", "active")]
    assert cases[1]["status_reason"] == "appeal accepted"
    await fake.say(fake.claire, f"!cases <@{fake.bob.id}>")
    history = fake.sent(fake.general)[-1]["content"]
    assert "appeal accepted" in history and "done" in history  # the unban, as CMs read it
    jobs = await world.app.store.fetch_all(
        "SELECT * FROM jobs WHERE job_key = :k AND status = 'pending'",
        {"k": f"lift:{world.community}:discord:{fake.bob.id}:ban"})
    assert jobs == []  # the 7-day ban's lift is cancelled: Discord already lifted it
