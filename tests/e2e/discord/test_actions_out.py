"""Actions out: the REST calls each action makes, and every refusal explained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.adapters.base import ActionResult, RenderedButton
from bot.events import User
from bot.i18n import Catalog
from tests.e2e.discord.conftest import Listening
from tests.e2e.discord.fake import BOT_PERMISSIONS, Person

SEND = "/channels/{channel_id}/messages"
DELETE = "/channels/{channel_id}/messages/{message_id}"
BULK = "/channels/{channel_id}/messages/bulk-delete"
MEMBER = "/guilds/{guild_id}/members/{user_id}"
BAN = "/guilds/{guild_id}/bans/{user_id}"
OVERWRITE = "/channels/{channel_id}/permissions/{target}"
CATALOG = Catalog()


def said(result: ActionResult, lang: str = "en") -> str:
    """What people are told about a result."""
    assert result.explanation is not None, result
    return CATALOG.text(result.explanation, lang)


def user(person: Person) -> User:
    """The neutral member."""
    return User(id=f"discord:{person.id}", name=person.name)


def soon(minutes: int = 10) -> datetime:
    """A moment from now."""
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def test_long_text_is_cut_and_buttons_go_under_the_last_part(listening: Listening) -> None:
    """Discord's 2,000 characters: cut at line ends; buttons under the last message."""
    fake, adapter = listening.fake, listening.adapter
    text = "\n".join(f"line {i:04d} " + "x" * 90 for i in range(30))
    result = await adapter.send_message(listening.at(fake.general), text,
                                        buttons=[RenderedButton("a", "Yes"),
                                                 RenderedButton("b", "No")])
    bodies = fake.sent(fake.general)
    assert len(bodies) == 2 and all(len(b["content"]) <= 2000 for b in bodies)
    assert "\n".join(b["content"] for b in bodies) == text
    assert "components" not in bodies[0] or bodies[0]["components"] == []
    buttons = bodies[1]["components"][0]["components"]
    assert [(b["custom_id"], b["label"]) for b in buttons] == [
        ("vigie:a", "Yes"), ("vigie:b", "No")]
    assert result.message_id == f"discord:{max(fake.messages[fake.general])}"


async def test_button_limits_are_explained(listening: Listening) -> None:
    """More than 25 buttons, or an id Discord cannot hold, is refused before any call."""
    adapter, channel = listening.adapter, listening.at(listening.fake.general)
    many = await adapter.send_message(channel, "x", buttons=[
        RenderedButton(f"b{i}", str(i)) for i in range(26)])
    assert many.status == "unsupported" and "at most 25 buttons" in said(many)
    long_id = await adapter.send_message(channel, "x", buttons=[RenderedButton("x" * 95, "L")])
    assert long_id.status == "unsupported" and "1 to 94 characters" in said(long_id)
    assert listening.fake.sent() == []


async def test_alerts_are_embeds_and_need_a_channel(listening: Listening) -> None:
    """Alerts go to the alerts channel as embeds; without one, the rule file is named."""
    fake, adapter = listening.fake, listening.adapter
    ok = await adapter.send_alert(listening.at(fake.guild_id), listening.at(fake.alerts),
                                  "Case #3 · ban · bob")
    assert ok.succeeded
    [body] = fake.sent(fake.alerts)
    assert body["embeds"][0]["description"] == "Case #3 · ban · bob"
    missing = await adapter.send_alert(listening.at(fake.guild_id), None, "lost?")
    assert missing.status == "unsupported"
    assert "no alerts_channel" in said(missing) and "alerts_channel" in said(missing, "fr")


async def test_unknown_or_foreign_channels(listening: Listening) -> None:
    """A channel Discord does not know, or another platform's, is a clear failure."""
    adapter = listening.adapter
    unknown = await adapter.send_message("discord:123456789012345678", "hi")
    assert unknown.status == "failed" and "does not exist" in said(unknown)
    foreign = await adapter.set_slowmode("telegram:-100123", 10, reason="x")
    assert foreign.status == "failed" and "is not a Discord channel" in said(foreign)


