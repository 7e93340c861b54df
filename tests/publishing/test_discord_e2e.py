"""Scheduled posts through a real discord.py client on the fake Discord: what reaches the REST
API (no pings, embeds, pins moved along, a long text cut) and 403/429/5xx retried."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.base import ActionResult, Adapter, EventSink
from bot.adapters.discord import DiscordAdapter, make_client
from bot.app import App
from bot.storage import SqliteStore
from plugins.publishing import PublishingPlugin
from tests.e2e.discord.fake import FakeDiscord, _pattern
from tests.harness import START, QuietClock

POST_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)   # 13:00 in Paris
RULES = """\
version: 1
defaults:
  language: en
  alerts_channel: "console:alerts"
  publishing: {{retries: 2, backoff: 1m}}
communities:
  "discord:{guild}":
    alerts_channel: "discord:{alerts}"
brands:
  acme:
    communities: ["discord:{guild}", "console:test"]
    channels: {{"discord:{guild}": "discord:{news}"}}
publishing:
  posts:
    news:
      home: console:test
      text:
        en: "{text}"
      targets: ["@acme"]
      at: "2026-11-21 13:00"
      repeat: {{every: day}}
      pin: {pin}
      embed: {embed}
      preview: {preview}
      image: "{image}"
"""


class Console(Adapter):
    """The console side: where CMs are told (alerts recorded)."""

    platform = "console"

    def __init__(self) -> None:
        self.alerts: list[str] = []

    async def start(self, sink: EventSink) -> None:
        return None

    async def closed(self) -> None:
        return None

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        self.alerts.append(text)
        return ActionResult.ok()

    async def send_message(self, channel: str, text: str, **_: Any) -> ActionResult:
        return ActionResult.ok(message_id="console:1")


@dataclass
class DiscordWorld:
    fake: FakeDiscord
    app: App
    clock: QuietClock
    console: Console
    news: int
    pins: list[tuple[str, int]]

    async def until(self, moment: datetime) -> None:
        self.clock.set(moment)
        await self.app.scheduler.run_due()
        await self.fake.settle()

    def posted(self) -> list[dict[str, Any]]:
        """Bodies of every post request to the announcements channel (refused ones too)."""
        return self.fake.sent(self.news)

    def delivered(self) -> list[str]:
        """Contents of the messages the channel holds."""
        return [m["content"] for m in self.fake.messages.get(self.news, {}).values()]


async def make(tmp: Path, monkeypatch: pytest.MonkeyPatch, *, text: str = "Hello @everyone",
               pin: bool = False, embed: bool = False, preview: bool = True,
               image: str = "") -> DiscordWorld:
    fake = FakeDiscord(make_client())
    fake.install(monkeypatch)
    news = fake.channel("announcements")   # there before Vigie connects: in its guild cache
    await fake.connect()
    pins: list[tuple[str, int]] = []

    def pinned(ids: dict[str, str], body: Any, params: Any) -> None:
        pins.append(("pin", int(ids["message_id"])))

    def unpinned(ids: dict[str, str], body: Any, params: Any) -> None:
        pins.append(("unpin", int(ids["message_id"])))

    path = "/channels/{channel_id}/messages/pins/{message_id}"
    fake._routes[("PUT", path)] = (pinned, _pattern(path))
    fake._routes[("DELETE", path)] = (unpinned, _pattern(path))
    rules = tmp / "rules.yaml"
    rules.write_text(RULES.format(guild=fake.guild_id, alerts=fake.alerts, news=news,
                                  text=text.replace('"', '\\"').replace("\n", "\\n"),
                                  pin=str(pin).lower(), embed=str(embed).lower(),
                                  preview=str(preview).lower(), image=image),
                     encoding="utf-8")
    clock = QuietClock(START)
    console = Console()
    app = App(config_path=rules, adapters=[DiscordAdapter(fake.client), console],
              store=SqliteStore(str(tmp / "v.db")), clock=clock,
              plugin_classes=[PublishingPlugin])
    await app.start()
    await fake.settle()
    return DiscordWorld(fake, app, clock, console, news, pins)


@pytest.fixture
async def stop_after() -> AsyncIterator[list[App]]:
    apps: list[App] = []
    yield apps
    for app in apps:
        await app.stop()


async def test_no_ping_and_pins_move_along(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           stop_after: list[App]) -> None:
    world = await make(tmp_path, monkeypatch, text="Hello @everyone and @here <@&5> **news**",
                       pin=True)
    stop_after.append(world.app)
    await world.until(POST_AT)
    body = world.posted()[0]
    assert body["content"] == "Hello @\u200beveryone and @\u200bhere <@\u200b&5> **news**"
    assert body["allowed_mentions"] == {"parse": []}   # nobody, no role, no @everyone
    first = world.pins[0]
    assert first[0] == "pin"
    await world.until(POST_AT + timedelta(days=1))
    assert world.pins[1:] == [("unpin", first[1]), ("pin", world.pins[2][1])]
    assert world.pins[2][1] != first[1]


async def test_embed_and_no_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    stop_after: list[App]) -> None:
    world = await make(tmp_path, monkeypatch, text="See https://example.org", embed=True)
    stop_after.append(world.app)
    await world.until(POST_AT)
    body = world.posted()[0]
    assert body["embeds"][0]["description"] == "See https://example.org"
    assert not body.get("content")


async def test_previews_off_wraps_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        stop_after: list[App]) -> None:
    world = await make(tmp_path, monkeypatch, text="See https://example.org", preview=False)
    stop_after.append(world.app)
    await world.until(POST_AT)
    assert world.posted()[0]["content"] == "See <https://example.org>"


async def test_a_long_text_is_cut_at_paragraphs(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                stop_after: list[App]) -> None:
    paragraph = "word " * 199 + "end."   # 999 characters: two fit in 2,000 with their "\n\n"
    world = await make(tmp_path, monkeypatch, text="\n\n".join([paragraph] * 5))
    stop_after.append(world.app)
    await world.until(POST_AT)
    contents = [b["content"] for b in world.posted()]
    assert [len(c) for c in contents] == [2000, 2000, 999]
    assert len(contents) == 3 and all(c.endswith("end.") for c in contents)
    assert "\n\n".join(contents) == "\n\n".join([paragraph] * 5)


@pytest.mark.parametrize(("status", "code", "reason"), [
    (403, 50013, "permission"), (429, 0, "limiting"), (503, 0, "Discord")])
async def test_refusals_are_retried_and_reported(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 stop_after: list[App], status: int, code: int,
                                                 reason: str) -> None:
    world = await make(tmp_path, monkeypatch, text="Hello")
    stop_after.append(world.app)
    world.fake.fail("POST", "/channels/{channel_id}/messages", status, code, "Missing Permissions"
                    if status == 403 else "", times=1, retry_after=120.0,
                    when=lambda ids: ids["channel_id"] == str(world.news))
    await world.until(POST_AT)
    assert world.delivered() == []
    assert any("Post news could not be sent in" in a and "Retry 1/2 in 1m" in a
               for a in world.console.alerts), world.console.alerts
    assert any(reason.lower() in a.lower() for a in world.console.alerts), world.console.alerts
    await world.until(POST_AT + timedelta(minutes=1))
    assert world.delivered() == ["Hello"]
    assert len(world.posted()) == 2   # the refused request and the retry


async def test_an_image_url_is_the_first_message_embed(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       stop_after: list[App]) -> None:
    world = await make(tmp_path, monkeypatch, text="New!", image="https://e.org/b.png")
    stop_after.append(world.app)
    await world.until(POST_AT)
    [body] = world.posted()
    assert body["content"] == "New!"
    assert body["embeds"][0]["image"] == {"url": "https://e.org/b.png"}


async def test_a_channel_of_another_server_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      stop_after: list[App]) -> None:
    world = await make(tmp_path, monkeypatch, text="Hello")
    stop_after.append(world.app)
    elsewhere = 1234567890123456789   # a channel Vigie does not see in this server
    world.app.rulebook.path.write_text(world.app.rulebook.path.read_text().replace(
        f"discord:{world.news}", f"discord:{elsewhere}"), encoding="utf-8")
    await world.app.rulebook.reload("file")
    await world.until(POST_AT)
    assert world.fake.sent() == []
    assert any(f"discord:{elsewhere} is not a channel of discord:{world.fake.guild_id}" in a
               and "Retry 1/2" in a for a in world.console.alerts), world.console.alerts
    for minutes in (1, 3):
        await world.until(POST_AT + timedelta(minutes=minutes))
    assert world.fake.sent() == []
    assert any("NOT sent" in a for a in world.console.alerts), world.console.alerts
