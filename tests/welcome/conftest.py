"""Harnesses for welcome: a console community with the FAQ and automod's raid mode on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.plugin import Plugin
from plugins.automod import AutomodPlugin
from plugins.faq import FaqPlugin
from plugins.welcome import WelcomePlugin
from tests.harness import Harness

PLUGINS: Sequence[type[Plugin]] = (WelcomePlugin, FaqPlugin, AutomodPlugin)


def rules(language: str = "en", welcome: str = "") -> str:
    """A console community with rules, two FAQ topics, raid mode at 4 joins, welcome on."""
    return f"""\
version: 1
defaults:
  language: {language}
  rules_text:
    en: Be nice. No ads.
    fr: Soyez gentils. Pas de pub.
communities:
  "console:test":
    name: Test community
    welcome:
      enabled: true
      channel: "console:welcome"
      window: 1m
{welcome}    faq:
      entries:
        - id: delivery
          title: {{en: Delivery times, fr: Délais de livraison}}
          questions: {{en: [when will my order arrive], fr: [quand arrive ma commande]}}
          answer: {{en: Three days., fr: Trois jours.}}
        - id: password
          questions: {{en: [how do I reset my password], fr: [comment changer mon mot de passe]}}
          answer: {{en: Use the link., fr: Utilisez le lien.}}
    automod:
      raid:
        enabled: true
        joins: 4
        within: 1m
        duration: 10m
        actions: [alert]
"""


@pytest.fixture
async def wh(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Harness]:
    """Welcome, FAQ and automod on one English console community."""
    h = Harness(tmp_path, rules=rules(), plugins=PLUGINS, database_url=harness_url)
    await h.start()
    yield h
    await h.stop()
