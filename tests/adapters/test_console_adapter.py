"""The console adapter passes the adapter contract and behaves like a platform."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.adapters.base import Adapter
from bot.adapters.console import ConsoleAdapter
from bot.clock import ManualClock, OffsetClock
from bot.events import Event, MemberJoined, MessageCreated, MessageEdited
from bot.kv import KeyValue
from bot.permissions import Role
from bot.storage import SqliteStore
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.adapters.contract import AdapterContract


class TestConsoleContract(AdapterContract):
    """The shared contract, on the console."""

    async def make_adapter(self) -> Adapter:
        """A console reading nothing and writing to memory."""
        return ConsoleAdapter(OffsetClock(), stdin=io.StringIO(""), stdout=io.StringIO(),
                              interactive=False)


async def _console(lines: list[str]) -> tuple[ConsoleAdapter, list[Event], io.StringIO]:
    out = io.StringIO()
    console = ConsoleAdapter(OffsetClock(), stdin=io.StringIO(""), stdout=out,
                             interactive=False)
    events: list[Event] = []

    async def sink(event: Event) -> None:
        events.append(event)

    console._sink = sink
    for line in lines:
        await console.handle_line(line)
    return console, events, out


async def test_typing_makes_events() -> None:
    """Messages, replies, edits and joins become neutral events with qualified ids."""
    console, events, _ = await _console([
        ":as bob", ":as alice", "hello @bob", ":as bob", ":reply 1 hi alice",
        ":edit 2 hi Alice!", ":join carol new",
    ])
    first, reply, edit, join = events
    assert isinstance(first, MessageCreated) and first.community == "console:local"
    assert first.channel == "console:general" and first.author.id == "console:alice"
    assert [m.id for m in first.mentions] == ["console:bob"]
    assert isinstance(reply, MessageCreated) and reply.reply_to == "console:1"
    assert reply.reply_to_author is not None and reply.reply_to_author.name == "alice"
    assert isinstance(edit, MessageEdited) and edit.text == "hi Alice!"
    assert isinstance(join, MemberJoined) and join.user.account_created_at is not None
    assert join.user.account_created_at >= console.clock.now() - timedelta(seconds=5)


async def test_platform_restrictions_are_enforced() -> None:
    """A muted member cannot post; a locked channel refuses members but not staff."""
    console, events, out = await _console([])
    bob = console._user("bob")
    await console.timeout_member("console:local", bob, console.clock.now() + timedelta(
        minutes=5), reason="test")
    await console.handle_line(":as bob")
    await console.handle_line("can I talk?")
    assert events == []
    assert "message not sent: bob is muted" in out.getvalue()
    console.clock.advance(timedelta(minutes=6))  # type: ignore[attr-defined]
    await console.handle_line("now?")
    assert len(events) == 1
    await console.lock_channel("console:general", reason="test")
    await console.handle_line("locked?")
    assert len(events) == 1
    await console.handle_line(":as boss admin")
    await console.handle_line("staff can post")
    assert len(events) == 2
    assert console.role_of(console.me) == Role.ADMIN


async def test_meta_command_errors() -> None:
    """Unknown meta-commands and bad arguments say so and change nothing."""
    _, events, out = await _console([":nope", ":reply 99 x", ":wait soon", ":as", ":lang de"])
    text = out.getvalue()
    assert "unknown console command :nope" in text
    assert "no message #99" in text
    assert "'soon' is not a duration" in text
    assert "usage: :as NAME" in text
    assert "usage: :lang fr|en" in text
    assert events == []


async def _kept_console(kv: KeyValue, lines: list[str]) -> ConsoleAdapter:
    """A console keeping its members in `kv`, started (so it loads them), fed `lines`."""
    console = ConsoleAdapter(OffsetClock(), stdin=io.StringIO(""), stdout=io.StringIO(),
                             interactive=False)
    console.keep_members_in(kv)

    async def sink(event: Event) -> None:
        return None

    await console.start(sink)
    for line in lines:
        await console.handle_line(line)
    await console.stop()
    return console


async def test_members_are_kept_and_written_only_when_they_change(tmp_path: Path) -> None:
    """Names, roles, languages and bans come back after a restart; a message by someone known
    writes nothing (the kept list is unchanged since the last join)."""
    store = SqliteStore(str(tmp_path / "console.db"))
    await store.open()
    try:
        await store.migrate("core", CORE_MIGRATIONS)
        clock = ManualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        kv = KeyValue(store, clock, "console")
        first = await _kept_console(kv, [":join dave", ":as dave", ":lang en", ":as root admin"])
        await first.ban_member("console:local", first._user("eve"), reason="test")
        written = await store.fetch_one("SELECT updated_at FROM kv WHERE namespace = 'console'")
        clock.advance(timedelta(minutes=5))
        again = await _kept_console(kv, [":as dave", "hello", ":as root", "hi", ":who"])
        same = await store.fetch_one("SELECT updated_at FROM kv WHERE namespace = 'console'")
        assert written is not None and same is not None
        assert same["updated_at"] == written["updated_at"]
        [dave] = await again.find_members("console:local", "@Dave")
        assert dave.language == "en"
        assert again.role_of(again._user("root")) == Role.ADMIN
        assert "eve (member) — banned" in again.out.file.getvalue()  # type: ignore[attr-defined]
    finally:
        await store.close()
