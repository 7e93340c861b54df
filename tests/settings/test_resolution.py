"""Effective settings: layers, extends chains, ordered overrides, caching, roles, revisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.app import models_for
from bot.durations import Duration, DurationError, format_duration, parse_duration
from bot.permissions import Role, effective_role
from bot.settings import RuleSet, parse_rules, revision_of

MODELS = models_for([])

RULES = """\
version: 1
defaults:
  language: fr
  prefixes: ["!", "/"]
  rules_text:
    fr: "Soyez courtois."
    en: "Be civil."
  commands:
    help: {min_role: member}
  roles:
    cm: ["Moderators"]
communities:
  "discord:1":
    name: Root
    prefixes: ["?"]
    rules_text:
      en: "Root rules."
    roles:
      cm: ["discord:50"]
      admin: ["discord:42", "Owners"]
  "discord:2":
    extends: "discord:1"
    prefixes: ["+"]
    commands:
      help: {enabled: false}
  "discord:3":
    extends: "discord:2"
    language: en
    commands:
      help: {enabled: true}
  "telegram:-100":
    name: Group
overrides:
  - name: announcements in English
    when:
      channel: ["discord:500", "telegram:-100500"]
    set:
      language: en
      rules_text:
        en: "Announcements only."
  - name: staff prefixes
    when:
      role_at_least: cm
    set:
      prefixes: [".", "!"]
  - name: members in announcements
    when:
      all:
        - channel: "discord:500"
        - role_below: cm
    set:
      language: fr
  - name: vip
    when:
      user: "discord:77"
    set:
      name: VIP view
  - name: everywhere but the lounge, in the group
    when:
      community: "telegram:-100"
      not:
        channel: "telegram:-100900"
    set:
      alerts_channel: "telegram:-100999"
  - name: either staff room
    when:
      any:
        - channel: "discord:600"
        - channel: "discord:601"
    set:
      commands:
        help: {min_role: cm}
