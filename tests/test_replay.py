"""`vigie replay`: logs and exports in, decisions out, no platform and no database touched."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.events import MemberJoined, MessageCreated
from bot.replay import Malformed, Read, read_events
from tests.automod.conftest import rule_file

RULES = rule_file("""
    rules:
      insults:
        trigger: {type: words, lexicons: [fr-insults, en-insults]}
        actions: [delete, warn]
      flood:
        trigger: {type: flood, messages: 3, within: 10s}
        actions: [{type: timeout, duration: 5m}]
      calm:
        trigger: {type: words, words: [bagarre]}
        actions: [{type: lock, duration: 10m}]
    """).replace('"console:test"', '"discord:111"')


def message(number: int, second: int, text: str, author: str = "42") -> dict[str, Any]:
    """A message of the event log (DESIGN.md)."""
    return {"type": "message", "id": f"m{number}", "ts": f"2026-11-21T10:00:{second:02d}Z",
            "community": "discord:111", "channel": "discord:222",
            "author": {"id": f"discord:{author}", "name": f"user{author}", "role": "member"},
            "text": text, "reply_to": None, "mentions": [], "attachments": []}


LOG = [
    json.dumps(message(1, 0, "bonjour")),
    json.dumps(message(2, 1, "espèce de c0nn@rd", author="43")),
    "{not json",
    json.dumps({"type": "join", "id": "j1", "ts": "2026-11-21T10:00:02Z",
                "community": "discord:111",
                "user": {"id": "discord:44", "name": "newbie",
                         "account_created_at": "2026-11-21T09:00:00Z"}}),
    json.dumps({**message(3, 3, "x"), "ts": "yesterday"}),
    json.dumps(message(4, 4, "un", author="45")),
    json.dumps(message(5, 5, "deux", author="45")),
    json.dumps(message(6, 6, "trois", author="45")),
    json.dumps(message(7, 30, "bagarre générale", author="46")),
    json.dumps({**message(8, 0, "fin", author="46"), "ts": "2026-11-21T10:11:00Z"}),
    json.dumps({**message(9, 59, "x"), "type": "poke"}),
]


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """A folder with a rule file and a log; the current directory while the test runs."""
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "events.jsonl").write_text("\n".join(LOG) + "\n", encoding="utf-8")
    before = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


def replay(*args: str) -> Any:
    """Run `vigie replay` and return the result."""
    return CliRunner().invoke(app, ["replay", *args])


def test_text_output(workdir: Path) -> None:
    """Decisions per event with their evidence; malformed lines named and counted."""
    result = replay("events.jsonl", "--config", "rules.yaml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "line 2 [m2] discord:222 user43: 'espèce de c0nn@rd'" in out
    assert "→ automod/insults: delete, warn — matched 'connard' (fr-insults) at 10-17" in out
    assert "line 8 [m6] discord:222 user45: 'trois'\n    → automod/flood: timeout" in out
    assert "job automod.lift" in out and "→ automod/lift: unlock" in out
    assert "events.jsonl: line 3: not JSON" in result.stderr
    assert "events.jsonl: line 5: 'ts': 'yesterday' is not an ISO-8601 time" in result.stderr
    assert "events.jsonl: line 11: unknown type 'poke'" in result.stderr
    assert "Replayed 8 events" in out and "3 malformed entries skipped" in out
    assert not (workdir / "data").exists()


def test_json_output(workdir: Path) -> None:
    """One decision a line, as in DESIGN.md, then the summary."""
    result = replay("events.jsonl", "--config", "rules.yaml", "--format", "json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    first = lines[0]
    assert first["event"] == "m2" and first["plugin"] == "automod" and first["rule"] == "insults"
    assert first["actions"][0] == {"type": "delete", "channel": "discord:222",
                                   "message_id": "m2"}
    assert first["actions"][1]["type"] == "warn"
    assert first["evidence"].startswith("matched 'connard'")
    assert len(first["config_revision"]) == 12
    summary = lines[-1]["summary"]
    assert summary["events"] == 8 and summary["malformed"] == 3
    assert summary["by_rule"] == {"automod/calm": 1, "automod/flood": 1, "automod/insults": 1,
                                  "automod/lift": 1, "core/lift": 1}
    assert summary["by_action"]["delete"] == 1 and summary["by_action"]["unlock"] == 1


def test_against_shows_only_changes(workdir: Path) -> None:
    """With --against, only the events decided differently, side by side."""
    (workdir / "new.yaml").write_text(RULES.replace("messages: 3", "messages: 5"),
                                      encoding="utf-8")
    result = replay("events.jsonl", "--config", "rules.yaml", "--against", "new.yaml")
    assert result.exit_code == 0, result.output
    assert "[m6]" in result.stdout and "automod/flood: timeout" in result.stdout
    assert "[m2]" not in result.stdout
    assert "1 of 8 events decided differently, and 1 timed job they led to" in result.stdout
    as_json = replay("events.jsonl", "--config", "rules.yaml", "--against", "new.yaml",
                     "--format", "json")
    lines = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert lines[0] == {"event": "m6", "where": "line 8",
                        "before": ["automod/flood: timeout"], "after": []}
    assert lines[1]["where"] == "job core.lift" and lines[1]["after"] == []
    assert lines[-1]["summary"]["changed"] == 1 and lines[-1]["summary"]["changed_jobs"] == 1


def test_database_only_when_asked(workdir: Path) -> None:
    """--database keeps the cases the replay opened."""
    result = replay("events.jsonl", "--config", "rules.yaml", "--database",
                    "sqlite:///replay.db")
    assert result.exit_code == 0
    assert (workdir / "replay.db").exists()


def test_bad_input(workdir: Path) -> None:
    """A missing log or a broken rule file is explained."""
    missing = replay("nope.jsonl", "--config", "rules.yaml")
    assert missing.exit_code == 2 and "nope.jsonl: no such file" in missing.stderr
    (workdir / "bad.yaml").write_text(rule_file("rules: {x: {trigger: {type: cpas}}}"),
                                      encoding="utf-8")
    broken = replay("events.jsonl", "--config", "bad.yaml")
    assert broken.exit_code == 1 and "unknown trigger type 'cpas'" in broken.stderr
    fmt = replay("events.jsonl", "--config", "rules.yaml", "--format", "xml")
    assert fmt.exit_code == 2


TELEGRAM = {
    "name": "Brand FR", "type": "private_supergroup", "id": 1234567890,
    "messages": [
        {"id": 1, "type": "service", "date": "2026-11-21T10:00:00",
         "date_unixtime": "1795255200", "actor": "Bob", "actor_id": "user777",
         "action": "join_group_by_link"},
        {"id": 2, "type": "message", "date": "2026-11-21T10:00:05",
         "date_unixtime": "1795255205", "from": "Bob", "from_id": "user777",
         "text": ["salut ", {"type": "mention_name", "text": "Alice", "user_id": 42},
                  " espèce de connard"],
         "text_entities": [{"type": "plain", "text": "salut "},
                           {"type": "mention_name", "text": "Alice", "user_id": 42}]},
        {"id": 3, "type": "message", "date": "2026-11-21T10:00:09", "text": "no author"},
        {"id": 4, "type": "message", "date": "2026-11-21T10:01:00", "from": "Alice",
         "from_id": "user42", "text": "bonjour", "photo": "photos/1.jpg",
         "reply_to_message_id": 2},
    ],
}

DISCORD = {
    "guild": {"id": "111", "name": "Brand HQ"},
    "channel": {"id": "222", "type": "GuildTextChat", "name": "general"},
    "messages": [
        {"id": "9001", "type": "GuildMemberJoin", "timestamp": "2026-11-21T10:00:00+00:00",
         "content": "", "author": {"id": "55", "name": "eve", "isBot": False}},
        {"id": "9002", "type": "Default", "timestamp": "2026-11-21T11:00:01+01:00",
         "content": "you are a cunt", "author": {"id": "55", "name": "eve", "nickname": "Eve",
                                                  "isBot": False, "roles": [{"id": "1",
                                                                             "name": "Fans"}]},
         "attachments": [{"id": "1", "url": "https://cdn/x.png", "fileName": "x.png",
                          "fileSizeBytes": 10}],
         "mentions": [{"id": "56", "name": "bob"}], "reference": {"messageId": "9001"}},
        {"id": "9003", "type": "Default", "timestamp": "not a time", "content": "x",
         "author": {"id": "57", "name": "z"}},
    ],
}


def test_telegram_export(tmp_path: Path) -> None:
    """Telegram Desktop's result.json: supergroup ids, joins, text parts, mentions, media."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps(TELEGRAM), encoding="utf-8")
    items = list(read_events(path))
    assert isinstance(items[2], Malformed) and items[2].where == "message 3 (id 3)"
    join, said, photo = (i.event for i in items if isinstance(i, Read))
    assert isinstance(join, MemberJoined) and join.user.id == "telegram:777"
    assert join.community == "telegram:-1001234567890"
    assert isinstance(said, MessageCreated) and said.text == "salut Alice espèce de connard"
    assert said.mentions[0].id == "telegram:42" and said.channel == said.community
    assert isinstance(photo, MessageCreated) and photo.attachments[0].content_type == "image/jpeg"
    assert photo.reply_to == "telegram:-1001234567890:2"