async def test_bulk_delete_within_14_days_and_one_by_one_beyond(listening: Listening) -> None:
    """Up to 100 per bulk call for recent messages; older ones one by one."""
    fake, adapter = listening.fake, listening.adapter
    recent = [await fake.say(fake.bob, f"m{i}") for i in range(150)]
    old_ids = [fake.snowflake(datetime.now(UTC) - timedelta(days=20)) for _ in range(2)]
    for old in old_ids:
        fake.messages[fake.general][old] = {"id": str(old)}
    ids = [listening.at(m["id"]) for m in recent] + [listening.at(i) for i in old_ids]
    results = await adapter.delete_messages(listening.at(fake.general), ids, reason="purge")
    assert [r.status for r in results] == ["ok"] * 152
    assert [len(c.json["messages"]) for c in fake.of("POST", BULK)] == [100, 50]
    assert fake.of("POST", BULK)[0].reason == "purge"
    assert sorted(int(c.ids["message_id"]) for c in fake.of("DELETE", DELETE)) == sorted(old_ids)


async def test_a_refused_bulk_delete_falls_back_to_single_deletes(listening: Listening) -> None:
    """A 400 on the batch: each message is tried alone, each with its own result."""
    fake, adapter = listening.fake, listening.adapter
    kept = [await fake.say(fake.bob, f"m{i}") for i in range(3)]
    fake.fail("POST", BULK, 400, 50034, "You can only bulk delete messages under 14 days old")
    ids = [listening.at(m["id"]) for m in kept] + [listening.at(fake.snowflake())]
    results = await adapter.delete_messages(listening.at(fake.general), ids, reason="purge")
    assert [r.status for r in results] == ["ok", "ok", "ok", "failed"]
    assert said(results[3]) == "the message no longer exists."


async def test_a_forbidden_delete_names_the_permission_and_the_channel(
        listening: Listening) -> None:
    """403: Vigie lacks Manage Messages in #general (by its role and the channel's overwrites)."""
    fake, adapter = listening.fake, listening.adapter
    message = await fake.say(fake.bob, "x")
    await fake.set_bot_permissions(BOT_PERMISSIONS & ~discord.Permissions(manage_messages=True))
    fake.fail("DELETE", DELETE, 403, 50013, "Missing Permissions")
    result = await adapter.delete_message(listening.at(fake.general),
                                          listening.at(message["id"]), reason="x")
    assert result.status == "failed"
    assert result.detail == "missing permission Manage Messages in #general"
    assert said(result, "fr").startswith(
        "Vigie n'a pas la permission « Gérer les messages » dans #general")
    many = await adapter.delete_messages(listening.at(fake.general),
                                         [listening.at(message["id"])] * 2, reason="x")
    fake.fail("POST", BULK, 403, 50013, "Missing Permissions")
    many = await adapter.delete_messages(
        listening.at(fake.general),
        [listening.at((await fake.say(fake.bob, f"y{i}"))["id"]) for i in range(2)], reason="x")
    assert [r.detail for r in many] == ["missing permission Manage Messages in #general"] * 2


async def test_timeouts(listening: Listening) -> None:
    """Timeout and its lifting patch the member; 28 days at most; an absent member is named."""
    fake, adapter, community = listening.fake, listening.adapter, listening.at(
        listening.fake.guild_id)
    until = soon(60)
    assert (await adapter.timeout_member(community, user(fake.bob), until, reason="calm")).succeeded
    patch = fake.of("PATCH", MEMBER)[-1]
    assert patch.json == {"communication_disabled_until": until.isoformat()}
    assert patch.reason == "calm"
    assert (await adapter.remove_timeout(community, user(fake.bob), reason="ok")).succeeded
    assert fake.of("PATCH", MEMBER)[-1].json == {"communication_disabled_until": None}
    too_long = await adapter.timeout_member(community, user(fake.bob),
                                            soon(60 * 24 * 30), reason="x")
    assert too_long.status == "unsupported" and "28 days" in said(too_long)
    gone = fake.person("ghost", in_guild=False)
    absent = await adapter.timeout_member(community, user(gone), until, reason="x")
    assert absent.status == "failed" and said(absent) == "ghost is not a member of this server."


