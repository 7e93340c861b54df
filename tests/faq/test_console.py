"""The FAQ in the console community, driven from a file: a golden transcript."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.console.test_golden import check_transcript, run_console

GOLDEN = Path(__file__).parent / "golden"


def test_faq_transcript(tmp_path: Path) -> None:
    """Questions answered in both languages, a vote, chat left alone, misses and stats."""
    result = run_console(tmp_path, GOLDEN / "faq.in")
    check_transcript(result, GOLDEN / "faq.out")
    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    assert db.execute("SELECT entry, source FROM faq_answers ORDER BY id").fetchall() == [
        ("password-reset", "auto"), ("order-status", "auto"), ("order-status", "request")]
    assert db.execute("SELECT entry, helpful FROM faq_votes").fetchall() == [
        ("password-reset", 1)]
    assert db.execute("SELECT COUNT(*) FROM faq_misses").fetchone() == (3,)
