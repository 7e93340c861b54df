"""Several Telegram workers on one PostgreSQL: each chat is served by one worker. Webhook workers
behind one URL forward a chat's updates to the worker that holds it; with long polling, one
elected worker polls and another takes over when it stops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter, WebhookConfig
from bot.adapters.telegram.webhook import SECRET_HEADER
from bot.app import App
from bot.clock import SystemClock
from bot.dispatch import Report
from bot.events import Event, MessageCreated
from bot.fleet.owners import Owners
from bot.storage import open_store
from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.adapters.telegram.conftest import GROUP, RULES, TEAM, World, telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi, post_json
from tests.backends import fresh_schema

SECRET = "fleet-secret"
MakeWorker = Callable[..., Awaitable[World]]


@pytest.fixture
async def fleet(tmp_path: Path) -> AsyncIterator[tuple[FakeBotApi, MakeWorker]]:
    """One fake Bot API and one PostgreSQL schema; workers started on them on demand."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    server.group(TEAM, "Brand team")
    started: list[World] = []
    async with fresh_schema() as url:

        async def make(name: str, *, webhook: bool = True) -> World:
            hook = WebhookConfig(url="https://bot.example.org/telegram/hook", secret=SECRET,
                                 listen="127.0.0.1", port=0) if webhook else None
            folder = tmp_path / name
            folder.mkdir()
            (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
            adapter = TelegramAdapter(telegram_config(server, hook))
            app = App(config_path=folder / "rules.yaml", adapters=[adapter],
                      store=open_store(url), plugin_classes=[ModerationPlugin, AutomodPlugin],
                      worker_id=name)
            world = World(server, app, adapter,
                          people={"bob": server.user(12, "Bob", "bob")})
            handle = app.handle

            async def recording(event: Event) -> Report:
                report = await handle(event)
                world.handled.append(event)
                return report

            app.handle = recording  # type: ignore[method-assign]
            await app.start()
            await app.fleet.beat()  # the peer address is in the workers table at once
            started.append(world)
            return world

        try:
            yield server, make
        finally:
            for world in started:
                await world.app.stop()
            await server.stop()


async def deliver(world: World, update: dict[str, Any]) -> int:
    """Post an update to this worker's webhook as Telegram does; the HTTP status."""
    assert world.adapter.webhook is not None
    url = f"http://127.0.0.1:{world.adapter.webhook.port}/telegram/hook"
    return await post_json(url, update, {SECRET_HEADER: SECRET})


def texts(world: World) -> list[str]:
    return [e.text for e in world.handled if isinstance(e, MessageCreated)]


async def test_an_update_reaching_another_webhook_worker_is_forwarded_to_the_chats_worker(
        fleet: tuple[FakeBotApi, MakeWorker]) -> None:
    server, make = fleet
    first, second = await make("hook-a"), await make("hook-b")
    bob = first.people["bob"]
    assert await deliver(first, {"update_id": 1, "message": server.message(GROUP, bob, "one")}) \
        == 200
    assert first.app.owners.holds(f"telegram:{GROUP}")
    assert await deliver(second, {"update_id": 2,
                                  "message": server.message(GROUP, bob, "two")}) == 200
    assert texts(first) == ["one", "two"]  # answered 200 once handled there
    assert texts(second) == []


async def test_a_chat_held_by_a_worker_that_does_not_answer_is_retried_later(
        fleet: tuple[FakeBotApi, MakeWorker]) -> None:
    """The holder died (its lease still runs): Telegram is told 503 and posts again later;
    once the lease is over, the update is handled where it lands."""
    server, make = fleet
    live = await make("hook-live")
    ghost = Owners(live.app.store, "ghost", SystemClock(), lease=timedelta(seconds=1))
    await ghost.take(f"telegram:{GROUP}")
    await live.app.store.execute(
        "INSERT INTO workers (worker_id, revision, started_at, seen_at, peer_url)"
        " VALUES ('ghost', 'x', '2026-01-01T00:00:00', '2026-01-01T00:00:00',"
        " 'http://127.0.0.1:9/telegram/hook')")
    update = {"update_id": 7, "message": server.message(GROUP, live.people["bob"], "late")}
    assert await deliver(live, update) == 503
    assert texts(live) == []
    await asyncio.sleep(1.1)
    assert await deliver(live, update) == 200
    assert texts(live) == ["late"]


async def test_long_polling_has_one_leader_and_another_takes_over_when_it_stops(
        fleet: tuple[FakeBotApi, MakeWorker]) -> None:
    server, make = fleet
    first, second = await make("poll-a", webhook=False), await make("poll-b", webhook=False)
    for world in (first, second):
        assert world.adapter.leader is not None
        world.adapter.leader.every = 0.05
    leaders = [w for w in (first, second) if w.adapter.leader and w.adapter.leader.polling]
    assert len(leaders) == 1
    leader = leaders[0]
    other = second if leader is first else first
    server.push({"message": server.message(GROUP, first.people["bob"], "before")})
    await leader.until(lambda: "before" in texts(leader), "the leader handles the update")
    await leader.app.stop()
    await other.until(lambda: bool(other.adapter.leader and other.adapter.leader.polling),
                      "the other worker takes over long polling")
    server.push({"message": server.message(GROUP, first.people["bob"], "after")})
    await other.until(lambda: "after" in texts(other), "the new leader handles the update")
    assert texts(other) == ["after"]
