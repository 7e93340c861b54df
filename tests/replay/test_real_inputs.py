"""`vigie replay` on what people really have: broken lines, odd exports, clocks that jump."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bot.cli import app
from tests.automod.conftest import rule_file

DISCORD_RULES = rule_file("""
    rules:
      insults:
        trigger: {type: words, lexicons: [fr-insults, en-insults]}
        actions: [delete]
      calm:
        trigger: {type: words, words: [bagarre]}
        actions: [{type: lock, duration: 10m}]
    """).replace('"console:test"', '"discord:111"')
TELEGRAM = "telegram:-1001234567890"


def replay(*args: str | Path) -> Any:
    """Run `vigie replay` as a person would and return the result."""
    return CliRunner().invoke(app, ["replay", *map(str, args)])


def no_traceback(result: Any) -> None:
    """The command ended on its own terms: no exception escaped, no traceback printed."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output


def message(number: str, ts: Any, text: str = "bonjour", **fields: Any) -> dict[str, Any]:
    """A message of Vigie's event log."""
    return {"type": "message", "id": number, "ts": ts, "community": "discord:111",
            "channel": "discord:222", "author": {"id": "discord:42", "name": "alice"},
            "text": text, **fields}


def write_log(folder: Path, lines: list[str]) -> tuple[Path, Path]:
    """An event log and the rule file it is replayed against."""
    (folder / "rules.yaml").write_text(DISCORD_RULES, encoding="utf-8")
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "events.jsonl", folder / "rules.yaml"


def test_impossible_times_and_ids_are_skipped_with_their_line(tmp_path: Path) -> None:
    """1e300, year 9999 and a 5000-digit id are each reported and skipped; the rest replays."""
    log, rules = write_log(tmp_path, [
        json.dumps(message("m1", "2026-11-21T10:00:00Z")),
        json.dumps(message("m2", 1e300, "connard")),
        json.dumps(message("m3", "9999-12-31T23:59:59Z", "connard")),
        json.dumps(message("m4", "2026-11-21T10:00:03Z", "connard"))
        .replace('"m4"', "9" * 5000),
        json.dumps(message("m5", "2026-11-21T10:00:04Z", "espèce de connard")),
    ])
    result = replay(log, "--config", rules)
    no_traceback(result)
    assert result.exit_code == 0
    assert f"{log}: line 2: 'ts': 1e+300 is out of range for a time (skipped)" in result.stderr
    assert f"{log}: line 3: dated 9999-12-31 23:59:59, which is in the future (skipped)" \
        in result.stderr
    assert f"{log}: line 4: 'id' should be a str or int, got a 5000-digit number (skipped)" \
        in result.stderr
    assert "line 5 [m5]" in result.stdout and "automod/insults: delete" in result.stdout
    assert "Replayed 2 events" in result.stdout and "3 malformed entries skipped" in result.stdout


def test_a_broken_first_line_does_not_hide_the_log(tmp_path: Path) -> None:
    """A log whose first line is not JSON is still a log: that line is skipped, not the file."""
    log, rules = write_log(tmp_path, [
        '{"type": "message", "id": "m0", "ts": "2026-11-21T09:59:59Z", "te',
        json.dumps(message("m1", "2026-11-21T10:00:00Z", "connard")),
    ])
    result = replay(log, "--config", rules)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert f"{log}: line 1: not JSON" in result.stderr
    assert "line 2 [m1]" in result.stdout and "automod/insults: delete" in result.stdout


def discord_export(*messages: dict[str, Any], guild: Any = None) -> dict[str, Any]:
    """A DiscordChatExporter export of channel 222 of guild 111."""
    return {"guild": {"id": "111", "name": "Brand HQ"} if guild is None else guild,
            "channel": {"id": "222", "type": "GuildTextChat", "name": "general"},
            "messages": list(messages)}


def discord_message(number: int, text: str, **fields: Any) -> dict[str, Any]:
    """One message of a DiscordChatExporter export."""
    return {"id": str(9000 + number), "type": "Default",
            "timestamp": f"2026-11-21T10:00:{number:02d}+00:00", "content": text,
            "author": {"id": "55", "name": "eve"}, **fields}


def test_discord_export_with_odd_fields(tmp_path: Path) -> None:
    """A string `reference` and a 5000-digit id skip their message only; others replay."""
    (tmp_path / "rules.yaml").write_text(DISCORD_RULES, encoding="utf-8")
    export = discord_export(discord_message(1, "connard", reference="9000"),
                            {**discord_message(2, "connard"), "id": 0},
                            discord_message(3, "you are a cunt"))
    text = json.dumps(export, indent=2).replace('"id": 0', '"id": ' + "9" * 5000)
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    result = replay(tmp_path / "export.json", "--config", tmp_path / "rules.yaml")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "message 1 (id 9001): 'reference' should be an object with a messageId, got str " \
           "(skipped)" in result.stderr
    assert "message 2: 'id' should be a str or int, got a 5000-digit number (skipped)" \
        in result.stderr
    assert "[discord:9003]" in result.stdout and "automod/insults: delete" in result.stdout
    assert "Replayed 1 events" in result.stdout


