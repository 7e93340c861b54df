"""Bad automod rules are refused by `vigie check` with `file:line:col: path: message`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import models_for
from bot.cli import app
from bot.settings import ConfigError, parse_rules
from plugins.automod import AutomodPlugin
from plugins.automod.lexicons import get_lexicon, lexicon_names
from plugins.automod.matching import entry_keys
from tests.automod.conftest import rule_file

BAD = r"""
rules:
  spam:
    trigger: {type: regex, patterns: ['free\s+nitro', '(a', '(?<=x)y']}
    actions: [delete]
  insults:
    trigger: {type: words, lexicons: [fr-insult], words: ["*", "a*b", "ok"]}
    actions: [delete, {type: timeout, duration: 5 minutes}]
  typo:
    trigger: {type: cpas}
    actions: [delte]
  Bad Id:
    trigger: {all: [{type: caps, ratio: 2}, {not: {type: links}}]}
    actions: []
  texts:
    trigger: {type: caps}
    actions: [{type: reply, text: {en: "hi {membre}", fr: "salut {membre}"}}]
    reason: {en: only english}
  flood:
    trigger: {type: flood, messages: 6, within: 2h}
    actions: [{type: slowmode, interval: 1d}, {type: ban, delete_messages: 30d}]
"""

EXPECTED = [
    "7:59: defaults.automod.rules.spam.trigger.patterns.1: rule 'spam': pattern '(a' is not"
    ' valid RE2 (linear-time regex): missing ): (a',
    "7:65: defaults.automod.rules.spam.trigger.patterns.2: rule 'spam': pattern '(?<=x)y' "
    'is not valid RE2 (linear-time regex): invalid perl operator: (?<=',
    "10:43: defaults.automod.rules.insults.trigger.lexicons.0: rule 'insults': unknown "
    "lexicon 'fr-insult' (did you mean 'fr-insults'?)",
    "10:63: defaults.automod.rules.insults.trigger.words.0: rule 'insults': entry '*' has "
    'no letters or digits to match',
    "10:68: defaults.automod.rules.insults.trigger.words.1: rule 'insults': entry 'a*b': "
    "'*' is only allowed at the start or the end",
    "11:43: defaults.automod.rules.insults.actions.1.duration: rule 'insults': '5 minutes' "
    'is not a duration (expected e.g. 30s, 10m, 2h, 7d (7j), 2w (2sem) or 1h30m)',
    "13:9: defaults.automod.rules.typo.trigger: rule 'typo': unknown trigger type 'cpas' "
    "(did you mean 'caps'?)",
    "14:19: defaults.automod.rules.typo.actions.0: rule 'typo': unknown action 'delte' (did"
    " you mean 'delete'?)",
    "15:7: defaults.automod.rules.Bad Id: rule id 'Bad Id': use lower-case letters, digits,"
    ' - and _ (up to 64)',
    '16:38: defaults.automod.rules.Bad Id.trigger.all.0.ratio: expected less than or equal '
    'to 1, got 2',
    "16:50: defaults.automod.rules.Bad Id.trigger.all.1.not: rule 'Bad Id': a links trigger"
    ' needs `invites: true`, `deny` or `all_links: true`',
    "17:9: defaults.automod.rules.Bad Id.actions: rule 'Bad Id': list at least one action "
    '(e.g. [delete, warn])',
    "20:33: defaults.automod.rules.texts.actions.0.text: rule 'texts': en: unknown "
    'placeholder {membre} (available: {member}, {rule})',
    "21:9: defaults.automod.rules.texts.reason: rule 'texts': give this text in en and fr "
    '(missing: fr)',
    "23:45: defaults.automod.rules.flood.trigger.within: rule 'flood': at most 1h: automod "
    'remembers messages for an hour',
    "24:36: defaults.automod.rules.flood.actions.0.interval: rule 'flood': at most 6h",
    "24:63: defaults.automod.rules.flood.actions.1.delete_messages: rule 'flood': at most "
    '7d (platforms delete at most a week of messages)',
]


def issues(automod: str) -> list[str]:
    """`line:col: path: message` of every problem in a rule file with this automod section."""
    try:
        parse_rules(rule_file(automod).encode(), "rules.yaml", models_for([AutomodPlugin]))
    except ConfigError as exc:
        return [str(issue).removeprefix("rules.yaml:") for issue in exc.issues]
    return []


def test_every_problem_named_with_its_rule_and_position() -> None:
    """Each mistake is reported where it is, naming the rule; none hides another."""
    assert issues(BAD) == EXPECTED


def test_vigie_check(tmp_path: Path) -> None:
    """The command line prints the same lines and exits 1; a fixed file exits 0."""
    bad = tmp_path / "rules.yaml"
    bad.write_text(rule_file(BAD), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:{EXPECTED[0]}" in result.output
    good = tmp_path / "good.yaml"
    good.write_text(rule_file("rules: {x: {trigger: {type: caps}, actions: [delete]}}"),
                    encoding="utf-8")
    assert CliRunner().invoke(app, ["check", str(good)]).exit_code == 0


def test_default_rule_file_is_valid() -> None:
    """The shipped rule file passes `vigie check`."""
    root = Path(__file__).parents[2]
    result = CliRunner().invoke(app, ["check", str(root / "config" / "rules.yaml")])
    assert result.exit_code == 0, result.output


def test_schema_describes_triggers_and_actions() -> None:
    """`vigie schema` gives editors every trigger and action type."""
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    for name in ("WordsTrigger", "RegexTrigger", "LinksTrigger", "FloodTrigger",
                 "DuplicatesTrigger", "TimeoutAction", "ReplyAction", "RaidSettings"):
        assert name in result.output


@pytest.mark.parametrize("name", lexicon_names())
def test_lexicons_are_well_formed(name: str) -> None:
    """Every built-in entry can match and none is listed twice."""
    lexicon = get_lexicon(name)
    keys = [key for entry in lexicon.entries for key in entry_keys(entry)]
    assert len(lexicon.entries) == len(set(lexicon.entries))
    assert keys
    for phrase in lexicon.allow:
        assert entry_keys(phrase)
