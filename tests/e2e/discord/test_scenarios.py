"""The issue's scenarios, end to end: Discord payloads in, the App decides, REST calls out."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import discord
import pytest

from bot.actions import Button, Decision, Reply, Send
from bot.events import ButtonClicked, MessageCreated
from bot.i18n import Localized
from bot.plugin import EventContext, Phase, Plugin, hook
from plugins.moderation import ModerationPlugin
from tests.e2e.discord.conftest import World, start_world
from tests.e2e.discord.fake import BOT_PERMISSIONS

SEND = "/channels/{channel_id}/messages"
DELETE = "/channels/{channel_id}/messages/{message_id}"
ORIGINAL = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"


def embeds(world: World, channel: int) -> list[str]:
    """Descriptions of the embeds Vigie posted in a channel."""
    return [e["description"] for body in world.fake.sent(channel) for e in body.get("embeds", ())]


def dms(world: World, person: Any) -> list[str]:
    """What Vigie wrote privately to someone."""
    channel = world.fake.dm_channels.get(person.id)
    return [] if channel is None else [b["content"] for b in world.fake.sent(channel)]


def user_option(person: Any, name: str = "member") -> dict[str, Any]:
    """A slash-command option naming a member."""
    return {"name": name, "type": 6, "value": str(person.id)}


def text_option(name: str, value: str) -> dict[str, Any]:
    """A slash-command string option."""
    return {"name": name, "type": 3, "value": value}


async def test_an_insult_is_deleted_and_the_case_posted(world: World) -> None:
    """Automod deletes the insult, opens a case, tells the member and posts the case to CMs."""
    fake = world.fake
    message = await fake.say(fake.bob, "shut the fuck up alice")
    deleted = fake.of("DELETE", DELETE)
    assert [c.ids["message_id"] for c in deleted] == [message["id"]]
    assert int(message["id"]) not in fake.messages[fake.general]
    assert embeds(world, fake.alerts) == [
        "Case #1 · warn · bob · by Vigie (automod/insults) — insult or hate speech"]
    assert dms(world, fake.bob) == [
        "You received a warning in Brand HQ (case #1): insult or hate speech.\n"
        "To appeal: write to appeals@example.org"]
    cases = await world.rows("SELECT action, target_id, status, evidence FROM cases")
    assert cases == [{"action": "warn", "target_id": world.at(fake.bob.id), "status": "active",
                      "evidence": cases[0]["evidence"]}]
    assert "automod/insults" in cases[0]["evidence"]
    assert fake.sent(fake.general) == []  # nothing said in public


async def test_a_cm_warns_with_a_prefix_command(world: World) -> None:
    """`!warn @bob reason` by a member of the Moderators role (a CM by the rule file)."""
    fake = world.fake
    await fake.say(fake.claire, f"!warn <@{fake.bob.id}> spam links", mentions=[fake.bob])
    replies = fake.sent(fake.general)
    assert [r["content"] for r in replies] == [
        "Case #1 · warn · bob · by claire — spam links"]
    assert replies[0]["allowed_mentions"] == {"parse": ["users"]}  # never @everyone or roles
    assert embeds(world, fake.alerts) == ["Case #1 · warn · bob · by claire — spam links"]
    assert dms(world, fake.bob)[0].startswith("You received a warning in Brand HQ (case #1)")


async def test_a_cm_warns_with_the_slash_command(world: World) -> None:
    """/warn member:bob reason:…: deferred at once, answered in the interaction's response."""
    fake = world.fake
    await fake.slash(fake.claire, "warn", [user_option(fake.bob),
                                           text_option("reason", "spam links")])
    callback = fake.of("POST", CALLBACK)
    assert [c.json["type"] for c in callback] == [5]  # deferred, "Vigie is thinking…"
    answers = fake.of("PATCH", ORIGINAL)
    assert [a.json["content"] for a in answers] == [
        "Case #1 · warn · bob · by claire — spam links"]
    assert fake.sent(fake.general) == []  # the answer is the interaction's, not a new post
    assert embeds(world, fake.alerts) == ["Case #1 · warn · bob · by claire — spam links"]
    cases = await world.rows("SELECT author_id, target_name, reason FROM cases")
    assert cases == [{"author_id": world.at(fake.claire.id), "target_name": "bob",
                      "reason": "spam links"}]


async def test_the_slash_answer_follows_the_discord_language(world: World) -> None:
    """A CM whose Discord is in French gets the answer in French; CMs' alerts stay English."""
    fake = world.fake
    await fake.slash(fake.claire, "warn", [user_option(fake.bob)], locale="fr")
    answers = fake.of("PATCH", ORIGINAL)
    assert answers[0].json["content"] == \
        "Cas n°1 · avertissement · bob · par claire — -"
    assert embeds(world, fake.alerts) == ["Case #1 · warn · bob · by claire — -"]


async def test_a_member_trying_a_cm_command_is_told_once(world: World) -> None:
    """Prefix or slash: refused, told once, then ignored; nobody is sanctioned."""
    fake = world.fake
    await fake.say(fake.bob, f"!warn <@{fake.alice.id}> you", mentions=[fake.alice])
    await fake.say(fake.bob, f"!warn <@{fake.alice.id}> again", mentions=[fake.alice])
    assert [r["content"] for r in fake.sent(fake.general)] == [
        "!warn is reserved for the community team."]
    await fake.slash(fake.alice, "ban", [user_option(fake.bob)])
    await fake.slash(fake.alice, "ban", [user_option(fake.bob)])
    answered = [a.json["content"] for a in fake.of("PATCH", ORIGINAL)]
    assert answered == ["/ban is reserved for the community team."]
    assert len(fake.of("DELETE", ORIGINAL)) == 1  # the ignored second try leaves no "thinking"
    assert await world.rows("SELECT id FROM cases") == []
    assert not fake.of("PUT", "/guilds/{guild_id}/bans/{user_id}")


