"""Rule-file validation: every bad file is refused with its exact place, key path and reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import models_for
from bot.settings import ConfigError, ConfigIssue, RuleSet, SettingsModels, load_rules, parse_rules
from bot.settings.errors import format_path

MODELS: SettingsModels = models_for([])


@dataclass(frozen=True)
class Expected:
    """One issue a bad file must produce."""

    line: int
    col: int
    path: tuple[str | int, ...]
    fragment: str


@dataclass(frozen=True)
class Bad:
    """A bad rule file and every issue it must produce, in file order."""

    id: str
    content: bytes
    issues: tuple[Expected, ...]


def bad(id: str, content: str | bytes, *issues: Expected) -> Bad:
    """A table row; text content is encoded as UTF-8."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return Bad(id, raw, issues)


CASES = [
    bad("malformed-yaml-mapping-in-value", """\
defaults:
  language: en: fr
""", Expected(2, 15, (), "invalid YAML: mapping values are not allowed here")),
    bad("malformed-yaml-tab-indent", "defaults:\n\tlanguage: en\n",
        Expected(2, 1, (), "invalid YAML: found character '\\t' that cannot start any token")),
    bad("unknown-top-level-key", """\
version: 1
default:
  language: en
""", Expected(2, 1, ("default",), "unknown key 'default' (did you mean 'defaults'?)")),
    bad("unknown-top-level-key-far-from-any", """\
version: 1
colour: blue
""", Expected(2, 1, ("colour",),
              "unknown key 'colour' (expected one of: version, defaults, communities, overrides,"
              " brands, web)")),
    bad("unsupported-version", "version: 2\n",
        Expected(1, 1, ("version",), "expected 1, got 2")),
    bad("typo-in-nested-key", """\
defaults:
  prefixes: ["!"]
  langage: en
""", Expected(3, 3, ("defaults", "langage"), "unknown key 'langage' (did you mean 'language'?)")),
    bad("typo-in-command-name", """\
defaults:
  commands:
    rules: {min_role: member}
    hlep: {enabled: false}
""", Expected(4, 5, ("defaults", "commands", "hlep"),
              "unknown key 'hlep' (did you mean 'help'?)")),
    bad("typo-in-command-setting", """\
defaults:
  commands:
    help: {min_rol: cm}
""", Expected(3, 12, ("defaults", "commands", "help", "min_rol"),
              "unknown key 'min_rol' (did you mean 'min_role'?)")),
    bad("bad-role-name-in-command", """\
defaults:
  commands:
    reload: {min_role: moderator}
""", Expected(3, 14, ("defaults", "commands", "reload", "min_role"),
              "expected 'member', 'cm' or 'admin', got 'moderator'")),
    bad("wrong-type-prefixes", """\
defaults:
  prefixes: 5
""", Expected(2, 3, ("defaults", "prefixes"), "expected a list, got 5")),
    bad("bad-prefix-value", """\
defaults:
  prefixes: ["!", "go"]
""", Expected(2, 3, ("defaults", "prefixes"), "prefix 'go': 1 to 3 symbols")),
    bad("wrong-type-section", """\
defaults:
  roles: [cm]
""", Expected(2, 3, ("defaults", "roles"), "expected a mapping of keys, got ['cm']")),
    bad("bad-literal-language", """\
defaults:
  language: de
""", Expected(2, 3, ("defaults", "language"), "expected 'en' or 'fr', got 'de'")),
    bad("bad-literal-close-to-valid", """\
defaults:
  language: FR
""", Expected(2, 3, ("defaults", "language"), "got 'FR' (did you mean 'fr'?)")),
    bad("channel-id-not-qualified", """\
defaults:
  alerts_channel: general
""", Expected(2, 3, ("defaults", "alerts_channel"),
              "channel 'general' must be platform-qualified")),
    bad("channel-id-not-a-number", """\
defaults:
  alerts_channel: "discord:abc"
""", Expected(2, 3, ("defaults", "alerts_channel"),
              "channel 'discord:abc': the part after 'discord:' must be a number")),
    bad("community-id-not-a-number", """\
communities:
  "discord:abc":
    name: Brand HQ
""", Expected(2, 3, ("communities", "discord:abc"),
              "community 'discord:abc': the part after 'discord:' must be a number")),
    bad("community-id-unknown-platform", """\
communities:
  "slack:1":
    name: Brand HQ
""", Expected(2, 3, ("communities", "slack:1"),
              "community 'slack:1' must be platform-qualified")),
    bad("community-not-a-mapping", """\
communities:
  "discord:1": [language, en]
""", Expected(2, 3, ("communities", "discord:1"), "expected a mapping of settings")),
    bad("community-listed-twice", """\
communities:
  "discord:1":
    language: en
  "discord:1":
    language: fr
""", Expected(4, 3, (), 'invalid YAML: found duplicate key "discord:1"')),
    bad("circular-extends", """\
communities:
  "discord:1":
    extends: "discord:2"
  "discord:2":
    extends: "discord:1"
""", Expected(3, 5, ("communities", "discord:1", "extends"),
              "circular extends: discord:2 -> discord:1 -> discord:2"),
        Expected(5, 5, ("communities", "discord:2", "extends"),
                 "circular extends: discord:1 -> discord:2 -> discord:1")),
    bad("extends-itself", """\
communities:
  "telegram:-100":
    extends: "telegram:-100"
""", Expected(3, 5, ("communities", "telegram:-100", "extends"),
              "circular extends: telegram:-100 -> telegram:-100")),
    bad("extends-unknown-community", """\
communities:
  "discord:1":
    name: One
  "discord:2":
    extends: "discord:3"
""", Expected(5, 5, ("communities", "discord:2", "extends"),
              "unknown community 'discord:3'")),
    bad("override-unknown-criterion", """\
overrides:
  - when:
      chanel: "discord:1"
    set:
      language: en
""", Expected(3, 7, ("overrides", 0, "when", "chanel"),
              "unknown key 'chanel' (did you mean 'channel'?)")),
    bad("override-bad-channel-id", """\
overrides:
  - when:
      channel: general
    set:
      language: en
""", Expected(3, 7, ("overrides", 0, "when", "channel"),
              "id 'general' must be platform-qualified")),
    bad("override-empty-when", """\
overrides:
  - name: everywhere
    when: {}
    set:
      language: en
""", Expected(3, 5, ("overrides", 0, "when"), "an override needs at least one condition")),
    bad("override-without-when", """\
overrides:
  - set:
      language: en
""", Expected(2, 5, ("overrides", 0, "when"), "missing required key 'when'")),
    bad("override-roles-contradict", """\
overrides:
  - when:
      role_at_least: admin
      role_below: cm
    set:
      language: en
""", Expected(2, 5, ("overrides", 0, "when"), "these conditions contradict each other")),
    bad("override-all-of-two-channels", """\
overrides:
  - when:
      all:
        - channel: "discord:1"
        - channel: "discord:2"
    set:
      language: en
""", Expected(2, 5, ("overrides", 0, "when"), "this override can never apply")),
    bad("override-sets-roles", """\
overrides:
  - when:
      channel: "discord:1"
    set:
      roles:
        admin: ["discord:42"]
""", Expected(5, 7, ("overrides", 0, "set", "roles"), "'roles' cannot be set in an override")),
    bad("override-bad-value-once-merged-in-listed-community", """\
communities:
  "discord:1":
    name: One
overrides:
  - name: one
    when:
      community: "discord:1"
    set:
      prefixes: ["!!!!"]
""", Expected(9, 7, ("overrides", 0, "set", "prefixes"), "prefix '!!!!': 1 to 3 symbols")),
    bad("overrides-not-a-list", """\
overrides:
  when: {channel: "discord:1"}
""", Expected(1, 1, ("overrides",), "expected a list of overrides")),
    bad("empty-file", "", Expected(1, 1, (), "the rule file is empty")),
    bad("whitespace-only-file", "\n   \n\n", Expected(1, 1, (), "the rule file is empty")),
    bad("comment-only-file", """\
# Vigie rules
#   defaults:
#     language: en
""", Expected(1, 1, (), "the rule file is empty")),
    bad("top-level-list", """\
- defaults
- communities
""", Expected(1, 1, (), "the rule file must be a mapping of keys")),
    bad("top-level-scalar", "just some text\n",
        Expected(1, 1, (), "the rule file must be a mapping of keys")),
    bad("not-utf8", b"defaults:\n  name: Caf\xe9 du coin\n",
        Expected(2, 12, (), "not UTF-8: byte 0xe9 cannot be decoded")),
    bad("python-tag", """\
defaults:
  name: !!python/object/apply:os.system ["echo pwned"]
""", Expected(2, 3, ("defaults", "name"), "Python tags are not allowed")),
    bad("custom-tag", """\
defaults:
  language: en
  alerts_channel: !env ALERTS
""", Expected(3, 3, ("defaults", "alerts_channel"), "YAML tags such as !env are not allowed")),
    bad("non-text-key", """\
defaults:
  [a, b]: 1
""", Expected(2, 3, ("defaults",), "a key must be text")),
]


