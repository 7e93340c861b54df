"""Two workers on one PostgreSQL schema and one rule file: reloads reach both, and each records
the revision it runs; `!rules` says when live workers disagree."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.fleet.registry import read_workers
from bot.permissions import Role
from tests.backends import PG_URL, fresh_schema
from tests.fleet.helpers import DEADLINE_S, EDITED_RULES, LostNotices, eventually, worker
from tests.harness import MINIMAL_RULES, Harness


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with fresh_schema() as url:
        yield url


async def test_an_edit_applied_on_one_worker_is_in_force_on_the_other(tmp_path: Path,
                                                                      pg_url: str) -> None:
    a = await worker(tmp_path, "worker-a", pg_url).start()
    b = await worker(tmp_path, "worker-b", pg_url).start()
    try:
        before = b.app.rulebook.current.revision
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        outcome = await a.app.rulebook.reload()
        assert outcome.status == "applied"
        # The periodic check is an hour away: only the PostgreSQL notice can do this.
        assert await eventually(lambda: b.app.rulebook.current.revision == outcome.revision), \
            f"worker B still runs {b.app.rulebook.current.revision} (was {before})"
        await b.say("!rules")
        assert b.replies()[-1] == "Be very nice."
        rows = {r.worker_id: r.revision for r in await read_workers(a.store)}
        assert rows == {"worker-a": outcome.revision, "worker-b": outcome.revision}
    finally:
        await b.stop()
        await a.stop()


async def test_the_reload_command_reaches_the_other_worker(tmp_path: Path, pg_url: str) -> None:
    a = await worker(tmp_path, "worker-a", pg_url).start()
    b = await worker(tmp_path, "worker-b", pg_url).start()
    try:
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        await a.say("!reload", a.user("root", Role.ADMIN))
        assert a.replies()[-1].startswith("Rules reloaded")
        revision = a.app.rulebook.current.revision
        assert await eventually(lambda: b.app.rulebook.current.revision == revision)
    finally:
        await b.stop()
        await a.stop()


async def test_a_lost_notice_is_caught_by_the_periodic_check(tmp_path: Path,
                                                             pg_url: str) -> None:
    a = await worker(tmp_path, "worker-a", pg_url, notices=LostNotices()).start()
    b = await worker(tmp_path, "worker-b", pg_url, notices=LostNotices(), check_s=0.1).start()
    try:
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        revision = (await a.app.rulebook.reload()).revision
        assert await eventually(lambda: b.app.rulebook.current.revision == revision)
    finally:
        await b.stop()
        await a.stop()


async def _rules_reply(h: Harness) -> str:
    await h.say("!rules")
    return h.replies()[-1]


async def test_rules_says_when_live_workers_disagree(tmp_path: Path, pg_url: str) -> None:
    a = await worker(tmp_path / "a", "worker-a", pg_url).start()
    b = await worker(tmp_path / "b", "worker-b", pg_url).start()  # its own copy of the file
    try:
        assert await _rules_reply(b) == "Be nice."  # same revision everywhere: no warning
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        new = (await a.app.rulebook.reload()).revision
        old = b.app.rulebook.current.revision
        assert old != new
        # B heard the notice, read its own (unchanged) file, and is held back.
        reply = await _rules_reply(b)
        assert reply.startswith("Be nice.\n\nWarning: the Vigie workers do not all run the same")
        assert f"worker-a: {new}" in reply and f"worker-b: {old}" in reply
        b.adapter.calls.clear()
        french = b.user("zoe", language="fr")
        await b.say("!regles", french)
        assert "Attention : les processus de Vigie" in b.replies()[-1]
        b.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        await b.app.rulebook.reload()
        assert await _rules_reply(b) == "Be very nice."  # in step again: no warning
    finally:
        await b.stop()
        await a.stop()


async def test_a_worker_trusts_its_own_revision_over_its_row(tmp_path: Path,
                                                             pg_url: str) -> None:
    """Between a reload and the heartbeat that records it, the row lags: no false warning."""
    a = await worker(tmp_path, "worker-a", pg_url).start()
    b = await worker(tmp_path, "worker-b", pg_url).start()
    try:
        assert await _rules_reply(b) == "Be nice."  # B now serves the community: its row is set
        await a.store.execute("UPDATE workers SET revision = 'stale' WHERE worker_id = :w",
                              {"w": "worker-b"})
        assert await _rules_reply(b) == "Be nice."
        await a.store.execute("UPDATE workers SET revision = 'other' WHERE worker_id = :w",
                              {"w": "worker-a"})
        reply = await _rules_reply(b)
        assert f"worker-b: {b.app.rulebook.current.revision}" in reply and "stale" not in reply
        assert "worker-a: other" in reply
    finally:
        await b.stop()
        await a.stop()


async def test_a_refused_edit_alert_says_the_workers_disagree(tmp_path: Path,
                                                              pg_url: str) -> None:
    a = await worker(tmp_path / "a", "worker-a", pg_url).start()
    b = await worker(tmp_path / "b", "worker-b", pg_url).start()
    try:
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        await a.app.rulebook.reload()
        b.rules_path.write_text(MINIMAL_RULES + "  oops: [\n", encoding="utf-8")
        outcome = await b.app.rulebook.reload("file")
        assert outcome.status == "refused"
        alerts = [c["text"] for c in b.adapter.of("send_alert")]
        assert alerts and "do not all run the same rules" in alerts[-1]
    finally:
        await b.stop()
        await a.stop()


async def test_a_stopped_worker_leaves_the_table(tmp_path: Path, pg_url: str) -> None:
    a = await worker(tmp_path, "worker-a", pg_url).start()
    b = await worker(tmp_path, "worker-b", pg_url).start()
    await b.stop()
    try:
        assert [r.worker_id for r in await read_workers(a.store)] == ["worker-a"]
    finally:
        await a.stop()


async def _listener_pids(admin: asyncpg.Connection, name: str) -> set[int]:
    rows = await admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1",
                             f"vigie notices {name}")
    return {int(r["pid"]) for r in rows}


async def test_a_lost_listener_connection_is_opened_again(tmp_path: Path, pg_url: str) -> None:
    name = f"worker-b-{uuid.uuid4().hex[:8]}"  # its connection is told apart by this name
    a = await worker(tmp_path, "worker-a", pg_url).start()
    b = await worker(tmp_path, name, pg_url).start()  # periodic check: an hour away
    admin = await asyncpg.connect(PG_URL)
    try:
        [old] = await _listener_pids(admin, name)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", old)
        end = asyncio.get_running_loop().time() + DEADLINE_S
        pids = await _listener_pids(admin, name)
        while pids in (set(), {old}) and asyncio.get_running_loop().time() < end:
            await asyncio.sleep(0.05)
            pids = await _listener_pids(admin, name)
        assert pids and old not in pids, "worker B did not listen again"
        a.rules_path.write_text(EDITED_RULES, encoding="utf-8")
        revision = (await a.app.rulebook.reload()).revision
        assert await eventually(lambda: b.app.rulebook.current.revision == revision)
    finally:
        await admin.close()
        await b.stop()
        await a.stop()
