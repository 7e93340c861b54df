"""A scripted month replayed with `vigie replay --database`, then `vigie report`: every figure
of the report equals a value worked out by hand from the script (see the comments)."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bot.cli import app
from plugins.analytics.charts import HEIGHT, WIDTH
from tests.analytics.test_stats import png_size

runner = CliRunner()
RULES = """\
version: 1
defaults:
  language: en
  rules_text: {en: "Be nice.", fr: "Soyez gentils."}
  roles:
    cm: ["discord:500"]
  escalation: {enabled: false}
  automod:
    rules:
      shop-links:
        mode: monitor
        trigger: {type: words, words: [spamshop]}
        actions: [delete, warn]
  faq:
    entries:
      - id: delivery
        questions:
          en: ["When will my order arrive?"]
          fr: ["Quand arrive ma commande ?"]
        answer: {en: "Within 3 working days.", fr: "Sous 3 jours ouvrés."}
communities:
  "discord:111":
    name: Replayed community
"""
START = datetime(2026, 10, 1, tzinfo=UTC)                  # a Thursday
COMMUNITY, CHANNEL = "discord:111", "discord:222"
CLAIRE = {"id": "discord:500", "name": "claire"}


def member(n: int) -> dict[str, str]:
    return {"id": f"discord:{n}", "name": f"member{n}"}


def script() -> list[dict[str, Any]]:
    """30 days (2026-10-01 to 10-30) of one Discord channel."""
    lines: list[dict[str, Any]] = []

    def add(kind: str, ident: str, at: datetime, **fields: Any) -> None:
        lines.append({"type": kind, "id": ident, "ts": at.isoformat(), "community": COMMUNITY,
                      **fields})

    def say(ident: str, at: datetime, who: dict[str, str], text: str, **extra: Any) -> None:
        add("message", ident, at, channel=CHANNEL, author=who, text=text, **extra)

    for d in range(30):
        day = START + timedelta(days=d)
        if d % 5 == 0:                                     # 6 joins: days 0, 5, ..., 25
            add("join", f"j{d}", day + timedelta(hours=8), user=member(100 + d))
        if d % 10 == 0:                                    # 3 of them post: days 0, 10, 20
            say(f"n{d}", day + timedelta(hours=8, minutes=30), member(100 + d), "hi all")
        if d in (12, 24):                                  # 2 leaves
            add("leave", f"l{d}", day + timedelta(hours=8, minutes=45),
                user=member(100 + d - 7))
        for k in range(4):                                 # 4 chats a day by 4 members of 1-10
            say(f"c{d}-{k}", day + timedelta(hours=9, minutes=10 * k),
                member((d + 3 * k) % 10 + 1), "good morning all")
        if d in (9, 19):                                   # member3 posted at 09:10 both days
            say(f"w{d}", day + timedelta(hours=9, minutes=50), CLAIRE, "!warn member3 spam")
        if d == 25:                                        # member7 last posted 2 days before
            say("w25", day + timedelta(hours=9, minutes=50), CLAIRE, "!warn member7 spam")
            say("p25", day + timedelta(hours=9, minutes=51), CLAIRE, "!pardon 3 wrong member")
        if d % 3 == 0:                                     # 10 questions, days 0, 3, ..., 27
            say(f"q{d}", day + timedelta(hours=10), member(1),
                "does anyone know the opening hours?")
            if d % 6 == 0:                                 # 5 answered by claire, 15 min later
                say(f"a{d}", day + timedelta(hours=10, minutes=15), CLAIRE, "9 to 18",
                    reply_to=f"q{d}")
        if d % 7 == 1:                                     # 5 for the FAQ: days 1, 8, ..., 29
            say(f"f{d}", day + timedelta(hours=11), member(2), "When will my order arrive?")
        if d in (2, 17):                                   # the monitored rule, twice
            say(f"s{d}", day + timedelta(hours=12), member(4), "buy at spamshop now")
        if d % 10 == 4:                                    # 3 threads: days 4, 14, 24
            add("thread", f"t{d}", day + timedelta(hours=13), channel=f"discord:30{d}",
                parent=CHANNEL, author=member(5), name="a topic")
    return lines


def report(tmp_path: Path, db: Path, rules: Path, *args: str) -> str:
    out = tmp_path / "month.html"
    made = runner.invoke(app, ["report", "--out", str(out), "--database", f"sqlite:///{db}",
                               "--config", str(rules), *args])
    assert made.exit_code == 0, made.output
    return out.read_text(encoding="utf-8")


def test_a_scripted_month_gives_the_hand_computed_report(tmp_path: Path) -> None:
    log, rules, db = tmp_path / "month.jsonl", tmp_path / "rules.yaml", tmp_path / "m.db"
    rules.write_text(RULES, encoding="utf-8")
    log.write_text("\n".join(json.dumps(line) for line in script()) + "\n", encoding="utf-8")
    replayed = runner.invoke(app, ["replay", str(log), "--config", str(rules), "--database",
                                   f"sqlite:///{db}", "--format", "json"])
    assert replayed.exit_code == 0, replayed.output
    page = report(tmp_path, db, rules, "--since", "30d", "--until", "2026-10-30")
    summary = [unescape(item) for item in re.findall(r"<li>(.*?)</li>", page)]
    assert summary[:3] == [
        # 120 chats + 3 first posts + 10 questions + 5 answers + 5 FAQ questions + 2 monitored
        # (commands are not conversation); members 1-10, 3 newcomers who posted, claire
        "Activity: 145 messages, 14 active members, 5 replies, 3 threads",
        # of the 14 first seen by 10-23, all came back a week later but the 3 newcomers
        "Growth: 6 joined (3 of them posted), 2 left; came back after 7 days: 11/14 (79%), "
        "after 30 days: n/a",
        # 10 with a "?" + 5 for the FAQ; claire answered 5 after 15 min, the FAQ 5 at once
        "Questions: 15, 10 answered (67%): 5 by the team in 15m on average, 5 by the FAQ "
        "in 0s"]
    assert "Engagement: 5 FAQ answers (0 votes), 0 contest entries, 0 de-escalation steps" \
        in summary
    assert "FAQ by entry: delivery 5 answers (0 helpful, 0 not)" in summary
    # the contests plugin is on: it saw the 6 joins; nobody entered a contest
    assert "Contests: 0 entries; 0 of the 6 members who joined entered one within 7 days (0%)" \
        in summary
    assert "Moderation: 3 sanctions, 1 pardoned (33%)" in summary
    # member3's message at 09:10, the warning at 09:50, twice; member7's was 48h40m before
    assert "The team acted 40m after the member's last message, on average" in summary
    assert "By rule: by hand 3 (1 pardoned)" in summary
    assert "By team member: claire 3 (1 pardoned)" in summary
    # warning 1 was followed by warning 2 within 30 days; warning 2 by none (3 is pardoned)
    assert "Offended again within 30 days, after: warning 1/2" in summary
    assert "Rules in monitor mode would have acted: shop-links 2 (would have: deleted 2, " \
           "warned 2)" in summary
    # cohorts: week of 10-01 (members 1-10, claire, new0), 10-08 (new10), 10-15 (new20)
    assert "<tr><td>2026-10-01</td><td>12</td><td>92%</td><td></td></tr>" in page
    assert "<tr><td>2026-10-08</td><td>1</td><td>0%</td><td></td></tr>" in page
    assert "<tr><td>2026-10-15</td><td>1</td><td>0%</td><td></td></tr>" in page
    # day 0: new0's hello, 4 chats (members 1, 4, 7, 10), member1's question, claire's answer:
    # 7 messages by 6 members; 1 join; the question answered by the team
    assert "<tr><td>2026-10-01</td><td>7</td><td>6</td><td>1</td><td>0</td><td>1</td>" \
           "<td>0</td><td>0</td></tr>" in page
    [image] = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert png_size(base64.b64decode(image)) == (WIDTH, HEIGHT)


def test_the_report_renders_one_day_and_a_year(tmp_path: Path) -> None:
    log, rules, db = tmp_path / "month.jsonl", tmp_path / "rules.yaml", tmp_path / "m.db"
    rules.write_text(RULES, encoding="utf-8")
    log.write_text("\n".join(json.dumps(line) for line in script()) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["replay", str(log), "--config", str(rules), "--database",
                               f"sqlite:///{db}"]).exit_code == 0
    one = report(tmp_path, db, rules, "--since", "1d", "--until", "2026-10-01")
    assert "Activity: 7 messages, 6 active members, 1 replies, 0 threads" in one
    year = report(tmp_path, db, rules, "--since", "365d", "--until", "2027-09-30")
    assert "Activity: 145 messages, 14 active members" in year
    assert year.count("<tr><td>20") >= 365
