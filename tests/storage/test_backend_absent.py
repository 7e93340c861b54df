"""Without a PostgreSQL server, its tests are skipped with the reason; in CI they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
TEST = "tests/storage/test_postgres.py::test_missing_database_is_named"


def run_without_server(ci: str | None) -> subprocess.CompletedProcess[str]:
    """Run one PostgreSQL test in a child pytest pointed at a port where nothing listens."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["VIGIE_TEST_POSTGRES_URL"] = "postgresql://postgres@127.0.0.1:1/test"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-rsf", "-p", "no:cacheprovider",
                           TEST], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def test_absent_server_is_a_skip_with_the_reason_outside_ci() -> None:
    """Locally, a missing server skips the test and says where it looked."""
    done = run_without_server(None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SKIPPED" in done.stdout and "FAILED" not in done.stdout
    assert "PostgreSQL is not reachable at postgresql://postgres@127.0.0.1:1/test" in done.stdout


def test_absent_server_fails_in_ci() -> None:
    """With CI=true, a missing server is a failure that names the problem."""
    done = run_without_server("true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED" in done.stdout
    assert "CI=true: PostgreSQL is not reachable" in done.stdout
