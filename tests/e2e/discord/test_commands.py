"""The slash command menu generated from the registry, published once, answered in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext.commands import Bot

from bot.adapters.discord import DiscordAdapter
from bot.adapters.discord.commands import slash_commands
from bot.adapters.discord.config import INTENTS
from bot.builtin import CorePlugin
from bot.commands.registry import CommandRegistry
from bot.commands.spec import CommandSpec
from bot.i18n import Catalog
from bot.permissions import Role
from plugins.moderation import ModerationPlugin
from tests.e2e.discord.conftest import World, connected, start_world

COMMANDS = "/applications/{application_id}/commands"
CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"


def menu(world: World) -> dict[str, dict[str, Any]]:
    """The published commands by name."""
    [call] = world.fake.of("PUT", COMMANDS)
    return {c["name"]: c for c in call.json}


async def test_the_menu_is_generated_from_the_registry(world: World) -> None:
    """Every command, described in English with French localizations, with typed options."""
    commands = menu(world)
    names = {spec.name for spec in world.app.services.commands.specs}
    assert set(commands) == names and {"warn", "ban", "purge", "help", "reload"} <= names
    warn = commands["warn"]
    assert warn["description"] == "give a member a formal warning" or warn["description"]
    assert warn["description_localizations"]["fr"] != warn["description"]
    assert [(o["name"], o["type"], o["required"]) for o in warn["options"]] == [
        ("member", 6, True), ("reason", 3, False)]
    assert warn["options"][0]["description_localizations"] == {"fr": "membre"}
    purge = {o["name"]: o for o in commands["purge"]["options"]}
    assert (purge["count"]["type"], purge["count"]["min_value"]) == (4, 1)
    assert purge["member"]["type"] == 6 and not purge["member"]["required"]
    lock = commands["lock"]["options"][0]
    assert lock["type"] == 7 and 0 in lock["channel_types"]
    assert commands["help"]["description_localizations"]["fr"].startswith("liste les commandes")
    for command in commands.values():
        assert command["contexts"] == [0] and command["type"] == 1
        assert 1 <= len(command["description"]) <= 100


async def test_members_do_not_see_team_commands(world: World) -> None:
    """Default member permissions: CM commands need Timeout Members, admin ones Administrator."""
    commands = menu(world)
    moderate = discord.Permissions(moderate_members=True).value  # discord.py sends an integer
    assert commands["warn"]["default_member_permissions"] == moderate
    assert commands["purge"]["default_member_permissions"] == moderate
    assert commands["reload"]["default_member_permissions"] == discord.Permissions(
        administrator=True).value
    assert commands["help"]["default_member_permissions"] is None
    assert commands["rules"]["default_member_permissions"] is None


async def test_published_once_and_only_by_shard_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reconnection (READY again) does not publish again; another shard's process never does."""
    fake = await connected(monkeypatch)
    specs = CommandRegistry(s for p in (CorePlugin, ModerationPlugin) for s in p.commands()).specs
    catalog = Catalog()
    ModerationPlugin.register_messages(catalog)
    adapter = DiscordAdapter(fake.client)

    async def sink(event: object) -> None:
        return None

    await adapter.start(sink)
    await adapter.publish_commands(specs, catalog)
    fake.client._connection.parse_ready({  # private: a second READY, as after a reconnection
        "v": 10, "user": fake.bot.user(), "guilds": [], "session_id": "again",
        "resume_gateway_url": "wss://fake.invalid", "shard": [0, 1]})
    await fake.settle()
    assert len(fake.of("PUT", COMMANDS)) == 1
    other = DiscordAdapter(fake.client, publish_commands=False)
    await other.publish_commands(specs, catalog)
    assert len(fake.of("PUT", COMMANDS)) == 1


