"""Two webhook workers behind one URL: an update delivered to both is handled once (Redis)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.telegram import WebhookConfig
from bot.adapters.telegram.webhook import SECRET_HEADER
from bot.events import MessageCreated
from bot.shared import SharedWindows
from tests.adapters.telegram.conftest import GROUP, MakeWorld, World
from tests.adapters.telegram.fakebot import post_json
from tests.redis.conftest import REDIS_URL, redis_prefix

__all__ = ["redis_prefix"]  # the fixture, for pytest

SECRET = "right-secret"


async def deliver(world: World, update: dict[str, Any]) -> None:
    """Post an update to the worker's webhook, as Telegram does."""
    assert world.adapter.webhook is not None
    url = f"http://127.0.0.1:{world.adapter.webhook.port}/telegram/hook"
    assert await post_json(url, update, {SECRET_HEADER: SECRET}) == 200


def texts(world: World) -> list[str]:
    return [e.text for e in world.handled if isinstance(e, MessageCreated)]


@pytest.mark.parametrize("shared", [True, False])
async def test_an_update_delivered_to_two_workers_is_handled_once(
        make_world: MakeWorld, request: pytest.FixtureRequest, shared: bool) -> None:
    """Telegram retries an update on the other worker: with Redis the second worker drops it
    (SET NX on the update id); without Redis both handle it."""
    hook = WebhookConfig(url="https://bot.example.org/telegram/hook", secret=SECRET,
                         listen="127.0.0.1", port=0)
    first, second = await make_world(webhook=hook), await make_world(webhook=hook)
    clients = []
    if shared:
        prefix = request.getfixturevalue("redis_prefix")
        for world in (first, second):
            world.adapter.shared = SharedWindows(REDIS_URL, prefix=prefix)
            clients.append(world.adapter.shared)
    try:
        bob = first.people["bob"]
        update = {"update_id": 41, "message": first.server.message(GROUP, bob, "idiot")}
        await deliver(first, update)
        await first.handled_count(1)
        await deliver(second, update)
        marker = {"update_id": 42, "message": second.server.message(GROUP, bob, "hello")}
        await deliver(second, marker)  # same chat, so handled after the copy
        await second.until(lambda: "hello" in texts(second), "the marker")
        assert texts(first) == ["idiot"]
        assert texts(second) == (["hello"] if shared else ["idiot", "hello"])
    finally:
        for client in clients:
            await client.close()
