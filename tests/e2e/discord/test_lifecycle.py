"""Starting and stopping: DISCORD_* settings, intents, sharding, refused starts, the CLI."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import discord
import pytest
from discord.ext import commands

from bot.adapters.base import AdapterError
from bot.adapters.discord import DiscordAdapter, DiscordConfig, DiscordConfigError, make_client
from bot.adapters.discord.config import INTENTS
from bot.events import Event, MessageCreated
from bot.logs import configure_logging
from bot.running import build_adapters, choose_platforms, run_until_stopped
from tests.e2e.discord.conftest import connected

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "config" / "rules.yaml"
VIGIE = Path(sys.executable).parent / "vigie"
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0MzI.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def test_config_reads_the_token_and_sharding() -> None:
    """DISCORD_TOKEN (a pasted `Bot ` prefix is dropped), shard count and ids with ranges."""
    config = DiscordConfig.from_env({"DISCORD_TOKEN": f" Bot {TOKEN} ",
                                     "DISCORD_SHARD_COUNT": "8",
                                     "DISCORD_SHARD_IDS": "0-2, 5"})
    assert config.token == TOKEN
    assert (config.shard_count, config.shard_ids) == (8, (0, 1, 2, 5))
    assert config.sharded and config.publishes_commands
    assert TOKEN not in repr(config)
    assert not DiscordConfig.from_env({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "4",
                                       "DISCORD_SHARD_IDS": "2,3"}).publishes_commands
    auto = DiscordConfig.from_env({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "auto"})
    assert auto.shard_count == 0 and auto.sharded
    plain = DiscordConfig.from_env({"DISCORD_TOKEN": TOKEN})
    assert not plain.sharded and plain.publishes_commands


@pytest.mark.parametrize(("env", "message"), [
    ({}, "DISCORD_TOKEN is not set"),
    ({"DISCORD_TOKEN": "  "}, "DISCORD_TOKEN is not set"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "two"}, "must be 'auto' or a whole number"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "0"}, "must be 'auto' or a whole number"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_IDS": "0"}, "needs DISCORD_SHARD_COUNT"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "auto", "DISCORD_SHARD_IDS": "0"},
     "needs DISCORD_SHARD_COUNT"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,2"},
     "shard(s) 2 do not exist with DISCORD_SHARD_COUNT=2"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3-1"},
     "the range '3-1' is empty"),
    ({"DISCORD_TOKEN": TOKEN, "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "a"},
     "'a' is not a shard number"),
])
def test_config_errors_say_what_to_fix(env: dict[str, str], message: str) -> None:
    """Each mistake is named; the token never appears in the message."""
    with pytest.raises(DiscordConfigError, match=message.replace("(", r"\(").replace(")", r"\)")
                       ) as caught:
        DiscordConfig.from_env(env)
    assert TOKEN not in str(caught.value)


async def test_the_client_asks_for_few_intents_and_keeps_a_small_cache() -> None:
    """Only the intents Vigie reads; no member or message cache to speak of."""
    client = make_client()
    assert client.intents == INTENTS
    assert {name for name, on in INTENTS if on} == {
        "guilds", "members", "guild_messages", "message_content", "guild_reactions",
        "auto_moderation_execution", "moderation"}
    assert client._connection.member_cache_flags.value == 0  # private: the cache policy
    assert client._connection.max_messages is None  # private: no message cache
    assert client.allowed_mentions is not None and not client.allowed_mentions.everyone
    assert not client.allowed_mentions.roles


async def test_sharding_uses_the_auto_sharded_client() -> None:
    """DISCORD_SHARD_COUNT picks AutoShardedClient with the configured shards."""
    sharded = make_client(DiscordConfig(TOKEN, shard_count=4, shard_ids=(1, 3)))
    assert isinstance(sharded, discord.AutoShardedClient)
    assert (sharded.shard_count, list(sharded.shard_ids or ())) == (4, [1, 3])
    auto = make_client(DiscordConfig(TOKEN, shard_count=0))
    assert isinstance(auto, discord.AutoShardedClient) and auto.shard_count is None
    assert not isinstance(make_client(DiscordConfig(TOKEN)), discord.AutoShardedClient)


async def test_a_refused_token_stops_the_start_clearly(monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Discord refuses the token: an AdapterError that says what to do, never the token."""
    adapter = DiscordAdapter.from_config(DiscordConfig(TOKEN))

    async def refuse(token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(adapter.client, "login", refuse)
    caplog.set_level(logging.DEBUG)

    async def sink(event: Event) -> None:
        raise AssertionError("no event before the start")

    with pytest.raises(AdapterError, match="Discord refused DISCORD_TOKEN") as caught:
        await adapter.start(sink)
    assert TOKEN not in str(caught.value) + caplog.text


async def test_missing_privileged_intents_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal's intents are off: the error says where to switch them on."""
    adapter = DiscordAdapter.from_config(DiscordConfig(TOKEN))

    async def login(token: str) -> None:
        assert token == TOKEN

    async def connect(*, reconnect: bool = True) -> None:
        raise discord.PrivilegedIntentsRequired(None)

    monkeypatch.setattr(adapter.client, "login", login)
    monkeypatch.setattr(adapter.client, "connect", connect)

    async def sink(event: Event) -> None:
        return None

    with pytest.raises(AdapterError, match="Privileged Gateway Intents"):
        await adapter.start(sink)
    await asyncio.wait_for(adapter.closed(), 1)


async def test_the_cli_run_reports_a_refused_start_and_closes_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`vigie run --platform discord` with a bad token: exit 1, one clear line, store closed."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    assert choose_platforms(None) == ["discord"]  # a token in the environment picks the platform
    [adapter] = build_adapters(["discord"])
    assert isinstance(adapter, DiscordAdapter)

    async def refuse(token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(adapter.client, "login", refuse)
    configure_logging("DEBUG", stream=sys.stderr)
    code = await run_until_stopped(RULES, f"sqlite:///{tmp_path / 'v.db'}", [adapter], None)
    out = capsys.readouterr()
    assert code == 1
    assert "error: Discord refused DISCORD_TOKEN" in out.err
    assert TOKEN not in out.out + out.err
    assert "Traceback" not in out.err


def test_the_cli_without_a_token_exits_2(tmp_path: Path) -> None:
    """`vigie run --platform discord` with no DISCORD_TOKEN: exit 2 before touching anything."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN")}
    env["VIGIE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'v.db'}"
    result = subprocess.run([str(VIGIE), "run", "--platform", "discord", "--config", str(RULES)],
                            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert "error: DISCORD_TOKEN is not set" in result.stderr
    assert not (tmp_path / "v.db").exists()


async def test_a_commands_bot_can_be_wrapped(monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """An existing commands.Bot keeps its own commands; Vigie listens beside them."""
    bot = commands.Bot(command_prefix="?", intents=INTENTS)
    answered: list[str] = []

    @bot.command(name="ping")
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        answered.append("pong")

    fake = await connected(monkeypatch, bot)
    adapter = DiscordAdapter(bot)
    assert adapter.client is bot
    seen: list[Event] = []

    async def sink(event: Event) -> None:
        seen.append(event)

    await adapter.start(sink)
    await fake.say(fake.bob, "?ping")
    assert answered == ["pong"]
    assert isinstance(seen[0], MessageCreated) and seen[0].text == "?ping"
    from bot.commands.spec import CommandSpec
    from bot.i18n import Catalog
    from bot.permissions import Role

    await adapter.publish_commands([CommandSpec("rules", "core", Role.MEMBER, ())], Catalog())
    assert bot.tree.get_command("rules") is not None  # the tree lets Vigie's command through
    caplog.set_level(logging.ERROR)
    await fake.slash(fake.bob, "rules")
    assert [e.name for e in seen if hasattr(e, "name")] == ["rules"]
    assert "Ignoring exception" not in caplog.text
    await adapter.stop()


async def test_stop_lets_events_being_handled_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    """An event in the middle of its handling is finished before the adapter lets go."""
    fake = await connected(monkeypatch)
    adapter = DiscordAdapter(fake.client)
    release = asyncio.Event()
    finished: list[str] = []

    async def slow(event: Event) -> None:
        await release.wait()
        finished.append(event.id)

    await adapter.start(slow)
    fake.parse("MESSAGE_CREATE", fake.message_payload(fake.bob, "hello"))
    for _ in range(5):
        await asyncio.sleep(0)
    stopping = asyncio.create_task(adapter.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 2)
    assert len(finished) == 1


async def test_events_of_a_channel_are_handled_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message and its quick edit: the edit waits for the message, even if handling yields."""
    fake = await connected(monkeypatch)
    adapter = DiscordAdapter(fake.client)
    handled: list[str] = []

    async def sink(event: Event) -> None:
        where = "general" if getattr(event, "channel", "").endswith(str(fake.general)) else "other"
        handled.append(f"start {type(event).__name__} {where}")
        if type(event) is MessageCreated and where == "general":
            await asyncio.sleep(0.05)  # a slow first event (a database write, a REST call)
        handled.append(f"end {type(event).__name__} {where}")

    await adapter.start(sink)
    message = fake.message_payload(fake.bob, "hello")
    fake.parse("MESSAGE_CREATE", message)
    fake.parse("MESSAGE_UPDATE", {**message, "content": "hello!",
                                  "edited_timestamp": message["timestamp"]})
    fake.parse("MESSAGE_CREATE", fake.message_payload(fake.alice, "elsewhere", fake.alerts))
    await fake.settle()
    assert handled == [
        "start MessageCreated general", "start MessageCreated other",
        "end MessageCreated other", "end MessageCreated general",
        "start MessageEdited general", "end MessageEdited general"]
    assert len(adapter._lanes) == 0  # no lock kept once a channel is quiet
