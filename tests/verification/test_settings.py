"""The `verification:` section: `vigie check` says what is wrong, where, and what was meant."""

from __future__ import annotations

import pytest

from bot.app import models_for
from bot.settings import ConfigError, parse_rules
from plugins.verification import VerificationPlugin


def check(section: str) -> list[str]:
    """The problems `vigie check` reports for a `verification:` section (none: valid)."""
    text = "version: 1\ndefaults:\n  verification:\n" + "".join(
        f"    {line}\n" for line in section.strip().splitlines())
    try:
        parse_rules(text.encode(), "rules.yaml", models_for([VerificationPlugin]))
    except ConfigError as exc:
        return [str(issue) for issue in exc.issues]
    return []


def test_the_commented_defaults_are_valid_and_off() -> None:
    rules = parse_rules(b"version: 1\n", "rules.yaml", models_for([VerificationPlugin]))
    assert rules.fallback.verification.enabled is False  # type: ignore[attr-defined]
    assert check("enabled: true\nchallenge: emoji\ntime_limit: 2m\non_failure: restrict") == []


@pytest.mark.parametrize(("section", "expected"), [
    ("chalenge: math", "rules.yaml:4:5: defaults.verification.chalenge: unknown key "
                       "'chalenge' (did you mean 'challenge'?)"),
    ("time_limit: 5 minuts", "defaults.verification.time_limit: '5 minuts' is not a duration"),
    ("time_limit: 10s", "defaults.verification.time_limit: between 30s and 24h"),
    ("time_limit: 2d", "defaults.verification.time_limit: between 30s and 24h"),
    ("on_failure: ban", "defaults.verification.on_failure: expected 'decline', 'kick' or "
                        "'restrict', got 'ban'"),
    ("challenge: captcha", "defaults.verification.challenge: expected 'button', 'question', "
                           "'math' or 'emoji', got 'captcha'"),
    ("hold: role", "hold: role needs `role`"),
    ("allow: [bob]", "defaults.verification.allow.0"),
    ("raid: {joins: 1}", "defaults.verification.raid.joins"),
])
def test_mistakes_are_reported_with_their_place(section: str, expected: str) -> None:
    problems = check(section)
    assert len(problems) == 1, problems
    assert expected in problems[0]
