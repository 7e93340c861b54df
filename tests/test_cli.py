"""The `vigie` command line: check, schema and run, as an admin would call them."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bot import heap
from bot.cli import app
from bot.running import resettle
from bot.settings.manager import ReloadOutcome

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULES = ROOT / "config" / "rules.yaml"
VIGIE = Path(sys.executable).parent / "vigie"
ISSUE_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")
FAKE_DISCORD_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0MzI.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
FAKE_TELEGRAM_TOKEN = "7123456789:AAHfakeFAKEfake0123456789abcdefGHIJK"

runner = CliRunner()


def line_of(text: str, fragment: str) -> int:
    """1-based number of the only line of `text` containing `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(found) == 1, f"{fragment!r} is on lines {found}"
    return found[0]


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with its single `old` replaced by `new`."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def broken_copy() -> str:
    """The default rule file with six independent mistakes."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    text = replace_once(text, "  language: fr\n", "  language: de\n")
    text = replace_once(text, "  case_alerts: true\n", "  case_alert: true\n")
    text = replace_once(text, '  prefixes: ["!", "/"]\n', "  prefixes: 5\n")
    text = replace_once(text, '  "console:local":\n', '  "slack:local":\n')
    text = replace_once(text, '      channel: "console:annonces"\n',
                        '      chanel: "console:annonces"\n')
    return replace_once(text, "    warning_expiry: 30d\n", "    warning_expiry: 30x\n")


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without platform tokens or Vigie settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "VIGIE_CONFIG", "VIGIE_DATABASE_URL")}
    env.update(extra)
    return env


def vigie(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the installed `vigie` script; stdin is closed so a console run ends at once."""
    return subprocess.run([str(VIGIE), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)


def test_check_default_rule_file_is_valid() -> None:
    result = runner.invoke(app, ["check", str(DEFAULT_RULES)])
    assert result.exit_code == 0, result.output
    assert f"{DEFAULT_RULES}: valid (revision " in result.stdout


def test_check_broken_copy_lists_every_problem(tmp_path: Path) -> None:
    text = broken_copy()
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = [ISSUE_LINE.match(line) for line in lines]
    assert all(parsed), lines
    got = [(m["file"], int(m["line"]), int(m["col"]), m["path"]) for m in parsed if m]
    expected = [
        (str(path), line_of(text, "  language: de"), 3, "defaults.language"),
        (str(path), line_of(text, "prefixes: 5"), 3, "defaults.prefixes"),
        (str(path), line_of(text, "case_alert:"), 3, "defaults.case_alert"),
        (str(path), line_of(text, "warning_expiry: 30x"), 5,
         "defaults.moderation.warning_expiry"),
        (str(path), line_of(text, '"slack:local":'), 3, "communities.slack:local"),
        (str(path), line_of(text, "chanel:"), 7, "overrides.0.when.chanel"),
    ]
    assert got == sorted(expected, key=lambda e: e[1])
    messages = {m["path"]: m["msg"] for m in parsed if m}
    assert "expected 'en' or 'fr', got 'de'" in messages["defaults.language"]
    assert "expected a list, got 5" in messages["defaults.prefixes"]
    assert "did you mean 'case_alerts'?" in messages["defaults.case_alert"]
    assert "'30x' is not a duration" in messages["defaults.moderation.warning_expiry"]
    assert "must be platform-qualified" in messages["communities.slack:local"]
    assert "did you mean 'channel'?" in messages["overrides.0.when.chanel"]
    assert "6 problem(s)" in result.stderr


def test_check_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:1:1: (file): no such file"]


def test_schema_is_json_schema_of_the_rule_file() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    properties = schema["properties"]
    for key in ("version", "defaults", "communities", "overrides"):
        assert key in properties
    assert schema.get("additionalProperties") is False
    text = json.dumps(schema)
    assert '"language"' in text
    assert '"role_at_least"' in text
    assert '"extends"' in text


def test_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.schema.json"
    result = runner.invoke(app, ["schema", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Vigie rule file"


def test_run_with_an_invalid_config_exits_1_and_lists_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    text = replace_once(DEFAULT_RULES.read_text(encoding="utf-8"),
                        "  language: fr\n", "  language: de\n")
    path.write_text(text, encoding="utf-8")
    env = clean_env(DISCORD_TOKEN=FAKE_DISCORD_TOKEN)
    result = vigie("run", "--platform", "console", "--config", str(path),
                   "--database", f"sqlite:///{tmp_path / 'v.db'}", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    line = line_of(text, "  language: de")
    assert f"{path}:{line}:3: defaults.language: expected 'en' or 'fr', got 'de'" in (
        result.stderr.splitlines())
    assert f"error: {path} is not valid" in result.stderr
    assert FAKE_DISCORD_TOKEN not in result.stdout + result.stderr


def test_run_console_with_closed_input_starts_and_stops(tmp_path: Path) -> None:
    env = clean_env(VIGIE_CONFIG=str(DEFAULT_RULES))
    result = vigie("run", "--database", f"sqlite:///{tmp_path / 'v.db'}", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Rules: " in result.stdout
    assert (tmp_path / "v.db").exists()


def test_an_applied_reload_settles_the_heap_again() -> None:
    """`vigie run` freezes what startup built; an applied reload re-collects and re-freezes."""
    try:
        asyncio.run(resettle(ReloadOutcome("refused", "a", "a")))
        assert gc.get_freeze_count() == 0
        asyncio.run(resettle(ReloadOutcome("applied", "b", "a")))
        assert gc.get_freeze_count() > 0
    finally:
        heap.release()
