"""A generated month replayed with `vigie replay --database`, then `vigie report --format csv`:
the CSV holds what the log holds."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
RULES = """\
version: 1
defaults:
  language: en
  rules_text: {en: "Be nice.", fr: "Soyez gentils."}
  automod: {enabled: false}
  faq: {enabled: false}
communities:
  "discord:111":
    name: Replayed community
"""
START = datetime(2026, 10, 1, tzinfo=UTC)


def month(path: Path, seed: int = 3) -> tuple[Counter[str], set[str], int, int, int]:
    """Write 30 days of events; (messages per day, authors, questions, joins, leaves)."""
    rng = random.Random(seed)
    per_day: Counter[str] = Counter()
    authors: set[str] = set()
    questions = joins = leaves = 0
    lines = []
    for day in range(30):
        moment = START + timedelta(days=day, hours=9)
        if day % 3 == 0:
            joins += 1
            lines.append({"type": "join", "id": f"j{day}", "ts": moment.isoformat(),
                          "community": "discord:111",
                          "user": {"id": f"discord:{900 + day}", "name": f"new{day}"}})
        if day % 7 == 6:
            leaves += 1
            lines.append({"type": "leave", "id": f"l{day}", "ts": moment.isoformat(),
                          "community": "discord:111",
                          "user": {"id": f"discord:{900 + day - 6}", "name": "gone"}})
        for n in range(rng.randint(3, 12)):
            moment += timedelta(minutes=rng.randint(3, 40))
            author = rng.randint(1, 15)
            asking = rng.random() < 0.25
            questions += asking
            authors.add(f"discord:{author}")
            per_day[moment.strftime("%Y-%m-%d")] += 1
            lines.append({"type": "message", "id": f"m{day}-{n}", "ts": moment.isoformat(),
                          "community": "discord:111", "channel": "discord:222",
                          "author": {"id": f"discord:{author}", "name": f"member{author}"},
                          "text": "anyone around?" if asking else "good morning all"})
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return per_day, authors, questions, joins, leaves


def test_a_replayed_month_is_in_the_report(tmp_path: Path) -> None:
    log, rules, db = tmp_path / "month.jsonl", tmp_path / "rules.yaml", tmp_path / "m.db"
    rules.write_text(RULES, encoding="utf-8")
    per_day, authors, questions, joins, leaves = month(log)
    replayed = runner.invoke(app, ["replay", str(log), "--config", str(rules), "--database",
                                   f"sqlite:///{db}", "--format", "json"])
    assert replayed.exit_code == 0, replayed.output
    out = tmp_path / "month.csv"
    made = runner.invoke(app, ["report", "--since", "30d", "--until", "2026-10-30", "--format",
                               "csv", "--out", str(out), "--database", f"sqlite:///{db}",
                               "--config", str(rules)])
    assert made.exit_code == 0, made.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    totals: Counter[str] = Counter()
    days: Counter[str] = Counter()
    for r in rows:
        totals[r["metric"]] += int(r["value"])
        if r["metric"] == "messages":
            days[r["day"]] += int(r["value"])
    assert days == per_day
    assert (totals["questions"], totals["joins"], totals["leaves"]) == (questions, joins, leaves)
    assert totals["messages"] == sum(per_day.values()) > 150
    html = tmp_path / "month.html"
    made = runner.invoke(app, ["report", "--since", "30d", "--until", "2026-10-30", "--out",
                               str(html), "--database", f"sqlite:///{db}", "--config",
                               str(rules)])
    assert made.exit_code == 0, made.output
    page = html.read_text(encoding="utf-8")
    assert f"Activity: {sum(per_day.values())} messages, {len(authors)} active members" in page
