"""Sanction commands end to end: cases, notices, platform calls, limits, durability."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.base import ActionResult
from bot.events import User
from bot.permissions import Role
from plugins.moderation import ModerationPlugin
from tests.harness import Harness
from tests.moderation.conftest import RULES

CLAIRE = User(id="console:claire", name="claire")
BOB = User(id="console:bob", name="bob", language="fr")


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def cases(h: Harness) -> list[dict[str, object]]:
    """Every case row, by number."""
    return await h.rows("SELECT * FROM cases ORDER BY number")


async def test_warn_records_tells_and_confirms(mod: Harness) -> None:
    """A warning: case committed, member told in their language with the appeal, CMs told."""
    await mod.say("salut", author=BOB)
    await mod.say("!warn bob spam links", author=CLAIRE)
    [case] = await cases(mod)
    assert (case["number"], case["action"], case["target_id"], case["author_id"],
            case["reason"], case["status"], case["notified"]) == (
        1, "warn", "console:bob", "console:claire", "spam links", "active", "dm")
    assert case["revision"] == mod.app.rulebook.current.revision
    [dm] = mod.adapter.of("send_dm")
    assert dm["user"] == "console:bob"
    assert dm["text"] == ("Vous avez reçu un avertissement dans Test community (cas n°1) : "
                          "spam links.\nPour contester : écrivez à appels@example.org")
    [alert] = mod.adapter.of("send_alert")
    assert alert["text"] == "Case #1 · warn · bob · by claire — spam links"
    assert mod.replies()[-1] == "Case #1 · warn · bob · by claire — spam links"


async def test_closed_inbox_is_noted(mod: Harness) -> None:
    """The sanction applies even when the member cannot be written to."""
    mod.adapter.fail["send_dm"] = ActionResult.failed("403 Cannot send messages to this user")
    await mod.say("hi", author=BOB)
    await mod.say("!timeout bob 10m", author=CLAIRE)
    [case] = await cases(mod)
    assert case["status"] == "active"
    assert case["notified"] == "not told: 403 Cannot send messages to this user"
    assert len(mod.adapter.of("timeout_member")) == 1


async def test_timeout_is_lifted_on_time(mod: Harness) -> None:
    """The unmute is a job: it runs when due, not before, and expires the case."""
    await mod.say("hi", author=BOB)
    await mod.say("!mute bob 1h30m calm down", author=CLAIRE)
    [call] = mod.adapter.of("timeout_member")
    assert call["until"] == mod.clock.now() + timedelta(minutes=90)
    await mod.advance(timedelta(minutes=89))
    assert not mod.adapter.of("remove_timeout")
    await mod.advance(timedelta(minutes=1))
    assert [c["user"] for c in mod.adapter.of("remove_timeout")] == ["console:bob"]
    [case] = await cases(mod)
    assert case["status"] == "expired"


async def test_timeout_survives_a_restart(tmp_path: Path, harness_url: str | None) -> None:
    """Stop mid-timeout; a new App on the same database lifts it at start once overdue."""
    first = await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin],
                          database_url=harness_url).start()
    await first.say("hi", author=BOB)
    await first.say("!timeout bob 2h", author=CLAIRE)
    await first.stop()
    second = Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin],
                     database_url=harness_url)
    second.clock.advance(timedelta(hours=3))
    await second.start()
    try:
        await second.app.scheduler.run_due()
        assert [c["user"] for c in second.adapter.of("remove_timeout")] == ["console:bob"]
        [case] = await cases(second)
        assert case["status"] == "expired"
    finally:
        await second.stop()


async def test_unmute_early_cancels_the_job(mod: Harness) -> None:
    """Lifting by hand cancels the pending job and confirms."""
    await mod.say("hi", author=BOB)
    await mod.say("!timeout bob 1h", author=CLAIRE)
    await mod.say("!unmute bob", author=CLAIRE)
    assert mod.replies()[-1] == "bob can talk again."
    assert await mod.app.scheduler.pending() == []
    await mod.advance(timedelta(hours=2))
    assert len(mod.adapter.of("remove_timeout")) == 1


async def test_platform_timeout_limits(mod: Harness) -> None:
    """Too long is refused with the platform's limit; too short is lengthened, and says so."""
    mod.adapter.max_timeout = timedelta(days=28)  # type: ignore[misc]
    mod.adapter.min_timeout = timedelta(seconds=30)  # type: ignore[misc]
    await mod.say("hi", author=BOB)
    await mod.say("!timeout bob 30d", author=CLAIRE)
    assert "timeouts last at most 28d" in mod.replies()[-1]
    assert await cases(mod) == []
    await mod.say("!timeout bob 10s", author=CLAIRE)
    [case] = await cases(mod)
    assert case["duration_s"] == 30
    assert "lengthened to 30s" in str(case["evidence"])
    assert mod.adapter.of("timeout_member")[0]["until"] == mod.clock.now() + timedelta(
        seconds=30)


