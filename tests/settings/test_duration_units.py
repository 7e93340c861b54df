"""Durations in the rule file: the same units as commands (French ones too), clear refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import models_for
from bot.durations import DurationError, looks_like_duration, parse_duration
from bot.settings import ConfigError, parse_rules
from plugins.moderation import ModerationPlugin

MODELS = models_for([ModerationPlugin])


def rule_file(expiry: str, within: str, duration: str) -> bytes:
    """A rule file whose moderation section holds three durations."""
    return f"""\
version: 1
defaults:
  language: fr
  moderation:
    warning_expiry: {expiry}
    ladder:
      - {{warnings: 3, within: {within}, action: timeout, duration: {duration}}}
communities:
  "console:test":
    name: Test
""".encode()


def test_french_units_in_the_rule_file() -> None:
    """`2sem`, `7j` and `1h30` are read as two weeks, seven days and ninety minutes."""
    rules = parse_rules(rule_file("2sem", "7j", "1h30"), "rules.yaml", MODELS)
    section = rules.community("console:test").moderation  # type: ignore[attr-defined]
    assert section.warning_expiry == timedelta(weeks=2)
    [step] = section.ladder
    assert (step.within, step.duration) == (timedelta(days=7), timedelta(minutes=90))
    rules = parse_rules(rule_file("30j", "10min", "45mn"), "rules.yaml", MODELS)
    section = rules.community("console:test").moderation  # type: ignore[attr-defined]
    assert section.warning_expiry == timedelta(days=30)
    assert (section.ladder[0].within, section.ladder[0].duration) == (
        timedelta(minutes=10), timedelta(minutes=45))


@pytest.mark.parametrize(("bad", "why"), [
    ("7x", "'7x' is not a duration (expected e.g. 30s, 10m, 2h, 7d (7j), 2w (2sem) or 1h30m)"),
    ("1h-5m", "'1h-5m' is not a duration"),
    ("0j", "'0j' is zero: a duration must be positive"),
    ("4000j", "'4000j' is too long: at most 3650d"),
])
def test_bad_durations_in_the_rule_file_are_positioned(bad: str, why: str) -> None:
    """A bad duration is refused with its line, column and path."""
    with pytest.raises(ConfigError) as caught:
        parse_rules(rule_file("30d", bad, "1h"), "rules.yaml", MODELS)
    [issue] = caught.value.issues
    assert str(issue).startswith("rules.yaml:7:23: "), str(issue)
    assert "moderation.ladder.0.within" in str(issue)
    assert why in str(issue)


@pytest.mark.parametrize(("text", "expected"), [
    ("7j", timedelta(days=7)), ("2sem", timedelta(weeks=2)), ("10min", timedelta(minutes=10)),
    ("10mn", timedelta(minutes=10)), ("1h30", timedelta(minutes=90)),
    ("1h05", timedelta(minutes=65)), ("5sec", timedelta(seconds=5)),
    ("2SEM", timedelta(weeks=2)), ("1j12h", timedelta(days=1, hours=12)),
])
def test_units(text: str, expected: timedelta) -> None:
    """English and French units, and `1h30` for an hour and a half."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("7x", "invalid"), ("1h60", "invalid"), ("1m30", "invalid"), ("1h30m20", "invalid"),
    ("+5m", "invalid"), ("10", "no_unit"), ("0", "zero"), ("0j", "zero"), ("-5m", "negative"),
    ("4000d", "too_long"),
])
def test_refusals_say_why(text: str, reason: str) -> None:
    """Each refusal names its kind, so commands can say it in the invoker's language."""
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize(("token", "attempt"), [
    ("7j", True), ("7x", True), ("0s", True), ("-5m", True), ("4000d", True), ("1h-5m", True),
    ("1.5h", True), ("3rd", True), ("3", False), ("-5", False), ("12345", False),
    ("spam", False), ("24h/24", False), ("10€", False), ("", False),
])
def test_what_looks_like_a_duration(token: str, attempt: bool) -> None:
    """A digit (after an optional sign) then letters is an attempt; a bare number is not."""
    assert looks_like_duration(token) is attempt