async def test_role_hierarchy_owner_and_administrators(listening: Listening) -> None:
    """403 on a member: which role must move, or why Discord protects them."""
    fake, adapter = listening.fake, listening.adapter
    community = listening.at(fake.guild_id)
    senior_role = fake.role(fake.snowflake(), "Senior", discord.Permissions.none(), position=7)
    await fake.send("GUILD_ROLE_CREATE", {"guild_id": str(fake.guild_id),
                                          "role": fake.roles[senior_role]})
    senior = fake.person("max", roles=[senior_role])
    fake.fail("PATCH", MEMBER, 403, 50013, "Missing Permissions")
    fake.fail("PUT", BAN, 403, 50013, "Missing Permissions")
    high = await adapter.timeout_member(community, user(senior), soon(), reason="x")
    assert said(high) == ("Vigie's highest role (Vigie) is not above max's highest role (Senior):"
                          " drag Vigie's role higher in Server Settings → Roles.")
    admin = await adapter.timeout_member(community, user(fake.ada), soon(), reason="x")
    assert said(admin).startswith("ada has the Administrator permission")
    owner = await adapter.ban_member(community, user(fake.owner), reason="x")
    assert said(owner).startswith("oscar owns the server")


async def test_kick_ban_and_unban(listening: Listening) -> None:
    """Kick and ban by id (audit-log reason); a ban deletes at most 7 days; unban of no ban."""
    fake, adapter, community = listening.fake, listening.adapter, listening.at(
        listening.fake.guild_id)
    assert (await adapter.kick_member(community, user(fake.alice), reason="bye")).succeeded
    assert fake.of("DELETE", MEMBER)[-1].reason == "bye"
    banned = await adapter.ban_member(community, user(fake.bob), reason="ads",
                                      delete_message_seconds=30 * 86400)
    assert banned.succeeded and "7 days" in banned.detail
    assert fake.of("PUT", BAN)[-1].params == {"delete_message_seconds": 604800}
    assert (await adapter.unban_member(community, user(fake.bob), reason="ok")).succeeded
    again = await adapter.unban_member(community, user(fake.bob), reason="ok")
    assert again.status == "failed" and said(again) == "bob is not banned."


async def test_dms_and_closed_inboxes(listening: Listening) -> None:
    """A DM opens the private channel; a member who closed DMs is a clear failure."""
    fake, adapter = listening.fake, listening.adapter
    assert (await adapter.send_dm(user(fake.bob), "You received a warning")).succeeded
    assert [b["content"] for b in fake.sent(fake.dm_channels[fake.bob.id])] == [
        "You received a warning"]
    fake.dm_closed.add(fake.alice.id)
    closed = await adapter.send_dm(user(fake.alice), "hello")
    assert closed.status == "failed"
    assert said(closed, "fr").startswith("alice n'accepte pas les messages privés")


@pytest.mark.parametrize(("status", "code", "expected"), [
    (429, 0, "Discord is limiting Vigie's requests right now: try again in a minute."),
    (503, 0, "Discord had a server error (503): try again in a moment."),
    (400, 50035, "Discord refused (400): Invalid Form Body"),
])
async def test_rate_limits_and_server_errors(listening: Listening, status: int, code: int,
                                             expected: str) -> None:
    """What discord.py could not wait out or retry comes back as a clear failure, once."""
    fake, adapter = listening.fake, listening.adapter
    fake.fail("PATCH", "/channels/{channel_id}", status, code, "Invalid Form Body")
    result = await adapter.set_slowmode(listening.at(fake.general), 30, reason="x")
    assert result.status == "failed" and said(result) == expected
    assert len(fake.of("PATCH", "/channels/{channel_id}")) == 1  # Vigie itself never retries


