"""Scheduled posts through a real python-telegram-bot Bot on the fake Bot API: HTML escaping,
previews off, pins moved along, a long text cut, and 403/429/5xx retried and reported."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import App
from bot.storage import SqliteStore
from plugins.publishing import PublishingPlugin
from tests.adapters.telegram.conftest import telegram_config
from tests.adapters.telegram.fakebot import FakeBotApi
from tests.harness import START, QuietClock
from tests.publishing.test_discord_e2e import Console

GROUP = -1001234
POST_AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)   # 13:00 in Paris
RULES = f"""\
version: 1
defaults:
  language: fr
  alerts_channel: "console:alerts"
  publishing: {{{{retries: 2, backoff: 1m}}}}
brands:
  acme:
    communities: ["telegram:{GROUP}", "console:test"]
publishing:
  posts:
    news:
      home: console:test
      text:
        fr: "{{text}}"
        en: "English"
      targets: ["@acme"]
      at: "2026-11-21 13:00"
      repeat: {{{{every: day}}}}
      pin: {{pin}}
      preview: {{preview}}
      link: https://example.org/?a=1&b=2
      image: "{{image}}"
"""


class PinningBotApi(FakeBotApi):
    """The fake Bot API, with pins."""

    def __init__(self) -> None:
        super().__init__()
        self.pins: list[tuple[str, int]] = []

    def _m_pinChatMessage(self, p: dict[str, Any]) -> bool:
        self.pins.append(("pin", int(p["message_id"])))
        return True

    def _m_unpinChatMessage(self, p: dict[str, Any]) -> bool:
        self.pins.append(("unpin", int(p["message_id"])))
        return True


@dataclass
class TelegramWorld:
    server: PinningBotApi
    app: App
    clock: QuietClock
    console: Console

    async def until(self, moment: datetime) -> None:
        self.clock.set(moment)
        await self.app.scheduler.run_due()

    def sent(self) -> list[dict[str, Any]]:
        return [p for p in self.server.of("sendMessage") if int(p["chat_id"]) == GROUP]

    def delivered(self) -> list[str]:
        return [m["text"] for (chat, _), m in self.server.messages.items() if chat == GROUP]


Make = Callable[..., Coroutine[Any, Any, TelegramWorld]]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Make]:
    worlds: list[TelegramWorld] = []

    async def build(text: str = "Bonjour", pin: bool = False, preview: bool = True,
                    image: str = "") -> TelegramWorld:
        server = PinningBotApi()
        await server.start()
        server.group(GROUP, "Brand group")
        rules = tmp_path / "rules.yaml"
        rules.write_text(RULES.format(text=text.replace('"', '\\"').replace("\n", "\\n"),
                                      pin=str(pin).lower(), preview=str(preview).lower(),
                                      image=image),
                         encoding="utf-8")
        clock = QuietClock(START)
        console = Console()
        app = App(config_path=rules, adapters=[TelegramAdapter(telegram_config(server)), console],
                  store=SqliteStore(str(tmp_path / "v.db")), clock=clock,
                  plugin_classes=[PublishingPlugin])
        await app.start()
        world = TelegramWorld(server, app, clock, console)
        worlds.append(world)
        return world

    yield build
    for world in worlds:
        await world.app.stop()
        await world.server.stop()


async def test_html_is_escaped_and_previews_off(make: Make) -> None:
    world = await make(text="Prix < 5 € & **gratuit** > rien <script>", preview=False)
    await world.until(POST_AT)
    [params] = world.sent()
    assert params["parse_mode"] == "HTML"
    assert params["text"] == ("Prix &lt; 5 € &amp; <b>gratuit</b> &gt; rien &lt;script&gt;\n\n"
                              "https://example.org/?a=1&amp;b=2")
    assert params["link_preview_options"] == {"is_disabled": True}


async def test_pins_move_along(make: Make) -> None:
    world = await make(pin=True)
    await world.until(POST_AT)
    await world.until(POST_AT + timedelta(days=1))
    first, second = (int(m.rpartition(":")[2]) for m in [
        r["message_id"] for r in await world.app.store.fetch_all(
            "SELECT message_id FROM publishing_sent WHERE channel = :c ORDER BY occurrence",
            {"c": f"telegram:{GROUP}"})])
    assert world.server.pins == [("pin", first), ("unpin", first), ("pin", second)]


async def test_a_long_text_is_cut_within_4096(make: Make) -> None:
    line = ("ligne & <b> " * 30).strip()   # 359 characters, 659 once escaped
    world = await make(text="\n".join([line] * 20))
    await world.until(POST_AT)
    texts = [p["text"] for p in world.sent()]
    assert [len(t) for t in texts] == [6 * 659 + 5, 6 * 659 + 5, 6 * 659 + 5,
                                       2 * 659 + 1 + 2 + len("https://example.org/?a=1&amp;b=2")]
    escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert all(set(t.split("\n")) <= {escaped, "", "https://example.org/?a=1&amp;b=2"}
               for t in texts)   # cut between lines, never inside one


@pytest.mark.parametrize(("status", "description", "extra"), [
    (403, "Forbidden: bot was kicked from the supergroup chat", {}),
    (429, "Too Many Requests: retry after 120", {"retry_after": 120}),
    (502, "Bad Gateway", {}),
])
async def test_refusals_are_retried_and_reported(make: Make, status: int, description: str,
                                                 extra: dict[str, Any]) -> None:
    world = await make()
    world.server.fail("sendMessage", status, description, times=1, **extra)
    await world.until(POST_AT)
    assert world.delivered() == []
    alert = next(a for a in world.console.alerts if "Nouvel essai 1/2 dans 1min" in a)
    assert f"La publication news n'a pas pu être envoyée dans telegram:{GROUP}" in alert
    await world.until(POST_AT + timedelta(minutes=1))
    assert world.delivered() == ["Bonjour\n\nhttps://example.org/?a=1&amp;b=2"]   # HTML, as sent


async def test_an_image_file_goes_first_with_the_text_as_caption(make: Make,
                                                                 tmp_path: Path) -> None:
    banner = tmp_path / "banner.png"
    banner.write_bytes(b"\x89PNG fake image")
    world = await make(text="Nouveautés <b>", image=str(banner))
    await world.until(POST_AT)
    [photo] = world.server.of("sendPhoto")
    assert photo["caption"] == "Nouveautés &lt;b&gt;\n\nhttps://example.org/?a=1&amp;b=2"
    assert photo["parse_mode"] == "HTML"
    assert world.sent() == []   # the caption held the whole text
