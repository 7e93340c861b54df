"""The `contests:` section: the default rule file is valid, mistakes are named with their place."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import models_for
from bot.discovery import discover_plugins
from bot.settings import ConfigError, load_rules, parse_rules
from plugins.contests import ContestsPlugin
from plugins.contests.settings import ContestsSettings

MODELS = models_for([ContestsPlugin])
ROOT = Path(__file__).parents[2]


def test_the_default_rule_file_documents_the_defaults() -> None:
    """config/rules.yaml spells out the model's defaults, so reading it tells the truth."""
    rules = load_rules(ROOT / "config" / "rules.yaml", models_for(discover_plugins()))
    section = rules.community("console:local").contests
    assert section == ContestsSettings()
    assert section.exclude.sanctioned_within == timedelta(days=30)


@pytest.mark.parametrize(("yaml", "message"), [
    ("mode: lottery", "contests.mode"),
    ("emoji: abc", "is not one emoji"),
    ("groups: {brand: ['discord:1']}", "list at least two communities"),
    ("groups: {Brand: ['discord:1', 'telegram:-2']}", "group name 'Brand'"),
    ("groups: {brand: ['discord:1', 'discord:1']}", "listed twice"),
    ("groups: {brand: ['discord:1', 'telegram:abc']}", "must be a number"),
    ("channel: general", "platform-qualified"),
    ("min_duration: 2d\n    max_duration: 1d", "min_duration is longer than max_duration"),
    ("max_winners: 0", "contests.max_winners"),
    ("requirements: {acount_age: 7d}", "did you mean 'account_age'"),
    ("exclude: {sanctioned_within: 30}", "has no unit"),
    ("confirm: whisper", "contests.confirm"),
])
def test_mistakes_are_refused_with_their_place(yaml: str, message: str) -> None:
    """Each mistake is one positioned line naming the problem."""
    content = f"version: 1\ndefaults:\n  contests:\n    {yaml}\n"
    with pytest.raises(ConfigError) as caught:
        parse_rules(content.encode(), "r.yaml", MODELS)
    lines = [str(issue) for issue in caught.value.issues]
    assert any(message in line and line.startswith("r.yaml:") for line in lines), lines


def test_a_community_can_set_its_own_channel_and_confirmation() -> None:
    """Layers merge: a Telegram group announces in its own chat and replies instead of DMs."""
    rules = parse_rules(b"""\
version: 1
defaults:
  contests:
    groups: {brand: ["discord:1", "telegram:-2"]}
communities:
  "telegram:-2":
    contests: {channel: "telegram:-2", confirm: reply}
""", "r.yaml", MODELS)
    telegram = rules.community("telegram:-2").contests
    assert (telegram.channel, telegram.confirm, telegram.groups["brand"]) == (
        "telegram:-2", "reply", ("discord:1", "telegram:-2"))
    assert rules.community("discord:1").contests.channel is None