async def test_ban_with_purge_and_temporary_unban(mod: Harness) -> None:
    """`--purge` asks the platform to delete a day of messages; a timed ban is lifted."""
    await mod.say("hi", author=BOB)
    await mod.say("!ban bob 7d --purge advertising", author=CLAIRE)
    [ban] = mod.adapter.of("ban_member")
    assert ban["delete_message_seconds"] == 86400
    [case] = await cases(mod)
    assert case["reason"] == "advertising"
    assert "pendant 7j" in mod.adapter.of("send_dm")[0]["text"]
    await mod.advance(timedelta(days=7))
    assert [c["user"] for c in mod.adapter.of("unban_member")] == ["console:bob"]


async def test_platform_refusal_is_explained(mod: Harness) -> None:
    """A 403 from the platform: the case says failed, the CM is told why, nothing is armed."""
    mod.adapter.fail["ban_member"] = ActionResult.failed("403 Missing Permissions: Ban Members")
    await mod.say("hi", author=BOB)
    await mod.say("!ban bob 1d spam", author=CLAIRE)
    [case] = await cases(mod)
    assert case["status"] == "failed"
    assert mod.replies()[-1] == "Could not ban: 403 Missing Permissions: Ban Members"
    assert await mod.app.scheduler.pending() == []
    assert not mod.adapter.of("send_dm")


async def test_bad_arguments(mod: Harness) -> None:
    """Durations and members that do not work get clear messages; nothing is recorded."""
    await mod.say("hi", author=BOB)
    for text, expected in [
        ("!timeout bob abc", "'abc' is not a valid duration"),
        ("!timeout bob 0s", "'0s' is not a positive duration"),
        ("!timeout bob -5m", "'-5m' is not a positive duration"),
        ("!timeout bob 99999d", "'99999d' is too long: a duration is at most 3650d"),
        ("!timeout nobody 5m", "No member 'nobody' here"),
        ("!warn", "Missing <member>."),
    ]:
        await mod.say(text, author=CLAIRE)
        assert expected in mod.replies()[-1], text
    assert await cases(mod) == []


async def test_reply_targets_the_author(mod: Harness) -> None:
    """Rose's habit: `/warn` in reply to a message warns its author."""
    await mod.say("buy followers at spam.example", author=BOB)
    spam = mod.last
    await mod.say("/warn advertising", author=CLAIRE, reply_to=spam)
    [case] = await cases(mod)
    assert (case["target_id"], case["reason"]) == ("console:bob", "advertising")


async def test_admin_can_sanction_a_cm(mod: Harness) -> None:
    """Admins rank above CMs."""
    carla = User(id="console:carla", name="carla", role=Role.CM)
    await mod.say("hi", author=carla)
    await mod.say("!warn carla late", author=User(id="console:root", name="root"))
    [case] = await cases(mod)
    assert case["target_id"] == "console:carla"