def test_discord_export_whose_guild_is_a_string(tmp_path: Path) -> None:
    """Without a guild id there is no community to replay in: said with the line, no traceback."""
    (tmp_path / "rules.yaml").write_text(DISCORD_RULES, encoding="utf-8")
    export = discord_export(discord_message(1, "connard"), guild="Brand HQ")
    (tmp_path / "export.json").write_text(json.dumps(export, indent=2), encoding="utf-8")
    result = replay(tmp_path / "export.json", "--config", tmp_path / "rules.yaml")
    no_traceback(result)
    assert result.exit_code == 2
    assert "export.json: line 2: `guild` should be an object with an `id`, got str" \
        in result.stderr


def telegram_export(*messages: dict[str, Any], name: str = "Brand FR") -> dict[str, Any]:
    """A Telegram Desktop export of a supergroup."""
    return {"name": name, "type": "private_supergroup", "id": 1234567890,
            "messages": list(messages)}


def telegram_message(number: int, text: Any) -> dict[str, Any]:
    """One message of a Telegram Desktop export."""
    return {"id": number, "type": "message", "date": f"2026-11-21T10:00:{number:02d}",
            "date_unixtime": str(1795255200 + number), "from": "Bob", "from_id": "user777",
            "text": text}


def test_telegram_group_named_guild_is_telegram(tmp_path: Path) -> None:
    """The format comes from the export's structure, not from a name that happens to match."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(DISCORD_RULES.replace('"discord:111"', f'"{TELEGRAM}"'), encoding="utf-8")
    export = telegram_export(telegram_message(1, "espèce de connard"), name="guild")
    (tmp_path / "result.json").write_text(json.dumps(export, indent=1), encoding="utf-8")
    result = replay(tmp_path / "result.json", "--config", rules)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert f"[{TELEGRAM}:1]" in result.stdout and "automod/insults: delete" in result.stdout


def test_telegram_hidden_link_targets_reach_automod(tmp_path: Path) -> None:
    """A text_link hides its target behind a word; the link rule still sees where it goes."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(rule_file("""
        rules:
          grabbers:
            trigger: {type: links, deny: [grabify.link]}
            actions: [delete]
        """).replace('"console:test"', f'"{TELEGRAM}"'), encoding="utf-8")
    hidden = {"type": "text_link", "text": "mes photos", "href": "https://grabify.link/ABC"}
    export = telegram_export(telegram_message(1, ["regardez ", hidden]),
                             telegram_message(2, ["rien ", {"type": "bold", "text": "ici"}]))
    (tmp_path / "result.json").write_text(json.dumps(export, indent=1), encoding="utf-8")
    result = replay(tmp_path / "result.json", "--config", rules)
    assert result.exit_code == 0, result.output
    assert f"[{TELEGRAM}:1]" in result.stdout and "automod/grabbers: delete" in result.stdout
    assert f"[{TELEGRAM}:2]" not in result.stdout


def test_a_jump_in_time_does_not_drag_the_clock(tmp_path: Path) -> None:
    """An event dated a week ahead, or an hour behind, replays at the clock's time, reported.

    The 10-minute lock of 10:00:00 is lifted when the log reaches 10:11, not at the jump.
    """
    log, rules = write_log(tmp_path, [
        json.dumps(message("m1", "2026-11-21T10:00:00Z", "bagarre")),
        json.dumps(message("m2", "2026-11-28T10:00:00Z", "connard")),
        json.dumps(message("m3", "2026-11-21T10:01:00Z")),
        json.dumps(message("m4", "2026-11-21T09:00:00Z", "connard")),
        json.dumps(message("m5", "2026-11-21T10:02:00Z")),
        json.dumps(message("m6", "2026-11-21T10:11:00Z")),
    ])
    result = replay(log, "--config", rules)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("job automod.lift") > out.index("[m4]"), out
    assert "2026-11-21 10:11:00 job automod.lift" in out
    assert "2026-11-21 10:00:00 line 2 [m2]" in out and "line 4 [m4]" in out
    assert (f"{log}: line 2: out of order: dated 2026-11-28 10:00:00, replayed at the clock's "
            "time, 2026-11-21 10:00:00") in result.stderr
    assert (f"{log}: line 4: out of order: dated 2026-11-21 09:00:00, replayed at the clock's "
            "time, 2026-11-21 10:01:00") in result.stderr
    assert "2 events out of order, replayed at the clock's time" in out


def test_json_writes_texts_in_the_community_language(tmp_path: Path) -> None:
    """--format json shows what a French community would read, never a catalog key."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(rule_file("""
        rules:
          insults:
            trigger: {type: words, lexicons: [fr-insults]}
            actions:
              - delete
              - alert
              - {type: reply, template: insult}
              - {type: dm, text: {en: "Be kind, {member}.", fr: "Restez courtois, {member}."}}
        """, language="fr").replace('"console:test"', '"discord:111"'), encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(
        json.dumps(message("m1", "2026-11-21T10:00:00Z", "espèce de connard")) + "\n",
        encoding="utf-8")
    result = replay(tmp_path / "events.jsonl", "--config", rules, "--format", "json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout.splitlines()[0])
    texts = {a["type"]: a.get("text") for a in decision["actions"]}
    assert texts["alert"] == ("Automod : la règle insults s'est déclenchée sur un message de "
                              "alice dans #222.")
    assert texts["reply"] == ("alice, les insultes n'ont pas leur place ici. Votre message a "
                              "été retiré.")
    assert texts["dm"] == "Restez courtois, alice."
    assert not re.search(r"\b(automod|core)\.[a-z_.]+\b", result.stdout), result.stdout
