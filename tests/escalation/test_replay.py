"""`vigie replay` shows every escalation decision, so admins can tune the ladder on past logs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from tests.escalation.conftest import FIGHT

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def write_log(path: Path) -> Path:
    """The fight as an event log (no replies: who answers whom is inferred), then a calm
    message 30 minutes later."""
    lines = []
    for number, (speaker, text) in enumerate([*FIGHT, ("carol", "Good morning!")]):
        at = START + timedelta(seconds=10 * number)
        if speaker == "carol":
            at += timedelta(minutes=30)
        lines.append(json.dumps({
            "type": "message", "id": f"m{number + 1}", "ts": at.isoformat(),
            "community": "console:local", "channel": "console:general",
            "author": {"id": f"console:{speaker}", "name": speaker, "role": "member"},
            "text": text, "reply_to": None, "mentions": [], "attachments": []}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_replay_text_shows_the_ladder(tmp_path: Path) -> None:
    """Each step, the alert and the timed lifting of the slowmode appear with their evidence."""
    log = write_log(tmp_path / "fight.jsonl")
    result = CliRunner().invoke(app, ["replay", str(log), "--config", "config/rules.yaml"])
    assert result.exit_code == 0, result.output
    out = result.output
    # The default rule file speaks French: evidence is written in the community's language.
    for expected in ("→ escalation/step1.reminder: send — chaleur de l'échange ",
                     "→ escalation/step4.alert: alert — alerte n°1 : chaleur de l'échange ",
                     "→ escalation/step2.slowmode: slowmode, send, schedule — ",
                     "→ escalation/step3.timeout: timeout, timeout, send — ",
                     "timed job escalation.check",
                     "→ escalation/slowmode.lift: slowmode, send, cancel — "):
        assert expected in out, expected
    assert out.index("step1.reminder") < out.index("step2.slowmode") \
        < out.index("step3.timeout") < out.index("slowmode.lift")


def test_replay_json_lists_escalation_decisions(tmp_path: Path) -> None:
    """In JSON, every escalation decision is a line with its actions and evidence."""
    log = write_log(tmp_path / "fight.jsonl")
    result = CliRunner().invoke(app, ["replay", str(log), "--config", "config/rules.yaml",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in result.output.splitlines()]
    mine = [d for d in decisions if d.get("plugin") == "escalation"]
    assert [d["rule"] for d in mine][:4] == ["step1.reminder", "step4.alert",
                                             "step2.slowmode", "step3.timeout"]
    reminder = mine[0]
    assert reminder["event"] == "m4" and reminder["actions"][0]["type"] == "send"
    assert "bob" in reminder["evidence"] and reminder["config_revision"]
    summary = decisions[-1]["summary"]
    assert summary["by_rule"]["escalation/step1.reminder"] == 1
