"""Translate in: gateway payloads through discord.py become Vigie's neutral events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord

from bot.events import (
    ButtonClicked,
    CommandInvoked,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    ReactionAdded,
)
from bot.permissions import Role
from tests.e2e.discord.conftest import Listening


async def test_a_message_with_mentions_reply_and_attachment(listening: Listening) -> None:
    """Ids are qualified; the reply's author, the mentions and the files come along."""
    fake, at = listening.fake, listening.at
    first = await fake.say(fake.alice, "hello")
    await fake.say(fake.bob, f"hi <@{fake.claire.id}>", reply_to=first, mentions=[fake.claire],
                   attachments=[{"id": "1", "filename": "cat.png", "size": 2048,
                                 "url": "https://cdn.invalid/cat.png",
                                 "proxy_url": "https://cdn.invalid/cat.png",
                                 "content_type": "image/png"}])
    hello, reply = listening.events
    assert isinstance(hello, MessageCreated) and hello.id == at(first["id"])
    assert (hello.community, hello.channel) == (at(fake.guild_id), at(fake.general))
    assert hello.author.id == at(fake.alice.id) and hello.author.name == "alice"
    assert hello.ts == datetime.fromisoformat(first["timestamp"])
    assert isinstance(reply, MessageCreated)
    assert reply.reply_to == at(first["id"])
    assert reply.reply_to_author is not None and reply.reply_to_author.name == "alice"
    assert [m.name for m in reply.mentions] == ["claire"]
    assert "Moderators" in reply.mentions[0].platform_roles
    assert [(a.filename, a.content_type, a.size) for a in reply.attachments] == [
        ("cat.png", "image/png", 2048)]


