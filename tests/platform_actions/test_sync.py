"""The keyword rule sync on an in-memory platform: room shared with the server's own rules,
limits checked before sending, refusals reported; both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import pytest

from bot.adapters.base import ActionResult
from bot.adapters.keyword_rules import KeywordRule, PublishedRule
from bot.keyword_sync import KeywordRuleSync, recorded_rules
from bot.storage import Store
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.backends import MakeStore, make_store, store_url

__all__ = ["make_store", "store_url"]

COMMUNITY = "discord:1"


class Host:
    """A platform with keyword rules, kept in a dict."""

    platform = "discord"

    def __init__(self, foreign: int = 0, refuse: bool = False) -> None:
        self.rules: dict[str, tuple[str, bool]] = {
            f"f{i}": (f"server {i}", False) for i in range(foreign)}
        self.sent: list[tuple[str, str]] = []
        self.refuse = refuse
        self._next = 0

    def communities(self) -> set[str]:
        return {COMMUNITY}

    async def keyword_rules(self, community: str) -> list[PublishedRule]:
        if self.refuse:
            raise PermissionError("403 Missing Permissions")
        return [PublishedRule(i, name, mine) for i, (name, mine) in self.rules.items()]

    async def create_keyword_rule(self, community: str, rule: KeywordRule) -> ActionResult:
        self._next += 1
        rule_id = f"v{self._next}"
        self.rules[rule_id] = (rule.name, True)
        self.sent.append(("create", rule.key))
        return ActionResult.ok("created", message_id=rule_id)

    async def edit_keyword_rule(self, community: str, rule_id: str,
                                rule: KeywordRule) -> ActionResult:
        self.sent.append(("edit", rule.key))
        return ActionResult.ok()

    async def delete_keyword_rule(self, community: str, rule_id: str) -> ActionResult:
        del self.rules[rule_id]
        self.sent.append(("delete", rule_id))
        return ActionResult.ok()


@pytest.fixture
async def store(make_store: MakeStore) -> AsyncIterator[Store]:
    opened = await make_store()
    await opened.migrate("core", CORE_MIGRATIONS)
    yield opened


def sync_of(store: Store, host: Host, wanted: Sequence[KeywordRule]) -> KeywordRuleSync:
    return KeywordRuleSync(store, lambda: None, {"discord": host},  # type: ignore[arg-type, return-value, dict-item]
                           [lambda rules, community: list(wanted)],
                           lambda: datetime(2026, 12, 5, tzinfo=UTC))


async def test_the_servers_own_rules_take_their_place_first(store: Store) -> None:
    """Five rules of the server's own: one of Vigie's two is published, the other logged."""
    host = Host(foreign=5)
    wanted = [KeywordRule(key="a", keywords=("x",)), KeywordRule(key="b", keywords=("y",))]
    [report] = await sync_of(store, host, wanted).sync()
    assert report.created == ["a"] and report.left_out == ["b"]
    assert host.sent == [("create", "a")]
    assert set(await recorded_rules(store, COMMUNITY)) == {"a"}


async def test_a_rule_beyond_discords_limits_is_not_sent(store: Store) -> None:
    """1,001 keywords, or a 61-character one: refused before any call."""
    host = Host()
    wanted = [KeywordRule(key="big", keywords=tuple(f"w{i}" for i in range(1001))),
              KeywordRule(key="long", keywords=("x" * 61,)),
              KeywordRule(key="ok", keywords=("fine",))]
    [report] = await sync_of(store, host, wanted).sync()
    assert host.sent == [("create", "ok")]
    assert [f.split(":")[0] for f in report.failed] == ["big", "long"]


async def test_without_manage_server_nothing_is_recorded(store: Store) -> None:
    """Discord refuses the listing: logged, nothing recorded, nothing raised."""
    host = Host(refuse=True)
    [report] = await sync_of(store, host, [KeywordRule(key="a", keywords=("x",))]).sync()
    assert report.failed and not host.sent
    assert await recorded_rules(store, COMMUNITY) == {}