def issues_of(content: bytes) -> tuple[ConfigIssue, ...]:
    """The issues parse_rules reports; fails the test if the content is accepted."""
    with pytest.raises(ConfigError) as caught:
        parse_rules(content, "r.yaml", MODELS)
    return caught.value.issues


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_is_refused_with_place_and_reason(case: Bad) -> None:
    issues = issues_of(case.content)
    assert len(issues) == len(case.issues), "\n".join(str(i) for i in issues)
    for issue, expected in zip(issues, case.issues, strict=True):
        assert (issue.line, issue.col) == (expected.line, expected.col), str(issue)
        assert issue.path == expected.path, str(issue)
        assert expected.fragment in issue.message, str(issue)
        assert issue.severity == "error"
        dotted = format_path(expected.path)
        assert str(issue).startswith(f"r.yaml:{expected.line}:{expected.col}: {dotted}: ")


def test_config_error_message_lists_every_issue() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules(b"defaults:\n  language: de\n  langage: en\n", "r.yaml", MODELS)
    assert str(caught.value).splitlines() == [str(i) for i in caught.value.issues]
    assert len(caught.value.issues) == 2


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for tag in ("!!python/object/apply:os.system", "!!python/object/apply:subprocess.call"):
        content = f'defaults:\n  name: {tag} ["touch {marker}"]\n'.encode()
        issues = issues_of(content)
        assert [(i.line, i.col, i.path) for i in issues] == [(2, 3, ("defaults", "name"))]
    content = f'!!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    assert issues_of(content)
    assert not marker.exists()


