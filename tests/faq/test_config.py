"""The `faq:` section: positioned errors, warnings that keep the file usable, the default file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import models_for
from bot.cli import app as cli
from bot.settings import ConfigError, RuleSet, parse_rules
from plugins.faq import FaqPlugin
from tests.faq.conftest import rule_file

ROOT = Path(__file__).parents[2]


def load(entries: str, section: str = "") -> RuleSet:
    return parse_rules(rule_file(section, entries).encode(), "rules.yaml",
                       models_for([FaqPlugin]))


def problems(entries: str, section: str = "") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(entries, section)
    return [str(issue) for issue in caught.value.issues]


def test_every_problem_is_reported_at_its_place() -> None:
    found = problems("""\
entries:
  - id: delivery
    questions: {fr: ["Quand arrive ma commande ?"]}
    answer: {fr: "Sous 3 jours."}
  - id: delivery
    questions: {fr: []}
    answer: {en: "x"}
  - id: Stats
    questions: {fr: ["??"]}
    answer: {fr: "   "}
    links: ["ftp://example.com", {de: "https://example.com"}]
    cooldown: 30d
    channel: ["console:support"]
""")
    assert found == [
        "rules.yaml:12:9: defaults.faq.entries.1.id: duplicate entry id 'delivery' (entry 1 has "
        "it already)",
        "rules.yaml:13:9: defaults.faq.entries.1.questions: give at least one example question "
        "(questions: {fr: [...], en: [...]})",
        "rules.yaml:15:9: defaults.faq.entries.2.id: entry id 'Stats': use lower-case letters, "
        "digits, - and _ (up to 40, starting with a letter or digit)",
        "rules.yaml:16:9: defaults.faq.entries.2.questions: fr: question '??' has no word to "
        "match on (only short or common words)",
        "rules.yaml:17:9: defaults.faq.entries.2.answer: give the answer in at least one "
        "language (answer: {fr: ..., en: ...})",
        "rules.yaml:18:17: defaults.faq.entries.2.links.0: 'ftp://example.com' is not a link: "
        "write a full http:// or https:// address without spaces",
        "rules.yaml:18:38: defaults.faq.entries.2.links.1: unknown language 'de' (expected en "
        "or fr)",
        "rules.yaml:19:9: defaults.faq.entries.2.cooldown: at most 7d",
        "rules.yaml:20:9: defaults.faq.entries.2.channel: unknown key 'channel' (did you mean "
        "'channels'?)",
    ]


def test_section_settings_are_checked() -> None:
    found = problems("entries: []\n", "threshold: 1.5\nlisten: always\nbot_names: ['two words']")
    assert [f.split(": ", 2)[1] for f in found] == [
        "defaults.faq.threshold", "defaults.faq.listen", "defaults.faq.bot_names"]


def test_a_missing_language_is_a_warning_not_an_error() -> None:
    rules = load("""\
entries:
  - id: delivery
    questions: {fr: ["Quand arrive ma commande ?"]}
    answer: {fr: "Sous 3 jours."}
""")
    assert sorted(str(w) for w in rules.warnings) == [
        "rules.yaml:10:9: defaults.faq.entries.0.questions: warning: entry 'delivery' has no "
        "English example question: questions asked in English will rarely match it",
        "rules.yaml:11:9: defaults.faq.entries.0.answer: warning: entry 'delivery' has no "
        "English answer: English speakers get the French one",
    ]


def test_check_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(rule_file("", """\
entries:
  - id: delivery
    questions: {fr: ["Quand arrive ma commande ?"], en: ["When will my order arrive?"]}
    answer: {en: "Within 3 days."}
"""), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert f"{path}:11:9: defaults.faq.entries.0.answer: warning: entry 'delivery' has no " \
           "French answer: French speakers get the English one" in result.output


def test_the_default_rule_file_has_a_clean_faq() -> None:
    result = CliRunner().invoke(cli, ["check", str(ROOT / "config" / "rules.yaml")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    from bot.discovery import discover_plugins
    from bot.settings import load_rules

    rules = load_rules(ROOT / "config" / "rules.yaml", models_for(discover_plugins()))
    faq = rules.community("console:local").faq  # type: ignore[attr-defined]
    assert len(faq.entries) >= 10
    for entry in faq.entries:
        assert set(entry.answer) == {"en", "fr"}, entry.id
        assert len(entry.questions["en"]) >= 3 and len(entry.questions["fr"]) >= 3, entry.id


def test_keywords_cms_write_are_accepted_and_every_bad_one_is_reported() -> None:
    """Phrases of common words and short names are keywords; each bad one has its own line."""
    ok = load("""\
entries:
  - id: financing
    questions: {fr: ["Je peux payer en plusieurs fois ?"]}
    keywords: [en 3 fois, mettre à jour, cv, V2, 1m78]
    answer: {fr: "Oui."}
""")
    assert ok is not None
    found = problems("""\
entries:
  - id: financing
    questions: {fr: ["Je peux payer en plusieurs fois ?"]}
    keywords: [en 3 fois, "3", pour, "!!", x, a b c d e f g]
    answer: {fr: "Oui."}
""")
    joined = "\n".join(found)
    for position, what in [(1, "number alone"), (2, "common word"), (3, "no letter"),
                           (4, "single letter"), (5, "at most 6")]:
        assert f"keywords.{position}: " in joined and what in joined, joined
    assert "keywords.0:" not in joined


def test_overlapping_entries_are_warned_about() -> None:
    """A keyword of one entry in another's example, and two near-identical examples."""
    rules = load("""\
entries:
  - id: financing
    questions: {en: ["Can I pay in instalments?"]}
    keywords: [payment]
    answer: {en: "Yes."}
  - id: payment
    questions: {en: ["Which payment methods do you accept?", "can i pay in instalments please"]}
    answer: {en: "Cards."}
""")
    text = "\n".join(str(w) for w in rules.warnings)
    assert "keyword 'payment' of entry 'financing' is in entry 'payment''s example" in text
    assert "says nearly what entry" in text
