"""`vigie run` under faults: a disk that fills up, a second process, SIGINT and SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "config" / "rules.yaml"
VIGIE = Path(sys.executable).parent / "vigie"
HANG = 60  # seconds: only turns a hang into a failure, never a timing assertion
LONG = "spam " * 700  # with 1 KiB pages, a case or audit row this long needs new pages

# `vigie run` whose database may not grow once started (SQLite's max_page_count: SQLITE_FULL).
FILLS_UP = """
import sys
from bot.app import App
started = App.start
async def start_then_fill(self):
    await started(self)
    row = await self.store.fetch_one("PRAGMA page_count")
    await self.store.execute(f"PRAGMA max_page_count = {row['page_count']}")
App.start = start_then_fill
from bot.cli import main
sys.argv = ["vigie", *sys.argv[1:]]
main()
"""


def env() -> dict[str, str]:
    """The environment without platform tokens or Vigie settings."""
    return {k: v for k, v in os.environ.items()
            if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "VIGIE_CONFIG", "VIGIE_DATABASE_URL")}


def run_args(db: Path) -> list[str]:
    """`run` on the default rule file (French) and `db`."""
    return ["run", "--config", str(RULES), "--database", f"sqlite:///{db}"]


class Running:
    """A `vigie run` in the background, fed through a pipe; its output lines can be awaited."""

    def __init__(self, command: Sequence[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(list(command), cwd=cwd, env=env(), text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, fragment: str) -> None:
        """Read output until a line holds `fragment`."""
        while True:
            line = self._lines.get(timeout=HANG)
            if line is None:
                raise AssertionError(f"output ended before {fragment!r}:\n{''.join(self.seen)}")
            self.seen.append(line)
            if fragment in line:
                return

    def type(self, text: str) -> None:
        """Type lines into the console."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def end(self) -> tuple[int, str]:
        """Wait for the exit; the exit code and standard error."""
        code = self.proc.wait(timeout=HANG)
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read()


@pytest.fixture
def running() -> Iterator[list[Running]]:
    """Processes started by a test; any still alive at the end are killed."""
    started: list[Running] = []
    yield started
    for r in started:
        if r.proc.poll() is None:
            r.proc.kill()
            r.proc.wait()
        for pipe in (r.proc.stdin, r.proc.stdout, r.proc.stderr):
            if pipe is not None:
                pipe.close()


def start(running: list[Running], db: Path, cwd: Path) -> Running:
    """A console `vigie run` on `db`, ready for input."""
    r = Running([str(VIGIE), *run_args(db)], cwd)
    running.append(r)
    r.wait_for("Database: ")
    return r


# -- a full disk ----------------------------------------------------------------------------------


def test_a_database_that_fills_up_is_explained_and_the_run_still_ends(tmp_path: Path) -> None:
    """Sanctions refused with the reason in each CM's language; end of input ends the run."""
    db = tmp_path / "v.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("CREATE TABLE page_size_probe (x INTEGER)")
    conn.close()
    script = tmp_path / "in.txt"
    script.write_text(f":join bob\n:as claire cm\n!warn @bob {LONG}\n:lang en\n"
                      f"!ban @bob {LONG}\n!rules\n", encoding="utf-8")
    with script.open() as stdin:
        done = subprocess.run([sys.executable, "-c", FILLS_UP, *run_args(db)], cwd=tmp_path,
                              env=env(), stdin=stdin, capture_output=True, text=True,
                              timeout=HANG, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    out = done.stdout
    assert "Échec (avertissement) : rien n'a été fait, car le cas n'a pas pu être enregistré " \
           "(le disque qui contient la base de données est plein)." in out
    assert "Could not ban: nothing was done, because the case could not be recorded (the disk " \
           "that holds the database is full)." in out
    assert "DM to bob" not in out and "banned bob" not in out
    assert "1. Be civil" in out  # the bot kept answering
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT COUNT(*) FROM cases").fetchone() == (0,)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
    assert "could not be written at stop and are lost" in log
    assert "INFO vigie.app stopped" in log


# -- one process per database ----------------------------------------------------------------------


def test_a_second_run_on_the_same_database_is_refused(tmp_path: Path,
                                                      running: list[Running]) -> None:
    """Exit 1 with one clear line naming the first process; fine again once it has ended."""
    db = tmp_path / "v.db"
    first = start(running, db, tmp_path)
    second = subprocess.run([str(VIGIE), *run_args(db)], cwd=tmp_path, env=env(),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=HANG, check=False)
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        f"error: the database {db} is in use by another Vigie process (pid {first.proc.pid}): "
        "stop that one first, or give this one its own database (--database); one process "
        "writes to a database at a time"]
    assert "Rules: " not in second.stdout
    first.type(":quit\n")
    assert first.end() == (0, "")
    again = subprocess.run([str(VIGIE), *run_args(db)], cwd=tmp_path, env=env(),
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=HANG, check=False)
    assert again.returncode == 0, again.stderr
    assert "Database: " in again.stdout


# -- signals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_ends_the_run_with_everything_written(tmp_path: Path, running: list[Running],
                                                       sig: signal.Signals) -> None:
    """SIGTERM (a service manager) or SIGINT (Ctrl-C): exit 0, cases and audit written."""
    db = tmp_path / "v.db"
    r = start(running, db, tmp_path)
    r.type(":join bob\n:as claire cm\n!warn @bob spam\n")
    r.wait_for("vigie → [#general] #2 Cas n°1 · avertissement · bob · par claire — spam")
    r.proc.send_signal(sig)
    code, err = r.end()
    assert code == 0, err
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT number, action FROM cases").fetchall() == [(1, "warn")]
        assert ("command:warn",) in conn.execute("SELECT rule FROM audit").fetchall()
    conn.close()
    log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
    assert f"{sig.name} received: stopping" in log
    assert "INFO vigie.app stopped" in log
    after = start(running, db, tmp_path)  # the lock went with the process
    after.type(":quit\n")
    assert after.end() == (0, "")