async def test_a_refused_publication_leaves_prefix_commands_working(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord refuses the menu: logged, and `!help` still answers."""
    fake = await connected(monkeypatch)
    fake.fail("PUT", COMMANDS, 400, 50035, "Invalid Form Body")
    adapter = DiscordAdapter(fake.client)
    seen: list[object] = []

    async def sink(event: object) -> None:
        seen.append(event)

    await adapter.start(sink)
    await adapter.publish_commands([CommandSpec("help", "core", Role.MEMBER, ())], Catalog())
    await fake.say(fake.bob, "!help")
    assert len(seen) == 1


def test_names_discord_refuses_are_left_out_of_the_menu() -> None:
    """Uppercase or spaced names cannot be slash commands; they stay prefix commands."""
    catalog = Catalog()
    specs = [CommandSpec("Help", "core", Role.MEMBER, ()),
             CommandSpec("rules", "core", Role.MEMBER, ())]
    assert [c.name for c in slash_commands(specs, catalog, answer)] == ["rules"]


async def answer(interaction: discord.Interaction[Any], spec: CommandSpec) -> None:
    """Never called: the menu is only built."""


async def test_a_stale_command_is_answered_privately(world: World) -> None:
    """A command removed since the menu was published: the member is told, only them."""
    await world.fake.slash(world.fake.bob, "oldcommand", locale="fr")
    [callback] = world.fake.of("POST", CALLBACK)
    assert callback.json["type"] == 4
    assert callback.json["data"]["flags"] == 64
    assert callback.json["data"]["content"].startswith("Cette commande n'existe plus")


async def test_help_as_a_slash_command(world: World) -> None:
    """A member's /help lists what they may use, in their Discord language."""
    await world.fake.slash(world.fake.bob, "help", locale="fr")
    [answer] = world.fake.of("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    assert answer.json["content"].startswith("Commandes disponibles pour vous (membre)")
    assert "!warn" not in answer.json["content"]


async def test_a_wrapped_bot_keeps_its_slash_commands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's /hello and Vigie's full /warn go out in one PUT; the owner's later sync agrees."""
    bot = Bot(command_prefix="?", intents=INTENTS)
    greeted: list[str] = []

    @bot.tree.command(name="hello", description="say hello")
    async def hello(interaction: discord.Interaction[Bot]) -> None:
        greeted.append(interaction.user.name)
        await interaction.response.send_message("hi")

    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin,), client=bot)
    try:
        fake = world.fake
        [first] = fake.of("PUT", COMMANDS)
        published = {c["name"]: c for c in first.json}
        assert published["hello"]["description"] == "say hello"
        warn = published["warn"]
        assert [(o["name"], o["type"], o["required"]) for o in warn["options"]] == [
            ("member", 6, True), ("reason", 3, False)]
        assert warn["options"][0]["description_localizations"] == {"fr": "membre"}
        assert warn["description_localizations"]["fr"].startswith("donne un avertissement")
        assert warn["default_member_permissions"] == discord.Permissions(
            moderate_members=True).value
        assert warn["contexts"] == [0]

        await bot.tree.sync()  # the owner syncs their tree later, as bots often do at startup
        [_, again] = fake.of("PUT", COMMANDS)
        assert {c["name"]: c for c in again.json} == published

        await fake.slash(fake.claire, "warn", [{"name": "member", "type": 6,
                                                "value": str(fake.bob.id)}])
        await fake.slash(fake.bob, "hello")
        assert await world.rows("SELECT action, target_name FROM cases") == [
            {"action": "warn", "target_name": "bob"}]
        assert greeted == ["bob"]
    finally:
        await world.app.stop()


async def test_an_owners_translator_leaves_vigies_texts_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bot with its own translator: Vigie's commands keep the catalog's French texts."""
    bot = Bot(command_prefix="?", intents=INTENTS)

    class Shouting(app_commands.Translator):
        async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                            context: app_commands.TranslationContext) -> str | None:
            return string.message.upper() if locale is discord.Locale.german else None

    await bot.tree.set_translator(Shouting())
    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin,), client=bot)
    try:
        [call] = world.fake.of("PUT", COMMANDS)
        warn = next(c for c in call.json if c["name"] == "warn")
        assert set(warn["description_localizations"]) == {"fr"}
        assert warn["options"][0]["description_localizations"] == {"fr": "membre"}
    finally:
        await world.app.stop()


async def test_a_name_the_bot_already_has_stays_the_bots(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The bot's own /warn is kept (and called); Vigie's warn stays a prefix command."""
    bot = Bot(command_prefix="?", intents=INTENTS)
    called: list[str] = []

    @bot.tree.command(name="warn", description="the bot's own warn")
    async def warn(interaction: discord.Interaction[Bot]) -> None:
        called.append(interaction.user.name)
        await interaction.response.send_message("noted")

    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin,), client=bot)
    try:
        fake = world.fake
        [call] = fake.of("PUT", COMMANDS)
        published = {c["name"]: c for c in call.json}
        assert published["warn"]["description"] == "the bot's own warn"
        assert "ban" in published
        assert "the bot's own /warn is kept" in caplog.text
        await fake.slash(fake.claire, "warn")
        assert called == ["claire"]
        assert await world.rows("SELECT id FROM cases") == []
        await fake.say(fake.claire, f"!warn <@{fake.bob.id}> spam", mentions=[fake.bob])
        assert len(await world.rows("SELECT id FROM cases")) == 1
    finally:
        await world.app.stop()
