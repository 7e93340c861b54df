"""Helpful / not helpful votes, and the durability of everything the FAQ records."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.events import User
from bot.storage import StoreError
from plugins.faq import FaqPlugin
from tests.faq.conftest import Make, answers, click, stored
from tests.harness import Harness


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def _answer(h: Harness) -> str:
    report = await h.say("How do I reset my password?")
    assert answers(report) == ["password"]
    [outcome] = [o for o in report.outcomes if o.action.type == "reply"]
    assert outcome.result.message_id is not None
    return outcome.result.message_id


async def test_a_vote_is_stored_and_a_second_click_replaces_it(faq: Harness) -> None:
    message = await _answer(faq)
    report = await click(faq, message, "faq:up:password")
    assert [d.rule for d in report.decisions] == ["vote:password"]
    assert faq.replies() == [faq.replies()[0]]  # a vote posts nothing in the channel
    await click(faq, message, "faq:down:password")
    await click(faq, message, "faq:up:password", user="carol")
    rows = await stored(faq, "SELECT message_id, user_id, entry, helpful FROM faq_votes"
                             " ORDER BY user_id")
    assert rows == [
        {"message_id": message, "user_id": "console:bob", "entry": "password", "helpful": 0},
        {"message_id": message, "user_id": "console:carol", "entry": "password", "helpful": 1}]


async def test_other_buttons_and_bots_are_ignored(faq: Harness) -> None:
    message = await _answer(faq)
    for custom_id in ("contest:enter:1", "faq:maybe:password", "faq:up:", "faq:up:" + "x" * 60):
        report = await click(faq, message, custom_id)
        assert [d for d in report.decisions if d.plugin == "faq"] == []
    robot = User(id="console:robot", name="robot", is_bot=True)
    await click(faq, message, "faq:up:password", user=robot)
    assert await stored(faq, "SELECT * FROM faq_votes") == []


async def test_records_survive_a_restart(make: Make, tmp_path: Path) -> None:
    folder = tmp_path / "same"
    h = await make(folder=folder)
    message = await _answer(h)
    await click(h, message, "faq:up:password")
    await h.say("Vous avez une boutique à Lyon ?")
    await h.stop()  # writes what is queued
    again = await make(folder=folder)
    assert len(await again.rows("SELECT * FROM faq_answers")) == 1
    assert len(await again.rows("SELECT * FROM faq_votes")) == 1
    assert len(await again.rows("SELECT * FROM faq_misses")) == 1
    await again.say("!faq stats", author="claire")
    assert "👍 1" in again.replies()[-1]


async def test_a_database_failure_keeps_the_records_queued(faq: Harness,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    message = await _answer(faq)
    await click(faq, message, "faq:up:password")
    plugin = next(p for p in faq.app.plugins if isinstance(p, FaqPlugin))
    original = faq.store.transaction

    def broken() -> object:
        raise StoreError("disk full")

    monkeypatch.setattr(faq.store, "transaction", broken)
    with pytest.raises(StoreError):
        await plugin.records.flush()
    monkeypatch.setattr(faq.store, "transaction", original)
    assert await plugin.records.flush() == 2
    assert len(await faq.rows("SELECT * FROM faq_votes")) == 1
