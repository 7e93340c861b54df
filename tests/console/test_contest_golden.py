"""A contest in the console community, from start to verified draw: a golden transcript.

The session runs the real `vigie run` on piped input, as `make run < file` would, with one
difference: the contest seeds are fixed, so the draw (and the README's example) can be replayed.
Regenerate with `UPDATE_GOLDEN=1`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.console.test_golden import HERE, VIGIE, check_transcript, run_console

RUN = ("import hashlib, itertools, sys; import plugins.contests.draw as draw; "
       "n = itertools.count(1); "
       "draw.new_seed = lambda: hashlib.sha256(f'golden-{next(n)}'.encode()).hexdigest(); "
       "from bot.cli import main; sys.argv = ['vigie', 'run']; main()")
SEED = hashlib.sha256(b"golden-1").hexdigest()


def test_contest_transcript(tmp_path: Path) -> None:
    """Start, refusals, entries by button, command and reaction, the draw, proof, reroll."""
    result = run_console(tmp_path, HERE / "contest.in", command=(sys.executable, "-c", RUN))
    check_transcript(result, HERE / "contest.out")

    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    assert db.execute("SELECT id, status FROM contests ORDER BY id").fetchall() == [
        (1, "ended"), (2, "ended")]
    assert db.execute("SELECT contest_id, round FROM contest_draws ORDER BY id").fetchall() == [
        (2, 0), (1, 0), (1, 1)]
    rules = [r[0] for r in db.execute(
        "SELECT rule FROM audit WHERE plugin = 'contests' AND rule IN ('draw', 'reroll')")]
    assert rules == ["draw", "draw", "reroll"]

    proofs = [line.strip() for line in result.stdout.splitlines()
              if line.strip().startswith('{"format":"vigie-draw-proof"')]
    assert [len(json.loads(p)["rounds"]) for p in proofs] == [1, 2]
    assert json.loads(proofs[0])["seed"] == SEED
    for index, proof in enumerate(proofs):
        (tmp_path / f"proof{index}.json").write_text(proof, encoding="utf-8")
        check = subprocess.run([str(VIGIE), "verify-draw", f"proof{index}.json"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60, check=False)
        assert check.returncode == 0, check.stdout
        assert check.stdout.splitlines()[-1].startswith("verified:")
