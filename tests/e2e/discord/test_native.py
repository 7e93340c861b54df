"""Native features through real discord.py: polls, pins and scheduled events, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.native import NativeEvents, Pinner, PollSender
from tests.e2e.discord.conftest import Listening
from tests.e2e.discord.fake import FakeDiscord, _pattern
from tests.e2e.discord.test_actions_out import said

SEND = "/channels/{channel_id}/messages"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
EXPIRE = "/channels/{channel_id}/polls/{message_id}/expire"
PIN = "/channels/{channel_id}/messages/pins/{message_id}"
EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
START = datetime(2030, 1, 5, 17, 0, tzinfo=UTC)


class Polls:
    """Routes the shared fake does not have: polls as Discord keeps them, pins, events."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.counts: list[int] = []
        self.events: dict[str, dict[str, Any]] = {}
        post = self.fake._routes[("POST", SEND)][0]

        def post_with_poll(ids: dict[str, str], body: Any, params: Any) -> Any:
            data = post(ids, body, params)
            if body.get("poll"):
                data["poll"] = self._poll(body["poll"], finalized=False)
                self.fake.messages[int(ids["channel_id"])][int(data["id"])] = data
            return data

        routes = {("POST", SEND): post_with_poll, ("GET", MESSAGE): self._get,
                  ("POST", EXPIRE): self._expire, ("PUT", PIN): lambda i, b, p: None,
                  ("DELETE", PIN): lambda i, b, p: None, ("POST", EVENTS): self._create,
                  ("PATCH", EVENT): self._edit,
                  ("GET", EVENT): lambda i, b, p: self.events[i["guild_scheduled_event_id"]]}
        for key, handler in routes.items():
            self.fake._routes[key] = (handler, _pattern(key[1]))

    def _poll(self, body: dict[str, Any], *, finalized: bool) -> dict[str, Any]:
        answers = [{"answer_id": n, "poll_media": a["poll_media"]}
                   for n, a in enumerate(body["answers"], 1)]
        return {"question": body["question"], "answers": answers,
                "expiry": (datetime.now(UTC) + timedelta(hours=body["duration"])).isoformat(),
                "allow_multiselect": False, "layout_type": 1,
                "results": {"is_finalized": finalized, "answer_counts": [
                    {"id": n, "count": c, "me_voted": False}
                    for n, c in enumerate(self.counts, 1)]}}

    def _get(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        return self.fake.messages[int(ids["channel_id"])][int(ids["message_id"])]

    def _expire(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        data = self._get(ids, body, params)
        data["poll"]["results"]["is_finalized"] = True
        data["poll"]["results"]["answer_counts"] = [
            {"id": n, "count": c, "me_voted": False} for n, c in enumerate(self.counts, 1)]
        return data

    def _create(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        event_id = str(self.fake.snowflake())
        self.events[event_id] = {
            "id": event_id, "guild_id": ids["guild_id"], "channel_id": None, "creator_id": None,
            "name": body["name"], "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body["privacy_level"], "status": 1,
            "entity_type": body["entity_type"], "entity_id": None,
            "entity_metadata": body.get("entity_metadata"), "user_count": 0}
        return self.events[event_id]

    def _edit(self, ids: dict[str, str], body: Any, params: Any) -> Any:
        event = self.events[ids["guild_scheduled_event_id"]]
        event.update(body)
        return event


@pytest.fixture
def polls(listening: Listening) -> Polls:
    """The fake server with poll, pin and scheduled-event routes."""
    return Polls(listening.fake)


async def test_a_poll_is_posted_and_its_counts_read(listening: Listening, polls: Polls) -> None:
    """A Discord poll of whole hours; ending it returns each answer's votes."""
    adapter, fake = listening.adapter, listening.fake
    assert isinstance(adapter, PollSender)
    result = await adapter.send_poll(listening.at(fake.general), "Pizza or sushi?",
                                     ["Pizza", "Sushi"], timedelta(minutes=30))
    [call] = fake.of("POST", SEND)
    assert call.json["poll"]["question"] == {"text": "Pizza or sushi?"}
    assert [a["poll_media"]["text"] for a in call.json["poll"]["answers"]] == ["Pizza", "Sushi"]
    assert call.json["poll"]["duration"] == 1
    polls.counts = [3, 5]
    closed = await adapter.close_poll(listening.at(fake.general), str(result.message_id))
    assert closed.status == "ok" and closed.counts == (3, 5)
    assert len(fake.of("POST", EXPIRE)) == 1


async def test_a_refused_poll_names_the_permission(listening: Listening, polls: Polls) -> None:
    """Without Create Polls, a 403 says which permission is missing, in French too."""
    adapter, fake = listening.adapter, listening.fake
    fake.fail("POST", SEND, 403, 50013, "Missing Permissions")
    result = await adapter.send_poll(listening.at(fake.general), "Q?", ["A", "B"],
                                     timedelta(hours=2))
    assert result.status == "failed"
    assert result.detail == "missing permission Create Polls in #general"
    assert "« Créer des sondages »" in said(result, "fr")


async def test_ending_a_vanished_poll_fails_clearly(listening: Listening, polls: Polls) -> None:
    """A deleted poll message: a failed result, not a crash."""
    adapter, fake = listening.adapter, listening.fake
    fake.fail("GET", MESSAGE, 404, 10008, "Unknown Message")
    result = await adapter.close_poll(listening.at(fake.general), "discord:123")
    assert result.status == "failed" and said(result) == "the message no longer exists."


async def test_pin_and_unpin(listening: Listening, polls: Polls) -> None:
    """PUT then DELETE on the message's pin."""
    adapter, fake = listening.adapter, listening.fake
    assert isinstance(adapter, Pinner)
    channel = listening.at(fake.general)
    assert (await adapter.pin_message(channel, "discord:55", True)).status == "ok"
    assert (await adapter.pin_message(channel, "discord:55", False)).status == "ok"
    assert [c.ids["message_id"] for c in fake.of("PUT", PIN) + fake.of("DELETE", PIN)] == [
        "55", "55"]


async def test_scheduled_event_created_edited_cancelled(listening: Listening,
                                                        polls: Polls) -> None:
    """An external event at the link; edit moves it; cancel sets its status."""
    adapter, fake = listening.adapter, listening.fake
    assert isinstance(adapter, NativeEvents)
    community = listening.at(fake.guild_id)
    made = await adapter.guild_event(community, name="Live AMA", description="Ask us",
                                     start=START, end=START + timedelta(hours=1),
                                     location="https://twitch.tv/acme", event_id="",
                                     cancel=False)
    [call] = fake.of("POST", EVENTS)
    assert (call.json["name"], call.json["entity_type"], call.json["entity_metadata"]) == (
        "Live AMA", 3, {"location": "https://twitch.tv/acme"})
    assert made.status == "ok" and made.message_id is not None
    moved = await adapter.guild_event(community, name="Live AMA", description="",
                                      start=START + timedelta(days=1), end=None, location="",
                                      event_id=made.message_id, cancel=False)
    assert moved.status == "ok"
    cancelled = await adapter.guild_event(community, name="", description="", start=None,
                                          end=None, location="", event_id=made.message_id,
                                          cancel=True)
    assert cancelled.status == "ok"
    assert [c.json.get("status") for c in fake.of("PATCH", EVENT)] == [None, 4]  # 4: CANCELED


async def test_no_create_events_permission_is_explained(listening: Listening,
                                                        polls: Polls) -> None:
    """A 403 on creating the event names Create Events."""
    adapter, fake = listening.adapter, listening.fake
    fake.fail("POST", EVENTS, 403, 50013, "Missing Permissions")
    result = await adapter.guild_event(listening.at(fake.guild_id), name="X", description="",
                                       start=START, end=START + timedelta(hours=1),
                                       location="Paris", event_id="", cancel=False)
    assert result.status == "failed"
    assert "Create Events" in result.detail