async def test_a_cm_cannot_sanction_an_admin_by_id(world: World) -> None:
    """A bare id is looked up on Discord: its roles count, so a CM cannot warn an admin."""
    fake = world.fake
    await fake.say(fake.claire, f"!warn {fake.ada.id} no reason")
    assert [r["content"] for r in fake.sent(fake.general)] == [
        "Could not warn: ada is admin: the team cannot be sanctioned this way."]
    assert await world.rows("SELECT id FROM cases") == []


async def test_an_edit_that_turns_a_message_abusive(world: World) -> None:
    """Automod reads edits; a link-preview update (no new edit time) is not read twice."""
    fake = world.fake
    message = await fake.say(fake.bob, "have a nice day")
    assert not fake.of("DELETE", DELETE)
    edited = await fake.edit(message, "have a nice day, motherfucker")
    assert [c.ids["message_id"] for c in fake.of("DELETE", DELETE)] == [message["id"]]
    await fake.send("MESSAGE_UPDATE", {**edited, "embeds": [{"type": "link", "url": "x"}]})
    assert len(fake.of("DELETE", DELETE)) == 1
    assert len(await world.rows("SELECT id FROM cases")) == 1


async def test_a_join_burst_turns_raid_mode_on(world: World) -> None:
    """Three joins within a minute: #general is locked for @everyone and the CMs alerted."""
    fake = world.fake
    for name in ("r1", "r2", "r3"):
        await fake.join(fake.person(name, in_guild=False))
    overwrites = {o["id"]: o for o in fake.channels[fake.general]["permission_overwrites"]}
    everyone = discord.PermissionOverwrite.from_pair(
        discord.Permissions(int(overwrites[str(fake.guild_id)]["allow"])),
        discord.Permissions(int(overwrites[str(fake.guild_id)]["deny"])))
    assert everyone.send_messages is False and everyone.send_messages_in_threads is False
    mine = overwrites[str(fake.bot.id)]
    assert discord.Permissions(int(mine["allow"])).send_messages  # Vigie can still post
    alerts = embeds(world, fake.alerts)
    assert alerts[0].startswith("Raid mode: 3 members joined within 1m.")


async def test_a_forbidden_delete_alerts_the_cms_with_the_missing_permission(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Vigie's role lost Manage Messages: the CMs are told which permission, where, in French."""
    world = await start_world(tmp_path, monkeypatch, language="fr")
    fake = world.fake
    try:
        await fake.set_bot_permissions(BOT_PERMISSIONS & ~discord.Permissions(
            manage_messages=True))
        fake.fail("DELETE", DELETE, 403, 50013, "Missing Permissions")
        await fake.say(fake.bob, "fuck you all")
        alerts = embeds(world, fake.alerts)
        assert "Échec (suppression du message) : Vigie n'a pas la permission « Gérer les " \
               "messages » dans #general" in alerts[-1]
        cases = await world.rows("SELECT action FROM cases")
        assert cases == [{"action": "warn"}]  # the warning itself still stands
    finally:
        await world.app.stop()


class Contest(Plugin):
    """Posts a message with a button; answers a click on it."""

    name: ClassVar[str] = "contest_probe"

    @hook(Phase.RESPOND, MessageCreated)
    async def announce(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """`contest` posts the entry button."""
        if event.text != "contest":
            return None
        return Decision(rule="announce", actions=(Send(
            channel=event.channel, text=Localized.of({"en": "Win a mug!", "fr": "Un mug !"}),
            buttons=(Button(custom_id="enter:1", label=Localized.of(
                {"en": "Enter", "fr": "Participer"})),)),))

    @hook(Phase.RESPOND, ButtonClicked)
    async def entered(self, event: ButtonClicked, ctx: EventContext) -> Decision:
        """Confirm the entry to the member who clicked."""
        return Decision(rule="enter", actions=(Reply(
            channel=event.channel, message_id=event.message_id, text=Localized.of(
                {"en": f"{event.user.name} entered ({event.custom_id})",
                 "fr": f"{event.user.name} participe ({event.custom_id})"})),))


async def test_a_button_click(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A button under Vigie's message: the click is acknowledged and answered privately."""
    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin, Contest))
    fake = world.fake
    try:
        await fake.say(fake.alice, "contest")
        posted = fake.sent(fake.general)
        assert posted[0]["content"] == "Win a mug!"
        button = posted[0]["components"][0]["components"][0]
        assert (button["custom_id"], button["label"]) == ("vigie:enter:1", "Enter")
        message = fake.messages[fake.general][max(fake.messages[fake.general])]
        await fake.click(fake.bob, message, "vigie:enter:1", locale="fr")
        assert [c.json["type"] for c in fake.of("POST", CALLBACK)] == [6]  # deferred update
        followups = fake.of("POST", FOLLOWUP)
        assert [(f.json["content"], f.json["flags"]) for f in followups] == [
            ("bob participe (enter:1)", 64)]  # in the clicker's language, for them only
        await fake.click(fake.bob, message, "another-bot:thing")
        assert len(fake.of("POST", CALLBACK)) == 1  # not Vigie's button: left alone
    finally:
        await world.app.stop()
