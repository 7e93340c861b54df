"""The `reputation:` section: positioned errors, warnings, overrides, and the default file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import models_for
from bot.cli import app as cli
from bot.settings import ConfigError, RuleSet, parse_rules
from bot.text import fold
from plugins.reputation import ReputationPlugin
from plugins.reputation.settings import ReputationSettings
from plugins.reputation.watch import Watch
from tests.reputation.conftest import rule_file

ROOT = Path(__file__).parents[2]


def load(terms: str, section: str = "", community: str = "") -> RuleSet:
    return parse_rules(rule_file(section, terms, community=community).encode(), "rules.yaml",
                       models_for([ReputationPlugin]))


def problems(terms: str, section: str = "") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(terms, section)
    return [str(issue) for issue in caught.value.issues]


BROKEN = """\
terms:
  - id: acme
    words: [Acme]
  - id: acme
    kind: brnd
    words: ["a", "ac*me", "!!"]
  - id: Big Brand
    en: ["x*"]
    colour: red
"""


def test_every_problem_is_reported_at_its_place() -> None:
    found = problems(BROKEN, "warning: {window: 2m, significance: 0.5}\nretention: 2 years")
    assert found == [
        "rules.yaml:8:15: defaults.reputation.warning.window: between 5m and 1d",
        "rules.yaml:8:27: defaults.reputation.warning.significance: expected less than or "
        "equal to 0.05, got 0.5",
        "rules.yaml:9:5: defaults.reputation.retention: '2 years' is not a duration (expected "
        "e.g. 30s, 10m, 2h, 7d (7j), 2w (2sem) or 1h30m)",
        "rules.yaml:13:9: defaults.reputation.terms.1.id: duplicate term id 'acme' (term 1 "
        "has it already)",
        "rules.yaml:14:9: defaults.reputation.terms.1.kind: expected 'brand', 'product', "
        "'competitor' or 'topic', got 'brnd' (did you mean 'brand'?)",
        "rules.yaml:15:17: defaults.reputation.terms.1.words.0: 'a' is too short to watch (at "
        "least 2 letters)",
        "rules.yaml:15:22: defaults.reputation.terms.1.words.1: 'ac*me': a `*` may only end a "
        "word (`livr*` matches livraison)",
        "rules.yaml:15:31: defaults.reputation.terms.1.words.2: '!!' has no letter or digit "
        "to match",
        "rules.yaml:16:9: defaults.reputation.terms.2.id: term id 'Big Brand': use lower-case "
        "letters, digits, - and _ (up to 40, starting with a letter or digit)",
        "rules.yaml:17:14: defaults.reputation.terms.2.en.0: 'x*': write at least 3 letters "
        "before a `*`",
        "rules.yaml:18:9: defaults.reputation.terms.2.colour: unknown key 'colour' (expected "
        "one of: en, fr, id, kind, label, words)",
    ]


def test_a_word_shared_by_two_terms_is_a_warning() -> None:
    rules = load("""\
terms:
  - id: acme
    words: [Acme, rocket]
  - id: rocket
    kind: product
""")
    assert any("'rocket' is also a word of term 'acme'" in str(w) for w in rules.warnings)


def test_a_community_has_its_own_terms() -> None:
    rules = load("terms:\n  - id: acme\n", community="    reputation:\n      terms:\n"
                 "        - {id: globex, kind: competitor}\n")
    section = rules.effective("console:test", "console:general").reputation
    assert isinstance(section, ReputationSettings)
    assert [t.id for t in section.terms] == ["globex"]
    assert [t.id for t in rules.effective("console:other", "console:x").reputation.terms] \
        == ["acme"]


def test_matching_whole_words_prefixes_accents_and_phrases() -> None:
    settings = ReputationSettings.model_validate({"terms": [
        {"id": "acme", "words": ["Acmé", "acme shop"]},
        {"id": "delivery", "kind": "topic", "fr": ["livr*"], "en": ["delivery"]}]})
    watch = Watch(settings.terms)

    def ids(text: str) -> list[str]:
        return [m.term.id for m in watch.find(fold(text))]

    assert ids("J'adore ACME, la livraison est rapide") == ["acme", "delivery"]
    assert ids("acmexpress, délivrance, deliveryman") == []
    assert ids("L'ACMÉ SHOP et ses livreurs") == ["acme", "delivery"]
    assert ids("") == []
    assert not Watch(())


def test_the_default_rule_file_is_valid_and_watches_nothing() -> None:
    result = CliRunner().invoke(cli, ["check", str(ROOT / "config" / "rules.yaml")])
    assert result.exit_code == 0, result.output
