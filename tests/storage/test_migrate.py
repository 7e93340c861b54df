"""`vigie migrate`: a SQLite database with every plugin's tables, copied into PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import CORE_PLUGINS
from bot.clock import from_text
from bot.discovery import discover_plugins
from bot.events import ButtonClicked
from bot.storage import SqliteStore, Store, open_store
from bot.storage.core_schema import CORE_MIGRATIONS
from bot.storage.migrate import PROGRESS_TABLE, MigrateRefused, migrate_database
from tests.backends import fresh_schema
from tests.escalation.conftest import FIGHT, play
from tests.harness import Harness

ROOT = Path(__file__).parents[2]
VIGIE = Path(sys.executable).parent / "vigie"
RULES = ((ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
         .replace('"console:local"', '"console:test"')
         .replace("alerts_channel: null", 'alerts_channel: "console:cm"')
         .replace("    terms: []\n",
                  "    terms:\n      - {id: orders, kind: topic, en: [order]}\n")
         .replace('    # welcome: {enabled: true, channel: "console:general"}',
                  '    welcome: {enabled: true, channel: "console:general"}\n'
                  '    verification: {enabled: true, challenge: button}'))
MIGRATIONS = [("core", CORE_MIGRATIONS),
              *((c.name, c.migrations) for c in (*CORE_PLUGINS, *discover_plugins())
                if c.migrations)]


@dataclass
class Source:
    """A populated SQLite database, and what the bot said about it before the copy."""

    path: Path
    url: str
    cases_answer: str
    ended_at: datetime


async def _click(h: Harness, message_id: str, custom_id: str, who: str,
                 channel: str = "console:general") -> None:
    await h.app.handle(ButtonClicked(
        id=f"click-{who}-{custom_id}", ts=h.clock.now(), community=h.community, channel=channel,
        message_id=message_id, user=h.user(who), custom_id=custom_id))


async def populate(folder: Path) -> Source:
    """Drive the App with every plugin on a SQLite file: cases with a ladder step, a lifted
    timeout and pending lifts, a drawn contest and an open one, FAQ answers, votes and a miss,
    an escalation alert, automod audit rows, kv rows, reputation figures and examples."""
    folder.mkdir()
    h = await Harness(folder, rules=RULES, plugins=discover_plugins()).start()
    for name in ("alice", "bob", "carol"):
        await h.say("hello everyone", author=name)
    for i in range(3):  # the third warning takes the ladder's 1 h timeout (pending lift)
        await h.say(f"!warn alice spam {i}", author="claire")
    await h.say("!timeout bob 10m calm down", author="claire")
    await h.advance(timedelta(minutes=11))  # bob's lift runs: a job done
    await h.say("!warn carol rude", author="claire")
    await h.say("!slowmode 30s", author="claire")
    await h.app.services.kv("console").set(h.community, "members", ["alice", "bob"])  # as `run`
    await h.say("!contest start 1h 1 Hoodie", author="claire")
    announcement = h.adapter.of("send_message")
    message = f"console:{1000 + len(announcement) - 1}"
    for who in ("dave", "erin", "frank"):
        await _click(h, message, "contests:enter:1", who)
    await h.say("!contest end 1", author="claire")
    await h.say("!contest start 2h 1 Mug", author="claire")  # open: its end job is pending
    report = await h.say("Where is my order?", author="gina")
    [answer] = [o for o in report.outcomes if o.action.type == "reply"]
    assert answer.result.message_id is not None
    await _click(h, answer.result.message_id, "faq:up:order-status", "gina")
    await _click(h, answer.result.message_id, "faq:down:order-status", "hank")
    await h.say("How do I paint my spaceship purple on a Tuesday?", author="ivan")
    await h.say("my order never arrived, this is terrible", author="jill")  # reputation
    await play(h, FIGHT[:8], channel="arena")
    await h.say("you are a fucking idiot", author="hank")
    await _publishing_side(h)
    await h.say("!cases @alice", author="claire")
    cases_answer = h.replies()[-1]
    ended_at = h.clock.now()
    await h.stop()
    path = folder / "vigie.db"
    async with SqliteStore(str(path)) as store:  # a heartbeat row and a lease (gone at a stop)
        await store.execute("INSERT INTO workers (worker_id, revision, started_at, seen_at,"
                            " communities) VALUES ('w1', 'abc', '2026-11-21 10:00:00',"
                            " '2026-11-21 10:12:00', 'console:test')")
        await store.execute(  # a reputation warning: too long a story to script here
            "INSERT INTO reputation_warnings (ts, community, term, kind, negative, mentions,"
            " baseline_negative, baseline_mentions, p_value) VALUES ('2026-11-21 10:05:00',"
            " 'console:test', 'orders', 'share', 6, 7, 1, 40, 0.00002)")
        for table in ("web_logins", "web_sessions"):  # a dashboard link and a session
            await store.execute(
                f"INSERT INTO {table} (token_hash, community, user_id, user_name, created_at,"
                " expires_at) VALUES ('ab12', 'console:test', 'console:claire', 'claire',"
                " '2026-11-21 10:00:00', '2026-11-21 10:10:00')")
        await store.execute("INSERT INTO owners (scope, worker_id, since, lease_until)"
                            " VALUES ('console:test', 'w1', '2026-11-21 10:00:00',"
                            " '2026-11-21 10:12:45')")
    return Source(path, f"sqlite:///{path}", cases_answer, ended_at)


def _posted(h: Harness, custom_id: str) -> str:
    """The id of the console message that carries the button `custom_id`."""
    for number, sent in enumerate(h.adapter.of("send_message")):
        if any(b.custom_id == custom_id for b in sent.get("buttons") or ()):
            return f"console:{1000 + number}"  # the recording adapter's ids
    raise AssertionError(f"no message with the button {custom_id}")


async def _publishing_side(h: Harness) -> None:
    """An event with an attendee, a poll with a vote, a post sent, newcomers welcomed and
    challenged."""
    await h.say("!event create demain 18h Launch party", author="claire")
    await h.advance(timedelta(seconds=1))  # the announcement is a job due now
    await _click(h, _posted(h, "events:going:1"), "events:going:1", "dave")
    await h.say("!poll Pizza or sushi? | Pizza | Sushi --for 1h", author="claire")
    await h.advance(timedelta(seconds=1))
    await _click(h, _posted(h, "poll:vote:1"), "poll:vote:1", "erin")
    await h.say("!post schedule dans 1h ici Hello --repeat weekly", author="claire")
    await h.say("!post now 1", author="claire")
    await h.advance(timedelta(seconds=1))
    await h.join("newbie")
    await h.join("another")  # within the welcome window: waits for the grouped welcome


@pytest.fixture
async def source(tmp_path: Path) -> Source:
    """A SQLite database with a row in every table of every plugin."""
    return await populate(tmp_path / "source")


async def _tables(store: Store) -> list[str]:
    rows = await store.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'")
    return sorted(str(r["name"]) for r in rows)


async def _everything(store: Store, table: str, keys: list[str]) -> list[dict[str, Any]]:
    """Every row of a table by its key (sorted here: text collations differ between engines)."""
    rows = await store.fetch_all(f"SELECT * FROM {table} ORDER BY {', '.join(keys)}")
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[Store]:
    """An open store on `url`, closed afterwards."""
    store = open_store(url)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def _vigie(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIGIE_DATABASE_URL"}
    return subprocess.run([str(VIGIE), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _with_password(url: str) -> str:
    return url.replace("://postgres@", "://postgres:hunter2@")


async def test_every_table_is_copied_identically_and_the_bot_carries_on(
        source: Source, tmp_path: Path) -> None:
    """`vigie migrate` into an empty schema: exit 0, each table gives the same rows on both
    sides; the App started on PostgreSQL answers `!cases` as before, runs the pending jobs,
    and numbers a new case (and its id) after the copied ones."""
    async with fresh_schema() as url:
        done = _vigie("migrate", "--from", source.url, "--to", _with_password(url), cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "hunter2" not in done.stdout + done.stderr
        assert "postgres:***@" in done.stdout
        async with SqliteStore(str(source.path)) as sqlite, opened(url) as pg:
            tables = await _tables(sqlite)
            assert f"identical: {len(tables)} table(s)" in done.stdout
            for table in tables:
                info = await sqlite.fetch_all(f"PRAGMA table_info({table})")
                keys = [str(c["name"]) for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
                rows = await _everything(sqlite, table, keys)
                assert rows, f"the scenario leaves {table} empty"
                assert await _everything(pg, table, keys) == rows, table
            pending = await pg.fetch_all("SELECT id, kind, run_at FROM jobs"
                                         " WHERE status = 'pending'")
        assert {"core.lift", "contests.end"} <= {j["kind"] for j in pending}

        (tmp_path / "after").mkdir()
        h = await Harness(tmp_path / "after", rules=RULES, plugins=discover_plugins(),
                          database_url=url).start()
        try:
            h.clock.set(source.ended_at)
            await h.say("hello again", author="alice")
            await h.say("!cases @alice", author="claire")
            assert h.replies()[-1] == source.cases_answer
            await h.advance(timedelta(hours=3))
            assert any(c["user"] == "console:alice" for c in h.adapter.of("remove_timeout"))
            statuses = {r["id"]: r["status"] for r in await h.rows(
                "SELECT id, status FROM jobs")}
            due = [j for j in pending  # an event's reminders and next week's post wait
                   if from_text(j["run_at"]) <= source.ended_at + timedelta(hours=3)]
            assert due and all(statuses[j["id"]] != "pending" for j in due)
            await h.say("hello", author="carol")
            await h.say("!warn carol again", author="claire")
            numbers = await h.rows("SELECT id, number FROM cases ORDER BY id")
            assert [r["number"] for r in numbers] == list(range(1, len(numbers) + 1))
            assert numbers[-1]["id"] == len(numbers)
        finally:
            await h.stop()


async def test_a_target_with_rows_is_refused(source: Source, tmp_path: Path) -> None:
    """A database that already holds data is left alone: exit 1 and why, no password shown."""
    async with fresh_schema() as url:
        async with opened(url) as pg:
            await pg.migrate("core", CORE_MIGRATIONS)
            await pg.execute("INSERT INTO kv (namespace, community, item_key, value, updated_at)"
                             " VALUES ('x', 'console:test', 'k', '1', '2026-01-01')")
        done = _vigie("migrate", "--from", source.url, "--to", _with_password(url), cwd=tmp_path)
        assert done.returncode == 1
        assert "is not empty (rows in kv)" in done.stderr
        assert "hunter2" not in done.stdout + done.stderr
        async with opened(url) as pg:
            assert await pg.fetch_all("SELECT COUNT(*) AS n FROM cases") == [{"n": 0}]


async def test_an_interrupted_copy_resumes_where_it_stopped(source: Source,
                                                             tmp_path: Path) -> None:
    """Stopped after 3 batches of 2 rows, a rerun copies only the rest and verifies it all."""
    batches: list[tuple[str, int]] = []

    def stop_after_three(table: str, copied: int) -> None:
        batches.append((table, copied))
        if len(batches) == 3:
            raise KeyboardInterrupt

    async with fresh_schema() as url:
        async with SqliteStore(str(source.path)) as sqlite, opened(url) as pg:
            with pytest.raises(KeyboardInterrupt):
                await migrate_database(sqlite, pg, MIGRATIONS, batch_size=2,
                                       on_batch=stop_after_three)
            progress = await pg.fetch_all(f"SELECT table_name, rows_copied, done FROM"
                                          f" {PROGRESS_TABLE} WHERE rows_copied > 0")
            total = 0
            for table in await _tables(sqlite):
                total += len(await sqlite.fetch_all(f"SELECT * FROM {table}"))
        assert sum(int(p["rows_copied"]) for p in progress) == 6
        done = _vigie("migrate", "--from", source.url, "--to", url, "--batch-size", "2",
                      cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("resumed ")
        copied_now = sum(int(line.split()[3]) for line in done.stdout.splitlines()[2:]
                         if line.split()[-2:-1] == ["same"])
        assert copied_now == total - 6


async def test_a_copy_that_differs_is_reported_with_exit_1(source: Source,
                                                           tmp_path: Path) -> None:
    """After the copy, a changed reason and a deleted case on the target are found by a rerun:
    the checksum of cases, the row count and the case numbering differ; exit 1."""
    async with fresh_schema() as url:
        assert _vigie("migrate", "--from", source.url, "--to", url, cwd=tmp_path).returncode == 0
        async with opened(url) as pg:
            await pg.execute("UPDATE cases SET reason = 'edited' WHERE number = 1")
            await pg.execute("DELETE FROM cases WHERE number = 2")
        done = _vigie("migrate", "--from", source.url, "--to", url, cwd=tmp_path)
        assert done.returncode == 1
        assert "difference: cases:" in done.stdout
        assert "difference: cases of console:test" in done.stdout
        assert "difference: kv" not in done.stdout


async def test_a_copy_started_from_another_source_is_refused(source: Source,
                                                             tmp_path: Path) -> None:
    """A half-done copy from another file is not mixed with this one."""
    other = await populate(tmp_path / "other")

    def interrupt(table: str, copied: int) -> None:
        raise KeyboardInterrupt

    async with fresh_schema() as url:
        async with SqliteStore(str(other.path)) as sqlite, opened(url) as pg:
            with pytest.raises(KeyboardInterrupt):
                await migrate_database(sqlite, pg, MIGRATIONS, on_batch=interrupt)
        async with SqliteStore(str(source.path)) as sqlite, opened(url) as pg:
            with pytest.raises(MigrateRefused, match="another source"):
                await migrate_database(sqlite, pg, MIGRATIONS)


def test_the_source_must_be_sqlite(tmp_path: Path) -> None:
    """`--from` names a SQLite file: another URL is one line of error (no password), exit 1."""
    done = _vigie("migrate", "--from", "postgresql://vigie:hunter2@127.0.0.1:1/vigie",
                  "--to", "postgresql://vigie:hunter2@127.0.0.1:1/other", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ("error: --from must be a sqlite:/// URL (got "
                           "postgresql://vigie:***@127.0.0.1:1/vigie)\n")


async def test_a_source_with_an_unknown_plugin_is_refused_before_any_copy(
        source: Source) -> None:
    """Tables of a plugin that is not installed would have nowhere to go: nothing is copied."""
    async with SqliteStore(str(source.path)) as sqlite:
        await sqlite.execute("INSERT INTO schema_migrations (namespace, version, name, checksum,"
                             " applied_at) VALUES ('ghost', 1, 'x', 'y', '2026-01-01')")
    async with (fresh_schema() as url, SqliteStore(str(source.path)) as sqlite,
                opened(url) as pg):
        with pytest.raises(MigrateRefused, match="ghost v1, but ghost is not installed"):
            await migrate_database(sqlite, pg, MIGRATIONS)
        assert await pg.fetch_all("SELECT table_name FROM information_schema.tables"
                                  " WHERE table_schema = current_schema()") == []