MANY_ERRORS = """\
overrides:
  - when:
      chanel: "discord:5"
    set:
      language: de
  - when:
      role_at_least: admin
      role_below: cm
    set:
      prefixes: 7
version: 1
defaults:
  langage: fr
  prefixes: 5
communities:
  "discord:abc":
    language: es
  "discord:1":
    extends: "discord:9"
    alerts_channel: general
colour: blue
"""

MANY_EXPECTED = [
    (3, 7, ("overrides", 0, "when", "chanel"), "did you mean 'channel'?"),
    (5, 7, ("overrides", 0, "set", "language"), "got 'de'"),
    (6, 5, ("overrides", 1, "when"), "contradict each other"),
    (10, 7, ("overrides", 1, "set", "prefixes"), "expected a list, got 7"),
    (13, 3, ("defaults", "langage"), "did you mean 'language'?"),
    (14, 3, ("defaults", "prefixes"), "expected a list, got 5"),
    (16, 3, ("communities", "discord:abc"), "must be a number"),
    (17, 5, ("communities", "discord:abc", "language"), "got 'es'"),
    (19, 5, ("communities", "discord:1", "extends"), "unknown community 'discord:9'"),
    (20, 5, ("communities", "discord:1", "alerts_channel"), "must be platform-qualified"),
    (21, 1, ("colour",), "unknown key 'colour'"),
]


def test_every_error_of_a_file_is_reported_in_file_order() -> None:
    issues = issues_of(MANY_ERRORS.encode())
    got = [(i.line, i.col, i.path) for i in issues]
    assert got == [(line, col, path) for line, col, path, _ in MANY_EXPECTED]
    for issue, (_, _, _, fragment) in zip(issues, MANY_EXPECTED, strict=True):
        assert fragment in issue.message, str(issue)


def test_check_lines_are_sorted_by_line_although_found_out_of_order() -> None:
    issues = issues_of(MANY_ERRORS.encode())
    lines = [str(i) for i in issues]
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)
    assert all(line.startswith("r.yaml:") for line in lines)


VALID = """\
version: 1
defaults:
  language: en
  prefixes: ["!"]
  commands:
    reload: {min_role: cm}
communities:
  "discord:1":
    name: One
    language: fr
  "telegram:-100":
    extends: "discord:1"
overrides:
  - name: staff in English
    when:
      role_at_least: cm
    set:
      language: en
"""


def test_valid_file_gives_a_ruleset() -> None:
    rules = parse_rules(VALID.encode(), "r.yaml", MODELS)
    assert isinstance(rules, RuleSet)
    assert rules.file == "r.yaml"
    assert rules.communities == ("discord:1", "telegram:-100")
    assert [o.label for o in rules.overrides] == ["staff in English"]
    assert rules.warnings == ()
    assert rules.community("telegram:-100").language == "fr"
    assert rules.community("discord:404").prefixes == ("!",)
    assert rules.community("discord:1").commands.reload.min_role == "cm"  # type: ignore[attr-defined]


def test_utf8_bom_is_accepted() -> None:
    rules = parse_rules(b"\xef\xbb\xbf" + VALID.encode(), "r.yaml", MODELS)
    assert rules.community("discord:1").name == "One"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_rules(path, MODELS)
    [issue] = caught.value.issues
    assert (issue.file, issue.line, issue.col) == (str(path), 1, 1)
    assert "no such file" in issue.message


def test_directory_instead_of_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path, MODELS)
    [issue] = caught.value.issues
    assert issue.file == str(tmp_path)
    assert "is a directory" in issue.message


def test_load_rules_reports_issues_against_the_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("defaults:\n  language: de\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(path, MODELS)
    assert [str(i) for i in caught.value.issues] == [
        f"{path}:2:3: defaults.language: expected 'en' or 'fr', got 'de'"]
