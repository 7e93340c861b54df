"""The `escalation:` section: defaults, tuning, and refused mistakes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from tests.escalation.conftest import rule_file


def check(tmp_path: Path, escalation: str) -> tuple[int, str]:
    path = tmp_path / "rules.yaml"
    path.write_text(rule_file(escalation), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    return result.exit_code, result.output


def test_default_rule_file_section_is_valid() -> None:
    """The shipped rule file's escalation section passes `vigie check`."""
    result = CliRunner().invoke(app, ["check", "config/rules.yaml"])
    assert result.exit_code == 0, result.output


def test_tuning_is_accepted(tmp_path: Path) -> None:
    """Weights, thresholds, durations and switched-off steps."""
    code, output = check(tmp_path, """
        window: 10m
        half_life: 3m
        weights: {insult: 4, laughter: 0.1}
        ladder:
          reminder: {at: 5, text: {en: "Easy.", fr: "Doucement."}}
          slowmode: {enabled: false}
          timeout: {at: 12, duration: 2m, max_members: 3}
          alert: {at: 14, with_timeout: false}
        solo: {at: 5, min_messages: 3}
        escalate: {lock: null}
    """)
    assert code == 0, output


def test_mistakes_are_refused_with_their_place(tmp_path: Path) -> None:
    """Typos, out-of-range values and a ladder that climbs down are errors."""
    code, output = check(tmp_path, """
        windw: 5m
        weights: {laughter: 2}
        ladder:
          reminder: {at: 10}
          slowmode: {at: 5}
    """)
    assert code == 1
    assert "escalation.windw: unknown key 'windw' (did you mean 'window'?)" in output
    assert "escalation.weights.laughter" in output
    assert "ladder.slowmode.at (5) is below ladder.reminder.at (10)" in output
