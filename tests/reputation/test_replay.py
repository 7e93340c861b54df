"""`vigie replay` on scripted days: the warning comes within 15 minutes of a bad buzz and never
on calm days, one member shouting, or a competitor criticised."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.reputation.conftest import TERMS, rule_file
from tests.reputation.days import INCIDENT, SCENARIOS, events

RULES = rule_file(terms=TERMS).replace('"console:test"', '"discord:111"')


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """A folder with the rule file; the current directory while the test runs."""
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    before = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


def warnings(workdir: Path, scenario: str, seed: int) -> list[tuple[datetime, dict[str, object]]]:
    """(time of the event, decision) of every reputation warning in a replayed scenario."""
    log = events(scenario, seed)
    (workdir / "events.jsonl").write_text("\n".join(log) + "\n", encoding="utf-8")
    times = {json.loads(line)["id"]: json.loads(line)["ts"] for line in log}
    result = CliRunner().invoke(app, ["replay", "events.jsonl", "--config", "rules.yaml",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    return [(datetime.fromisoformat(times[d["event"]].replace("Z", "+00:00")), d)
            for d in decisions if d.get("plugin") == "reputation"
            and str(d.get("rule", "")).startswith("warning:")]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_scripted_days(workdir: Path, scenario: str) -> None:
    for seed in (1, 2):
        found = warnings(workdir, scenario, seed)
        if not SCENARIOS[scenario]:
            assert found == [], (scenario, seed, found)
            continue
        assert found, (scenario, seed)
        when, decision = found[0]
        assert decision["rule"] == "warning:acme"
        assert decision["actions"][0]["type"] == "send"
        assert len(decision["actions"][0]["buttons"]) == 2
        assert "examples" in str(decision["evidence"])
        assert when >= INCIDENT
        if scenario == "spike":
            assert (when - INCIDENT).total_seconds() <= 15 * 60, (seed, when)
