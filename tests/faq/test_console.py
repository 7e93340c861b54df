"""The FAQ in the console community, driven from a file: a golden transcript."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.console.test_golden import normalise, run_console

GOLDEN = Path(__file__).parent / "golden"


def test_faq_transcript(tmp_path: Path) -> None:
    """Questions answered in both languages, a vote, chat left alone, misses and stats."""
    result = run_console(tmp_path, GOLDEN / "faq.in")
    assert result.returncode == 0, result.stderr
    actual = normalise(result.stdout)
    expected = GOLDEN / "faq.out"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")
    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    assert db.execute("SELECT entry, source FROM faq_answers ORDER BY id").fetchall() == [
        ("password-reset", "auto"), ("order-status", "auto"), ("order-status", "request")]
    assert db.execute("SELECT entry, helpful FROM faq_votes").fetchall() == [
        ("password-reset", 1)]
    assert db.execute("SELECT COUNT(*) FROM faq_misses").fetchone() == (3,)