"""


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    """The rule set above."""
    return parse_rules(RULES.encode(), "r.yaml", MODELS)


def test_unlisted_community_gets_the_defaults(rules: RuleSet) -> None:
    settings = rules.effective("discord:999")
    assert settings.name is None
    assert settings.language == "fr"
    assert settings.prefixes == ("!", "/")
    assert settings.rules_text == {"fr": "Soyez courtois.", "en": "Be civil."}
    assert settings.commands.help.min_role == "member"  # type: ignore[attr-defined]


def test_community_layer_replaces_lists_and_merges_mappings(rules: RuleSet) -> None:
    settings = rules.effective("discord:1")
    assert settings.name == "Root"
    assert settings.prefixes == ("?",)
    assert settings.rules_text == {"fr": "Soyez courtois.", "en": "Root rules."}
    assert settings.language == "fr"
    assert settings.roles.cm == ("discord:50",)
    assert settings.roles.admin == ("discord:42", "Owners")


def test_extends_chain_reaches_the_grandparent(rules: RuleSet) -> None:
    child = rules.effective("discord:2")
    grandchild = rules.effective("discord:3")
    assert child.name == "Root"
    assert child.prefixes == ("+",)
    assert child.commands.help.enabled is False  # type: ignore[attr-defined]
    assert child.commands.help.min_role == "member"  # type: ignore[attr-defined]
    assert grandchild.name == "Root"
    assert grandchild.prefixes == ("+",)
    assert grandchild.rules_text == {"fr": "Soyez courtois.", "en": "Root rules."}
    assert grandchild.commands.help.enabled is True  # type: ignore[attr-defined]
    assert grandchild.commands.help.min_role == "member"  # type: ignore[attr-defined]
    assert grandchild.language == "en"
    assert rules.effective("discord:1").prefixes == ("?",)
    assert rules.effective("discord:1").language == "fr"


def test_override_by_channel(rules: RuleSet) -> None:
    settings = rules.effective("discord:999", "discord:500", Role.CM)
    assert settings.language == "en"
    assert settings.rules_text == {"fr": "Soyez courtois.", "en": "Announcements only."}
    assert rules.effective("discord:999", "discord:501", Role.CM).language == "fr"


def test_override_applies_on_the_community_layer(rules: RuleSet) -> None:
    settings = rules.effective("discord:1", "discord:500", Role.CM)
    assert settings.name == "Root"
    assert settings.language == "en"
    assert settings.rules_text == {"fr": "Soyez courtois.", "en": "Announcements only."}


def test_later_override_wins(rules: RuleSet) -> None:
    member = rules.effective("discord:1", "discord:500", Role.MEMBER)
    cm = rules.effective("discord:1", "discord:500", Role.CM)
    assert member.language == "fr"
    assert cm.language == "en"
    assert member.rules_text["en"] == "Announcements only."


@pytest.mark.parametrize(
    ("role", "prefixes"),
    [(Role.MEMBER, ("!", "/")), (Role.CM, (".", "!")), (Role.ADMIN, (".", "!"))],
)
def test_role_at_least(rules: RuleSet, role: Role, prefixes: tuple[str, ...]) -> None:
    assert rules.effective("discord:999", "discord:10", role).prefixes == prefixes


@pytest.mark.parametrize(
    ("role", "language"), [(Role.MEMBER, "fr"), (Role.CM, "en"), (Role.ADMIN, "en")]
)
def test_role_below_inside_all(rules: RuleSet, role: Role, language: str) -> None:
    assert rules.effective("discord:999", "discord:500", role).language == language


def test_user_condition(rules: RuleSet) -> None:
    assert rules.effective("discord:1", "discord:10", Role.MEMBER, "discord:77").name == "VIP view"
    assert rules.effective("discord:1", "discord:10", Role.MEMBER, "discord:78").name == "Root"
    assert rules.effective("discord:1", "discord:10", Role.MEMBER).name == "Root"


def test_community_and_not_conditions(rules: RuleSet) -> None:
    group = "telegram:-100"
    assert rules.effective(group, "telegram:-100200").alerts_channel == "telegram:-100999"
    assert rules.effective(group).alerts_channel == "telegram:-100999"
    assert rules.effective(group, "telegram:-100900").alerts_channel is None
    assert rules.effective("discord:1", "discord:10").alerts_channel is None


@pytest.mark.parametrize(
    ("channel", "min_role"),
    [("discord:600", "cm"), ("discord:601", "cm"), ("discord:602", "member"), (None, "member")],
)
def test_any_condition_and_nested_mapping_merge(
    rules: RuleSet, channel: str | None, min_role: str
) -> None:
    settings = rules.effective("discord:2", channel)
    assert settings.commands.help.min_role == min_role  # type: ignore[attr-defined]
    assert settings.commands.help.enabled is False  # type: ignore[attr-defined]


def test_same_context_gives_the_same_object(rules: RuleSet) -> None:
    first = rules.effective("discord:1", "discord:500", Role.CM, "discord:5")
    again = rules.effective("discord:1", "discord:500", Role.CM, "discord:5")
    assert again is first
    assert rules.effective("discord:1", "discord:10") is rules.effective("discord:1", "discord:11")


def test_cache_keeps_contexts_apart(rules: RuleSet) -> None:
    base = rules.effective("discord:1", "discord:10", Role.MEMBER)
    assert rules.effective("discord:1", "discord:10", Role.CM) is not base
    assert rules.effective("discord:1", "discord:500", Role.MEMBER) is not base
    assert rules.effective("discord:1", "discord:10", Role.MEMBER, "discord:77") is not base
    assert rules.effective("discord:2", "discord:10", Role.MEMBER) is not base
    assert rules.effective("discord:1", "discord:10", Role.MEMBER).name == "Root"


def test_without_overrides_effective_is_the_community_settings() -> None:
    plain = parse_rules(b'communities:\n  "discord:1":\n    name: One\n', "r.yaml", MODELS)
    assert plain.effective("discord:1", "discord:2", Role.ADMIN) is plain.community("discord:1")
    assert plain.effective("discord:9") is plain.community("discord:9")


def test_effective_settings_are_frozen(rules: RuleSet) -> None:
    settings = rules.effective("discord:1")
    with pytest.raises(ValidationError):
        settings.language = "en"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("community", "user_id", "platform_role", "platform_roles", "expected"),
    [
        ("discord:1", "discord:42", Role.MEMBER, (), Role.ADMIN),
        ("discord:1", "discord:50", Role.MEMBER, (), Role.CM),
        ("discord:1", "discord:51", Role.MEMBER, ("Owners",), Role.ADMIN),
        ("discord:1", "discord:51", Role.MEMBER, ("Moderators",), Role.MEMBER),
        ("discord:1", "discord:50", Role.ADMIN, (), Role.ADMIN),
        ("discord:1", "discord:51", Role.MEMBER, (), Role.MEMBER),
        ("discord:999", "discord:51", Role.MEMBER, ("Moderators",), Role.CM),
        ("discord:999", "discord:42", Role.MEMBER, (), Role.MEMBER),
        ("discord:2", "discord:42", Role.MEMBER, (), Role.ADMIN),
    ],
)
def test_effective_role_from_the_rule_file_mapping(
    rules: RuleSet, community: str, user_id: str, platform_role: Role,
    platform_roles: tuple[str, ...], expected: Role,
) -> None:
    lookup = rules.role_lookup(community)
    assert effective_role(platform_role, user_id, platform_roles, lookup) == expected


def test_a_name_both_cm_and_admin_grants_admin() -> None:
    text = b'defaults:\n  roles:\n    cm: ["Staff"]\n    admin: ["Staff"]\n'
    lookup = parse_rules(text, "r.yaml", MODELS).role_lookup("discord:1")
    assert lookup == {"Staff": Role.ADMIN}


def test_revision_is_the_hash_of_the_content() -> None:
    content = RULES.encode()
    first = parse_rules(content, "a.yaml", MODELS)
    second = parse_rules(content, "b.yaml", MODELS)
    assert first.revision == second.revision == revision_of(content)
    edited = content + b"# a comment is an edit too\n"
    assert parse_rules(edited, "a.yaml", MODELS).revision != first.revision
    assert revision_of(edited) != revision_of(content)


GOOD_DURATIONS = [
    ("30s", timedelta(seconds=30)),
    ("10m", timedelta(minutes=10)),
    ("2h", timedelta(hours=2)),
    ("7d", timedelta(days=7)),
    ("1w", timedelta(weeks=1)),
    ("1h30m", timedelta(hours=1, minutes=30)),
    (" 2H ", timedelta(hours=2)),
    ("1d 12h", timedelta(days=1, hours=12)),
    ("3650d", timedelta(days=3650)),
]

BAD_DURATIONS = [
    ("0s", "zero"),
    ("0h0m", "zero"),
    ("-5m", "negative"),
    ("99999d", "too long"),
    ("abc", "not a duration"),
    ("5", "not a duration"),
    ("", "not a duration"),
    ("1.5h", "not a duration"),
    ("10 minutes", "not a duration"),
    ("h", "not a duration"),
]


@pytest.mark.parametrize(("text", "expected"), GOOD_DURATIONS)
def test_good_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(("text", "why"), BAD_DURATIONS)
def test_bad_duration(text: str, why: str) -> None:
    with pytest.raises(DurationError, match=why):
        parse_duration(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [(timedelta(seconds=30), "30s"), (timedelta(hours=1, minutes=30), "1h30m"),
     (timedelta(weeks=1), "7d"), (timedelta(days=1, seconds=5), "1d5s")],
)
def test_format_duration_round_trips(value: timedelta, text: str) -> None:
    assert format_duration(value) == text
    assert parse_duration(text) == value


@pytest.mark.parametrize(
    ("raw", "why"),
    [(5, "has no unit: write e.g. 5s or 5m"), (True, "expected a duration"),
     (1.5, "expected a duration"), ("-1h", "negative")],
)
def test_duration_in_a_rule_file_refuses(raw: object, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        TypeAdapter(Duration).validate_python(raw)


def test_duration_in_a_rule_file_accepts_text() -> None:
    assert TypeAdapter(Duration).validate_python("1h30m") == timedelta(minutes=90)
