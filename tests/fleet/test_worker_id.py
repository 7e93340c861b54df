"""`vigie run --worker-id NAME` (or $VIGIE_WORKER_ID; default hostname-pid) names the worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
VIGIE = Path(sys.executable).parent / "vigie"


def _started_line(tmp_path: Path, args: list[str], worker_env: str | None) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "VIGIE_CONFIG", "VIGIE_DATABASE_URL",
                        "VIGIE_REDIS_URL", "VIGIE_WORKER_ID")}
    if worker_env is not None:
        env["VIGIE_WORKER_ID"] = worker_env
    done = subprocess.run(
        [str(VIGIE), "run", "--config", str(ROOT / "config" / "rules.yaml"), *args],
        input="hello\n", cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        check=False)
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
    return next(line for line in log.splitlines() if "started worker=" in line)


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["--worker-id", "eu-1"], "ignored", "started worker=eu-1 "),
    ([], "eu-2", "started worker=eu-2 "),
    ([], None, f"started worker={socket.gethostname()}-"),
])
def test_the_worker_name(tmp_path: Path, args: list[str], env: str | None,
                         expected: str) -> None:
    assert expected in _started_line(tmp_path, args, env)


@pytest.mark.parametrize("value", ["abc", "2", "4000", "1.5"])
def test_a_lease_that_is_not_3_to_3600_seconds_stops_the_start(tmp_path: Path,
                                                                value: str) -> None:
    """$VIGIE_LEASE_SECONDS is checked before anything starts, with the variable named."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN")}
    env["VIGIE_LEASE_SECONDS"] = value
    done = subprocess.run(
        [str(VIGIE), "run", "--config", str(ROOT / "config" / "rules.yaml")],
        input="hello\n", cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        check=False)
    assert done.returncode == 2
    assert f"VIGIE_LEASE_SECONDS={value!r} must be a whole number of seconds from 3 to 3600" \
        in done.stderr
    assert not (tmp_path / "data" / "vigie.db").exists()
