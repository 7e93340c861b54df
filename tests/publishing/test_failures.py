"""Platform refusals: retried with backoff per target, the CMs told each time in their language,
given up after the configured retries; other targets are not held back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.base import ActionResult
from bot.i18n import Msg
from tests.publishing.conftest import DISCORD_NEWS, TELEGRAM, World


async def test_a_refused_post_is_retried_with_backoff_then_sent(world: World) -> None:
    world.discord.refuse = [
        ActionResult.failed("Discord server error 503: unavailable",
                            Msg.of("discord.error.server", status=503)),
        ActionResult.failed("rate limited by Discord for 60s",
                            Msg.of("discord.error.rate_limited")),
    ]
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello")
    await world.until(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
    assert len(world.telegram.posts()) == 1   # Telegram is not held back
    assert len(world.discord.posts()) == 1
    alerts = world.alerts()
    assert any("Post 1 could not be sent in discord:222 (discord)" in a and "Retry 1/3 in 1m"
               in a for a in alerts), alerts
    assert not any(a.startswith("Could not") for a in alerts)   # one report, not two
    await world.advance(timedelta(seconds=59))
    assert len(world.discord.posts()) == 1
    await world.advance(timedelta(seconds=1))   # first retry after 1m: rate limited
    assert len(world.discord.posts()) == 2
    assert any("Retry 2/3 in 2m" in a for a in world.alerts())
    await world.advance(timedelta(minutes=2))   # second retry after 2m more: sent
    assert len(world.discord.posts()) == 3
    rows = await world.rows("SELECT status, attempts FROM publishing_sent WHERE channel = :c",
                            c=DISCORD_NEWS)
    assert rows == [{"status": "sent", "attempts": 3}]
    await world.advance(timedelta(hours=1))
    assert len(world.discord.posts()) == 3   # never again


async def test_gives_up_after_the_retries_and_says_so(world: World) -> None:
    forbidden = ActionResult.failed(
        "missing permission", Msg.of("discord.error.refused", status=403, error="Missing Access"))
    world.discord.refuse = [forbidden] * 10
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello")
    await world.until(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
    for _ in range(12):
        await world.advance(timedelta(minutes=5))
    assert len(world.discord.posts()) == 4   # the first try and 3 retries
    assert any("Post 1 was NOT sent in discord:222 (discord) after 4 attempt(s)" in a
               for a in world.alerts())
    await world.advance(timedelta(days=1))
    assert len(world.discord.posts()) == 4
    assert len(world.telegram.posts()) == 1


async def test_cms_are_told_in_their_language(world: World) -> None:
    world.rules_path.write_text(world.rules_path.read_text().replace(
        "defaults:\n  language: en", "defaults:\n  language: fr"), encoding="utf-8")
    await world.restart()
    world.telegram.refuse = [ActionResult.failed("Forbidden: bot was kicked", Msg.of(
        "discord.error.server", status=500))]
    await world.say("!post schedule demain 18h @acme Bonjour")
    await world.until(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
    assert any(f"La publication 1 n'a pas pu être envoyée dans {TELEGRAM} (telegram)" in a
               and "Nouvel essai 1/3 dans 1min" in a for a in world.alerts()), world.alerts()
