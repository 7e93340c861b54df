"""Brand groups in the rule file: validated with places and hints, resolved for plugins."""

from __future__ import annotations

import pytest

from bot.app import models_for
from bot.settings import ConfigError, parse_rules

MODELS = models_for([])

GOOD = b"""\
version: 1
brands:
  acme:
    name: ACME
    communities: ["discord:111", "telegram:-100222", "console:demo", "discord:999"]
    channels: {"discord:111": "discord:333"}
  other:
    communities: ["telegram:-100222"]
"""


def test_brands_resolve() -> None:
    rules = parse_rules(GOOD, "rules.yaml", MODELS)
    brands = rules.brands
    assert brands.names() == ("acme", "other")
    acme = brands.get("ACME")
    assert acme is not None and acme.name == "ACME"
    assert list(brands.targets("acme")) == [
        ("discord:111", "discord:333"), ("telegram:-100222", "telegram:-100222"),
        ("console:demo", "console:demo"), ("discord:999", None)]
    assert brands.of_community("telegram:-100222") == ("acme", "other")
    assert brands.get("nope") is None
    assert list(brands.targets("nope")) == []


def test_no_brands_is_fine() -> None:
    rules = parse_rules(b"version: 1\n", "rules.yaml", MODELS)
    assert rules.brands.names() == ()


@pytest.mark.parametrize(("content", "line", "fragment"), [
    (b"version: 1\nbrand:\n  a: {communities: ['discord:1']}\n", 2, "did you mean 'brands'"),
    (b"version: 1\nbrands:\n  a:\n    comunities: ['discord:1']\n", 4,
     "did you mean 'communities'"),
    (b"version: 1\nbrands:\n  a: {communities: []}\n", 3, "at least one community"),
    (b"version: 1\nbrands:\n  a: {communities: ['discrd:1']}\n", 3, "platform-qualified"),
    (b"version: 1\nbrands:\n  A b: {communities: ['discord:1']}\n", 3, "brand name"),
    (b"version: 1\nbrands:\n  a: {communities: ['discord:1', 'discord:1']}\n", 3,
     "listed twice"),
    (b"version: 1\nbrands:\n  a:\n    communities: ['discord:1']\n"
     b"    channels: {'discord:2': 'discord:3'}\n", 5, "not one of this brand"),
    (b"version: 1\nbrands:\n  a:\n    communities: ['discord:1']\n"
     b"    channels: {'discord:1': 'telegram:-3'}\n", 5, "not on the platform"),
    (b"version: 1\nbrands: [a]\n", 2, "expected a mapping"),
])
def test_bad_brands(content: bytes, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules(content, "rules.yaml", MODELS)
    issues = caught.value.issues
    assert any(i.line == line and fragment in i.message for i in issues), issues


def test_schema_has_brands() -> None:
    schema = MODELS.json_schema()
    assert "brands" in schema["properties"]
