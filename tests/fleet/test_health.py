"""`vigie health`: each worker with its revision, communities and lag; exit 1 when unhealthy."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from bot.cli import app
from bot.fleet.registry import WorkerRegistry
from bot.storage import open_store
from bot.storage.core_schema import CORE_MIGRATIONS
from tests.fleet.helpers import worker

runner = CliRunner()


async def _record(url: str, *workers: tuple[str, str, timedelta, list[str]]) -> None:
    """Write these workers' rows: (name, revision, time since the heartbeat, communities)."""
    store = open_store(url)
    await store.open()
    try:
        await store.migrate("core", CORE_MIGRATIONS)
        now = datetime.now(UTC)
        for name, revision, ago, communities in workers:
            await WorkerRegistry(store, name).beat(now - ago, revision, communities,
                                                   started=True)
    finally:
        await store.close()


async def _health(url: str, *args: str) -> Result:
    """`vigie health` in its own thread (it runs its own event loop)."""
    return await asyncio.to_thread(runner.invoke, app, ["health", *args],
                                   env={"VIGIE_DATABASE_URL": url})


def _report(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


async def test_live_workers_on_one_revision_are_healthy(store_url: str) -> None:
    await _record(store_url, ("w1", "r1", timedelta(seconds=3), ["discord:1", "discord:2"]),
                  ("w2", "r1", timedelta(seconds=10), ["telegram:-5"]))
    result = await _health(store_url, "--json")
    assert result.exit_code == 0, result.output
    report = _report(result)
    assert report["ok"] is True and report["problem"] is None
    rows = {w["worker_id"]: w for w in report["workers"]}
    assert rows["w1"]["revision"] == "r1" and rows["w1"]["communities"] == ["discord:1",
                                                                             "discord:2"]
    assert rows["w1"]["live"] and rows["w2"]["live"]
    assert 3 <= rows["w1"]["lag_s"] < 60 and rows["w2"]["lag_s"] >= 10
    text = await _health(store_url)
    assert text.exit_code == 0
    assert "w2  revision r1  live" in text.stdout and "ok: 2 live worker(s)" in text.stdout


async def test_live_workers_on_different_revisions_exit_1(store_url: str) -> None:
    await _record(store_url, ("w1", "r1", timedelta(seconds=1), []),
                  ("w2", "r2", timedelta(seconds=2), []),
                  ("old", "r0", timedelta(hours=1), []))
    result = await _health(store_url, "--json")
    assert result.exit_code == 1
    report = _report(result)
    assert report["problem"] == "live workers run different revisions (r1, r2)"
    assert {w["worker_id"]: w["live"] for w in report["workers"]} == {
        "old": False, "w1": True, "w2": True}


async def test_a_stale_worker_on_another_revision_does_not_count(store_url: str) -> None:
    await _record(store_url, ("w1", "r1", timedelta(seconds=1), []),
                  ("old", "r0", timedelta(minutes=5), []))
    assert (await _health(store_url, "--json")).exit_code == 0


async def test_no_worker_seen_recently_exits_1(store_url: str) -> None:
    await _record(store_url, ("w1", "r1", timedelta(minutes=2), []))
    result = await _health(store_url)
    assert result.exit_code == 1
    assert "NOT SEEN" in result.stdout and "problem: no worker was seen" in result.stdout
    store = open_store(store_url)
    await store.open()
    await store.execute("DELETE FROM workers")
    await store.close()
    assert (await _health(store_url, "--json")).exit_code == 1  # no worker at all


async def test_a_database_without_workers_table_exits_2(store_url: str) -> None:
    store = open_store(store_url)
    await store.open()  # an empty database (SQLite: an empty file)
    await store.close()
    result = await _health(store_url)
    assert result.exit_code == 2
    assert "has a worker started on this database?" in result.stderr


async def test_a_missing_sqlite_file_exits_2_and_is_not_created(tmp_path: Path) -> None:
    result = await _health(f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "none.db").exists()


async def test_health_reads_the_sqlite_file_a_running_worker_holds(tmp_path: Path) -> None:
    h = worker(tmp_path, "solo", f"sqlite:///{tmp_path / 'vigie.db'}")
    await h.start()  # holds the file's process lock
    try:
        result = await _health(f"sqlite:///{tmp_path / 'vigie.db'}", "--json")
    finally:
        await h.stop()
    [row] = _report(result)["workers"]
    assert (row["worker_id"], row["revision"]) == ("solo", h.app.rulebook.current.revision)
