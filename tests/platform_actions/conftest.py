"""Vigie on the Discord fake with AutoMod routes, on both storage backends; payload limits."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord import DiscordAdapter, make_client
from bot.app import App
from bot.storage import open_store
from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.backends import store_url
from tests.e2e.discord.fake import BOT_ID, FakeDiscord, _error, _pattern

__all__ = ["DEFAULT_RULES", "AutomodFake", "Started", "check_discord_limits", "store_url"]

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "config" / "rules.yaml"
OTHER_BOT = 900000000000000099
COMMUNITY = """\
  "discord:{guild}":
    name: Brand HQ
    language: en
    alerts_channel: "discord:{alerts}"
    roles:
      cm: ["Moderators"]
    automod:
      native: true
"""


class AutomodFake:
    """Discord's AutoMod rule endpoints on a FakeDiscord: rules kept, calls recorded."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.rules: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(800000000000000001)
        base = "/guilds/{guild_id}/auto-moderation/rules"
        for method, path, handler in (("GET", base, self._list), ("POST", base, self._create),
                                      ("GET", base + "/{rule_id}", self._get),
                                      ("PATCH", base + "/{rule_id}", self._edit),
                                      ("DELETE", base + "/{rule_id}", self._delete)):
            fake._routes[(method, path)] = (handler, _pattern(path))  # the fake's route table

    def add(self, name: str, creator: int = OTHER_BOT, keywords: list[str] | None = None
            ) -> int:
        """A rule the server already has (by default someone else's)."""
        rule_id = next(self._ids)
        self.rules[rule_id] = {
            "id": str(rule_id), "guild_id": str(self.fake.guild_id), "name": name,
            "creator_id": str(creator), "event_type": 1, "trigger_type": 1,
            "trigger_metadata": {"keyword_filter": keywords or ["spam"], "regex_patterns": [],
                                 "allow_list": []},
            "actions": [{"type": 1, "metadata": {}}], "enabled": True, "exempt_roles": [],
            "exempt_channels": []}
        return rule_id

    def calls(self, method: str, rule: bool = False) -> list[Any]:
        """The AutoMod calls of one method (`rule`: on one rule)."""
        path = "/guilds/{guild_id}/auto-moderation/rules" + ("/{rule_id}" if rule else "")
        return self.fake.of(method, path)

    def _list(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return list(self.rules.values())

    def _get(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        rule = self.rules.get(int(ids["rule_id"]))
        if rule is None:
            raise _error(404, 10066, "Unknown auto moderation rule")
        return rule

    def _create(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        rule_id = next(self._ids)
        self.rules[rule_id] = {"exempt_roles": [], "exempt_channels": [], **body,
                               "id": str(rule_id), "guild_id": ids["guild_id"],
                               "creator_id": str(BOT_ID)}
        return self.rules[rule_id]

    def _edit(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        rule = self._get(ids, body, params)
        rule.update(body)
        return rule

    def _delete(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        self._get(ids, body, params)
        del self.rules[int(ids["rule_id"])]
        return None


def check_discord_limits(payload: dict[str, Any]) -> None:
    """Discord's documented limits for a KEYWORD rule (developers/resources/auto-moderation),
    written out here rather than read from the code under test."""
    assert payload["trigger_type"] == 1 and payload["event_type"] == 1
    assert 1 <= len(payload["name"]) <= 100
    meta = payload["trigger_metadata"]
    keywords, patterns = meta.get("keyword_filter", []), meta.get("regex_patterns", [])
    allow = meta.get("allow_list", [])
    assert keywords or patterns
    assert len(keywords) <= 1000 and all(0 < len(k) <= 60 for k in keywords)
    assert len(patterns) <= 10 and all(0 < len(p) <= 260 for p in patterns)
    assert len(allow) <= 100 and all(0 < len(a) <= 60 for a in allow)
    assert len(payload.get("exempt_roles", [])) <= 20
    assert len(payload.get("exempt_channels", [])) <= 50
    for action in payload["actions"]:
        assert action["type"] in (1, 2, 3)
        assert len(action.get("metadata", {}).get("custom_message") or "") <= 150


@dataclass
class Started:
    """The fake, its AutoMod, the adapter and the App."""

    fake: FakeDiscord
    automod: AutomodFake
    adapter: DiscordAdapter
    app: App
    path: Path

    @property
    def community(self) -> str:
        """`discord:<guild>`."""
        return f"discord:{self.fake.guild_id}"

    async def cases(self) -> list[dict[str, Any]]:
        """Every case, oldest first."""
        return await self.app.store.fetch_all("SELECT * FROM cases ORDER BY id", {})

    async def reload(self, text: str) -> None:
        """Write the rule file, reload it, wait for the AutoMod sync."""
        self.path.write_text(text, encoding="utf-8")
        outcome = await self.app.rulebook.reload("command")
        assert outcome.status == "applied", outcome
        await self.app.keyword_rules.settled()


StartDiscord = Callable[..., Awaitable[Started]]


def default_rules_for(fake: FakeDiscord) -> str:
    """config/rules.yaml, with the fake server listed and native AutoMod on."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    block = COMMUNITY.format(guild=fake.guild_id, alerts=fake.alerts)
    assert text.count("\ncommunities:\n") == 1
    return text.replace("\ncommunities:\n", "\ncommunities:\n" + block, 1)


@pytest.fixture
async def start_discord(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        store_url: str) -> AsyncIterator[StartDiscord]:
    """Start Vigie on the fake server with a rule file (a function of the fake)."""
    started: list[Started] = []

    async def start(rules: Callable[[FakeDiscord], str] = default_rules_for,
                    before: Callable[[AutomodFake], None] | None = None,
                    every_plugin: bool = False) -> Started:
        fake = FakeDiscord(make_client())
        fake.install(monkeypatch)
        automod = AutomodFake(fake)
        if before is not None:
            before(automod)
        await fake.connect()
        path = tmp_path / "rules.yaml"
        path.write_text(rules(fake), encoding="utf-8")
        adapter = DiscordAdapter(fake.client)
        app = App(config_path=path, adapters=[adapter], store=open_store(store_url),
                  plugin_classes=None if every_plugin else [ModerationPlugin, AutomodPlugin])
        await app.start()
        await app.keyword_rules.settled()
        await fake.settle()
        world = Started(fake, automod, adapter, app, path)
        started.append(world)
        return world

    yield start
    for world in started:
        await world.app.stop()
