"""Two workers on one Redis count raids, floods, copies and commands together; without Redis
each counts alone; Redis down, each falls back to its own windows and says so once."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from bot.dispatch import Report
from bot.shared import SharedWindows
from plugins.automod import AutomodPlugin
from tests.harness import MINIMAL_RULES, Harness
from tests.redis.conftest import REDIS_URL, Proxy

RULES = """\
version: 1
defaults:
  language: {language}
  alerts_channel: "console:alerts"
  automod:
    raid: {{enabled: true, joins: 8, within: 1m, duration: 10m, actions: [alert]}}
    rules:
      flood:
        trigger: {{type: flood, messages: 4, within: 10s}}
        actions: [delete]
      copies:
        trigger: {{type: duplicates, by: accounts, count: 3, within: 1m}}
        actions: [delete]
      lockdown:
        trigger: {{type: raid_mode}}
        actions: [delete]
communities:
  "console:test":
    name: Test community
"""

Start = Callable[..., Awaitable[list[Harness]]]


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[Start]:
    """Start N workers (Apps with their own database) for one community, on Redis or not."""
    started: list[Harness] = []

    async def start(prefix: str | None, count: int = 2, url: str = REDIS_URL,
                    language: str = "en", rules: str = RULES, **options: Any
                    ) -> list[Harness]:
        out = []
        for _ in range(count):
            folder = tmp_path / f"w{len(started)}"
            folder.mkdir()
            shared = SharedWindows(url, prefix=prefix, **options) if prefix else None
            harness = Harness(folder, rules=rules.format(language=language),
                              plugins=[AutomodPlugin], shared=shared)
            harness._ids = itertools.count(1 + len(started) * 100_000)  # its own message ids
            started.append(await harness.start())
            out.append(harness)
        return out

    yield start
    for harness in started:
        await harness.stop()


def rules_fired(reports: list[Report], rule: str) -> list[int]:
    """Indexes of the reports where `rule` fired."""
    return [i for i, r in enumerate(reports) if any(d.rule == rule for d in r.decisions)]


def alerts(*harnesses: Harness) -> list[str]:
    return [a["text"] for h in harnesses for a in h.adapter.of("send_alert")]


async def raid_of_ten(a: Harness, b: Harness) -> list[Report]:
    """Ten accounts join, one in two through each worker."""
    return [await (a, b)[i % 2].join(f"raider{i}") for i in range(10)]


async def test_a_raid_split_across_two_workers_is_one_raid(workers: Start,
                                                           redis_prefix: str) -> None:
    """With Redis the 8th join overall declares the raid, on whichever worker sees it, once;
    the other worker is in raid mode too from its next join."""
    a, b = await workers(redis_prefix)
    reports = await raid_of_ten(a, b)
    assert rules_fired(reports, "raid") == [7]
    raid_alerts = [t for t in alerts(a, b) if "Raid" in t or "raid" in t]
    assert len(raid_alerts) == 1 and "8 joins" in raid_alerts[0], raid_alerts
    assert b.adapter.of("send_alert") and not a.adapter.of("send_alert")  # b saw the 8th
    for worker in (a, b):  # both apply raid mode's rules now
        assert rules_fired([await worker.say("hello", author="newcomer")], "lockdown") == [0]


async def test_without_redis_each_worker_sees_half_the_raid(workers: Start) -> None:
    """The same raid without Redis: each worker saw 5 joins of the 8 needed, no raid."""
    a, b = await workers(None)
    reports = await raid_of_ten(a, b)
    assert rules_fired(reports, "raid") == []
    assert alerts(a, b) == []


@pytest.mark.parametrize("shared", [True, False])
async def test_a_flood_across_two_workers_is_counted_together(
        workers: Start, request: pytest.FixtureRequest, shared: bool) -> None:
    """Four messages in 10 s, two through each worker: a flood with Redis, none without."""
    a, b = await workers(request.getfixturevalue("redis_prefix") if shared else None)
    reports = [await (a, b)[i % 2].say(f"message number {i}") for i in range(4)]
    assert rules_fired(reports, "flood") == ([3] if shared else [])


async def test_copies_by_accounts_across_two_workers(workers: Start, redis_prefix: str) -> None:
    """The same text by three accounts through two workers: the third copy fires, and the
    earlier copies are deleted, the one the other worker saw included."""
    a, b = await workers(redis_prefix)
    spam = "Free tokens at scam dot example, hurry"
    reports = [await a.say(spam, author="u1"), await b.say(spam, author="u2"),
               await a.say(spam, author="u3")]
    assert rules_fired(reports, "copies") == [2]
    deleted = {d["message_id"] for d in a.adapter.of("delete_message")}
    assert deleted == {reports[0].event.id, reports[1].event.id, reports[2].event.id}


@pytest.mark.parametrize("shared", [True, False])
async def test_the_command_rate_limit_is_shared(
        workers: Start, request: pytest.FixtureRequest, shared: bool) -> None:
    """A member's 6th command within 10 s is refused with Redis even though each worker only
    saw 3; without Redis all six are answered."""
    prefix = request.getfixturevalue("redis_prefix") if shared else None
    a, b = await workers(prefix, rules=MINIMAL_RULES)
    for i in range(6):
        await (a, b)[i % 2].say("!rules")
    replies = a.replies() + b.replies()
    limited = [t for t in replies if "Too many commands" in t]
    assert len(limited) == (1 if shared else 0)
    assert len([t for t in replies if "Be nice" in t]) == (5 if shared else 6)


async def test_redis_down_then_back(workers: Start, redis_prefix: str,
                                    caplog: pytest.LogCaptureFixture) -> None:
    """Redis cut: floods are still caught with the worker's own windows, one log line and one
    alert say so (in the community's language); Redis back: one line, one alert, shared again."""
    proxy = await Proxy().open()
    clock = [0.0]
    caplog.set_level(logging.INFO, logger="vigie.redis")
    (a,) = await workers(redis_prefix, count=1, url=proxy.url, language="fr",
                         monotonic=lambda: clock[0])
    await a.say("before the cut")
    await proxy.cut()
    reports = [await a.say(f"message number {i}", author="bob") for i in range(4)]
    assert rules_fired(reports, "flood") == [3]  # local windows
    for i in range(4):
        await a.say(f"other message {i}", author="carol")
        clock[0] += 0.5  # retries within the backoff: no new line, no new alert
    down = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(down) == 1 and down[0].levelno == logging.WARNING
    assert alerts(a) == ["Redis est injoignable : chaque processus de Vigie compte seul les "
                         "messages en rafale, les doublons, les arrivées massives et les limites "
                         "de commandes jusqu'à son retour (la modération continue)."]
    await proxy.open()
    clock[0] += 60.0  # past the backoff
    await a.say("after the cut", author="dave")
    await a.say("after the cut again", author="dave")
    back = [r for r in caplog.records if "reachable again" in r.getMessage()]
    assert len(back) == 1
    assert alerts(a)[1:] == ["Redis est de nouveau joignable : tous les processus de Vigie "
                             "partagent de nouveau leurs comptes."]
    (b,) = await workers(redis_prefix, count=1)  # shared again: a second worker counts along
    reports = [await (a, b)[i % 2].say(f"again {i}", author="erin") for i in range(4)]
    assert rules_fired(reports, "flood") == [3]
    await proxy.cut()


async def test_joins_at_once_on_two_workers_declare_one_raid(workers: Start,
                                                             redis_prefix: str) -> None:
    """Twenty joins handled at the same time by two workers (batched into pipelines), after
    Redis forgot its scripts: one raid, declared once."""
    a, b = await workers(redis_prefix)
    client = Redis.from_url(REDIS_URL)
    client.script_flush()
    client.close()
    reports = await asyncio.gather(*((a, b)[i % 2].join(f"raider{i}") for i in range(20)))
    assert len(rules_fired(list(reports), "raid")) == 1
    assert len([t for t in alerts(a, b) if "raid" in t.lower()]) == 1
