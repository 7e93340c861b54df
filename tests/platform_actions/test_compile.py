"""What each automod rule becomes as Discord keyword rules, and what `vigie check` says."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.adapters.keyword_rules import KeywordRule
from bot.app import models_for
from bot.cli import app as cli
from bot.settings import load_rules
from plugins.automod import AutomodPlugin
from plugins.automod.native import compile_section
from plugins.moderation import ModerationPlugin

HEAD = """\
version: 1
defaults:
  language: fr
  roles:
    cm: ["Moderators", "permission:moderate_members"]
  automod:
    native: true
    rules:
"""
TAIL = """\
communities:
  "discord:1":
    name: Brand HQ
  "telegram:-100":
    name: Brand group
overrides:
  - when: {channel: "discord:77"}
    set: {automod: {mode: monitor}}
"""


def compiled(tmp_path: Path, rules: str, community: str = "discord:1") -> dict[str, object]:
    path = tmp_path / "rules.yaml"
    path.write_text(HEAD + rules + TAIL, encoding="utf-8")
    loaded = load_rules(path, models_for([ModerationPlugin, AutomodPlugin]))
    return {p.rule: p for p in compile_section(loaded, community)}


def test_many_words_and_patterns_split_and_every_part_fits(tmp_path: Path) -> None:
    """2,500 words and 12 patterns: three rules of at most 1,000 keywords and 10 patterns."""
    words = ", ".join(f"mot{i}" for i in range(2500))
    patterns = ", ".join(f"'spam{i}\\d+'" for i in range(12))
    out = compiled(tmp_path, f"""\
      words:
        trigger:
          any:
            - {{type: words, words: [{words}], allow: [mot1 ok]}}
            - {{type: regex, patterns: [{patterns}]}}
        actions: [delete, warn]
        reason: {{fr: "spam interdit", en: "no spam"}}
""")["words"]
    parts: tuple[KeywordRule, ...] = out.rules  # type: ignore[attr-defined]
    assert [p.key for p in parts] == ["words", "words#2", "words#3"]
    assert [len(p.keywords) for p in parts] == [1000, 1000, 500]
    assert [len(p.patterns) for p in parts] == [10, 2, 0]
    assert parts[0].patterns[0] == "(?i)spam0\\d+"
    assert all(p.allow == ("mot1 ok",) and p.message == "spam interdit" for p in parts)
    assert parts[0].exempt_roles == ("Moderators",)  # permission:... has no role
    assert parts[0].exempt_channels == ("discord:77",)  # an override changes automod there


def test_what_cannot_be_published_says_why(tmp_path: Path) -> None:
    """Monitor mode, no delete, other triggers, members exempt by id, too many allowed
    phrases; an entry Discord cannot take stays with Vigie."""
    allow = ", ".join(f"ok{i}" for i in range(101))
    out = compiled(tmp_path, f"""\
      watch:
        mode: monitor
        trigger: {{type: words, words: [arnaque]}}
        actions: [delete]
      keep:
        trigger: {{type: words, words: [arnaque]}}
        actions: [warn]
      shape:
        trigger: {{all: [{{type: words, words: [arnaque]}}, {{type: caps, ratio: 0.7}}]}}
        actions: [delete]
      person:
        trigger: {{type: words, words: [arnaque]}}
        actions: [delete]
        exempt: {{users: ["discord:5"]}}
      allowed:
        trigger: {{type: words, words: [arnaque], allow: [{allow}]}}
        actions: [delete]
      partial:
        trigger: {{type: words, words: [arnaque, "{'x' * 61}"]}}
        actions: [delete]
""")
    why = {name: p.why_not for name, p in out.items()}  # type: ignore[attr-defined]
    assert "monitor" in why["watch"] and "does not delete" in why["keep"]
    assert "(all)" in why["shape"] and "by id" in why["person"]
    assert "100" in why["allowed"] and why["partial"] == ""
    partial = out["partial"]
    assert partial.rules[0].keywords == ("arnaque",)  # type: ignore[attr-defined]
    assert partial.kept == ["1 entries over 60 characters"]  # type: ignore[attr-defined]


def test_only_discord_servers_that_opted_in(tmp_path: Path) -> None:
    """Telegram has no keyword rules; native off publishes nothing."""
    rule = "      w:\n        trigger: {type: words, words: [arnaque]}\n        actions: [delete]\n"
    assert compiled(tmp_path, rule)["w"].rules  # type: ignore[attr-defined]
    path = tmp_path / "off.yaml"
    path.write_text((HEAD + rule + TAIL).replace("native: true", "native: false"), "utf-8")
    loaded = load_rules(path, models_for([ModerationPlugin, AutomodPlugin]))
    assert compile_section(loaded, "discord:1") == []


def test_vigie_check_prints_a_line_per_rule(tmp_path: Path) -> None:
    """`vigie check` says what each rule of each opted-in Discord server becomes."""
    path = tmp_path / "rules.yaml"
    path.write_text(HEAD + """\
      insults:
        trigger: {type: words, lexicons: [fr-insults, fr-dual]}
        actions: [delete, warn]
      caps:
        trigger: {type: caps, ratio: 0.7}
        actions: [delete]
""" + TAIL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "discord:1:" in line]
    assert lines[0].endswith("discord:1: Discord AutoMod: 1 keyword rule(s) of the 6 a server "
                             "allows (shared with the server's own)")
    assert "rule 'insults': published as 1 Discord keyword rule(s)" in lines[1]
    assert "words counted only when aimed at someone" in lines[1]
    assert "rule 'caps': not published: its trigger (caps) is not words or patterns" in lines[2]
    assert not any("telegram" in line for line in result.output.splitlines())
