"""Channels named in Vigie's messages are Discord mentions (`<#id>`), not `#<raw id>`."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.automod import AutomodPlugin
from plugins.moderation import ModerationPlugin
from tests.e2e.discord.conftest import AUTOMOD, World, start_world

WATCHED = AUTOMOD.replace("    raid:", """\
      watched:
        trigger: {{type: words, lexicons: [en-insults]}}
        actions: [alert]
    raid:""").replace("""\
      insults:
        trigger: {{type: words, lexicons: [fr-insults, en-insults]}}
        actions: [delete, warn]
        reason: {{en: "insult or hate speech", fr: "insulte ou propos haineux"}}
""", "")


def embeds(world: World, channel: int) -> list[str]:
    """Descriptions of the embeds Vigie posted in a channel."""
    return [e["description"] for body in world.fake.sent(channel) for e in body.get("embeds", ())]


async def test_a_lock_confirmation_mentions_the_channel(world: World) -> None:
    """`!lock` and `!slowmode`: the confirmation links the channel."""
    fake = world.fake
    await fake.say(fake.claire, "!lock")
    await fake.say(fake.claire, "!slowmode 30s")
    said = [r["content"] for r in fake.sent(fake.general)]
    assert said == [f"<#{fake.general}> is locked: only the team can post.",
                    f"Slowmode in <#{fake.general}>: one message every 30s."]


async def test_an_automod_alert_mentions_the_channel(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that alerts the team names the channel as a mention, in the alerts embed."""
    world = await start_world(tmp_path, monkeypatch, plugins=(ModerationPlugin, AutomodPlugin),
                              automod_rules=WATCHED)
    try:
        fake = world.fake
        await fake.say(fake.bob, "shut the fuck up alice")
        [alert] = embeds(world, fake.alerts)
        assert alert.splitlines()[0] == \
            f"Automod: rule watched fired on a message by bob in <#{fake.general}>."
    finally:
        await world.app.stop()