async def test_slowmode(listening: Listening) -> None:
    """Discord's channel slowmode, up to 6 hours; the missing permission is named."""
    fake, adapter, channel = listening.fake, listening.adapter, listening.at(listening.fake.general)
    assert (await adapter.set_slowmode(channel, 30, reason="calm")).succeeded
    assert fake.channels[fake.general]["rate_limit_per_user"] == 30
    assert (await adapter.set_slowmode(channel, 0, reason="off")).succeeded
    assert fake.channels[fake.general]["rate_limit_per_user"] == 0
    too_slow = await adapter.set_slowmode(channel, 21601, reason="x")
    assert too_slow.status == "unsupported" and "6 hours" in said(too_slow)
    await fake.set_bot_permissions(BOT_PERMISSIONS & ~discord.Permissions(manage_channels=True))
    fake.fail("PATCH", "/channels/{channel_id}", 403, 50013, "Missing Permissions")
    refused = await adapter.set_slowmode(channel, 30, reason="x")
    assert refused.detail == "missing permission Manage Channels in #general"


def _overwrite(fake: object, channel: int, target: int) -> discord.PermissionOverwrite | None:
    for entry in fake.channels[channel]["permission_overwrites"]:  # type: ignore[attr-defined]
        if entry["id"] == str(target):
            return discord.PermissionOverwrite.from_pair(
                discord.Permissions(int(entry["allow"])), discord.Permissions(int(entry["deny"])))
    return None


async def test_lock_and_unlock_restore_what_was_there(listening: Listening) -> None:
    """Lock denies @everyone posting, keeps Vigie posting; unlock puts back the old overwrite."""
    fake, adapter, channel = listening.fake, listening.adapter, listening.at(listening.fake.general)
    before = discord.PermissionOverwrite(add_reactions=False)
    allow, deny = before.pair()
    fake.channels[fake.general]["permission_overwrites"] = [
        {"id": str(fake.guild_id), "type": 0, "allow": str(allow.value), "deny": str(deny.value)}]
    await fake.send("CHANNEL_UPDATE", fake.channels[fake.general])
    assert (await adapter.lock_channel(channel, reason="raid")).succeeded
    await fake.send("CHANNEL_UPDATE", fake.channels[fake.general])
    locked = _overwrite(fake, fake.general, fake.guild_id)
    assert locked is not None and locked.send_messages is False
    assert locked.add_reactions is False and locked.create_public_threads is False
    mine = _overwrite(fake, fake.general, fake.bot.id)
    assert mine is not None and mine.send_messages is True
    assert fake.of("PUT", OVERWRITE)[-1].reason == "raid"
    assert (await adapter.unlock_channel(channel, reason="calm")).succeeded
    await fake.send("CHANNEL_UPDATE", fake.channels[fake.general])
    assert _overwrite(fake, fake.general, fake.guild_id) == before


async def test_unlock_after_a_restart_only_lifts_the_lock(listening: Listening) -> None:
    """Without memory of the lock, unlock clears only what a lock sets; an empty one is removed."""
    fake, adapter, channel = listening.fake, listening.adapter, listening.at(listening.fake.general)
    locked = discord.PermissionOverwrite(send_messages=False, send_messages_in_threads=False)
    allow, deny = locked.pair()
    fake.channels[fake.general]["permission_overwrites"] = [
        {"id": str(fake.guild_id), "type": 0, "allow": str(allow.value), "deny": str(deny.value)}]
    await fake.send("CHANNEL_UPDATE", fake.channels[fake.general])
    assert (await adapter.unlock_channel(channel, reason="calm")).succeeded
    assert _overwrite(fake, fake.general, fake.guild_id) is None
    assert fake.of("DELETE", OVERWRITE)


async def test_lookup_and_find_members(listening: Listening) -> None:
    """A member by id (roles included), and by name through Discord's member search."""
    fake, adapter, community = listening.fake, listening.adapter, listening.at(
        listening.fake.guild_id)
    found = await adapter.lookup_member(community, listening.at(fake.claire.id))
    assert found is not None and "Moderators" in found.platform_roles
    assert await adapter.lookup_member(community, listening.at(fake.person(
        "outsider", in_guild=False).id)) is None
    assert await adapter.lookup_member("telegram:1", listening.at(fake.bob.id)) is None
    by_global_name = await adapter.find_members(community, "@Bobby")
    assert [u.id for u in by_global_name] == [listening.at(fake.bob.id)]
    assert await adapter.find_members(community, "nobody") == []
