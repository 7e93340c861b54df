"""Slowmode enforced by Vigie for platforms that cannot set it (Telegram)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.adapters.base import ActionResult
from bot.permissions import Role
from plugins.moderation import ModerationPlugin
from tests.harness import MINIMAL_RULES, Harness

CANNOT = ActionResult.unsupported("this platform cannot set slowmode")


async def _harness(tmp: Path) -> Harness:
    h = Harness(tmp, rules=MINIMAL_RULES, plugins=[ModerationPlugin])
    h.adapter.fail["set_slowmode"] = CANNOT  # like Telegram: no native slowmode
    return await h.start()


async def test_messages_sent_too_soon_are_deleted(tmp_path: Path) -> None:
    """After !slowmode 30s, a member's second message within 30 s is deleted; staff is exempt."""
    h = await _harness(tmp_path)
    cm = h.user("claire", Role.CM)
    try:
        await h.say("!slowmode 30s", cm)
        assert "Slowmode in #general: one message every 30s." in h.replies()[-1]
        await h.say("first", "bob")
        await h.say("second", "bob")
        deleted = h.adapter.of("delete_message")
        assert [d["message_id"] for d in deleted] == [h.last.id]
        assert "core/slowmode: slowmode 30s: previous message" in deleted[0]["reason"]
        notices = h.adapter.of("send_dm")
        assert len(notices) == 1 and "one message every 30s" in notices[0]["text"]
        await h.say("third", "bob")  # still too soon: deleted, but no second notice
        assert len(h.adapter.of("delete_message")) == 2 and len(h.adapter.of("send_dm")) == 1
        await h.say("staff talks", cm)
        await h.say("staff again", cm)
        assert len(h.adapter.of("delete_message")) == 2
        h.clock.advance(timedelta(seconds=31))
        await h.say("later", "bob")
        assert len(h.adapter.of("delete_message")) == 2
        await h.say("alice is on her own clock", "alice")
        assert len(h.adapter.of("delete_message")) == 2
    finally:
        await h.stop()


async def test_slowmode_survives_a_restart_and_turns_off(tmp_path: Path) -> None:
    """The interval is stored; `!slowmode off` stops the deletions."""
    h = await _harness(tmp_path)
    cm = h.user("claire", Role.CM)
    await h.say("!slowmode 1m", cm)
    await h.stop()
    h = await _harness(tmp_path)
    try:
        assert h.app.executor.slowmode.interval("console:general") == timedelta(minutes=1)
        await h.say("one", "bob")
        await h.say("two", "bob")
        assert len(h.adapter.of("delete_message")) == 1
        await h.say("!slowmode off", cm)
        assert "Slowmode off in #general." in h.replies()[-1]
        await h.say("three", "bob")
        await h.say("four", "bob")
        assert len(h.adapter.of("delete_message")) == 1
    finally:
        await h.stop()
    h = await _harness(tmp_path)
    try:
        assert h.app.executor.slowmode.interval("console:general") is None
    finally:
        await h.stop()


async def test_native_slowmode_is_left_to_the_platform(tmp_path: Path) -> None:
    """An adapter that can set slowmode itself gets the call, and Vigie deletes nothing."""
    h = await Harness(tmp_path, rules=MINIMAL_RULES, plugins=[ModerationPlugin]).start()
    try:
        await h.say("!slowmode 30s", h.user("claire", Role.CM))
        assert h.adapter.of("set_slowmode")[0]["seconds"] == 30
        await h.say("one", "bob")
        await h.say("two", "bob")
        assert h.adapter.of("delete_message") == []
    finally:
        await h.stop()
