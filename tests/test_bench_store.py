"""`vigie bench --store`: cases and jobs per second on SQLite and PostgreSQL (no timing)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.bench_store import bench_stores
from bot.cli import app
from tests.backends import PG_URL, require_postgres


async def test_sqlite_alone_is_measured_and_numbered_without_gaps() -> None:
    """Every case and job is counted; numbering stays gapless under 16 concurrent writers."""
    [figures] = await bench_stores("sqlite", cases=64, jobs=40, concurrency=4)
    assert figures.backend == "sqlite"
    assert figures.cases == 128 and figures.jobs == 40 and figures.gapless
    assert figures.cases_per_s > 0 and figures.jobs_per_s > 0


async def test_postgresql_is_measured_beside_sqlite_in_a_throwaway_schema() -> None:
    """The PostgreSQL figures come after SQLite's, and the bench leaves no schema behind."""
    await require_postgres()
    before = await _schemas()
    sqlite, postgres = await bench_stores(PG_URL, cases=48, jobs=30, concurrency=3)
    assert (sqlite.backend, postgres.backend) == ("sqlite", "postgresql")
    assert postgres.cases == 96 and postgres.jobs == 30 and postgres.gapless
    assert await _schemas() == before


async def _schemas() -> set[str]:
    import asyncpg

    conn = await asyncpg.connect(PG_URL)
    try:
        rows = await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE "
                                "'vigie_bench_%'")
    finally:
        await conn.close()
    return {r["nspname"] for r in rows}


def test_the_command_prints_json_and_refuses_an_unreachable_database() -> None:
    """`--json` gives one object per backend; a closed port is one line and exit 1."""
    result = CliRunner().invoke(app, ["bench", "--store", "sqlite", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["backend"] for f in json.loads(result.output)] == ["sqlite"]
    refused = CliRunner().invoke(
        app, ["bench", "--store", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert refused.exit_code == 1
    assert "secret" not in refused.output and "Traceback" not in refused.output
