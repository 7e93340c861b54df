"""Reputation test helpers: an App with the reputation plugin watching a small brand."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from plugins.reputation import ReputationPlugin
from tests.harness import Harness

TERMS = """\
terms:
  - id: acme
    kind: brand
    label: Acme
    words: [Acme, Akme, "acme shop"]
  - id: rocket
    kind: product
    words: [rocket, roket]
  - id: globex
    kind: competitor
    words: [Globex]
  - id: delivery
    kind: topic
    fr: ["livr*", colis]
    en: [delivery, shipping, parcel]
  - id: price
    kind: topic
    fr: [prix, tarif*]
    en: [price, prices]
"""

Make = Callable[..., Awaitable[Harness]]


def rule_file(section: str = "", terms: str = TERMS, language: str = "fr",
              community: str = "", alerts: bool = True) -> str:
    """A rule file whose defaults hold a `reputation:` section: `section` keys, then `terms`."""
    body = textwrap.indent(textwrap.dedent(section).strip("\n") + "\n" + terms, "    ")
    channel = '  alerts_channel: "console:equipe"\n' if alerts else ""
    return (f"version: 1\ndefaults:\n  language: {language}\n{channel}"
            "  roles:\n    cm: [\"console:claire\"]\n"
            f"  reputation:\n{body}\ncommunities:\n  \"console:test\":\n"
            f"    name: Test community\n{community}")


@pytest.fixture
async def make(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Make]:
    """Start a harness with the reputation plugin on a rule file built by `rule_file`."""
    started: list[Harness] = []

    async def start(section: str = "", terms: str = TERMS, language: str = "fr",
                    community: str = "", alerts: bool = True) -> Harness:
        where = tmp_path / f"h{len(started)}"
        where.mkdir(exist_ok=True)
        harness = await Harness(where, rules=rule_file(section, terms, language, community,
                                                       alerts),
                                plugins=[ReputationPlugin], database_url=harness_url).start()
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.stop()


def plugin_of(h: Harness) -> ReputationPlugin:
    """The running reputation plugin."""
    return next(p for p in h.app.plugins if isinstance(p, ReputationPlugin))


async def stored(h: Harness, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows once the plugin's queued figures are written."""
    await plugin_of(h).records.flush()
    return await h.store.fetch_all(sql, params)
