"""A sanction looks its target up on Discord once (one request), not once per step."""

from __future__ import annotations

from tests.e2e.discord.conftest import World

MEMBER = "/guilds/{guild_id}/members/{member_id}"
BAN = "/guilds/{guild_id}/bans/{user_id}"


async def test_a_ban_by_id_looks_the_member_up_once(world: World) -> None:
    """`!ban <id>`: the command finds the member and the sanction checks their roles: one GET."""
    fake = world.fake
    await fake.say(fake.claire, f"!ban {fake.bob.id} spam")
    assert [c.ids["user_id"] for c in fake.of("PUT", BAN)] == [str(fake.bob.id)]
    assert [c.ids["member_id"] for c in fake.of("GET", MEMBER)] == [str(fake.bob.id)]


async def test_a_ban_of_someone_who_left_looks_them_up_once(world: World) -> None:
    """Banning by id someone no longer in the server: Discord says "Unknown Member" once."""
    fake = world.fake
    gone = fake.person("gone", in_guild=False)
    await fake.say(fake.claire, f"!ban {gone.id} raid account")
    assert [c.ids["user_id"] for c in fake.of("PUT", BAN)] == [str(gone.id)]
    assert len(fake.of("GET", MEMBER)) == 1


async def test_each_command_sees_the_member_as_discord_does(world: World) -> None:
    """Two commands about the same member: each looks them up (roles may have changed)."""
    fake = world.fake
    await fake.say(fake.claire, f"!warn {fake.bob.id} one")
    fake.bob.roles.append(fake.admin_role)  # promoted in between
    await fake.say(fake.claire, f"!warn {fake.bob.id} two")
    assert len(fake.of("GET", MEMBER)) == 2
    assert [r["content"] for r in fake.sent(fake.general)][-1] == \
        "Could not warn: bob is admin: the team cannot be sanctioned this way."
