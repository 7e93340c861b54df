"""The console community driven from a file, as `make run < file` would: a golden transcript."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).parent / "golden"
ROOT = Path(__file__).parents[2]
VIGIE = Path(sys.executable).parent / "vigie"


def normalise(text: str) -> str:
    """Hide what changes between runs: times and revisions."""
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC", "<time>", text)
    return re.sub(r"\b[0-9a-f]{12}\b", "<rev>", text)


def run_console(workdir: Path, script: Path,
                command: Sequence[str] = (str(VIGIE), "run")) -> subprocess.CompletedProcess[str]:
    """Run `command` (`vigie run`) in `workdir` with `script` as standard input (no TTY), on
    the default rule file unless `workdir` already has one."""
    rules = workdir / "config" / "rules.yaml"
    if not rules.exists():
        rules.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "config" / "rules.yaml", rules)
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN")}
    env["COLUMNS"] = "200"
    with script.open() as stdin:
        return subprocess.run(list(command), cwd=workdir, stdin=stdin, capture_output=True,
                              text=True, timeout=60, env=env, check=False)


def check_transcript(result: subprocess.CompletedProcess[str], expected: Path,
                     tidy: Callable[[str], str] = normalise) -> None:
    """The session ended well and printed `expected` (recorded instead with UPDATE_GOLDEN=1)."""
    assert result.returncode == 0, result.stderr
    actual = tidy(result.stdout)
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def transcript(tmp_path: Path, name: str) -> str:
    """Run the `name` session and compare with its recorded transcript."""
    result = run_console(tmp_path, HERE / f"{name}.in")
    check_transcript(result, HERE / f"{name}.out")
    return result.stdout


def test_console_transcript(tmp_path: Path) -> None:
    """Piped input gives the recorded transcript, exits 0, and leaves everything committed."""
    stdout = transcript(tmp_path, "session")
    assert "this line is never read" not in stdout

    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    rules = [row[0] for row in db.execute("SELECT rule FROM audit ORDER BY id")]
    assert rules.count("command:help") == 4
    assert "command:reload" in rules
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
    assert "INFO vigie.app stopped" in log


def test_moderation_transcript(tmp_path: Path) -> None:
    """A CM's day: warnings, the ladder, mutes, notes, purge, slowmode, locks, pardon, bans."""
    transcript(tmp_path, "moderation")
    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    rows = db.execute("SELECT number, action, status FROM cases ORDER BY number").fetchall()
    assert rows == [(1, "warn", "active"), (2, "warn", "active"), (3, "warn", "active"),
                    (4, "timeout", "voided"), (5, "timeout", "expired"), (6, "note", "active"),
                    (7, "ban", "expired")]
    assert db.execute("SELECT status FROM jobs ORDER BY id").fetchall() == [
        ("replaced",), ("cancelled",), ("done",)]


def test_console_end_of_input_without_quit(tmp_path: Path) -> None:
    """End of piped input ends the session cleanly too."""
    script = tmp_path / "short.in"
    script.write_text("!rules\n", encoding="utf-8")
    workdir = tmp_path / "w"
    workdir.mkdir()
    result = run_console(workdir, script)
    assert result.returncode == 0, result.stderr
    assert "Restez courtois" in result.stdout
