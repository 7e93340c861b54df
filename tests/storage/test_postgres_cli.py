"""`vigie run` on PostgreSQL: VIGIE_DATABASE_URL selects it, the password is never printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.storage import PostgresStore
from tests.backends import fresh_schema

ROOT = Path(__file__).parents[2]
VIGIE = Path(sys.executable).parent / "vigie"
SESSION = "hello\n:as claire cm\n!warn alice be nice\n!timeout alice 10m calm down\n"


async def test_vigie_run_keeps_cases_and_jobs_in_postgresql(tmp_path: Path) -> None:
    """A console session with VIGIE_DATABASE_URL=postgresql://…: cases and the lift job are in
    PostgreSQL, and the URL is shown with its password masked (in the output and the log)."""
    async with fresh_schema() as url:
        with_password = url.replace("://postgres@", "://postgres:hunter2@")
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "VIGIE_CONFIG")}
        env["VIGIE_DATABASE_URL"] = with_password
        done = subprocess.run(
            [str(VIGIE), "run", "--config", str(ROOT / "config" / "rules.yaml")], input=SESSION,
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert "Database: postgresql://postgres:***@" in done.stdout
        log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
        assert "hunter2" not in done.stdout + done.stderr + log
        assert not (tmp_path / "data" / "vigie.db").exists()
        async with PostgresStore(url) as store:
            cases = await store.fetch_all(
                "SELECT number, action, target_id FROM cases ORDER BY number")
            jobs = await store.fetch_all("SELECT kind, status FROM jobs")
    assert cases == [{"number": 1, "action": "warn", "target_id": "console:alice"},
                     {"number": 2, "action": "timeout", "target_id": "console:alice"}]
    assert jobs == [{"kind": "core.lift", "status": "pending"}]
