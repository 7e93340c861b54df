"""The FAQ in the console community, driven from a file: a golden transcript."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.console.test_golden import check_transcript, run_console

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parents[2]


def test_faq_transcript(tmp_path: Path) -> None:
    """Questions answered in both languages, a vote, chat left alone, misses and stats (the
    words alone: the encoder's late answers would race the script)."""
    rules = tmp_path / "config" / "rules.yaml"
    rules.parent.mkdir(parents=True)
    text = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("\n  faq:\n", "\n  faq:\n    semantic: false\n", 1),
                     encoding="utf-8")
    result = run_console(tmp_path, GOLDEN / "faq.in")
    check_transcript(result, GOLDEN / "faq.out")
    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    assert db.execute("SELECT entry, source FROM faq_answers ORDER BY id").fetchall() == [
        ("password-reset", "auto"), ("order-status", "auto"), ("order-status", "request")]
    assert db.execute("SELECT entry, helpful FROM faq_votes").fetchall() == [
        ("password-reset", 1)]
    assert db.execute("SELECT COUNT(*) FROM faq_misses").fetchone() == (3,)