async def test_roles_admins_and_the_rule_file_mapping(listening: Listening) -> None:
    """Owner and Administrator are ADMIN; role names, ids and key permissions are listed."""
    fake = listening.fake
    for person in (fake.owner, fake.ada, fake.claire, fake.bob):
        await fake.say(person, "hi")
    owner, ada, claire, bob = (e.author for e in listening.events
                               if isinstance(e, MessageCreated))
    assert (owner.role, ada.role, claire.role, bob.role) == (
        Role.ADMIN, Role.ADMIN, Role.MEMBER, Role.MEMBER)
    assert set(claire.platform_roles) >= {
        "Moderators", f"discord:{fake.cm_role}", str(fake.cm_role),
        "permission:manage_messages"}
    assert "@everyone" not in bob.platform_roles and bob.platform_roles == ()
    assert "permission:administrator" in ada.platform_roles
    assert bob.account_created_at is not None
    assert abs(bob.account_created_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_a_role_change_shows_at_the_next_message(listening: Listening) -> None:
    """What a set of roles grants is remembered per server, and worked out again when a role
    is edited (GUILD_ROLE_UPDATE): Administrator given to Moderators makes claire an admin, and
    a renamed role shows under its new name."""
    fake = listening.fake
    await fake.say(fake.claire, "before")
    role = fake.roles[fake.cm_role]
    role["permissions"] = str(int(role["permissions"]) | discord.Permissions(
        administrator=True).value)
    role["name"] = "Team"
    await fake.send("GUILD_ROLE_UPDATE", {"guild_id": str(fake.guild_id), "role": role})
    await fake.say(fake.claire, "after")
    before, after = (e.author for e in listening.events if isinstance(e, MessageCreated))
    assert before.role == Role.MEMBER and "Moderators" in before.platform_roles
    assert after.role == Role.ADMIN and "Team" in after.platform_roles
    assert "Moderators" not in after.platform_roles


async def test_what_vigie_ignores(listening: Listening) -> None:
    """Its own messages, other bots, webhooks, system notices and DMs are not members talking."""
    fake = listening.fake
    await fake.say(fake.bot, "my own answer")
    helper = fake.person("helper-bot", bot=True)
    await fake.say(helper, "!warn everyone")
    await fake.say(fake.bob, "via webhook", webhook_id="123")
    await fake.say(fake.bob, "", type=7)  # "bob joined the server"
    dm = fake.message_payload(fake.bob, "hello bot", 555)
    del dm["guild_id"], dm["member"]
    await fake.send("MESSAGE_CREATE", dm)
    assert listening.events == []


async def test_edits_are_read_again_but_not_link_previews(listening: Listening) -> None:
    """MESSAGE_UPDATE with a new edit time is an edit; a preview update or a repeat is not."""
    fake = listening.fake
    message = await fake.say(fake.bob, "first")
    await fake.send("MESSAGE_UPDATE", {**message, "embeds": [{"type": "link"}]})
    edited = await fake.edit(message, "second")
    await fake.send("MESSAGE_UPDATE", {**edited, "embeds": [{"type": "link"}]})
    edits = [e for e in listening.events if isinstance(e, MessageEdited)]
    assert [(e.id, e.text) for e in edits] == [(listening.at(message["id"]), "second")]


async def test_deletions_joins_leaves_and_reactions(listening: Listening) -> None:
    """Raw events need no cache: deletes (bulk too), joins with account age, leaves, reactions."""
    fake, at = listening.fake, listening.at
    newcomer = fake.person("newbie", created=datetime.now(UTC) - timedelta(hours=2),
                           in_guild=False)
    await fake.join(newcomer)
    await fake.send("MESSAGE_DELETE", {"id": "42", "channel_id": str(fake.general),
                                       "guild_id": str(fake.guild_id)})
    await fake.send("MESSAGE_DELETE_BULK", {"ids": ["43", "44"], "channel_id": str(fake.general),
                                            "guild_id": str(fake.guild_id)})
    await fake.send("MESSAGE_REACTION_ADD", {
        "user_id": str(fake.bob.id), "channel_id": str(fake.general), "message_id": "45",
        "guild_id": str(fake.guild_id), "emoji": {"id": None, "name": "🎉"},
        "member": fake.bob.member(), "burst": False, "type": 0})
    await fake.send("GUILD_MEMBER_REMOVE", {"guild_id": str(fake.guild_id),
                                            "user": newcomer.user()})
    joined, *deleted, reaction, left = listening.events
    assert isinstance(joined, MemberJoined) and joined.user.name == "newbie"
    assert joined.user.account_created_at is not None
    assert datetime.now(UTC) - joined.user.account_created_at > timedelta(hours=1, minutes=59)
    assert [(type(e), e.message_id) for e in deleted] == [  # type: ignore[attr-defined]
        (MessageDeleted, at(42)), (MessageDeleted, at(43)), (MessageDeleted, at(44))]
    assert isinstance(reaction, ReactionAdded)
    assert (reaction.emoji, reaction.message_id, reaction.user.name) == ("🎉", at(45), "bob")
    assert isinstance(left, MemberLeft) and left.user.id == at(newcomer.id)


async def test_slash_options_become_the_command_line(listening: Listening) -> None:
    """Options in the command's order; members as mentions, with their roles; channels too."""
    fake, adapter = listening.fake, listening.adapter
    from bot.commands.spec import CommandSpec, Param
    from bot.i18n import Catalog

    specs = [CommandSpec("ban", "moderation", Role.CM, (
        Param("member", "member", True), Param("duration", "duration", False),
        Param("reason", "rest", False))),
        CommandSpec("slowmode", "moderation", Role.CM, (
            Param("setting", "word", True), Param("channel", "channel", False)))]
    await adapter.publish_commands(specs, Catalog())
    await fake.slash(fake.claire, "ban", [
        {"name": "reason", "type": 3, "value": "spam\nand ads"},
        {"name": "member", "type": 6, "value": str(fake.ada.id)},
        {"name": "duration", "type": 3, "value": "7d"}], locale="fr")
    await fake.slash(fake.claire, "slowmode", [
        {"name": "setting", "type": 3, "value": "30 s"},
        {"name": "channel", "type": 7, "value": str(fake.alerts)}])
    ban, slowmode = listening.events
    assert isinstance(ban, CommandInvoked) and ban.name == "ban"
    assert ban.args == f"<@{fake.ada.id}> 7d spam and ads"
    assert ban.author.language == "fr" and ban.author.name == "claire"
    assert [(m.name, m.role) for m in ban.mentions] == [("ada", Role.ADMIN)]
    assert ban.reply_to is None
    assert dict(ban.options) == {"member": str(fake.ada.id), "duration": "7d",
                                 "reason": "spam\nand ads"}
    assert isinstance(slowmode, CommandInvoked)
    assert slowmode.args == f'"30 s" <#{fake.alerts}>'


async def test_the_discord_language_is_remembered_for_messages(listening: Listening) -> None:
    """Messages carry no language: the one seen on the member's interactions is used."""
    fake = listening.fake
    message = await fake.say(fake.bob, "hello")
    from bot.adapters.base import RenderedButton

    await listening.adapter.send_message(listening.at(fake.general), "pick",
                                         buttons=[RenderedButton("b1", "B")])
    await fake.click(fake.bob, message, "vigie:b1", locale="fr")
    await fake.say(fake.bob, "bonjour")
    first, click, later = listening.events
    assert isinstance(first, MessageCreated) and first.author.language is None
    assert isinstance(click, ButtonClicked) and click.custom_id == "b1"
    assert isinstance(later, MessageCreated) and later.author.language == "fr"
