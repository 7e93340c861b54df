"""A full disk during a sanction: nothing happens on the platform, the CM is told, stop ends."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.events import User
from bot.i18n import Msg
from bot.storage import StoreError
from plugins.moderation import ModerationPlugin
from tests.harness import Harness
from tests.moderation.conftest import RULES

BOB = User(id="console:bob", name="bob", language="fr")
REASON = "spam " * 700  # needs more pages than the file may have
PLATFORM = ("send_dm", "timeout_member", "kick_member", "ban_member")
HANG = 60  # seconds: only turns a hang into a failure


def small_pages(path: Path) -> None:
    """Create the file with 1 KiB pages, so a long reason always needs new pages."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("CREATE TABLE page_size_probe (x INTEGER)")
    conn.commit()
    conn.close()


@pytest.fixture
async def full(tmp_path: Path) -> AsyncIterator[Harness]:
    """The moderation harness on a real file that may not grow any more (SQLITE_FULL)."""
    small_pages(tmp_path / "vigie.db")
    h = await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin]).start()
    try:
        await h.say("salut", author=BOB)
        row = await h.store.fetch_one("PRAGMA page_count")
        assert row is not None
        await h.store.execute(f"PRAGMA max_page_count = {row['page_count']}")
        assert await h.store.fetch_one("PRAGMA freelist_count") == {"freelist_count": 0}
        yield h
    finally:
        await asyncio.wait_for(h.stop(), HANG)


@pytest.mark.parametrize(("command", "action", "lang"), [
    ("warn", "warn", "en"), ("warn", "warn", "fr"), ("ban", "ban", "en"),
    ("mute", "timeout", "fr"),
])
async def test_a_sanction_that_cannot_be_recorded_is_not_applied(
        full: Harness, command: str, action: str, lang: str) -> None:
    """No case, no platform call, no error escapes; the CM reads why, in their language."""
    claire = User(id="console:claire", name="claire", language=lang)
    duration = "10m " if command == "mute" else ""
    report = await full.say(f"!{command} bob {duration}{REASON}", author=claire)
    assert report.errors == []
    assert [c for c in full.adapter.calls if c.method in PLATFORM] == []
    assert await full.store.fetch_all("SELECT id FROM cases") == []
    said = full.app.catalog.text(Msg.of(
        "action.failed", action=Msg.of(f"action.{action}"),
        detail=Msg.of("sanction.not_recorded", why=Msg.of("store.full"))), lang)
    assert full.replies()[-1] == said
    assert ("nothing was done" if lang == "en" else "rien n'a été fait") in said
    assert full.adapter.of("send_alert") == []


async def test_queued_audit_rows_that_cannot_be_written_do_not_block_the_stop(
        full: Harness) -> None:
    """The audit rows of the refused warnings cannot be written either: stop still ends."""
    claire = User(id="console:claire", name="claire")
    for _ in range(3):
        await full.say(f"!warn bob {REASON}", author=claire)
    await asyncio.wait_for(full.app.stop(), HANG)
    with pytest.raises(StoreError, match="not open"):
        await full.store.fetch_all("SELECT 1")


async def test_a_job_that_cannot_be_stored_is_a_store_error_and_the_scheduler_goes_on(
        full: Harness) -> None:
    """Storing a job fails cleanly; the scheduler still runs what is due, and stops."""
    with pytest.raises(StoreError, match="is full") as info:
        await full.app.scheduler.schedule("test.job", full.community,
                                          full.clock.now(), {"text": REASON})
    assert info.value.kind == "full"
    assert await full.app.scheduler.pending() == []
    assert await full.app.scheduler.run_due() == 0
    await asyncio.wait_for(full.app.scheduler.stop(), HANG)