def test_discord_chat_exporter(tmp_path: Path) -> None:
    """DiscordChatExporter JSON: joins, nicknames, roles, attachments, replies, offsets."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(DISCORD, indent=2), encoding="utf-8")
    items = list(read_events(path))
    join, said = (i.event for i in items if isinstance(i, Read))
    assert isinstance(items[2], Malformed) and "'timestamp'" in items[2].reason
    assert isinstance(join, MemberJoined) and join.community == "discord:111"
    assert isinstance(said, MessageCreated) and said.author.name == "Eve"
    assert said.author.platform_roles == ("Fans",) and said.channel == "discord:222"
    assert said.ts.hour == 10 and said.reply_to == "discord:9001"
    assert said.attachments[0].filename == "x.png" and said.mentions[0].id == "discord:56"


def test_exports_through_the_command(tmp_path: Path) -> None:
    """Both exports replay end to end, detected by their shape."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(rule_file("""
        rules:
          insults:
            trigger: {type: words, lexicons: [fr-insults, en-insults]}
            actions: [delete]
        """), encoding="utf-8")
    for name, export, expected in (("result.json", TELEGRAM, "[telegram:-1001234567890:2]"),
                                   ("export.json", DISCORD, "[discord:9002]")):
        (tmp_path / name).write_text(json.dumps(export), encoding="utf-8")
        result = replay(str(tmp_path / name), "--config", str(rules))
        assert result.exit_code == 0, result.output
        assert expected in result.stdout and "automod/insults: delete" in result.stdout
        assert "1 malformed entry skipped" in result.stdout
