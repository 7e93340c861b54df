"""A heated exchange in the console community climbs the ladder and calms down: a golden
transcript, on the default rule file with an alerts channel for the CMs."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from ruamel.yaml import YAML

from tests.console.test_golden import HERE, ROOT, check_transcript, normalise, run_console

ALERTS = "console:moderation"
"""Transcript lines in alerts carry the time of day (UTC), hidden like other times."""


def with_alerts_channel(workdir: Path) -> None:
    """The default rule file, with an alerts channel for the console community (so the
    escalation alert has its buttons)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    rules = yaml.load((ROOT / "config" / "rules.yaml").read_text(encoding="utf-8"))
    rules["communities"]["console:local"]["alerts_channel"] = ALERTS
    (workdir / "config").mkdir()
    with (workdir / "config" / "rules.yaml").open("w", encoding="utf-8") as out:
        yaml.dump(rules, out)


def run_session(workdir: Path, name: str) -> str:
    """Run `vigie run` on the session's script; compare with (or record) its transcript."""
    result = run_console(workdir, HERE / f"{name}.in")
    check_transcript(result, HERE / f"{name}.out",
                     tidy=lambda text: re.sub(r"\[\d\d:\d\d:\d\d\]", "[<time>]", normalise(text)))
    return result.stdout


def test_escalation_transcript(tmp_path: Path) -> None:
    """Reminder, alert with buttons, slowmode, timeouts; a CM takes it; the heat falls, the
    slowmode and the timeouts are lifted; outcome and cases are in the database."""
    with_alerts_channel(tmp_path)
    run_session(tmp_path, "escalation")
    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    rules = [row[0] for row in db.execute(
        "SELECT rule FROM audit WHERE plugin = 'escalation' AND rule NOT LIKE 'command:%'"
        " ORDER BY id")]
    assert rules[:4] == ["step1.reminder", "step4.alert", "step2.slowmode", "step3.timeout"]
    assert "alert.on_it" in rules and "slowmode.lift" in rules
    assert db.execute("SELECT outcome, decided_by_name FROM escalation_alerts").fetchall() == [
        ("on_it", "claire")]
    assert db.execute("SELECT action, status FROM cases ORDER BY number").fetchall() == [
        ("timeout", "expired"), ("timeout", "expired")]
